/*
 * Every backend's rare paths under its filter over ipc://, as the CPU host
 * reaches it: nanomsg's worker thread receives every frame (allocating it
 * in its own malloc arena) and the main thread frees it, which
 * --stdin-frames (test_backends_rare.c) never does. Each backend gets a
 * flood bigger than any queue (posted blits of up to a full screen,
 * presents beyond the event queue, posted beeps, pipelined writes), then
 * one of the two ways a plugin ends under a backlog: SIGTERM with the
 * calls still arriving (the launcher stopping it), or the host gone with
 * posted work still queued, then SIGTERM (the guest exited). Then a
 * restart (OUTBOARD_PLUGIN_RESTART) serves again. The plugin must exit 0,
 * confined, never die of SIGSYS.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "echo_client.h"

#ifndef OB_BIN_DIR
#error "OB_BIN_DIR must name the directory of the plugin executables"
#endif

#define CALLS 256 /* non-posted calls in flight at once */

enum ending {
	END_SIGTERM,    /* SIGTERM while the flood is still arriving */
	END_HOST_GONE,  /* the host closes with posted work queued, then SIGTERM */
};

struct backend {
	const char *name;
	const char *const *args; /* after --listen URL */
	const char *env;         /* "NAME=VALUE" or NULL */
	void (*flood)(struct echo_client *c, struct echo_reply *r);
};

static struct echo_reply replies[CALLS];
static uint8_t big[320 * 240 * 4]; /* a full default screen of XRGB */
static char scratch[64];

static int setup(void **state)
{
	*state = NULL;
	return 0;
}

/* Put env (NAME=VALUE) in our environment for the child; NULL: nothing. */
static void env_set(const char *env, bool on)
{
	char name[64];
	const char *eq = env ? strchr(env, '=') : NULL;

	if (!eq)
		return;
	snprintf(name, sizeof(name), "%.*s", (int)(eq - env), env);
	if (on)
		setenv(name, eq + 1, 1);
	else
		unsetenv(name);
}

/* Start b (restarted: as the launcher's restart number n), connect, flood,
 * end as asked; the plugin must exit 0, confined, with no trap. */
static void serve(const struct backend *b, enum ending how, unsigned restart)
{
	struct echo_client c;
	char bin[256], count[16];
	char *err;

	snprintf(bin, sizeof(bin), "%s/%s", OB_BIN_DIR, b->name);
	if (access(bin, X_OK) != 0)
		skip();
	echo_client_init(&c);
	c.binary = bin;
	env_set(b->env, true);
	snprintf(count, sizeof(count), "%u", restart);
	setenv("OUTBOARD_PLUGIN_RESTART", count, 1);
	echo_spawn(&c, b->args, true);
	unsetenv("OUTBOARD_PLUGIN_RESTART");
	env_set(b->env, false);
	if (echo_connect(&c, 0, 0, NULL) != 0) {
		err = echo_read_all(c.err_fd);
		fail_msg("%s: no handshake; stderr:\n%s", b->name, err);
	}
	memset(replies, 0, sizeof(replies));
	b->flood(&c, replies);
	if (how == END_SIGTERM) {
		/* Once the first answer is in, the rest is still on its way. */
		assert_true(echo_wait_flag(&c, &replies[0].done));
		assert_int_equal(kill(c.pid, SIGTERM), 0);
	} else {
		ob_conn_flush(c.conn, ECHO_WAIT_MS);
		echo_disconnect(&c);
		assert_int_equal(kill(c.pid, SIGTERM), 0);
	}
	assert_true(echo_wait_exit(&c));
	err = echo_read_all(c.err_fd);
	if (!WIFEXITED(c.wait_status) || WEXITSTATUS(c.wait_status) != 0)
		fail_msg("%s: status 0x%x; stderr:\n%s", b->name, c.wait_status, err);
	if (!strstr(err, "confined by seccomp") || strstr(err, "seccomp: system call"))
		fail_msg("%s: not confined, or trapped; stderr:\n%s", b->name, err);
	free(err);
	echo_client_fini(&c); /* fails what is left in flight into the boxes */
	for (size_t i = 0; i < CALLS; i++)
		echo_reply_fini(&replies[i]);
}

