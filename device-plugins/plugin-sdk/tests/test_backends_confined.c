/*
 * Every backend works under its seccomp filter: each real executable is
 * driven through --stdin-frames (so no host is needed) with a session that
 * reaches every kind of system call its handlers make, confined as it
 * always is; it must answer everything and exit 0, never die of SIGSYS.
 * fs-hostdir gets every fs call; display-png and sound-wav write their
 * files; the SDL backends run on SDL's dummy drivers under their deny-list.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend_session.h"
#include "outboard/errno.h"

#ifndef OB_BIN_DIR
#error "OB_BIN_DIR must name the directory of the plugin executables"
#endif

/* ----------------------------------------------------------------- fs */

static uint64_t fs_open(struct session *s, const char *path, uint32_t flags)
{
	Ob__FsOpen m;

	ob__fs_open__init(&m);
	m.path = session_wire(path);
	m.flags = flags;
	m.mode = 0644;
	return session_call(s, OB__REQUEST__CALL_FS_OPEN, &m);
}

static uint64_t fs_path(struct session *s, int call_case, const char *path)
{
	/* FsStat, FsUnlink, FsMkdir, FsRmdir, FsOpendir, FsStatvfs: path = 1. */
	Ob__FsStat m;

	ob__fs_stat__init(&m);
	m.path = session_wire(path);
	return session_call(s, call_case, &m);
}

static uint64_t fs_fd(struct session *s, int call_case, uint32_t fd)
{
	/* FsClose, FsFstat, FsFsync: fd = 1. */
	Ob__FsClose m;

	ob__fs_close__init(&m);
	m.fd = fd;
	return session_call(s, call_case, &m);
}

