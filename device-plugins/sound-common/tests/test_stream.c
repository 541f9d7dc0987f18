/* Unit tests of the ordered stream and its flow control (obs/stream.h),
 * over a fake sink, and of the handlers (obs/sound.h) called directly. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_sink.h"
#include "obs/sound.h"
#include "obs/stream.h"
#include "obs/tone.h"

/* ---- fixture: a stream over a fake sink, completions recorded ------- */

#define MAX_DONE 64

struct done {
	int token;
	int status;
};

struct fixture {
	struct fake_sink sink;
	struct obs_stream *s;
	struct done done[MAX_DONE];
	int n_done;
	int tokens[MAX_DONE]; /* token k is &tokens[k] */
	int on_done_drain;    /* when token k completes, queue a drain (token k + 1) */
};

static struct fixture *fx; /* the complete function has no context argument */

static void record(void *token, int status)
{
	int k = (int)((int *)token - fx->tokens);

	assert_true(k >= 0 && k < MAX_DONE);
	assert_true(fx->n_done < MAX_DONE);
	fx->done[fx->n_done++] = (struct done){ .token = k, .status = status };
	if (fx->on_done_drain && k == fx->on_done_drain)
		assert_int_equal(obs_stream_drain(fx->s, &fx->tokens[k + 1]), 0);
}

static int setup(void **state)
{
	fx = calloc(1, sizeof(*fx));
	assert_non_null(fx);
	assert_int_equal(obs_stream_create(&fake_sink_ops, &fx->sink, record, &fx->s), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	obs_stream_destroy(fx->s);
	assert_true(fx->sink.destroyed);
	free(fx);
	fx = NULL;
	return 0;
}

static void *tok(int k)
{
	return &fx->tokens[k];
}

/* Token k completed, as the i-th completion, with status. */
static void assert_done(int i, int k, int status)
{
	assert_true(i < fx->n_done);
	assert_int_equal(fx->done[i].token, k);
	assert_int_equal(fx->done[i].status, status);
}

static uint8_t pattern[1 << 16];

static void fill_pattern(void)
{
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7u + 3u);
}

/* ---- tests ------------------------------------------------------------ */

static void happy_path(void **state)
{
	(void)state;
	fx->sink.instant = true;
	fill_pattern();
	assert_int_equal(obs_stream_timeout_ms(fx->s), -1);
	assert_int_equal(obs_stream_open(fx->s, tok(1), 8000, 1), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(2), pattern, 1000), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(3), pattern + 1000, 0), 0);
	assert_int_equal(obs_stream_drain(fx->s, tok(4)), 0);
	assert_int_equal(obs_stream_close(fx->s, tok(5)), 0);
	assert_int_equal(fx->n_done, 5);
	for (int i = 0; i < 5; i++)
		assert_done(i, i + 1, 0);
	assert_int_equal(obs_stream_pending(fx->s), 0);
	assert_int_equal(fx->sink.len, 1000);
	assert_memory_equal(fx->sink.data, pattern, 1000);
	assert_string_equal(fx->sink.log, "start 8000/1;push 1000;flush;stop;");
	assert_int_equal(obs_stream_timeout_ms(fx->s), -1);
}

/* 8000 Hz mono: the device takes 200 ms = 3200 bytes. */
static void write_blocks_while_full(void **state)
{
	(void)state;
	fill_pattern();
	assert_int_equal(obs_stream_open(fx->s, tok(1), 8000, 1), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(2), pattern, 5000), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(3), pattern + 5000, 100), 0);
	assert_int_equal(fx->n_done, 1);
	assert_int_equal(fx->sink.queued, 3200);
	assert_int_equal(obs_stream_pending(fx->s), 2);
	/* One frame (2 bytes = 1/8 ms) must play before the next fits: the
	 * loop sleeps the least it ever does. */
	assert_int_equal(obs_stream_timeout_ms(fx->s), OBS_POLL_MIN_MS);

	obs_stream_pump(fx->s); /* nothing played: nothing moves */
	assert_int_equal(fx->sink.len, 3200);
	assert_int_equal(fx->n_done, 1);

	fake_sink_play(&fx->sink, 1001); /* odd: only whole frames are pushed */
	assert_int_equal(obs_stream_timeout_ms(fx->s), 0); /* it can move now */
	obs_stream_pump(fx->s);
	assert_int_equal(fx->sink.len, 4200);
	assert_int_equal(fx->n_done, 1);

	fake_sink_play(&fx->sink, 2000);
	obs_stream_pump(fx->s);
	assert_int_equal(fx->n_done, 3);
	assert_done(1, 2, 0);
	assert_done(2, 3, 0);
	assert_int_equal(fx->sink.len, 5100);
	assert_memory_equal(fx->sink.data, pattern, 5100);
	assert_int_equal(obs_stream_timeout_ms(fx->s), -1);
}

