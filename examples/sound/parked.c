/*
 * parked: a guest thread blocked in sound_write is parked, and the other
 * threads run meanwhile.
 *
 * A writer thread opens an 8000 Hz mono stream and writes 3 s of audio,
 * 500 ms per sound_write, then drains and closes. A ticker thread sleeps
 * 10 ms at a time until the writer is done and counts its wake-ups, and
 * separately those that came while the writer was inside sound_write. On a
 * backend that plays (or paces) in real time, such as
 * `outboard-sound-wav --realtime`, the writes block for most of the 3 s;
 * if a blocked write held up the whole guest, no tick would land inside
 * one. Prints
 *
 *   parked: writes=6 write_ms=N ticks=N ticks_in_write=N
 *   parked: ok                       (ticks_in_write >= 50)
 *
 * or `FAIL ...` lines, and exits 0 only when all went as expected.
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>

#define RATE 8000u
#define WRITES 6
#define WRITE_FRAMES (RATE / 2u)  /* 500 ms each */
#define TICK_MS 10u
#define MIN_TICKS_IN_WRITE 50

static volatile int in_write, writer_done;
static volatile unsigned ticks, ticks_in_write;
static unsigned long write_ms;
static int failures;

static uint64_t now_ns(void)
{
	uint64_t ns = 0;

	ob_clock_get(OB_CLOCK_MONOTONIC, &ns);
	return ns;
}

static int writer(void *arg)
{
	static int16_t buf[WRITE_FRAMES];
	uint64_t t0;

	(void)arg;
	/* A quiet sawtooth, so that the file is not all zeros. */
	for (uint32_t i = 0; i < WRITE_FRAMES; i++)
		buf[i] = (int16_t)((i % 80u) * 100u) - 4000;
	if (ob_sound_open(RATE, 1) != 0) {
		printf("FAIL sound_open\n");
		failures++;
		writer_done = 1;
		return 1;
	}
	t0 = now_ns();
	for (int i = 0; i < WRITES; i++) {
		int r;

		in_write = 1;
		r = ob_sound_write(buf, sizeof(buf));
		in_write = 0;
		if (r != (int)sizeof(buf)) {
			printf("FAIL sound_write %d: returned %d\n", i, r);
			failures++;
		}
	}
	write_ms = (unsigned long)((now_ns() - t0) / 1000000u);
	if (ob_sound_drain() != 0 || ob_sound_close() != 0) {
		printf("FAIL sound_drain/sound_close\n");
		failures++;
	}
	writer_done = 1;
	return 0;
}

static int ticker(void *arg)
{
	(void)arg;
	while (!writer_done) {
		ob_thread_sleep(TICK_MS);
		ticks++;
		if (in_write)
			ticks_in_write++;
	}
	return 0;
}

int main(void)
{
	int t = ob_thread_spawn(ticker, NULL, OB_PRIO_DEFAULT, 0);
	int w = ob_thread_spawn(writer, NULL, OB_PRIO_DEFAULT, 0);

	if (t < 0 || w < 0 || ob_thread_join(w, NULL, OB_FOREVER) < 0 ||
	    ob_thread_join(t, NULL, OB_FOREVER) < 0) {
		printf("FAIL threads did not start or join\n");
		return 1;
	}
	printf("parked: writes=%d write_ms=%lu ticks=%u ticks_in_write=%u\n", WRITES, write_ms,
	       ticks, ticks_in_write);
	if (ticks_in_write < MIN_TICKS_IN_WRITE) {
		printf("FAIL ticks_in_write: %u, expected at least %d\n", ticks_in_write,
		       MIN_TICKS_IN_WRITE);
		failures++;
	}
	printf("parked: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