static void test_fs_hostdir(void **state)
{
	struct session *s = *state;
	const char *args[] = { "--stdin-frames", "--log-level", "info", "--root", s->dir, NULL };
	uint64_t open_new, wr, pwr, seek, rd, fst, trunc, sync, cls, st, ren, mk, rm, od, rdd, cd,
		svfs, ul, escape, seed, seed_rd;
	Ob__FsWrite w;
	Ob__FsPwrite pw;
	Ob__FsLseek ls;
	Ob__FsRead r1, r2;
	Ob__FsFtruncate ft;
	Ob__FsRename rn;
	Ob__FsReaddir rdir;
	Ob__FsClosedir cdir;
	const Ob__Reply *rep;
	struct stat sb;
	char path[256];
	struct run r;

	if (!session_binary(s, "outboard-fs-hostdir"))
		skip();
	session_write_file(s->dir, "seed.txt", "seed");
	snprintf(path, sizeof(path), "%s/sub", s->dir);
	assert_int_equal(mkdir(path, 0755), 0);

	frames_hello(&s->in, 1);
	open_new = fs_open(s, "/new.txt", OB__OPEN_FLAG__OPEN_CREAT | OB__OPEN_FLAG__OPEN_RDWR);
	ob__fs_write__init(&w);
	w.fd = 1;
	w.buf.data = (uint8_t *)session_wire("abcdef");
	w.buf.len = w.count = 6;
	wr = session_call(s, OB__REQUEST__CALL_FS_WRITE, &w);
	ob__fs_pwrite__init(&pw);
	pw.fd = 1;
	pw.buf.data = (uint8_t *)session_wire("XY");
	pw.buf.len = pw.count = 2;
	pw.offset = 1;
	pwr = session_call(s, OB__REQUEST__CALL_FS_PWRITE, &pw);
	ob__fs_lseek__init(&ls);
	ls.fd = 1;
	seek = session_call(s, OB__REQUEST__CALL_FS_LSEEK, &ls);
	ob__fs_read__init(&r1);
	r1.fd = 1;
	r1.count = 16;
	rd = session_call(s, OB__REQUEST__CALL_FS_READ, &r1);
	fst = fs_fd(s, OB__REQUEST__CALL_FS_FSTAT, 1);
	ob__fs_ftruncate__init(&ft);
	ft.fd = 1;
	ft.length = 3;
	trunc = session_call(s, OB__REQUEST__CALL_FS_FTRUNCATE, &ft);
	sync = fs_fd(s, OB__REQUEST__CALL_FS_FSYNC, 1);
	cls = fs_fd(s, OB__REQUEST__CALL_FS_CLOSE, 1);
	st = fs_path(s, OB__REQUEST__CALL_FS_STAT, "/new.txt");
	ob__fs_rename__init(&rn);
	rn.old_path = session_wire("/new.txt");
	rn.new_path = session_wire("/sub/moved.txt");
	ren = session_call(s, OB__REQUEST__CALL_FS_RENAME, &rn);
	mk = fs_path(s, OB__REQUEST__CALL_FS_MKDIR, "/d2");
	rm = fs_path(s, OB__REQUEST__CALL_FS_RMDIR, "/d2");
	od = fs_path(s, OB__REQUEST__CALL_FS_OPENDIR, "/");
	ob__fs_readdir__init(&rdir);
	rdir.dir = 1;
	rdir.name_len = 255;
	rdd = session_call(s, OB__REQUEST__CALL_FS_READDIR, &rdir);
	session_call(s, OB__REQUEST__CALL_FS_READDIR, &rdir);
	ob__fs_closedir__init(&cdir);
	cdir.dir = 1;
	cd = session_call(s, OB__REQUEST__CALL_FS_CLOSEDIR, &cdir);
	svfs = fs_path(s, OB__REQUEST__CALL_FS_STATVFS, "/");
	ul = fs_path(s, OB__REQUEST__CALL_FS_UNLINK, "/sub/moved.txt");
	escape = fs_open(s, "/../../../etc/passwd", 0);
	seed = fs_open(s, "/seed.txt", 0);
	ob__fs_read__init(&r2);
	r2.fd = 1;
	r2.count = 16;
	seed_rd = session_call(s, OB__REQUEST__CALL_FS_READ, &r2);
	session_run_confined(s, args, NULL, "allow-list", &r);

	assert_int_equal(session_ok_reply(&r, open_new)->fs_open->ret, 1);
	assert_int_equal(session_ok_reply(&r, wr)->fs_write->ret, 6);
	assert_int_equal(session_ok_reply(&r, pwr)->fs_pwrite->ret, 2);
	assert_int_equal(session_ok_reply(&r, seek)->fs_lseek->ret, 0);
	rep = session_ok_reply(&r, rd);
	assert_int_equal(rep->fs_read->buf.len, 6);
	assert_memory_equal(rep->fs_read->buf.data, "aXYdef", 6);
	assert_int_equal(session_ok_reply(&r, fst)->fs_fstat->st->size, 6);
	session_ok_reply(&r, trunc);
	session_ok_reply(&r, sync);
	session_ok_reply(&r, cls);
	assert_int_equal(session_ok_reply(&r, st)->fs_stat->st->size, 3);
	session_ok_reply(&r, ren);
	session_ok_reply(&r, mk);
	session_ok_reply(&r, rm);
	assert_int_equal(session_ok_reply(&r, od)->fs_opendir->ret, 1);
	assert_int_equal(session_ok_reply(&r, rdd)->fs_readdir->ret, 1);
	session_ok_reply(&r, cd);
	assert_true(session_ok_reply(&r, svfs)->fs_statvfs->st->block_size > 0);
	session_ok_reply(&r, ul);
	/* The root is "/" for the guest: this is <root>/etc/passwd. */
	assert_int_equal(run_reply(&r, escape)->status, ob_errno_to_abi(ENOENT));
	session_ok_reply(&r, seed);
	rep = session_ok_reply(&r, seed_rd);
	assert_int_equal(rep->fs_read->buf.len, 4);
	assert_memory_equal(rep->fs_read->buf.data, "seed", 4);
	snprintf(path, sizeof(path), "%s/sub/moved.txt", s->dir);
	assert_int_equal(stat(path, &sb), -1);
	run_free(&r);
}

/* ------------------------------------------------------------ display */

/* display_info, a rectangle and text (posted), two presents. */
static void display_session(struct session *s, uint64_t *info, uint64_t *p1, uint64_t *p2)
{
	Ob__DisplayInfo di = OB__DISPLAY_INFO__INIT;
	Ob__DisplayFillRect fr = OB__DISPLAY_FILL_RECT__INIT;
	Ob__DisplayDrawText dt;
	Ob__DisplayPresent pr = OB__DISPLAY_PRESENT__INIT;

	frames_hello(&s->in, 1);
	*info = session_call(s, OB__REQUEST__CALL_DISPLAY_INFO, &di);
	fr.w = fr.h = 10;
	fr.color = 0xff0000;
	session_post(s, OB__REQUEST__CALL_DISPLAY_FILL_RECT, &fr);
	ob__display_draw_text__init(&dt);
	dt.x = dt.y = 20;
	dt.text = session_wire("hi");
	dt.color = 0xffffff;
	session_post(s, OB__REQUEST__CALL_DISPLAY_DRAW_TEXT, &dt);
	*p1 = session_call(s, OB__REQUEST__CALL_DISPLAY_PRESENT, &pr);
	*p2 = session_call(s, OB__REQUEST__CALL_DISPLAY_PRESENT, &pr);
}

