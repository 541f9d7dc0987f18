/* Unit tests of the SDL sink on SDL's dummy driver (real-time consumption
 * without a sound card): data queued drains by itself, a drain waits for
 * it, and a driver that does not exist fails creation with ENODEV. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "obs/stream.h"
#include "sdl_sink.h"

static int n_done, last_status;
static void record(void *token, int status)
{
	(void)token;
	last_status = status;
	n_done++;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Pump s until n_done reaches want, sleeping as its timeout says; at most
 * limit_ms. Returns the time it took. */
static int64_t pump_until(struct obs_stream *s, int want, int64_t limit_ms)
{
	int64_t t0 = now_ms();

	while (n_done < want && now_ms() - t0 < limit_ms) {
		int ms = obs_stream_timeout_ms(s);
		struct timespec ts = { .tv_sec = 0, .tv_nsec = (ms < 0 ? 10 : ms) * 1000000L };

		nanosleep(&ts, NULL);
		obs_stream_pump(s);
	}
	return now_ms() - t0;
}

static void missing_driver(void **state)
{
	struct obss_sink *sink = NULL;

	(void)state;
	assert_int_equal(setenv("SDL_AUDIODRIVER", "no-such-driver", 1), 0);
	assert_int_equal(obss_sink_create(&sink), -ENODEV);
	assert_null(sink);
}

static void dummy_plays_in_real_time(void **state)
{
	static int16_t silence[11025 * 2]; /* 11025 stereo frames: 500 ms at 22050 Hz */
	struct obss_sink *sink;
	struct obs_stream *s;
	int64_t took;

	(void)state;
	assert_int_equal(setenv("SDL_AUDIODRIVER", "dummy", 1), 0);
	assert_int_equal(obss_sink_create(&sink), 0);
	assert_int_equal(obs_stream_create(&obss_sink_ops, sink, record, &s), 0);
	n_done = 0;
	assert_int_equal(obs_stream_open(s, NULL, 22050, 2), 0);
	assert_int_equal(n_done, 1);
	assert_int_equal(last_status, 0);
	assert_true(obss_sink_buffer_frames(sink) > 0);
	/* More than the 200 ms the device takes: the write waits until the
	 * dummy device has played some. */
	assert_int_equal(obs_stream_write(s, NULL, silence, sizeof(silence)), 0);
	assert_int_equal(obs_stream_drain(s, NULL), 0);
	assert_true(n_done < 3);
	assert_true(obs_stream_timeout_ms(s) >= 0);
	took = pump_until(s, 3, 10000);
	assert_int_equal(n_done, 3);
	assert_int_equal(last_status, 0);
	/* A bounded-wait fact, not a speed: the drain did not answer before
	 * the device could have played the 500 ms (80% of it, for margin). */
	assert_true(took >= 400);
	assert_int_equal(obs_stream_close(s, NULL), 0);
	assert_int_equal(n_done, 4);
	obs_stream_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(missing_driver),
		cmocka_unit_test(dummy_plays_in_real_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