static void drain_waits_until_played(void **state)
{
	(void)state;
	fill_pattern();
	assert_int_equal(obs_stream_open(fx->s, tok(1), 8000, 1), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(2), pattern, 1600), 0);
	assert_int_equal(obs_stream_drain(fx->s, tok(3)), 0);
	assert_int_equal(fx->n_done, 2);
	/* 1600 bytes = 100 ms, more than the loop ever sleeps at once. */
	assert_int_equal(obs_stream_timeout_ms(fx->s), OBS_POLL_MAX_MS);
	fake_sink_play(&fx->sink, 1440);
	obs_stream_pump(fx->s);
	assert_int_equal(fx->n_done, 2);
	assert_int_equal(obs_stream_timeout_ms(fx->s), 10); /* 160 bytes */
	fake_sink_play(&fx->sink, 160);
	obs_stream_pump(fx->s);
	assert_done(2, 3, 0);
	assert_non_null(strstr(fx->sink.log, "flush;"));
	/* A close then stops the idle device at once. */
	assert_int_equal(obs_stream_close(fx->s, tok(4)), 0);
	assert_done(3, 4, 0);
	assert_false(fx->sink.started);
}

static void close_drains_first(void **state)
{
	(void)state;
	fill_pattern();
	assert_int_equal(obs_stream_open(fx->s, tok(1), 8000, 1), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(2), pattern, 800), 0);
	assert_int_equal(obs_stream_close(fx->s, tok(3)), 0);
	assert_int_equal(fx->n_done, 2);
	assert_true(fx->sink.started);
	fake_sink_play(&fx->sink, 800);
	obs_stream_pump(fx->s);
	assert_done(2, 3, 0);
	assert_false(fx->sink.started);
}

static void state_errors(void **state)
{
	(void)state;
	fx->sink.instant = true;
	fill_pattern();
	assert_int_equal(obs_stream_write(fx->s, tok(1), pattern, 4), 0);
	assert_done(0, 1, EBADF);
	assert_int_equal(obs_stream_close(fx->s, tok(2)), 0);
	assert_done(1, 2, EBADF);
	/* Range errors answer at once and queue nothing. */
	assert_int_equal(obs_stream_open(fx->s, tok(3), 7999, 1), -EINVAL);
	assert_int_equal(obs_stream_open(fx->s, tok(3), 192001, 1), -EINVAL);
	assert_int_equal(obs_stream_open(fx->s, tok(3), 44100, 0), -EINVAL);
	assert_int_equal(obs_stream_open(fx->s, tok(3), 44100, 3), -EINVAL);
	assert_int_equal(fx->n_done, 2);
	assert_string_equal(fx->sink.log, "");

	assert_int_equal(obs_stream_open(fx->s, tok(4), 16000, 2), 0);
	assert_int_equal(obs_stream_open(fx->s, tok(5), 16000, 2), 0);  /* same: fine */
	assert_int_equal(obs_stream_open(fx->s, tok(6), 16000, 1), 0);  /* other: busy */
	assert_int_equal(obs_stream_write(fx->s, tok(7), pattern, 6), 0); /* 1.5 frames */
	assert_int_equal(obs_stream_write(fx->s, tok(8), pattern, 2), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(9), pattern, 8), 0);
	assert_done(2, 4, 0);
	assert_done(3, 5, 0);
	assert_done(4, 6, EBUSY);
	assert_done(5, 7, EINVAL);
	assert_done(6, 8, EINVAL);
	assert_done(7, 9, 0);
	/* After a close the parameters may change. */
	assert_int_equal(obs_stream_close(fx->s, tok(10)), 0);
	assert_int_equal(obs_stream_open(fx->s, tok(11), 8000, 1), 0);
	assert_done(8, 10, 0);
	assert_done(9, 11, 0);
	assert_string_equal(fx->sink.log, "start 16000/2;push 8;stop;start 8000/1;");
}

