/* Unit tests of the format limits and the square-wave generator: exact
 * sample values, byte order, channels, lengths, chunked rendering. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "obs/format.h"
#include "obs/tone.h"

static const struct obs_format mono8k = { .rate = 8000, .channels = 1 };
static const struct obs_format stereo8k = { .rate = 8000, .channels = 2 };
static const struct obs_format mono44k = { .rate = 44100, .channels = 1 };

static int16_t le16(const uint8_t *p)
{
	return (int16_t)(uint16_t)(p[0] | (p[1] << 8));
}

static void format_limits(void **state)
{
	(void)state;
	assert_int_equal(obs_format_check(8000, 1), 0);
	assert_int_equal(obs_format_check(192000, 2), 0);
	assert_int_equal(obs_format_check(7999, 1), -EINVAL);
	assert_int_equal(obs_format_check(192001, 1), -EINVAL);
	assert_int_equal(obs_format_check(44100, 0), -EINVAL);
	assert_int_equal(obs_format_check(44100, 3), -EINVAL);
	assert_int_equal(obs_format_check(0, 0), -EINVAL);

	assert_int_equal(obs_beep_check(20, 1), 0);
	assert_int_equal(obs_beep_check(20000, 10000), 0);
	assert_int_equal(obs_beep_check(19, 100), -EINVAL);
	assert_int_equal(obs_beep_check(20001, 100), -EINVAL);
	assert_int_equal(obs_beep_check(440, 0), -EINVAL);
	assert_int_equal(obs_beep_check(440, 10001), -EINVAL);

	struct obs_format b = obs_beep_format();
	assert_int_equal(b.rate, 44100);
	assert_int_equal(b.channels, 1);

	assert_int_equal(obs_frame_bytes(&stereo8k), 4);
	assert_int_equal(obs_byte_rate(&stereo8k), 32000);
	assert_int_equal(obs_ms_to_frames(&mono44k, 500), 22050);
	assert_int_equal(obs_ms_to_frames(&mono44k, 1), 44); /* 44.1, rounded down */
	/* 200 ms: 8820 frames of 2 bytes. */
	assert_int_equal(obs_buffer_bytes(&mono44k), 17640);
	assert_int_equal(obs_buffer_bytes(&stereo8k), 1600 * 4);
}

/* 1 kHz at 8 kHz: four frames high, four low, from the first frame. */
static void tone_exact_period_8(void **state)
{
	struct obs_tone t;
	uint8_t out[16 * 2];

	(void)state;
	assert_int_equal(obs_tone_init(&t, 1000, 10, 8000, &mono8k), 0);
	assert_int_equal(t.frames, 80);
	assert_int_equal(obs_tone_render(&t, out, 16), 16);
	for (int n = 0; n < 16; n++)
		assert_int_equal(le16(out + 2 * n), (n % 8) < 4 ? 8000 : -8000);
	/* Little-endian bytes of +8000 (0x1f40) and -8000 (0xe0c0). */
	assert_int_equal(out[0], 0x40);
	assert_int_equal(out[1], 0x1f);
	assert_int_equal(out[8], 0xc0);
	assert_int_equal(out[9], 0xe0);
}

/* 3 kHz at 8 kHz: the half-period is 4/3 frames, so the pattern is
 * floor(0.75 n) even/odd: + + - + - - + - +. */
static void tone_exact_fractional(void **state)
{
	static const int16_t want[9] = { 100, 100, -100, 100, -100, -100, 100, -100, 100 };
	struct obs_tone t;
	uint8_t out[9 * 2];

	(void)state;
	assert_int_equal(obs_tone_init(&t, 3000, 100, 100, &mono8k), 0);
	assert_int_equal(obs_tone_render(&t, out, 9), 9);
	for (int n = 0; n < 9; n++)
		assert_int_equal(le16(out + 2 * n), want[n]);
}