/* Each way to end, then a restart that ends the other way. */
static void run_backend(const struct backend *b)
{
	serve(b, END_SIGTERM, 0);
	serve(b, END_HOST_GONE, 1);
}

/* ------------------------------------------------------------ floods */

/* Presents in flight beyond the event queue, then posted blits from a
 * 64x64 tile to a full screen, left queued. */
static void display_flood(struct echo_client *c, struct echo_reply *r)
{
	Ob__DisplayPresent pr = OB__DISPLAY_PRESENT__INIT;
	Ob__DisplayBlit b = OB__DISPLAY_BLIT__INIT;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 31);
	for (int i = 0; i < 40; i++)
		assert_int_equal(echo_call(c, OB__REQUEST__CALL_DISPLAY_PRESENT, &pr, false, 0,
					   &r[i], NULL), 0);
	b.format = 1;
	b.w = 320;
	b.stride = 320 * 4;
	b.pixels.data = big;
	for (int i = 0; i < 120; i++) {
		b.h = 1 + (uint32_t)(i * 37) % 240; /* 1.25 KiB to 300 KiB */
		b.pixels.len = (size_t)b.h * b.stride;
		assert_int_equal(echo_call(c, OB__REQUEST__CALL_DISPLAY_BLIT, &b, true, 0, NULL,
					   NULL), 0);
	}
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_DISPLAY_PRESENT, &pr, false, 0, &r[40],
				   NULL), 0);
}

/* Open, posted beeps by the hundred, then writes of up to 256 KiB in
 * flight (a real-time backend is far behind when the end comes). */
static void sound_flood(struct echo_client *c, struct echo_reply *r)
{
	Ob__SoundOpen op = OB__SOUND_OPEN__INIT;
	Ob__SoundWrite wr = OB__SOUND_WRITE__INIT;
	Ob__SoundBeep bp = OB__SOUND_BEEP__INIT;

	op.rate = 44100;
	op.channels = 2;
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_SOUND_OPEN, &op, false, 0, &r[0], NULL),
			 0);
	bp.freq_hz = 440;
	bp.ms = 10;
	for (int i = 0; i < 500; i++)
		assert_int_equal(echo_call(c, OB__REQUEST__CALL_SOUND_BEEP, &bp, true, 0, NULL,
					   NULL), 0);
	wr.buf.data = big;
	for (int i = 1; i < 60; i++) {
		wr.buf.len = wr.len = 4 * (1 + (uint32_t)(i * 977) % 65536);
		assert_int_equal(echo_call(c, OB__REQUEST__CALL_SOUND_WRITE, &wr, false, 0, &r[i],
					   NULL), 0);
	}
}

/* A file written by pipelined writes of up to 256 KiB, a bad handle. */
static void fs_flood(struct echo_client *c, struct echo_reply *r)
{
	Ob__FsOpen op = OB__FS_OPEN__INIT;
	Ob__FsWrite wr = OB__FS_WRITE__INIT;
	Ob__FsRead rd = OB__FS_READ__INIT;

	op.path = (char *)(uintptr_t)"/flood";
	op.flags = OB__OPEN_FLAG__OPEN_CREAT | OB__OPEN_FLAG__OPEN_WRONLY;
	op.mode = 0644;
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_OPEN, &op, false, 0, &r[0], NULL), 0);
	rd.fd = 99;
	rd.count = 16;
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_READ, &rd, false, 0, &r[1], NULL), 0);
	wr.fd = 1;
	wr.buf.data = big;
	for (int i = 2; i < 100; i++) {
		wr.buf.len = wr.count = 1 + (uint32_t)(i * 7919) % (256 << 10);
		assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_WRITE, &wr, false, 0, &r[i],
					   NULL), 0);
	}
}