/* State checks see the stream as the calls queued before them leave it. */
static void checks_follow_queue_order(void **state)
{
	(void)state;
	fill_pattern();
	assert_int_equal(obs_stream_open(fx->s, tok(1), 8000, 1), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(2), pattern, 4000), 0); /* blocks */
	assert_int_equal(obs_stream_close(fx->s, tok(3)), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(4), pattern, 2), 0);
	assert_int_equal(obs_stream_open(fx->s, tok(5), 16000, 1), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(6), pattern, 2), 0);
	assert_int_equal(fx->n_done, 1);
	fake_sink_play(&fx->sink, 4000);
	obs_stream_pump(fx->s);
	assert_int_equal(fx->n_done, 2); /* the close waits for the rest to play */
	fake_sink_play(&fx->sink, 4000);
	obs_stream_pump(fx->s);
	assert_int_equal(fx->n_done, 6);
	assert_done(1, 2, 0);
	assert_done(2, 3, 0);
	assert_done(3, 4, EBADF);
	assert_done(4, 5, 0);
	assert_done(5, 6, 0);
	assert_true(fx->sink.started);
	assert_int_equal(fx->sink.fmt.rate, 16000);
}

static void beep_without_stream(void **state)
{
	static uint8_t want[22050 * 2];
	struct obs_tone t;
	const struct obs_format f = obs_beep_format();

	(void)state;
	fx->sink.instant = true;
	assert_int_equal(obs_stream_beep(fx->s, tok(1), 440, 500), 0);
	assert_done(0, 1, 0);
	assert_int_equal(fx->sink.fmt.rate, 44100);
	assert_int_equal(fx->sink.fmt.channels, 1);
	assert_int_equal(obs_tone_init(&t, 440, 500, OBS_BEEP_AMPLITUDE, &f), 0);
	assert_int_equal(obs_tone_render(&t, want, 22050), 22050);
	assert_int_equal(fx->sink.len, sizeof(want));
	assert_memory_equal(fx->sink.data, want, sizeof(want));
	/* Out of range: refused at once, nothing queued or played. */
	assert_int_equal(obs_stream_beep(fx->s, tok(2), 19, 100), -EINVAL);
	assert_int_equal(obs_stream_beep(fx->s, tok(2), 20001, 100), -EINVAL);
	assert_int_equal(obs_stream_beep(fx->s, tok(2), 440, 0), -EINVAL);
	assert_int_equal(obs_stream_beep(fx->s, tok(2), 440, 10001), -EINVAL);
	assert_int_equal(fx->n_done, 1);
	assert_int_equal(fx->sink.len, sizeof(want));
}

static void beep_at_stream_format(void **state)
{
	(void)state;
	fx->sink.instant = true;
	assert_int_equal(obs_stream_open(fx->s, tok(1), 8000, 2), 0);
	assert_int_equal(obs_stream_beep(fx->s, tok(2), 1000, 1), 0);
	assert_done(1, 2, 0);
	assert_int_equal(fx->sink.len, 8 * 4);
	/* Both channels of frame 0 high, of frame 4 low. */
	assert_int_equal(fx->sink.data[0] | fx->sink.data[1] << 8, 8000);
	assert_int_equal(fx->sink.data[2] | fx->sink.data[3] << 8, 8000);
	assert_int_equal(fx->sink.data[16] | fx->sink.data[17] << 8, 0xe0c0);
	assert_int_equal(fx->sink.data[18] | fx->sink.data[19] << 8, 0xe0c0);
	assert_string_equal(fx->sink.log, "start 8000/2;push 32;");
}

/* A long beep goes out under the same limit as writes, and blocks what
 * follows it. */
static void beep_is_paced(void **state)
{
	(void)state;
	fill_pattern();
	assert_int_equal(obs_stream_beep(fx->s, tok(1), 440, 1000), 0); /* 88200 bytes */
	assert_int_equal(fx->n_done, 0);
	assert_int_equal(fx->sink.queued, 17640);
	for (int i = 0; i < 100 && fx->n_done == 0; i++) {
		fake_sink_play(&fx->sink, 10000);
		obs_stream_pump(fx->s);
	}
	assert_done(0, 1, 0);
	assert_int_equal(fx->sink.len, 88200);
}