/* 440 Hz at 44100: half-periods of 50.11 frames; the edges fall after
 * frames 50 and 100. */
static void tone_exact_440(void **state)
{
	struct obs_tone t;

	(void)state;
	assert_int_equal(obs_tone_init(&t, 440, 500, 8000, &mono44k), 0);
	assert_int_equal(t.frames, 22050);
	assert_int_equal(obs_tone_sample(&t, 0), 8000);
	assert_int_equal(obs_tone_sample(&t, 50), 8000);
	assert_int_equal(obs_tone_sample(&t, 51), -8000);
	assert_int_equal(obs_tone_sample(&t, 100), -8000);
	assert_int_equal(obs_tone_sample(&t, 101), 8000);
}

static void tone_stereo(void **state)
{
	struct obs_tone t;
	uint8_t out[8 * 4];

	(void)state;
	assert_int_equal(obs_tone_init(&t, 1000, 1, 8000, &stereo8k), 0);
	assert_int_equal(t.frames, 8);
	assert_int_equal(obs_tone_render(&t, out, 100), 8);
	for (int n = 0; n < 8; n++) {
		int16_t want = n < 4 ? 8000 : -8000;
		assert_int_equal(le16(out + 4 * n), want);     /* left */
		assert_int_equal(le16(out + 4 * n + 2), want); /* right */
	}
	assert_int_equal(obs_tone_left(&t), 0);
	assert_int_equal(obs_tone_render(&t, out, 100), 0);
}

/* Rendering in odd-sized chunks gives the same bytes as in one go. */
static void tone_chunks(void **state)
{
	static uint8_t whole[22050 * 2], parts[22050 * 2];
	struct obs_tone a, b;
	size_t at = 0, n;

	(void)state;
	assert_int_equal(obs_tone_init(&a, 440, 500, 8000, &mono44k), 0);
	assert_int_equal(obs_tone_init(&b, 440, 500, 8000, &mono44k), 0);
	assert_int_equal(obs_tone_render(&a, whole, 1u << 20), 22050);
	while ((n = obs_tone_render(&b, parts + at * 2, 333)) > 0)
		at += n;
	assert_int_equal(at, 22050);
	assert_memory_equal(whole, parts, sizeof(whole));
}

static void tone_refuses(void **state)
{
	struct obs_tone t = { .freq_hz = 12345 };
	const struct obs_format bad = { .rate = 100, .channels = 1 };

	(void)state;
	assert_int_equal(obs_tone_init(&t, 19, 100, 8000, &mono8k), -EINVAL);
	assert_int_equal(obs_tone_init(&t, 20001, 100, 8000, &mono8k), -EINVAL);
	assert_int_equal(obs_tone_init(&t, 440, 0, 8000, &mono8k), -EINVAL);
	assert_int_equal(obs_tone_init(&t, 440, 10001, 8000, &mono8k), -EINVAL);
	assert_int_equal(obs_tone_init(&t, 440, 100, 8000, &bad), -EINVAL);
	assert_int_equal(t.freq_hz, 12345); /* left alone */
	/* The longest tone at the highest rate counts without overflow. */
	const struct obs_format top = { .rate = 192000, .channels = 2 };
	assert_int_equal(obs_tone_init(&t, 20000, 10000, 8000, &top), 0);
	assert_int_equal(t.frames, 1920000);
	/* 20 kHz at 192 kHz: half-period 4.8 frames; frame 1919999 has
	 * floor(2 * 1919999 * 20000 / 192000) = 399999 half-periods: odd. */
	assert_int_equal(obs_tone_sample(&t, 1919999), -8000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_limits),
		cmocka_unit_test(tone_exact_period_8),
		cmocka_unit_test(tone_exact_fractional),
		cmocka_unit_test(tone_exact_440),
		cmocka_unit_test(tone_stereo),
		cmocka_unit_test(tone_chunks),
		cmocka_unit_test(tone_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
