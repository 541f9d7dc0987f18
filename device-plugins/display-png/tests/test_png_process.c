/*
 * outboard-display-png as a process, over ipc:// as the CPU host talks to
 * it: the Hello lists the display calls, the first request of a host
 * brings Event{expose}, drawing calls posted and blocking reach the
 * framebuffer, a bad blit is answered EINVAL (when sent blocking), a
 * present answers its frame number after the PNG is on disk and is
 * followed by Event{vsync}, and a second host gets its own expose; with
 * --interval the plugin's own timer writes the presented frames.
 * Start-up failures (bad --screen, an --out that cannot be made) exit 1
 * with a message.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "obd/png.h"
#include "outboard/errno.h"
#include "outboard/ipc.h"

#define WAIT_MS 10000 /* never reached when things work */

struct proc {
	char tmp[64];
	char out[128];
	char url[160];
	pid_t pid;
	ob_conn *conn;
	/* events seen, in order */
	Ob__Event__EventCase events[32];
	uint64_t vsync_frame[32];
	unsigned n_events;
};

struct box {
	bool done;
	int status;
	int64_t ret;
	uint32_t info_w, info_font_h;
};

static void on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct proc *p = arg;

	(void)conn;
	if (env->body_case != OB__ENVELOPE__BODY_EVENT || p->n_events >= 32)
		return;
	if (env->event->event_case == OB__EVENT__EVENT_CREDIT)
		return;
	p->vsync_frame[p->n_events] =
		env->event->event_case == OB__EVENT__EVENT_VSYNC ? env->event->vsync->frame : 0;
	p->events[p->n_events++] = env->event->event_case;
}

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	struct box *b = arg;

	b->status = status;
	if (reply && reply->result_case == OB__REPLY__RESULT_DISPLAY_PRESENT)
		b->ret = reply->display_present->ret;
	if (reply && reply->result_case == OB__REPLY__RESULT_DISPLAY_INFO) {
		b->info_w = reply->display_info->info->width;
		b->info_font_h = reply->display_info->info->font_height;
	}
	b->done = true;
}

static pid_t spawn(const char *const *argv)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		execv(OBDP_BINARY, (char **)(uintptr_t)argv);
		_exit(127);
	}
	return pid;
}

static void dial(struct proc *p)
{
	Ob__Hello hello, *answer = NULL;
	char sock[200];
	struct stat st;
	int64_t end = ob_now_ms() + WAIT_MS;

	snprintf(sock, sizeof(sock), "%s/d.sock", p->tmp);
	while (stat(sock, &st) != 0) {
		assert_true(ob_now_ms() < end);
		assert_int_equal(waitpid(p->pid, NULL, WNOHANG), 0);
		usleep(2000);
	}
	assert_int_equal(ob_conn_dial(p->url, NULL,
				      &(struct ob_conn_callbacks){ .on_message = on_message }, p,
				      &p->conn),
			 0);
	ob__hello__init(&hello);
	hello.role = (char *)(uintptr_t)"test";
	assert_int_equal(ob_conn_handshake(p->conn, &hello, WAIT_MS, &answer), 0);
	assert_string_equal(answer->backend, "display-png");
	assert_int_equal(answer->n_domains, 1);
	assert_int_equal(answer->domains[0], OB__DOMAIN__DOMAIN_DISPLAY);
	assert_int_equal(answer->n_calls, 8);
	ob__hello__free_unpacked(answer, NULL);
}

/* Start the plugin with --out, --screen 64x48 and extra (NULL or one
 * option with its value), and dial it. */
static struct proc *start(const char *extra, const char *value)
{
	struct proc *p = calloc(1, sizeof(*p));
	const char *argv[12];
	int n = 0;

	assert_non_null(p);
	snprintf(p->tmp, sizeof(p->tmp), "/tmp/obdp-proc.XXXXXX");
	assert_non_null(mkdtemp(p->tmp));
	snprintf(p->out, sizeof(p->out), "%s/frames", p->tmp);
	snprintf(p->url, sizeof(p->url), "ipc://%s/d.sock", p->tmp);
	argv[n++] = OBDP_BINARY;
	argv[n++] = "--listen";
	argv[n++] = p->url;
	argv[n++] = "--out";
	argv[n++] = p->out;
	argv[n++] = "--screen";
	argv[n++] = "64x48";
	if (extra) {
		argv[n++] = extra;
		argv[n++] = value;
	}
	argv[n] = NULL;
	p->pid = spawn(argv);
	dial(p);
	return p;
}

static int setup(void **state)
{
	*state = start(NULL, NULL);
	return 0;
}

static int setup_interval(void **state)
{
	*state = start("--interval", "20");
	return 0;
}

