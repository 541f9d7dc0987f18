/*
 * bad_inputs: every sound call the ABI refuses, and that the stream still
 * works after each refusal. Prints `ok <check>` per check (or
 * `FAIL <check>: ...`) and `bad_inputs: all passed`, exit 0, when all pass.
 *
 * What it leaves in the sound output, for the test to check: nothing from
 * the out-of-range beeps; 800 frames at 8000 Hz mono; then, after a close,
 * 1600 frames at 16000 Hz stereo (a wav backend puts those in a second
 * file, since one WAV file has one format).
 */
#include <outboard.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>

static int failures;
static int16_t frames[1600 * 2];

static void expect(const char *what, int got, int want)
{
	if (got == want) {
		printf("ok %s\n", what);
	} else {
		printf("FAIL %s: returned %d, expected %d\n", what, got, want);
		failures++;
	}
}

int main(void)
{
	for (int i = 0; i < 1600 * 2; i++)
		frames[i] = (int16_t)(i * 13);

	/* No stream yet. */
	expect("write_before_open", ob_sound_write(frames, 4), -EBADF);
	expect("close_before_open", ob_sound_close(), -EBADF);
	expect("drain_without_stream", ob_sound_drain(), 0);

	/* Out of range: posted, so nothing comes back; the plugin logs and
	 * drops them (the output shows no 44100 Hz beep). */
	ob_sound_beep(19, 100);
	ob_sound_beep(20001, 100);
	ob_sound_beep(440, 0);
	ob_sound_beep(440, 10001);

	expect("rate_too_low", ob_sound_open(7999, 1), -EINVAL);
	expect("rate_too_high", ob_sound_open(192001, 1), -EINVAL);
	expect("no_channels", ob_sound_open(44100, 0), -EINVAL);
	expect("three_channels", ob_sound_open(44100, 3), -EINVAL);

	expect("open", ob_sound_open(8000, 1), 0);
	expect("open_again_same", ob_sound_open(8000, 1), 0);
	expect("open_other_rate_busy", ob_sound_open(16000, 1), -EBUSY);
	expect("open_other_channels_busy", ob_sound_open(8000, 2), -EBUSY);
	expect("odd_length", ob_sound_write(frames, 3), -EINVAL);
	expect("one_byte", ob_sound_write(frames, 1), -EINVAL);
	expect("write", ob_sound_write(frames, 1600), 1600);
	expect("drain", ob_sound_drain(), 0);
	expect("close", ob_sound_close(), 0);
	expect("close_twice", ob_sound_close(), -EBADF);
	expect("write_after_close", ob_sound_write(frames, 2), -EBADF);

	/* After a close the stream may change. */
	expect("reopen_stereo", ob_sound_open(16000, 2), 0);
	expect("stereo_half_frame", ob_sound_write(frames, 2), -EINVAL);
	expect("write_stereo", ob_sound_write(frames, 1600 * 4), 1600 * 4);
	expect("close_stereo", ob_sound_close(), 0);

	printf("bad_inputs: %s\n", failures ? "FAILED" : "all passed");
	return failures ? 1 : 0;
}