/* Another format waits until the device is idle, then restarts it. */
static void format_change_waits_for_idle(void **state)
{
	(void)state;
	assert_int_equal(obs_stream_beep(fx->s, tok(1), 440, 100), 0);
	assert_done(0, 1, 0); /* 8820 bytes: all taken */
	assert_int_equal(obs_stream_open(fx->s, tok(2), 8000, 1), 0);
	assert_int_equal(fx->n_done, 1);
	assert_int_equal(obs_stream_timeout_ms(fx->s), OBS_POLL_MAX_MS);
	fake_sink_play(&fx->sink, 8820 - 882);
	obs_stream_pump(fx->s);
	assert_int_equal(fx->n_done, 1);
	assert_int_equal(obs_stream_timeout_ms(fx->s), 10);
	fake_sink_play(&fx->sink, 882);
	obs_stream_pump(fx->s);
	assert_done(1, 2, 0);
	/* Beeps go out in chunks of 2048 frames. */
	assert_string_equal(fx->sink.log,
			    "start 44100/1;push 4096;push 4096;push 628;stop;start 8000/1;");
	/* The same format continues without a restart. */
	assert_int_equal(obs_stream_beep(fx->s, tok(3), 440, 10), 0);
	assert_done(2, 3, 0);
	assert_int_equal(fx->sink.fmt.rate, 8000);
}

static void device_errors(void **state)
{
	(void)state;
	fill_pattern();
	fx->sink.instant = true;
	fx->sink.start_err = -ENODEV;
	assert_int_equal(obs_stream_open(fx->s, tok(1), 8000, 1), 0);
	assert_done(0, 1, ENODEV);
	assert_int_equal(obs_stream_write(fx->s, tok(2), pattern, 2), 0);
	assert_done(1, 2, EBADF);
	assert_int_equal(obs_stream_beep(fx->s, tok(3), 440, 10), 0);
	assert_done(2, 3, ENODEV);

	fx->sink.start_err = 0;
	assert_int_equal(obs_stream_open(fx->s, tok(4), 8000, 1), 0);
	assert_done(3, 4, 0);
	fx->sink.push_err = -ENOSPC;
	assert_int_equal(obs_stream_write(fx->s, tok(5), pattern, 2), 0);
	assert_done(4, 5, ENOSPC);
	fx->sink.push_err = 0;
	fx->sink.flush_err = -EIO;
	assert_int_equal(obs_stream_drain(fx->s, tok(6)), 0);
	assert_done(5, 6, EIO);
}

static void drain_without_stream(void **state)
{
	(void)state;
	assert_int_equal(obs_stream_drain(fx->s, tok(1)), 0);
	assert_done(0, 1, 0);
	assert_string_equal(fx->sink.log, ""); /* no device was started for it */
	/* It waits for beeps. */
	assert_int_equal(obs_stream_beep(fx->s, tok(2), 440, 10), 0);
	assert_int_equal(obs_stream_drain(fx->s, tok(3)), 0);
	assert_int_equal(fx->n_done, 2);
	fake_sink_play(&fx->sink, 1u << 20);
	obs_stream_pump(fx->s);
	assert_done(2, 3, 0);
}

static void destroy_cancels(void **state)
{
	(void)state;
	fill_pattern();
	assert_int_equal(obs_stream_open(fx->s, tok(1), 8000, 1), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(2), pattern, 8000), 0);
	assert_int_equal(obs_stream_drain(fx->s, tok(3)), 0);
	/* A call queued by a cancelled call's completion is cancelled too. */
	fx->on_done_drain = 3;
	obs_stream_destroy(fx->s);
	fx->s = NULL;
	assert_int_equal(fx->n_done, 4);
	assert_done(1, 2, ECANCELED);
	assert_done(2, 3, ECANCELED);
	assert_done(3, 4, ECANCELED);
	assert_true(fx->sink.destroyed);
	obs_stream_destroy(NULL);
}

/* A completion that queues another call is served in order. */
static void complete_may_queue(void **state)
{
	(void)state;
	fill_pattern();
	fx->sink.instant = true;
	fx->on_done_drain = 2;
	assert_int_equal(obs_stream_open(fx->s, tok(1), 8000, 1), 0);
	assert_int_equal(obs_stream_write(fx->s, tok(2), pattern, 2), 0);
	assert_int_equal(fx->n_done, 3);
	assert_done(2, 3, 0);
}

static void create_refuses(void **state)
{
	struct obs_sink_ops ops = fake_sink_ops;
	struct obs_stream *s = NULL;

	(void)state;
	ops.push = NULL;
	assert_int_equal(obs_stream_create(&ops, &fx->sink, record, &s), -EINVAL);
	ops = fake_sink_ops;
	ops.size = 8;
	assert_int_equal(obs_stream_create(&ops, &fx->sink, record, &s), -EINVAL);
	assert_int_equal(obs_stream_create(&fake_sink_ops, &fx->sink, NULL, &s), -EINVAL);
	assert_null(s);
	assert_false(fx->sink.destroyed);
}

