/*
 * Every backend's rare paths under its real seccomp filter, through
 * --stdin-frames (test_backends_confined.c has the everyday ones): more
 * work than any queue holds (presents beyond the display's event queue,
 * posted beeps and blits by the hundred, pipelined fs writes), error
 * replies (bad handles, bad arguments, a full fs-mem, an --out that cannot
 * be made), the end of input with all of that still queued (shutdown under
 * backlog), and a restart (OUTBOARD_PLUGIN_RESTART, as the launcher sets
 * it: display-png numbers on, sound-wav appends). Each plugin must answer
 * every call and exit 0, confined, never die of SIGSYS.
 * test_backends_ipc.c does the same over ipc:// with nanomsg's threads.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend_session.h"
#include "outboard/errno.h"

#ifndef OB_BIN_DIR
#error "OB_BIN_DIR must name the directory of the plugin executables"
#endif

#define PRESENTS 200  /* far beyond the display's 16-event queue */
#define BLITS 300     /* 16 KiB each, posted, left queued at the end */
#define BEEPS 500     /* posted */
#define FS_WRITES 300 /* pipelined */

static void expect_status(const struct run *r, uint64_t id, int err)
{
	assert_int_equal(session_reply(r, id)->status, ob_errno_to_abi(err));
}

static off_t file_size(const char *dir, const char *name)
{
	char path[256];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* How many entries dir holds (besides . and ..). */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* ------------------------------------------------------------ display */

static uint32_t tile[64 * 64];

/* PRESENTS presents in one stream (the event queue overflows), two bad
 * blits answered with errors, then BLITS posted blits and no present: the
 * input ends with them queued. *first: the first present's id. */
static void display_flood(struct session *s, uint64_t *first, uint64_t *bad_format,
			  uint64_t *short_pixels)
{
	Ob__DisplayPresent pr = OB__DISPLAY_PRESENT__INIT;
	Ob__DisplayBlit b = OB__DISPLAY_BLIT__INIT;

	for (size_t i = 0; i < 64 * 64; i++)
		tile[i] = 0xff000000u | (uint32_t)i * 2654435761u;
	*first = s->next_id;
	for (int i = 0; i < PRESENTS; i++)
		session_call(s, OB__REQUEST__CALL_DISPLAY_PRESENT, &pr);
	b.w = b.h = 64;
	b.format = 7; /* no such format */
	b.stride = 64 * 4;
	b.pixels.data = (uint8_t *)tile;
	b.pixels.len = sizeof(tile);
	*bad_format = session_call(s, OB__REQUEST__CALL_DISPLAY_BLIT, &b);
	b.format = 1;
	b.pixels.len = sizeof(tile) / 2;
	*short_pixels = session_call(s, OB__REQUEST__CALL_DISPLAY_BLIT, &b);
	b.pixels.len = sizeof(tile);
	for (int i = 0; i < BLITS; i++) {
		b.x = (i * 7) % 300;
		b.y = (i * 13) % 200;
		session_post(s, OB__REQUEST__CALL_DISPLAY_BLIT, &b);
	}
}

static size_t vsyncs(const struct run *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_env; i++)
		if (r->env[i]->body_case == OB__ENVELOPE__BODY_EVENT &&
		    r->env[i]->event->event_case == OB__EVENT__EVENT_VSYNC)
			n++;
	return n;
}

static void check_display_flood(const struct run *r, uint64_t first, uint64_t frame0,
				uint64_t bad_format, uint64_t short_pixels)
{
	for (uint64_t i = 0; i < PRESENTS; i++)
		assert_int_equal(session_ok_reply(r, first + i)->display_present->ret, frame0 + i + 1);
	expect_status(r, bad_format, EINVAL);
	expect_status(r, short_pixels, EINVAL);
	/* The overflow happened, and was said (not for every drop). */
	if (!strstr(r->err, "event queue full; dropping the oldest"))
		fail_msg("the event queue never overflowed; stderr:\n%s", r->err);
	assert_true(vsyncs(r) > 0 && vsyncs(r) < PRESENTS);
}