static int teardown(void **state)
{
	struct proc *p = *state;
	char cmd[128];

	ob_conn_close(p->conn, WAIT_MS); /* a Goodbye: the plugin then stops at once */
	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		waitpid(p->pid, NULL, 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p->tmp);
	assert_int_equal(system(cmd), 0);
	free(p);
	return 0;
}

/* One request; blocking ones wait for the reply. msg is the call's message. */
static struct box call(struct proc *p, Ob__Request__CallCase call_case, void *msg, bool posted)
{
	Ob__Request req;
	struct box b = { 0 };

	ob__request__init(&req);
	req.call_case = call_case;
	req.display_info = msg; /* every arm is a message pointer: one store serves all */
	req.posted = posted;
	assert_int_equal(ob_conn_call(p->conn, &req, posted ? NULL : on_reply, &b, NULL), 0);
	if (!posted) {
		assert_int_equal(ob_conn_run(p->conn, WAIT_MS, &b.done), 0);
		assert_true(b.done);
	}
	return b;
}

/* Let events that are on their way arrive (a flush proves the plugin has
 * our requests; its events were sent before its Pong). */
static void settle(struct proc *p)
{
	assert_int_equal(ob_conn_flush(p->conn, WAIT_MS), 0);
	assert_int_equal(ob_conn_run(p->conn, 50, NULL), 0);
}

static void draws_presents_and_sends_events(void **state)
{
	struct proc *p = *state;
	Ob__DisplayInfo info = OB__DISPLAY_INFO__INIT;
	Ob__DisplayClear clear = OB__DISPLAY_CLEAR__INIT;
	Ob__DisplayFillRect fill = OB__DISPLAY_FILL_RECT__INIT;
	Ob__DisplayPresent present = OB__DISPLAY_PRESENT__INIT;
	char path[256];
	uint32_t *px;
	unsigned w, h;
	struct box b;

	b = call(p, OB__REQUEST__CALL_DISPLAY_INFO, &info, false);
	assert_int_equal(b.status, 0);
	assert_int_equal(b.info_w, 64);
	assert_int_equal(b.info_font_h, 13);
	clear.color = 0x203040;
	call(p, OB__REQUEST__CALL_DISPLAY_CLEAR, &clear, true);
	fill.x = 60, fill.y = 40, fill.w = 10, fill.h = 10, fill.color = 0xff8000;
	call(p, OB__REQUEST__CALL_DISPLAY_FILL_RECT, &fill, true);
	b = call(p, OB__REQUEST__CALL_DISPLAY_PRESENT, &present, false);
	assert_int_equal(b.status, 0);
	assert_int_equal(b.ret, 1);
	/* The file is complete once the present is answered. */
	snprintf(path, sizeof(path), "%s/frame-00001.png", p->out);
	assert_int_equal(obd_png_read(path, &px, &w, &h), 0);
	assert_int_equal(w, 64);
	assert_int_equal(h, 48);
	assert_int_equal(px[0], 0x203040);
	assert_int_equal(px[47 * 64 + 63], 0xff8000);
	assert_int_equal(px[39 * 64 + 63], 0x203040);
	free(px);
	b = call(p, OB__REQUEST__CALL_DISPLAY_PRESENT, &present, false);
	assert_int_equal(b.ret, 2);
	settle(p);
	assert_int_equal(p->n_events, 3);
	assert_int_equal(p->events[0], OB__EVENT__EVENT_EXPOSE);
	assert_int_equal(p->events[1], OB__EVENT__EVENT_VSYNC);
	assert_int_equal(p->vsync_frame[1], 1);
	assert_int_equal(p->events[2], OB__EVENT__EVENT_VSYNC);
	assert_int_equal(p->vsync_frame[2], 2);
}

static void bad_blits_are_einval(void **state)
{
	struct proc *p = *state;
	Ob__DisplayBlit blit = OB__DISPLAY_BLIT__INIT;
	Ob__DisplayPresent present = OB__DISPLAY_PRESENT__INIT;
	uint8_t px[4 * 4 * 4];
	struct box b;

	memset(px, 0xff, sizeof(px));
	blit.w = 4, blit.h = 4, blit.format = 1, blit.stride = 16;
	blit.pixels.data = px;
	blit.pixels.len = sizeof(px) - 4; /* short by one pixel */
	assert_int_equal(call(p, OB__REQUEST__CALL_DISPLAY_BLIT, &blit, false).status, EINVAL);
	call(p, OB__REQUEST__CALL_DISPLAY_BLIT, &blit, true); /* posted: only logged */
	blit.pixels.len = sizeof(px);
	blit.format = 3;
	assert_int_equal(call(p, OB__REQUEST__CALL_DISPLAY_BLIT, &blit, false).status, EINVAL);
	blit.format = 2;
	blit.stride = 7;
	assert_int_equal(call(p, OB__REQUEST__CALL_DISPLAY_BLIT, &blit, false).status, EINVAL);
	blit.stride = 8;
	assert_int_equal(call(p, OB__REQUEST__CALL_DISPLAY_BLIT, &blit, false).status, 0);
	/* The plugin is still there, and frames still count from 1. */
	b = call(p, OB__REQUEST__CALL_DISPLAY_PRESENT, &present, false);
	assert_int_equal(b.status, 0);
	assert_int_equal(b.ret, 1);
}

