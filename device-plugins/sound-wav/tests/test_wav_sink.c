/* Unit tests of the WAV sink: files read back with libsndfile, header
 * counts after drain, file rotation on a format change, the path checks,
 * and realtime pacing on a fake clock. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sndfile.h>

#include "obs/stream.h"
#include "obs/tone.h"
#include "wav_sink.h"

static char dir[] = "/tmp/ob-wav-test.XXXXXX";
static char path[256];

static int64_t fake_now;
static int64_t fake_clock(void)
{
	return fake_now;
}

static int last_status, n_done;
static void record(void *token, int status)
{
	(void)token;
	last_status = status;
	n_done++;
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/ob-wav-test.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sound.wav", dir);
	n_done = 0;
	last_status = -1;
	fake_now = 1000000000;
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static struct obs_stream *stream_for(bool realtime)
{
	const struct obsw_options o = { .path = path, .realtime = realtime, .now_ns = fake_clock };
	struct obsw_sink *w;
	struct obs_stream *s;

	assert_int_equal(obsw_sink_create(&o, &w), 0);
	assert_int_equal(obs_stream_create(&obsw_sink_ops, w, record, &s), 0);
	return s;
}

/* Read a whole WAV back: its info and up to max frames of samples. */
static sf_count_t read_back(const char *name, SF_INFO *info, short *buf, sf_count_t max)
{
	SNDFILE *sf;
	sf_count_t n;

	memset(info, 0, sizeof(*info));
	sf = sf_open(name, SFM_READ, info);
	if (!sf)
		fail_msg("%s: %s", name, sf_strerror(NULL));
	assert_int_equal(info->format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	n = buf ? sf_readf_short(sf, buf, max) : 0;
	sf_close(sf);
	return n;
}

static short pattern[4000];

static void fill_pattern(void)
{
	for (int i = 0; i < 4000; i++)
		pattern[i] = (short)(i * 37 - 30000);
}

static void segment_names(void **state)
{
	static const struct {
		const char *path;
		unsigned n;
		const char *want;
	} cases[] = {
		{ "sound.wav", 1, "sound.wav" },
		{ "sound.wav", 2, "sound-2.wav" },
		{ "/a/b.c/sound.wav", 12, "/a/b.c/sound-12.wav" },
		{ "dir.d/sound", 2, "dir.d/sound-2" },
		{ ".wav", 2, ".wav-2" },
		{ "a/.hidden", 3, "a/.hidden-3" },
		{ "x.tar.gz", 2, "x.tar-2.gz" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = obsw_segment_path(cases[i].path, cases[i].n);

		assert_non_null(got);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

static void bad_paths(void **state)
{
	struct obsw_options o = { 0 };
	struct obsw_sink *w = NULL;
	char p[300];

	(void)state;
	assert_int_equal(obsw_sink_create(&o, &w), -EINVAL);
	o.path = "";
	assert_int_equal(obsw_sink_create(&o, &w), -EINVAL);
	/* A missing directory is made with the file, not before. */
	snprintf(p, sizeof(p), "%s/no/such/dir.wav", dir);
	o.path = p;
	assert_int_equal(obsw_sink_create(&o, &w), 0);
	obsw_sink_ops.destroy(w);
	w = NULL;
	snprintf(p, sizeof(p), "%s/no", dir);
	assert_int_equal(access(p, F_OK), -1);
	o.path = dir;
	assert_int_equal(obsw_sink_create(&o, &w), -EISDIR);
	assert_null(w);
}

/* The file appears only when sound does, and the probe leaves none. */
static void created_lazily(void **state)
{
	struct obs_stream *s = stream_for(false);
	struct stat st;

	(void)state;
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(obs_stream_open(s, NULL, 8000, 1), 0);
	assert_int_equal(last_status, 0);
	assert_int_equal(stat(path, &st), 0);
	obs_stream_destroy(s);
}

static void write_read_back(void **state)
{
	struct obs_stream *s = stream_for(false);
	static short got[8000];
	SF_INFO info;

	(void)state;
	fill_pattern();
	assert_int_equal(obs_stream_open(s, NULL, 8000, 2), 0);
	assert_int_equal(obs_stream_write(s, NULL, pattern, sizeof(pattern)), 0);
	assert_int_equal(last_status, 0);
	assert_int_equal(obs_stream_drain(s, NULL), 0);
	assert_int_equal(n_done, 3);
	/* After the drain the header counts every frame, file still open. */
	assert_int_equal(read_back(path, &info, got, 8000), 2000);
	assert_int_equal(info.samplerate, 8000);
	assert_int_equal(info.channels, 2);
	assert_int_equal(info.frames, 2000);
	assert_memory_equal(got, pattern, sizeof(pattern));

	/* Close, then open again at the same format: the same file goes on. */
	assert_int_equal(obs_stream_close(s, NULL), 0);
	assert_int_equal(obs_stream_open(s, NULL, 8000, 2), 0);
	assert_int_equal(obs_stream_write(s, NULL, pattern, 400), 0);
	assert_int_equal(obs_stream_close(s, NULL), 0);
	assert_int_equal(last_status, 0);
	assert_int_equal(read_back(path, &info, got, 8000), 2100);
	assert_memory_equal(got + 4000, pattern, 400);
	obs_stream_destroy(s);
	assert_int_equal(read_back(path, &info, NULL, 0), 0);
	assert_int_equal(info.frames, 2100);
}

/* A restart after a crash: the predecessor's file, with frames its header
 * does not count yet (and half a frame), goes on; nothing is lost. */
static void a_restart_appends(void **state)
{
	static short got[8000];
	struct obs_stream *s = stream_for(false);
	struct obsw_sink *w;
	SF_INFO info;
	FILE *f;

	(void)state;
	fill_pattern();
	assert_int_equal(obs_stream_open(s, NULL, 8000, 2), 0);
	assert_int_equal(obs_stream_write(s, NULL, pattern, 2000), 0); /* 500 frames */
	obs_stream_destroy(s);
	/* The crash: 300 frames and 2 bytes more after the last header update. */
	f = fopen(path, "ab");
	assert_non_null(f);
	assert_int_equal(fwrite(pattern + 1000, 1, 1202, f), 1202);
	fclose(f);

	const struct obsw_options o = { .path = path, .now_ns = fake_clock, .resume = true };
	assert_int_equal(obsw_sink_create(&o, &w), 0);
	assert_int_equal(obs_stream_create(&obsw_sink_ops, w, record, &s), 0);
	assert_int_equal(obs_stream_open(s, NULL, 8000, 2), 0);
	assert_int_equal(obs_stream_write(s, NULL, pattern + 2000, 400), 0); /* 100 frames */
	obs_stream_destroy(s);
	assert_int_equal(read_back(path, &info, got, 8000), 900);
	assert_memory_equal(got, pattern, 2000);
	assert_memory_equal(got + 1000, pattern + 1000, 1200);
	assert_memory_equal(got + 1600, pattern + 2000, 400);

	/* Another format after a restart: a new file, the old one kept. */
	assert_int_equal(obsw_sink_create(&o, &w), 0);
	assert_int_equal(obs_stream_create(&obsw_sink_ops, w, record, &s), 0);
	assert_int_equal(obs_stream_open(s, NULL, 11025, 1), 0);
	assert_int_equal(obs_stream_write(s, NULL, pattern, 200), 0);
	obs_stream_destroy(s);
	assert_int_equal(read_back(path, &info, NULL, 0), 0);
	assert_int_equal(info.frames, 900);
	char second[300];
	snprintf(second, sizeof(second), "%s/sound-2.wav", dir);
	assert_int_equal(read_back(second, &info, NULL, 0), 0);
	assert_int_equal(info.samplerate, 11025);
	assert_int_equal(info.frames, 100);
}

/* A beep with no stream open is 44100 Hz mono: a new file after a stream
 * of another format. The header is right after destroy alone. */
static void beep_rotates(void **state)
{
	struct obs_stream *s = stream_for(false);
	static short got[22050];
	char *second = obsw_segment_path(path, 2);
	const struct obs_format f = obs_beep_format();
	struct obs_tone t;
	SF_INFO info;

	(void)state;
	fill_pattern();
	assert_int_equal(obs_stream_open(s, NULL, 16000, 1), 0);
	assert_int_equal(obs_stream_write(s, NULL, pattern, 320), 0);
	assert_int_equal(obs_stream_close(s, NULL), 0);
	assert_int_equal(obs_stream_beep(s, NULL, 440, 500), 0);
	assert_int_equal(last_status, 0);
	assert_int_equal(n_done, 4);
	obs_stream_destroy(s);

	assert_int_equal(read_back(path, &info, got, 22050), 160);
	assert_int_equal(info.samplerate, 16000);
	assert_int_equal(read_back(second, &info, got, 22050), 22050);
	assert_int_equal(info.samplerate, 44100);
	assert_int_equal(info.channels, 1);
	assert_int_equal(obs_tone_init(&t, 440, 500, OBS_BEEP_AMPLITUDE, &f), 0);
	for (int n = 0; n < 22050; n++)
		if (got[n] != obs_tone_sample(&t, (uint64_t)n))
			fail_msg("frame %d is %d", n, got[n]);
	free(second);
}

/* --realtime: the simulated device plays 8000 frames a second. */
static void realtime_pacing(void **state)
{
	struct obs_stream *s = stream_for(true);
	SF_INFO info;

	(void)state;
	fill_pattern();
	assert_int_equal(obs_stream_open(s, NULL, 8000, 1), 0);
	/* 4000 frames = 500 ms: 200 ms go out, the write waits. */
	assert_int_equal(obs_stream_write(s, NULL, pattern, 8000), 0);
	assert_int_equal(n_done, 1);
	/* The file already has what the device took. */
	assert_int_equal(read_back(path, &info, NULL, 0), 0);
	assert_int_equal(obs_stream_timeout_ms(s), OBS_POLL_MIN_MS);

	fake_now += 100000000; /* 100 ms: 800 frames played, 800 more fit */
	obs_stream_pump(s);
	assert_int_equal(n_done, 1);
	fake_now += 200000000;
	obs_stream_pump(s);
	assert_int_equal(n_done, 2); /* all 4000 frames taken */
	assert_int_equal(last_status, 0);

	/* The drain waits for the last 200 ms to play. */
	assert_int_equal(obs_stream_drain(s, NULL), 0);
	assert_int_equal(n_done, 2);
	assert_int_equal(obs_stream_timeout_ms(s), OBS_POLL_MAX_MS);
	fake_now += 150000000;
	obs_stream_pump(s);
	assert_int_equal(n_done, 2);
	assert_int_equal(obs_stream_timeout_ms(s), 50);
	fake_now += 50000000;
	obs_stream_pump(s);
	assert_int_equal(n_done, 3);
	assert_int_equal(read_back(path, &info, NULL, 0), 0);
	assert_int_equal(info.frames, 4000);

	/* Idle for a long time, then a short write: it is queued from now,
	 * not counted as long played. */
	fake_now += 3600LL * 1000000000LL;
	assert_int_equal(obs_stream_write(s, NULL, pattern, 3200), 0);
	assert_int_equal(n_done, 4);
	assert_int_equal(obs_stream_write(s, NULL, pattern, 2), 0);
	assert_int_equal(n_done, 4); /* 1600 frames ahead: full */
	fake_now += 1000000;
	obs_stream_pump(s);
	assert_int_equal(n_done, 5);
	obs_stream_destroy(s);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(segment_names),
		T(bad_paths),
		T(created_lazily),
		T(write_read_back),
		T(a_restart_appends),
		T(beep_rotates),
		T(realtime_pacing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