/* ---- the handlers, called as the SDK calls them ----------------------- */

static ob_handler_fn handler(uint32_t call)
{
	for (int i = 0; i < OBS_N_HANDLERS; i++)
		if (obs_handlers[i].call == call)
			return obs_handlers[i].fn;
	fail_msg("no handler for call %u", call);
	return NULL;
}

static void handlers(void **state)
{
	Ob__SoundOpen open = OB__SOUND_OPEN__INIT;
	Ob__SoundOpenResult open_r = OB__SOUND_OPEN_RESULT__INIT;
	Ob__SoundWrite write = OB__SOUND_WRITE__INIT;
	Ob__SoundWriteResult write_r = OB__SOUND_WRITE_RESULT__INIT;
	Ob__SoundBeep beep = OB__SOUND_BEEP__INIT;
	Ob__SoundBeepResult beep_r = OB__SOUND_BEEP_RESULT__INIT;
	Ob__SoundDrain drain = OB__SOUND_DRAIN__INIT;
	Ob__SoundDrainResult drain_r = OB__SOUND_DRAIN_RESULT__INIT;
	Ob__SoundClose close = OB__SOUND_CLOSE__INIT;
	Ob__SoundCloseResult close_r = OB__SOUND_CLOSE_RESULT__INIT;
	uint8_t frames[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	(void)state;
	fx->sink.instant = true;
	open.rate = 5;
	open.channels = 1;
	assert_int_equal(handler(OB__REQUEST__CALL_SOUND_OPEN)(fx->s, tok(1), &open.base,
							       &open_r.base), EINVAL);
	open.rate = 8000;
	assert_int_equal(handler(OB__REQUEST__CALL_SOUND_OPEN)(fx->s, tok(1), &open.base,
							       &open_r.base), OB_DEFER);
	assert_done(0, 1, 0);

	write.buf.data = frames;
	write.buf.len = sizeof(frames);
	write.len = 6; /* disagrees with the buffer */
	assert_int_equal(handler(OB__REQUEST__CALL_SOUND_WRITE)(fx->s, tok(2), &write.base,
								&write_r.base), EINVAL);
	write.len = sizeof(frames);
	assert_int_equal(handler(OB__REQUEST__CALL_SOUND_WRITE)(fx->s, tok(2), &write.base,
								&write_r.base), OB_DEFER);
	assert_done(1, 2, 0);
	assert_int_equal(write_r.ret, 8);
	assert_memory_equal(fx->sink.data, frames, sizeof(frames));

	beep.freq_hz = 5;
	beep.ms = 10;
	assert_int_equal(handler(OB__REQUEST__CALL_SOUND_BEEP)(fx->s, tok(3), &beep.base,
							       &beep_r.base), EINVAL);
	beep.freq_hz = 1000;
	assert_int_equal(handler(OB__REQUEST__CALL_SOUND_BEEP)(fx->s, tok(3), &beep.base,
							       &beep_r.base), OB_DEFER);
	assert_int_equal(handler(OB__REQUEST__CALL_SOUND_DRAIN)(fx->s, tok(4), &drain.base,
								&drain_r.base), OB_DEFER);
	assert_int_equal(handler(OB__REQUEST__CALL_SOUND_CLOSE)(fx->s, tok(5), &close.base,
								&close_r.base), OB_DEFER);
	assert_int_equal(handler(OB__REQUEST__CALL_SOUND_CLOSE)(fx->s, tok(6), &close.base,
								&close_r.base), OB_DEFER);
	assert_int_equal(fx->n_done, 6);
	assert_done(2, 3, 0);
	assert_done(3, 4, 0);
	assert_done(4, 5, 0);
	assert_done(5, 6, EBADF);
	assert_int_equal(fx->sink.len, 8 + 80 * 2);

	assert_int_equal(obs_plugin_timeout(fx->s), -1);
	obs_plugin_process(fx->s, NULL);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(happy_path),
		T(write_blocks_while_full),
		T(drain_waits_until_played),
		T(close_drains_first),
		T(state_errors),
		T(checks_follow_queue_order),
		T(beep_without_stream),
		T(beep_at_stream_format),
		T(beep_is_paced),
		T(format_change_waits_for_idle),
		T(device_errors),
		T(drain_without_stream),
		T(destroy_cancels),
		T(complete_may_queue),
		T(create_refuses),
		T(handlers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