/* Configure (the script starts), then configures by the hundred. */
static void input_flood(struct echo_client *c, struct echo_reply *r)
{
	Ob__InputConfigure ic = OB__INPUT_CONFIGURE__INIT;

	ic.flags = 1;
	for (int i = 0; i < 200; i++)
		assert_int_equal(echo_call(c, OB__REQUEST__CALL_INPUT_CONFIGURE, &ic, false, 0,
					   &r[i], NULL), 0);
}

/* ------------------------------------------------------------- tests */

static void test_display_null(void **state)
{
	static const char *const args[] = { "--log-level", "info", NULL };
	const struct backend b = { "outboard-display-null", args, NULL, display_flood };

	(void)state;
	run_backend(&b);
}

static void test_display_png(void **state)
{
	char out[128];
	const char *const args[] = { "--log-level", "info", "--out", out, NULL };
	const struct backend b = { "outboard-display-png", args, NULL, display_flood };

	(void)state;
	snprintf(out, sizeof(out), "%s/frames", scratch);
	run_backend(&b);
}

static void test_display_sdl(void **state)
{
	static const char *const args[] = { "--log-level", "info", NULL };
	const struct backend b = { "outboard-display-sdl", args, "SDL_VIDEODRIVER=dummy",
				   display_flood };

	(void)state;
	run_backend(&b);
}

static void test_sound_null(void **state)
{
	static const char *const args[] = { "--log-level", "info", NULL };
	const struct backend b = { "outboard-sound-null", args, NULL, sound_flood };

	(void)state;
	run_backend(&b);
}

static void test_sound_wav(void **state)
{
	char out[128];
	const char *const args[] = { "--log-level", "info", "--out", out, NULL };
	const struct backend b = { "outboard-sound-wav", args, NULL, sound_flood };

	(void)state;
	snprintf(out, sizeof(out), "%s/out.wav", scratch);
	run_backend(&b);
}

static void test_sound_sdl(void **state)
{
	static const char *const args[] = { "--log-level", "info", NULL };
	const struct backend b = { "outboard-sound-sdl", args, "SDL_AUDIODRIVER=dummy",
				   sound_flood };

	(void)state;
	run_backend(&b);
}

static void test_fs_hostdir(void **state)
{
	const char *const args[] = { "--log-level", "info", "--root", scratch, NULL };
	const struct backend b = { "outboard-fs-hostdir", args, NULL, fs_flood };

	(void)state;
	run_backend(&b);
}

static void test_fs_mem(void **state)
{
	static const char *const args[] = { "--log-level", "info", "--max-bytes", "4194304",
					    NULL };
	const struct backend b = { "outboard-fs-mem", args, NULL, fs_flood };

	(void)state;
	run_backend(&b);
}

static void test_input_script(void **state)
{
	char script[128];
	const char *const args[] = { "--log-level", "info", "--script", script, NULL };
	const struct backend b = { "outboard-input-script", args, NULL, input_flood };
	FILE *f;

	(void)state;
	snprintf(script, sizeof(script), "%s/keys.txt", scratch);
	f = fopen(script, "w");
	assert_non_null(f);
	for (int i = 0; i < 2000; i++)
		fprintf(f, "+0ms key down B\n+1ms key up B\n");
	fclose(f);
	run_backend(&b);
}

static void test_input_null(void **state)
{
	static const char *const args[] = { "--log-level", "info", NULL };
	const struct backend b = { "outboard-input-null", args, NULL, input_flood };

	(void)state;
	run_backend(&b);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(scratch, sizeof(scratch), "/tmp/ob-backends-ipc.XXXXXX");
	return mkdtemp(scratch) ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_display_null),
		T(test_display_png),
		T(test_display_sdl),
		T(test_sound_null),
		T(test_sound_wav),
		T(test_sound_sdl),
		T(test_fs_hostdir),
		T(test_fs_mem),
		T(test_input_script),
		T(test_input_null),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
