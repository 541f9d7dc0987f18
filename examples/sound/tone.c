/*
 * tone: the sound domain end to end. A 440 Hz beep for 500 ms (a posted
 * sound_beep, so at 44100 Hz mono), then a 44100 Hz mono stream carrying a
 * 1 kHz sine for 500 ms, written in chunks of 1024 frames; then a drain
 * and a close. Prints
 *
 *   tone: start_ms=N        monotonic clock before the beep
 *   tone: drain_ms=N        before sound_drain
 *   tone: drained_ms=N      after it returned
 *   tone: audio_ms=1000     how much audio was queued in all
 *   tone: done
 *
 * (or `FAIL <call>: <result>` lines) and exits 0 only when every call
 * returned what the ABI says. A drain that returns at drained_ms on a
 * device that plays in real time means everything had played by then.
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>

#define RATE 44100u
#define BEEP_HZ 440u
#define BEEP_MS 500u
#define SINE_HZ 1000u
#define SINE_MS 500u
#define SINE_AMPLITUDE 12000.0f
#define CHUNK 1024u

static int failures;

static void check(const char *what, int got, int want)
{
	if (got != want) {
		printf("FAIL %s: returned %d, expected %d\n", what, got, want);
		failures++;
	}
}

static unsigned long now_ms(void)
{
	uint64_t ns = 0;

	if (ob_clock_get(OB_CLOCK_MONOTONIC, &ns) < 0)
		failures++;
	return (unsigned long)(ns / 1000000u);
}

/* sin(x) for any x, without libm: reduce to [-pi, pi], then a Taylor
 * polynomial to x^13 (error below 1e-5 there). */
static float sine(float x)
{
	const float pi = 3.14159265f, two_pi = 6.28318531f;
	float x2, term, sum;

	while (x > pi)
		x -= two_pi;
	while (x < -pi)
		x += two_pi;
	x2 = x * x;
	term = x;
	sum = x;
	for (int k = 1; k <= 6; k++) {
		term = -term * x2 / (float)((2 * k) * (2 * k + 1));
		sum += term;
	}
	return sum;
}

/* Frames [first, first + n) of the sine, as S16LE (this CPU is
 * little-endian, so int16_t is the wire format). */
static void render_sine(int16_t *out, uint32_t first, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		/* The phase in exact integers, so that it never drifts. */
		uint32_t phase = (uint32_t)(((uint64_t)(first + i) * SINE_HZ) % RATE);
		float x = 6.28318531f * (float)phase / (float)RATE;

		out[i] = (int16_t)(SINE_AMPLITUDE * sine(x));
	}
}

int main(void)
{
	static int16_t chunk[CHUNK];
	const uint32_t frames = RATE * SINE_MS / 1000u;
	unsigned long start, drain, drained;

	start = now_ms();
	check("sound_beep", ob_sound_beep(BEEP_HZ, BEEP_MS), 0);
	check("sound_open", ob_sound_open(RATE, 1), 0);
	for (uint32_t at = 0; at < frames; at += CHUNK) {
		uint32_t n = frames - at < CHUNK ? frames - at : CHUNK;

		render_sine(chunk, at, n);
		check("sound_write", ob_sound_write(chunk, n * 2u), (int)(n * 2u));
	}
	drain = now_ms();
	check("sound_drain", ob_sound_drain(), 0);
	drained = now_ms();
	check("sound_close", ob_sound_close(), 0);

	printf("tone: start_ms=%lu\n", start);
	printf("tone: drain_ms=%lu\n", drain);
	printf("tone: drained_ms=%lu\n", drained);
	printf("tone: audio_ms=%u\n", BEEP_MS + SINE_MS);
	printf("tone: %s\n", failures ? "FAILED" : "done");
	return failures ? 1 : 0;
}