static void a_new_host_gets_an_expose(void **state)
{
	struct proc *p = *state;
	Ob__DisplayInfo info = OB__DISPLAY_INFO__INIT;

	call(p, OB__REQUEST__CALL_DISPLAY_INFO, &info, false);
	call(p, OB__REQUEST__CALL_DISPLAY_INFO, &info, false);
	settle(p);
	assert_int_equal(p->n_events, 1);
	ob_conn_close(p->conn, WAIT_MS);
	p->conn = NULL;
	p->n_events = 0;
	dial(p);
	call(p, OB__REQUEST__CALL_DISPLAY_INFO, &info, false);
	settle(p);
	assert_int_equal(p->n_events, 1);
	assert_int_equal(p->events[0], OB__EVENT__EVENT_EXPOSE);
}

/* Bounded wait for a file the plugin writes on its own timer. */
static void wait_for_file(struct proc *p, const char *path)
{
	int64_t end = ob_now_ms() + WAIT_MS;

	while (access(path, R_OK) != 0) {
		assert_true(ob_now_ms() < end);
		assert_int_equal(ob_conn_run(p->conn, 5, NULL), 0);
	}
}

static void interval_mode_writes_on_its_timer(void **state)
{
	struct proc *p = *state;
	Ob__DisplayClear clear = OB__DISPLAY_CLEAR__INIT;
	Ob__DisplayPresent present = OB__DISPLAY_PRESENT__INIT;
	char path[256];
	uint32_t *px;
	unsigned w, h;

	clear.color = 0x00c0ff;
	call(p, OB__REQUEST__CALL_DISPLAY_CLEAR, &clear, true);
	assert_int_equal(call(p, OB__REQUEST__CALL_DISPLAY_PRESENT, &present, false).ret, 1);
	snprintf(path, sizeof(path), "%s/frame-00001.png", p->out);
	wait_for_file(p, path);
	assert_int_equal(obd_png_read(path, &px, &w, &h), 0);
	assert_int_equal(px[0], 0x00c0ff);
	free(px);
	/* The next file holds the next presented frame. */
	clear.color = 0xffc000;
	call(p, OB__REQUEST__CALL_DISPLAY_CLEAR, &clear, true);
	assert_int_equal(call(p, OB__REQUEST__CALL_DISPLAY_PRESENT, &present, false).ret, 2);
	snprintf(path, sizeof(path), "%s/frame-00002.png", p->out);
	wait_for_file(p, path);
	assert_int_equal(obd_png_read(path, &px, &w, &h), 0);
	assert_int_equal(px[64 * 48 - 1], 0xffc000);
	free(px);
}

/* Runs the binary with args; returns its exit status, stderr in err. */
static int run_failing(const char *out_dir, const char *screen, char *err, size_t len)
{
	char tmpl[] = "/tmp/obdp-err.XXXXXX", cmd[1024];
	int fd = mkstemp(tmpl), status;
	FILE *f;

	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "'%s' --listen ipc:///tmp/obdp-never.sock --out '%s' %s %s 2>'%s'",
		 OBDP_BINARY, out_dir, screen ? "--screen" : "", screen ? screen : "", tmpl);
	status = system(cmd);
	f = fopen(tmpl, "r");
	assert_non_null(f);
	len = fread(err, 1, len - 1, f);
	err[len] = '\0';
	fclose(f);
	unlink(tmpl);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void start_failures_exit_1_with_a_reason(void **state)
{
	char err[4096];

	(void)state;
	assert_int_equal(run_failing("/tmp", "8x8", err, sizeof(err)), 1);
	assert_non_null(strstr(err, "16 to 2048"));
	assert_int_equal(run_failing("/tmp", "wide", err, sizeof(err)), 1);
	assert_non_null(strstr(err, "WIDTHxHEIGHT"));
	/* (A missing --out is made with the first frame: only one that can
	 * never be made fails.) */
	assert_int_equal(run_failing("/dev/null/frames", NULL, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "cannot create --out /dev/null/frames: Not a directory"));
	assert_int_equal(run_failing("/dev/null", NULL, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "not a directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(draws_presents_and_sends_events, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_blits_are_einval, setup, teardown),
		cmocka_unit_test_setup_teardown(a_new_host_gets_an_expose, setup, teardown),
		cmocka_unit_test_setup_teardown(interval_mode_writes_on_its_timer, setup_interval,
						teardown),
		cmocka_unit_test(start_failures_exit_1_with_a_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