static void display_rare(void **state, const char *name, const char *const *args,
			 const char *env, const char *mode)
{
	struct session *s = *state;
	uint64_t first, bad_format, short_pixels;
	struct run r;

	if (!session_binary(s, name))
		skip();
	frames_hello(&s->in, 1);
	display_flood(s, &first, &bad_format, &short_pixels);
	session_run_confined(s, args, env, mode, &r);
	check_display_flood(&r, first, 0, bad_format, short_pixels);
	run_free(&r);
}

static void test_display_null(void **state)
{
	const char *args[] = { "--stdin-frames", "--log-level", "debug", NULL };

	display_rare(state, "outboard-display-null", args, NULL, "allow-list");
}

static void test_display_sdl(void **state)
{
	const char *args[] = { "--stdin-frames", "--log-level", "debug", NULL };

	display_rare(state, "outboard-display-sdl", args, "SDL_VIDEODRIVER=dummy", "deny-list");
}

/* The flood writes a file a frame; a restart numbers on after the last
 * file and overwrites none. */
static void test_display_png(void **state)
{
	struct session *s = *state;
	char out[128];
	const char *args[] = { "--stdin-frames", "--log-level", "debug", "--out", out, NULL };
	uint64_t first, bad_format, short_pixels;
	char name[32];
	struct run r;

	if (!session_binary(s, "outboard-display-png"))
		skip();
	snprintf(out, sizeof(out), "%s/frames", s->dir); /* made by the first frame */
	frames_hello(&s->in, 1);
	display_flood(s, &first, &bad_format, &short_pixels);
	session_run_confined(s, args, NULL, "allow-list", &r);
	check_display_flood(&r, first, 0, bad_format, short_pixels);
	run_free(&r);
	snprintf(name, sizeof(name), "frames/frame-%05d.png", PRESENTS);
	assert_true(file_size(s->dir, name) > 0);

	session_next_run(s);
	display_flood(s, &first, &bad_format, &short_pixels);
	session_run_confined(s, args, "OUTBOARD_PLUGIN_RESTART=1", "allow-list", &r);
	/* The guest's frame numbers start again; the files go on. */
	check_display_flood(&r, first, 0, bad_format, short_pixels);
	assert_non_null(strstr(r.err, "a restart: frames go on after frame-00200.png"));
	run_free(&r);
	snprintf(name, sizeof(name), "frames/frame-%05d.png", 2 * PRESENTS);
	assert_true(file_size(s->dir, name) > 0);
	snprintf(name, sizeof(name), "frames/frame-%05d.png", 2 * PRESENTS + 1);
	assert_int_equal(file_size(s->dir, name), -1);
}

/* A frame that cannot be written (its name is taken by a directory):
 * the presents fail with EISDIR (the number is not used up, so the next
 * tries the same name) and the temporary files are removed, all under the
 * filter. */