static void check_display(const struct run *r, uint64_t info, uint64_t p1, uint64_t p2)
{
	assert_true(session_ok_reply(r, info)->display_info->info->width > 0);
	assert_int_equal(session_ok_reply(r, p1)->display_present->ret, 1);
	assert_int_equal(session_ok_reply(r, p2)->display_present->ret, 2);
}

static void test_display_png(void **state)
{
	struct session *s = *state;
	const char *args[] = { "--stdin-frames", "--log-level", "info", "--out", s->dir, NULL };
	uint64_t info, p1, p2;
	struct stat sb;
	char path[256];
	struct run r;

	if (!session_binary(s, "outboard-display-png"))
		skip();
	display_session(s, &info, &p1, &p2);
	session_run_confined(s, args, NULL, "allow-list", &r);
	check_display(&r, info, p1, p2);
	snprintf(path, sizeof(path), "%s/frame-00002.png", s->dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
	run_free(&r);
}

static void test_display_null(void **state)
{
	struct session *s = *state;
	const char *args[] = { "--stdin-frames", "--log-level", "info", NULL };
	uint64_t info, p1, p2;
	struct run r;

	if (!session_binary(s, "outboard-display-null"))
		skip();
	display_session(s, &info, &p1, &p2);
	session_run_confined(s, args, NULL, "allow-list", &r);
	check_display(&r, info, p1, p2);
	run_free(&r);
}

static void test_display_sdl(void **state)
{
	struct session *s = *state;
	const char *args[] = { "--stdin-frames", "--log-level", "info", NULL };
	Ob__InputConfigure ic = OB__INPUT_CONFIGURE__INIT;
	uint64_t info, p1, p2, conf;
	struct run r;

	if (!session_binary(s, "outboard-display-sdl"))
		skip();
	display_session(s, &info, &p1, &p2);
	conf = session_call(s, OB__REQUEST__CALL_INPUT_CONFIGURE, &ic);
	session_run_confined(s, args, "SDL_VIDEODRIVER=dummy", "deny-list", &r);
	check_display(&r, info, p1, p2);
	session_ok_reply(&r, conf);
	run_free(&r);
}

/* -------------------------------------------------------------- sound */

/* open, 0.1 s of audio, drain, close; then (new_format) a stereo stream. */
static void sound_session(struct session *s, bool new_format, uint64_t ids[8], size_t *n)
{
	static uint8_t pcm[3200];
	Ob__SoundOpen op = OB__SOUND_OPEN__INIT;
	Ob__SoundWrite wr = OB__SOUND_WRITE__INIT;
	Ob__SoundDrain dr = OB__SOUND_DRAIN__INIT;
	Ob__SoundClose cl = OB__SOUND_CLOSE__INIT;

	for (size_t i = 0; i < sizeof(pcm); i++)
		pcm[i] = (uint8_t)(i * 7);
	frames_hello(&s->in, 1);
	*n = 0;
	op.rate = 16000;
	op.channels = 1;
	ids[(*n)++] = session_call(s, OB__REQUEST__CALL_SOUND_OPEN, &op);
	wr.buf.data = pcm;
	wr.buf.len = wr.len = sizeof(pcm);
	ids[(*n)++] = session_call(s, OB__REQUEST__CALL_SOUND_WRITE, &wr);
	ids[(*n)++] = session_call(s, OB__REQUEST__CALL_SOUND_DRAIN, &dr);
	ids[(*n)++] = session_call(s, OB__REQUEST__CALL_SOUND_CLOSE, &cl);
	if (!new_format)
		return;
	op.channels = 2;
	ids[(*n)++] = session_call(s, OB__REQUEST__CALL_SOUND_OPEN, &op);
	ids[(*n)++] = session_call(s, OB__REQUEST__CALL_SOUND_WRITE, &wr);
	ids[(*n)++] = session_call(s, OB__REQUEST__CALL_SOUND_CLOSE, &cl);
}

static void check_sound(const struct run *r, const uint64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		session_ok_reply(r, ids[i]);
}

static void test_sound_wav(void **state)
{
	struct session *s = *state;
	char out[128], second[128];
	const char *args[] = { "--stdin-frames", "--log-level", "info", "--out", out, NULL };
	uint64_t ids[8];
	size_t n;
	struct stat sb;
	struct run r;

	if (!session_binary(s, "outboard-sound-wav"))
		skip();
	snprintf(out, sizeof(out), "%s/out.wav", s->dir);
	snprintf(second, sizeof(second), "%s/out-2.wav", s->dir);
	sound_session(s, true, ids, &n);
	session_run_confined(s, args, NULL, "allow-list", &r);
	check_sound(&r, ids, n);
	assert_int_equal(stat(out, &sb), 0);
	assert_int_equal(sb.st_size, 44 + 3200);
	assert_int_equal(stat(second, &sb), 0);
	assert_int_equal(sb.st_size, 44 + 3200);
	run_free(&r);
}

static void test_sound_null(void **state)
{
	struct session *s = *state;
	const char *args[] = { "--stdin-frames", "--log-level", "info", NULL };
	uint64_t ids[8];
	size_t n;
	struct run r;

	if (!session_binary(s, "outboard-sound-null"))
		skip();
	sound_session(s, true, ids, &n);
	session_run_confined(s, args, NULL, "allow-list", &r);
	check_sound(&r, ids, n);
	run_free(&r);
}

static void test_sound_sdl(void **state)
{
	struct session *s = *state;
	const char *args[] = { "--stdin-frames", "--log-level", "info", NULL };
	uint64_t ids[8];
	size_t n;
	struct run r;

	if (!session_binary(s, "outboard-sound-sdl"))
		skip();
	sound_session(s, false, ids, &n);
	session_run_confined(s, args, "SDL_AUDIODRIVER=dummy", "deny-list", &r);
	check_sound(&r, ids, n);
	run_free(&r);
}

/* -------------------------------------------------------------- input */

static void test_input_script(void **state)
{
	struct session *s = *state;
	char script[128];
	const char *args[] = { "--stdin-frames", "--log-level", "info", "--script", script, NULL };
	Ob__InputConfigure ic = OB__INPUT_CONFIGURE__INIT;
	const Ob__InputEvent *key = NULL;
	uint64_t credit = 0;
	struct run r;

	if (!session_binary(s, "outboard-input-script"))
		skip();
	session_write_file(s->dir, "keys.txt", "+0ms key down A\n");
	snprintf(script, sizeof(script), "%s/keys.txt", s->dir);
	frames_hello(&s->in, 1);
	ic.flags = 1; /* start now; posted, as the host sends it */
	session_post(s, OB__REQUEST__CALL_INPUT_CONFIGURE, &ic);
	session_run_confined(s, args, NULL, "allow-list", &r);
	for (size_t i = 0; i < r.n_env; i++) {
		const Ob__Envelope *e = r.env[i];

		if (e->body_case != OB__ENVELOPE__BODY_EVENT)
			continue;
		if (e->event->event_case == OB__EVENT__EVENT_CREDIT)
			credit = e->event->credit->done_id;
		else if (e->event->event_case == OB__EVENT__EVENT_INPUT)
			key = e->event->input;
	}
	assert_int_equal(credit, 1);
	if (!key)
		fail_msg("no input event");
	assert_int_equal(key->kind, OB__INPUT_EVENT__KIND__KIND_KEY_DOWN);
	assert_int_equal(key->key, 'A');
	run_free(&r);
}

static void test_input_null(void **state)
{
	struct session *s = *state;
	const char *args[] = { "--stdin-frames", "--log-level", "info", NULL };
	Ob__InputConfigure ic = OB__INPUT_CONFIGURE__INIT;
	uint64_t id;
	struct run r;

	if (!session_binary(s, "outboard-input-null"))
		skip();
	frames_hello(&s->in, 1);
	ic.flags = 1;
	id = session_call(s, OB__REQUEST__CALL_INPUT_CONFIGURE, &ic);
	session_run_confined(s, args, NULL, "allow-list", &r);
	session_ok_reply(&r, id);
	run_free(&r);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, session_setup, session_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fs_hostdir),
		T(test_display_png),
		T(test_display_null),
		T(test_display_sdl),
		T(test_sound_wav),
		T(test_sound_null),
		T(test_sound_sdl),
		T(test_input_script),
		T(test_input_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