static void test_display_png_write_error(void **state)
{
	struct session *s = *state;
	const char *args[] = { "--stdin-frames", "--log-level", "info", "--out", s->dir, NULL };
	Ob__DisplayPresent pr = OB__DISPLAY_PRESENT__INIT;
	char path[256];
	uint64_t p1, p2;
	struct run r;

	if (!session_binary(s, "outboard-display-png"))
		skip();
	snprintf(path, sizeof(path), "%s/frame-00001.png", s->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	session_write_file(path, "keep", "x"); /* not empty: rename cannot replace it */
	frames_hello(&s->in, 1);
	p1 = session_call(s, OB__REQUEST__CALL_DISPLAY_PRESENT, &pr);
	p2 = session_call(s, OB__REQUEST__CALL_DISPLAY_PRESENT, &pr);
	session_run_confined(s, args, NULL, "allow-list", &r);
	expect_status(&r, p1, EISDIR);
	expect_status(&r, p2, EISDIR);
	run_free(&r);
	assert_int_equal(entries(s->dir), 1);
	assert_int_equal(file_size(s->dir, "frame-00001.png/keep"), 1);
}

/* -------------------------------------------------------------- sound */

static uint8_t pcm[3200]; /* 0.1 s of 16 kHz mono S16LE */

/* Errors first (write before open, bad format, a second open with another
 * format, a half frame), then BEEPS posted beeps, then writes left queued
 * at the end of input, without a close. */
static void sound_flood(struct session *s, uint64_t ids[6], uint64_t *writes, size_t n_writes)
{
	Ob__SoundOpen op = OB__SOUND_OPEN__INIT;
	Ob__SoundWrite wr = OB__SOUND_WRITE__INIT;
	Ob__SoundBeep bp = OB__SOUND_BEEP__INIT;

	for (size_t i = 0; i < sizeof(pcm); i++)
		pcm[i] = (uint8_t)(i * 7);
	wr.buf.data = pcm;
	wr.buf.len = wr.len = sizeof(pcm);
	ids[0] = session_call(s, OB__REQUEST__CALL_SOUND_WRITE, &wr); /* EBADF: not open */
	op.rate = 16000;
	op.channels = 9;
	ids[1] = session_call(s, OB__REQUEST__CALL_SOUND_OPEN, &op); /* EINVAL */
	op.channels = 1;
	ids[2] = session_call(s, OB__REQUEST__CALL_SOUND_OPEN, &op);
	op.channels = 2;
	ids[3] = session_call(s, OB__REQUEST__CALL_SOUND_OPEN, &op); /* EBUSY */
	wr.buf.len = wr.len = 3;
	ids[4] = session_call(s, OB__REQUEST__CALL_SOUND_WRITE, &wr); /* EINVAL: half a frame */
	wr.buf.len = wr.len = sizeof(pcm);
	bp.freq_hz = 880;
	bp.ms = 20;
	for (int i = 0; i < BEEPS; i++)
		session_post(s, OB__REQUEST__CALL_SOUND_BEEP, &bp);
	bp.freq_hz = 0; /* out of range: logged, no reply to give */
	session_post(s, OB__REQUEST__CALL_SOUND_BEEP, &bp);
	ids[5] = s->next_id;
	for (size_t i = 0; i < n_writes; i++)
		writes[i] = session_call(s, OB__REQUEST__CALL_SOUND_WRITE, &wr);
}

/* The end of input leaves the writes queued: each is answered, done or
 * ECANCELED, and nothing else. */
static void check_sound_flood(const struct run *r, const uint64_t ids[6], const uint64_t *writes,
			      size_t n_writes)
{
	expect_status(r, ids[0], EBADF);
	expect_status(r, ids[1], EINVAL);
	session_ok_reply(r, ids[2]);
	expect_status(r, ids[3], EBUSY);
	expect_status(r, ids[4], EINVAL);
	for (size_t i = 0; i < n_writes; i++) {
		uint32_t st = session_reply(r, writes[i])->status;

		if (st != 0 && st != (uint32_t)ob_errno_to_abi(ECANCELED))
			fail_msg("write %zu: status %u", i, st);
	}
}

static void sound_rare(void **state, const char *name, const char *const *args,
		       const char *env, const char *mode)
{
	struct session *s = *state;
	uint64_t ids[6], writes[40];
	struct run r;

	if (!session_binary(s, name))
		skip();
	frames_hello(&s->in, 1);
	sound_flood(s, ids, writes, 40);
	session_run_confined(s, args, env, mode, &r);
	check_sound_flood(&r, ids, writes, 40);
	run_free(&r);
}

static void test_sound_null(void **state)
{
	const char *args[] = { "--stdin-frames", "--log-level", "info", NULL };

	sound_rare(state, "outboard-sound-null", args, NULL, "allow-list");
}

static void test_sound_sdl(void **state)
{
	const char *args[] = { "--stdin-frames", "--log-level", "info", NULL };

	sound_rare(state, "outboard-sound-sdl", args, "SDL_AUDIODRIVER=dummy", "deny-list");
}

/* sound-wav writes as fast as it is fed; a restart appends to the file,
 * whose header then covers both runs. */
static void test_sound_wav(void **state)
{
	struct session *s = *state;
	char out[128];
	const char *args[] = { "--stdin-frames", "--log-level", "info", "--out", out, NULL };
	uint64_t ids[6], writes[40];
	off_t first_size;
	struct run r;

	if (!session_binary(s, "outboard-sound-wav"))
		skip();
	snprintf(out, sizeof(out), "%s/wav/out.wav", s->dir); /* made with the file */
	frames_hello(&s->in, 1);
	sound_flood(s, ids, writes, 40);
	session_run_confined(s, args, NULL, "allow-list", &r);
	check_sound_flood(&r, ids, writes, 40);
	run_free(&r);
	first_size = file_size(s->dir, "wav/out.wav");
	assert_true(first_size >= 44 + 40 * (off_t)sizeof(pcm));

	session_next_run(s);
	sound_flood(s, ids, writes, 40);
	session_run_confined(s, args, "OUTBOARD_PLUGIN_RESTART=1", "allow-list", &r);
	check_sound_flood(&r, ids, writes, 40);
	assert_non_null(strstr(r.err, "a restart: appending to"));
	run_free(&r);
	assert_int_equal(file_size(s->dir, "wav/out.wav"), 2 * first_size - 44);
}

/* ----------------------------------------------------------------- fs */

/* Bad handles and arguments, then FS_WRITES pipelined 4 KiB writes, left
 * with the file open at the end of input. limited: fs-mem with
 * --max-bytes 256K, which fills up (ENOSPC). */
static void fs_rare(void **state, const char *name, const char *const *args, bool limited)
{
	static uint8_t block[4096];
	struct session *s = *state;
	Ob__FsOpen op = OB__FS_OPEN__INIT;
	Ob__FsRead rd = OB__FS_READ__INIT;
	Ob__FsClose cl = OB__FS_CLOSE__INIT;
	Ob__FsWrite wr = OB__FS_WRITE__INIT;
	Ob__FsStat st = OB__FS_STAT__INIT;
	uint64_t bad_read, bad_close, missing, too_long, created, first, stat_big;
	char long_name[600];
	size_t failed = 0;
	struct run r;

	if (!session_binary(s, name))
		skip();
	frames_hello(&s->in, 1);
	rd.fd = 77;
	rd.count = 16;
	bad_read = session_call(s, OB__REQUEST__CALL_FS_READ, &rd);
	cl.fd = 0;
	bad_close = session_call(s, OB__REQUEST__CALL_FS_CLOSE, &cl);
	op.path = session_wire("/no/such/file");
	missing = session_call(s, OB__REQUEST__CALL_FS_OPEN, &op);
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[0] = '/';
	long_name[sizeof(long_name) - 1] = '\0';
	st.path = long_name;
	too_long = session_call(s, OB__REQUEST__CALL_FS_STAT, &st);
	op.path = session_wire("/big");
	op.flags = OB__OPEN_FLAG__OPEN_CREAT | OB__OPEN_FLAG__OPEN_WRONLY;
	op.mode = 0644;
	created = session_call(s, OB__REQUEST__CALL_FS_OPEN, &op);
	memset(block, 'z', sizeof(block));
	wr.fd = 1;
	wr.buf.data = block;
	wr.buf.len = wr.count = sizeof(block);
	first = s->next_id;
	for (int i = 0; i < FS_WRITES; i++)
		session_call(s, OB__REQUEST__CALL_FS_WRITE, &wr);
	st.path = session_wire("/big");
	stat_big = session_call(s, OB__REQUEST__CALL_FS_STAT, &st);
	session_run_confined(s, args, NULL, "allow-list", &r);

	expect_status(&r, bad_read, EBADF);
	expect_status(&r, bad_close, EBADF);
	expect_status(&r, missing, ENOENT);
	expect_status(&r, too_long, ENAMETOOLONG);
	assert_int_equal(session_ok_reply(&r, created)->fs_open->ret, 1);
	for (int i = 0; i < FS_WRITES; i++) {
		const Ob__Reply *rep = session_reply(&r, first + (uint64_t)i);

		if (rep->status == (uint32_t)ob_errno_to_abi(ENOSPC) && limited)
			failed++;
		else if (rep->status)
			fail_msg("write %d: status %u", i, rep->status);
	}
	/* fs-mem's --max-bytes 256K takes 64 of the 300 blocks. */
	assert_int_equal(failed, limited ? FS_WRITES - 64 : 0);
	assert_int_equal(session_ok_reply(&r, stat_big)->fs_stat->st->size,
			 (limited ? 64 : FS_WRITES) * (int64_t)sizeof(block));
	run_free(&r);
}

static void test_fs_hostdir(void **state)
{
	struct session *s = *state;
	const char *args[] = { "--stdin-frames", "--log-level", "info", "--root", s->dir, NULL };

	fs_rare(state, "outboard-fs-hostdir", args, false);
	assert_int_equal(file_size(s->dir, "big"), FS_WRITES * 4096);
}

static void test_fs_mem(void **state)
{
	const char *args[] = { "--stdin-frames", "--log-level", "info", "--max-bytes", "262144",
			       NULL };

	fs_rare(state, "outboard-fs-mem", args, true);
}

/* -------------------------------------------------------------- input */

/* A script of 2000 keys at once: far more events than the host has given
 * credit for; a second configure; a call of another domain (ENOSYS). */
static void test_input_script(void **state)
{
	struct session *s = *state;
	char script[128];
	const char *args[] = { "--stdin-frames", "--log-level", "info", "--script", script, NULL };
	Ob__InputConfigure ic = OB__INPUT_CONFIGURE__INIT;
	Ob__DisplayPresent pr = OB__DISPLAY_PRESENT__INIT;
	uint64_t again, foreign;
	size_t keys = 0;
	struct run r;
	FILE *f;

	if (!session_binary(s, "outboard-input-script"))
		skip();
	snprintf(script, sizeof(script), "%s/keys.txt", s->dir);
	f = fopen(script, "w");
	assert_non_null(f);
	for (int i = 0; i < 1000; i++)
		fprintf(f, "+0ms key down A\n+0ms key up A\n");
	fclose(f);
	frames_hello(&s->in, 1);
	ic.flags = 1;
	session_post(s, OB__REQUEST__CALL_INPUT_CONFIGURE, &ic);
	again = session_call(s, OB__REQUEST__CALL_INPUT_CONFIGURE, &ic);
	foreign = session_call(s, OB__REQUEST__CALL_DISPLAY_PRESENT, &pr);
	session_run_confined(s, args, NULL, "allow-list", &r);
	session_ok_reply(&r, again);
	assert_int_not_equal(session_reply(&r, foreign)->status, 0);
	for (size_t i = 0; i < r.n_env; i++)
		if (r.env[i]->body_case == OB__ENVELOPE__BODY_EVENT &&
		    r.env[i]->event->event_case == OB__EVENT__EVENT_INPUT)
			keys++;
	assert_true(keys > 0);
	run_free(&r);
}

static void test_input_null(void **state)
{
	struct session *s = *state;
	const char *args[] = { "--stdin-frames", "--log-level", "info", NULL };
	Ob__InputConfigure ic = OB__INPUT_CONFIGURE__INIT;
	Ob__SoundOpen op = OB__SOUND_OPEN__INIT;
	uint64_t first, foreign;
	struct run r;

	if (!session_binary(s, "outboard-input-null"))
		skip();
	frames_hello(&s->in, 1);
	ic.flags = 1;
	first = s->next_id;
	for (int i = 0; i < 500; i++)
		session_call(s, OB__REQUEST__CALL_INPUT_CONFIGURE, &ic);
	foreign = session_call(s, OB__REQUEST__CALL_SOUND_OPEN, &op);
	session_run_confined(s, args, NULL, "allow-list", &r);
	for (uint64_t i = 0; i < 500; i++)
		session_ok_reply(&r, first + i);
	assert_int_not_equal(session_reply(&r, foreign)->status, 0);
	run_free(&r);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, session_setup, session_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_display_null),
		T(test_display_png),
		T(test_display_png_write_error),
		T(test_display_sdl),
		T(test_sound_null),
		T(test_sound_wav),
		T(test_sound_sdl),
		T(test_fs_hostdir),
		T(test_fs_mem),
		T(test_input_script),
		T(test_input_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
