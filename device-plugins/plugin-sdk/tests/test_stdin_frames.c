/*
 * --stdin-frames with the real outboard-test-echo and outboard-fs-mem:
 * captured sessions (Hello, requests, Ping, StatsQuery) are answered
 * through the real dispatcher, framed on stdout; truncated input, an
 * oversize length, random bytes and random frames end the run cleanly
 * (exit 0 or 1, never a signal), with whole frames on stdout. The plugins
 * run confined, as they always do.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "frame_io.h"
#include "outboard/errno.h"
#include "outboard/ipc.h"

#ifndef OB_TEST_ECHO
#error "OB_TEST_ECHO must name outboard-test-echo"
#endif
#ifndef OB_FS_MEM
#error "OB_FS_MEM must name outboard-fs-mem"
#endif

static const char *const stdin_args[] = { "--stdin-frames", NULL };

static void open_req(struct frames *f, uint64_t id, const char *path, uint32_t flags)
{
	Ob__FsOpen op;

	ob__fs_open__init(&op);
	op.path = (char *)(uintptr_t)path;
	op.flags = flags;
	op.mode = 0644;
	frames_request(f, id, OB__REQUEST__CALL_FS_OPEN, &op, false);
}

static void path_req(struct frames *f, uint64_t id, int call, const char *path)
{
	/* FsStat, FsUnlink and FsMkdir all start with string path = 1. */
	Ob__FsStat st;
	Ob__FsUnlink ul;
	Ob__FsMkdir mk;
	const void *msg = NULL;

	ob__fs_stat__init(&st);
	ob__fs_unlink__init(&ul);
	ob__fs_mkdir__init(&mk);
	st.path = ul.path = mk.path = (char *)(uintptr_t)path;
	if (call == OB__REQUEST__CALL_FS_STAT)
		msg = &st;
	else if (call == OB__REQUEST__CALL_FS_UNLINK)
		msg = &ul;
	else
		msg = &mk;
	frames_request(f, id, call, msg, false);
}

static void assert_status(const struct run *r, uint64_t id, int host_errno)
{
	const Ob__Reply *rep = run_reply(r, id);

	if (!rep)
		fail_msg("no reply %llu", (unsigned long long)id);
	assert_int_equal(rep->status, ob_errno_to_abi(host_errno));
}

/* ------------------------------------------------------------ sessions */

static void test_echo_session(void **state)
{
	struct frames in = { 0 };
	struct run r;
	Ob__FsRead rd;
	const Ob__Reply *rep;
	const Ob__Hello *hello;
	size_t i, pong, stats, events = 0;

	(void)state;
	frames_hello(&in, OB_PROTOCOL_VERSION);
	open_req(&in, 1, "abc", 0);
	ob__fs_read__init(&rd);
	rd.fd = 5;
	rd.count = 4;
	frames_request(&in, 2, OB__REQUEST__CALL_FS_READ, &rd, false);
	path_req(&in, 3, OB__REQUEST__CALL_FS_UNLINK, "x");
	path_req(&in, 4, OB__REQUEST__CALL_FS_MKDIR, "d");
	path_req(&in, 5, OB__REQUEST__CALL_FS_STAT, "5"); /* answered 5 ms later */
	open_req(&in, 6, "event:2", 0);
	frames_ping(&in, 9);
	frames_stats_query(&in);
	run_plugin(OB_TEST_ECHO, stdin_args, NULL, &in, &r);

	assert_true(run_exited(&r, 0));
	assert_true(r.well_framed);
	assert_true(r.n_env > 0);
	assert_int_equal(r.env[0]->body_case, OB__ENVELOPE__BODY_HELLO);
	hello = r.env[0]->hello;
	assert_string_equal(hello->backend, "test-echo");
	assert_int_equal(hello->protocol_version, OB_PROTOCOL_VERSION);
	assert_int_equal(hello->max_message, OB_DEFAULT_MAX_MESSAGE);

	rep = run_reply(&r, 1);
	assert_non_null(rep);
	assert_int_equal(rep->status, 0);
	assert_int_equal(rep->fs_open->ret, 103);
	rep = run_reply(&r, 2);
	assert_non_null(rep);
	assert_int_equal(rep->fs_read->buf.len, 4);
	assert_memory_equal(rep->fs_read->buf.data, "\5\6\7\10", 4);
	assert_status(&r, 3, EACCES);
	assert_status(&r, 4, ENOSYS);
	rep = run_reply(&r, 6);
	assert_non_null(rep);
	assert_int_equal(rep->fs_open->ret, 3);
	for (i = 0; i < r.n_env; i++)
		events += r.env[i]->body_case == OB__ENVELOPE__BODY_EVENT &&
			  r.env[i]->event->event_case == OB__EVENT__EVENT_INPUT;
	assert_int_equal(events, 2);

	pong = run_find(&r, OB__ENVELOPE__BODY_PONG, 0);
	assert_true(pong < r.n_env);
	assert_int_equal(r.env[pong]->pong->seq, 9);
	stats = run_find(&r, OB__ENVELOPE__BODY_STATS, 0);
	assert_true(stats > pong && stats < r.n_env);
	assert_int_equal(r.env[stats]->stats->requests, 6);
	assert_int_equal(r.env[stats]->stats->in_flight, 1);

	/* The deferred stat was answered after the input ended. */
	rep = run_reply(&r, 5);
	assert_non_null(rep);
	assert_int_equal(rep->status, 0);
	assert_int_equal(rep->fs_stat->st->size, 5);
	for (i = 0; i < r.n_env && r.env[i]->reply != rep; i++)
		;
	assert_true(i > stats);
	run_free(&r);
	frames_free(&in);
}

static void test_fs_mem_session(void **state)
{
	struct frames in = { 0 };
	struct run r;
	Ob__FsWrite wr;
	Ob__FsPread pr;
	Ob__FsClose cl;
	const Ob__Reply *rep;

	(void)state;
	frames_hello(&in, OB_PROTOCOL_VERSION);
	open_req(&in, 1, "/f", OB__OPEN_FLAG__OPEN_CREAT | OB__OPEN_FLAG__OPEN_RDWR);
	ob__fs_write__init(&wr);
	wr.fd = 1; /* fs-common numbers handles from 1 */
	wr.buf.data = (uint8_t *)(uintptr_t)"hello";
	wr.buf.len = 5;
	wr.count = 5;
	frames_request(&in, 2, OB__REQUEST__CALL_FS_WRITE, &wr, false);
	ob__fs_pread__init(&pr);
	pr.fd = 1;
	pr.count = 16;
	frames_request(&in, 3, OB__REQUEST__CALL_FS_PREAD, &pr, false);
	ob__fs_close__init(&cl);
	cl.fd = 1;
	frames_request(&in, 4, OB__REQUEST__CALL_FS_CLOSE, &cl, false);
	path_req(&in, 5, OB__REQUEST__CALL_FS_STAT, "/f");
	open_req(&in, 6, "/missing", 0);
	path_req(&in, 7, OB__REQUEST__CALL_FS_MKDIR, "/d");
	path_req(&in, 8, OB__REQUEST__CALL_FS_STAT, "/d");
	run_plugin(OB_FS_MEM, stdin_args, NULL, &in, &r);

	assert_true(run_exited(&r, 0));
	assert_true(r.well_framed);
	assert_int_equal(r.env[0]->body_case, OB__ENVELOPE__BODY_HELLO);
	assert_string_equal(r.env[0]->hello->backend, "fs-mem");
	rep = run_reply(&r, 1);
	assert_non_null(rep);
	assert_int_equal(rep->status, 0);
	assert_int_equal(rep->fs_open->ret, 1);
	rep = run_reply(&r, 2);
	assert_non_null(rep);
	assert_int_equal(rep->fs_write->ret, 5);
	rep = run_reply(&r, 3);
	assert_non_null(rep);
	assert_int_equal(rep->fs_pread->buf.len, 5);
	assert_memory_equal(rep->fs_pread->buf.data, "hello", 5);
	assert_status(&r, 4, 0);
	rep = run_reply(&r, 5);
	assert_non_null(rep);
	assert_int_equal(rep->fs_stat->st->size, 5);
	assert_int_equal(rep->fs_stat->st->type, OB__FILE_TYPE__FILE_TYPE_REGULAR);
	assert_status(&r, 6, ENOENT);
	assert_status(&r, 7, 0);
	rep = run_reply(&r, 8);
	assert_non_null(rep);
	assert_int_equal(rep->fs_stat->st->type, OB__FILE_TYPE__FILE_TYPE_DIRECTORY);
	assert_int_equal(run_count(&r, OB__ENVELOPE__BODY_REPLY), 8);
	run_free(&r);
	frames_free(&in);
}

/* A version we do not speak is refused with EPROTO, and serving goes on. */
static void test_hello_refused(void **state)
{
	struct frames in = { 0 };
	struct run r;

	(void)state;
	frames_hello(&in, OB_PROTOCOL_VERSION + 1);
	open_req(&in, 1, "ab", 0);
	run_plugin(OB_TEST_ECHO, stdin_args, NULL, &in, &r);
	assert_true(run_exited(&r, 0));
	assert_int_equal(r.env[0]->body_case, OB__ENVELOPE__BODY_HELLO);
	assert_int_equal(r.env[0]->hello->status, ob_errno_to_abi(EPROTO));
	assert_non_null(run_reply(&r, 1));
	run_free(&r);
	frames_free(&in);
}

static void test_shutdown_ends_the_run(void **state)
{
	struct frames in = { 0 };
	struct run r;

	(void)state;
	open_req(&in, 1, "a", 0);
	frames_shutdown(&in);
	open_req(&in, 2, "b", 0);
	run_plugin(OB_TEST_ECHO, stdin_args, NULL, &in, &r);
	assert_true(run_exited(&r, 0));
	assert_non_null(run_reply(&r, 1));
	assert_null(run_reply(&r, 2));
	run_free(&r);
	frames_free(&in);
}

static void test_empty_input(void **state)
{
	struct run r;

	(void)state;
	run_plugin(OB_TEST_ECHO, stdin_args, NULL, NULL, &r);
	assert_true(run_exited(&r, 0));
	assert_int_equal(r.out_len, 0);
	run_free(&r);
}

/* ------------------------------------------------------------- damage */

/* Hello, open "abc" (id 1), Ping 7; *second_end is where open's frame ends. */
static void base_session(struct frames *in, size_t *second_end)
{
	frames_hello(in, OB_PROTOCOL_VERSION);
	open_req(in, 1, "abc", 0);
	*second_end = in->len;
	frames_ping(in, 7);
}

static void run_cut(const struct frames *full, size_t cut, struct run *r)
{
	struct frames in = { 0 };

	frames_raw(&in, full->buf, cut);
	run_plugin(OB_TEST_ECHO, stdin_args, NULL, &in, r);
	frames_free(&in);
}

static void test_truncated_input(void **state)
{
	struct frames full = { 0 };
	size_t second_end;
	struct run r;

	(void)state;
	base_session(&full, &second_end);

	/* Inside the Ping's body, then inside its length: the two whole
	 * frames are served, the cut one dropped with a warning. */
	const size_t cuts[] = { full.len - 1, second_end + 2, second_end + 4 };
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		run_cut(&full, cuts[i], &r);
		assert_true(run_exited(&r, 0));
		assert_true(r.well_framed);
		assert_non_null(run_reply(&r, 1));
		assert_int_equal(run_count(&r, OB__ENVELOPE__BODY_PONG), 0);
		assert_non_null(strstr(r.err, "input ends inside a frame"));
		run_free(&r);
	}
	/* At a frame's end: nothing to complain about. */
	run_cut(&full, second_end, &r);
	assert_true(run_exited(&r, 0));
	assert_non_null(run_reply(&r, 1));
	assert_null(strstr(r.err, "input ends inside"));
	run_free(&r);
	/* Inside the very first length. */
	run_cut(&full, 3, &r);
	assert_true(run_exited(&r, 0));
	assert_int_equal(r.out_len, 0);
	run_free(&r);
	frames_free(&full);
}

static void test_oversize_length(void **state)
{
	static const uint8_t huge[4] = { 0xff, 0xff, 0xff, 0xff };
	struct frames in = { 0 };
	struct run r;

	(void)state;
	frames_hello(&in, OB_PROTOCOL_VERSION);
	open_req(&in, 1, "abc", 0);
	frames_raw(&in, huge, sizeof(huge));
	open_req(&in, 2, "abc", 0);
	run_plugin(OB_TEST_ECHO, stdin_args, NULL, &in, &r);
	assert_true(run_exited(&r, 1));
	assert_true(r.well_framed);
	assert_non_null(run_reply(&r, 1));
	assert_null(run_reply(&r, 2));
	assert_non_null(strstr(r.err, "the largest is 4194304"));
	run_free(&r);
	frames_free(&in);
}

/* A frame of exactly the largest size is read (and dropped: zeros are no
 * Envelope); one byte more ends the run. */
static void test_largest_frame(void **state)
{
	uint8_t *zeros = calloc(1, OB_DEFAULT_MAX_MESSAGE + 1);
	struct frames in = { 0 };
	struct run r;

	(void)state;
	assert_non_null(zeros);
	frames_frame(&in, zeros, OB_DEFAULT_MAX_MESSAGE);
	frames_ping(&in, 5);
	run_plugin(OB_TEST_ECHO, stdin_args, NULL, &in, &r);
	assert_true(run_exited(&r, 0));
	assert_int_equal(run_count(&r, OB__ENVELOPE__BODY_PONG), 1);
	assert_non_null(strstr(r.err, "not an Envelope"));
	run_free(&r);
	frames_free(&in);

	frames_frame(&in, zeros, OB_DEFAULT_MAX_MESSAGE + 1);
	frames_ping(&in, 5);
	run_plugin(OB_TEST_ECHO, stdin_args, NULL, &in, &r);
	assert_true(run_exited(&r, 1));
	assert_int_equal(run_count(&r, OB__ENVELOPE__BODY_PONG), 0);
	run_free(&r);
	frames_free(&in);
	free(zeros);
}

/* A small deterministic generator: the same inputs on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static void random_bytes(struct frames *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b = (uint8_t)rng();

		frames_raw(in, &b, 1);
	}
}

/* Frames with sane lengths and random bodies, or valid requests with a
 * few bits flipped: they reach the unpacker and the dispatcher. */
static void random_frames(struct frames *in)
{
	unsigned n = 1 + rng() % 12;

	frames_hello(in, OB_PROTOCOL_VERSION);
	for (unsigned i = 0; i < n; i++) {
		struct frames one = { 0 };

		if (rng() % 2) {
			random_bytes(&one, rng() % 64);
			frames_frame(in, one.buf, (uint32_t)one.len);
		} else {
			open_req(&one, 1 + rng() % 4, "abc", 0);
			for (unsigned k = 0; k < 1 + rng() % 3; k++)
				one.buf[4 + rng() % (one.len - 4)] ^= (uint8_t)(1u << (rng() % 8));
			frames_raw(in, one.buf, one.len);
		}
		frames_free(&one);
	}
}

static void check_survived(const struct run *r, bool must_be_clean_eof)
{
	if (WIFSIGNALED(r->status))
		fail_msg("killed by signal %d; stderr:\n%s", WTERMSIG(r->status), r->err);
	assert_true(WIFEXITED(r->status));
	assert_true(WEXITSTATUS(r->status) <= 1);
	if (must_be_clean_eof)
		assert_int_equal(WEXITSTATUS(r->status), 0);
	assert_true(r->well_framed);
}

static void test_random_input(void **state)
{
	const char *binaries[] = { OB_TEST_ECHO, OB_FS_MEM };

	(void)state;
	for (unsigned i = 0; i < 16; i++) {
		struct frames in = { 0 };
		struct run r;
		bool framed = i % 2;

		if (framed)
			random_frames(&in);
		else
			random_bytes(&in, 1 + rng() % 512);
		run_plugin(binaries[(i / 2) % 2], stdin_args, NULL, &in, &r);
		check_survived(&r, framed);
		run_free(&r);
		frames_free(&in);
	}
}

/* -------------------------------------------------- options, confinement */

static void test_stdin_frames_usage(void **state)
{
	static const char *const with_listen[] = { "--stdin-frames", "--listen",
						    "ipc:///tmp/ob-nowhere.sock", NULL };
	static const char *const with_key[] = { "--stdin-frames", "--key", "k", NULL };
	static const char *const help[] = { "--help", NULL };
	struct run r;

	(void)state;
	run_plugin(OB_TEST_ECHO, with_listen, NULL, NULL, &r);
	assert_true(run_exited(&r, 2));
	assert_non_null(strstr(r.err, "cannot go with --listen"));
	run_free(&r);
	run_plugin(OB_TEST_ECHO, with_key, NULL, NULL, &r);
	assert_true(run_exited(&r, 2));
	assert_non_null(strstr(r.err, "cannot go with --key"));
	run_free(&r);
	run_plugin(OB_TEST_ECHO, help, NULL, NULL, &r);
	assert_true(run_exited(&r, 0));
	assert_non_null(strstr((const char *)r.out, "--stdin-frames     TEST ONLY"));
	assert_non_null(strstr((const char *)r.out, "--no-seccomp"));
	run_free(&r);
}

/* Served from stdin, the plugin is confined all the same. */
static void test_stdin_is_confined(void **state)
{
	static const char *const off[] = { "--stdin-frames", "--no-seccomp", NULL };
	struct frames in = { 0 };
	struct run r;

	(void)state;
	open_req(&in, 1, "forbidden:execve", 0);
	open_req(&in, 2, "abc", 0);
	run_plugin(OB_TEST_ECHO, stdin_args, NULL, &in, &r);
	assert_true(WIFSIGNALED(r.status));
	assert_int_equal(WTERMSIG(r.status), SIGSYS);
	assert_non_null(strstr(r.err, "(execve) is not allowed"));
	assert_null(run_reply(&r, 2));
	run_free(&r);

	run_plugin(OB_TEST_ECHO, off, NULL, &in, &r);
	assert_true(run_exited(&r, 0));
	assert_status(&r, 1, ENOENT); /* execve ran, and found no such file */
	assert_non_null(run_reply(&r, 2));
	assert_non_null(strstr(r.err, "without the seccomp filter (--no-seccomp)"));
	run_free(&r);
	frames_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_session),
		cmocka_unit_test(test_fs_mem_session),
		cmocka_unit_test(test_hello_refused),
		cmocka_unit_test(test_shutdown_ends_the_run),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_truncated_input),
		cmocka_unit_test(test_oversize_length),
		cmocka_unit_test(test_largest_frame),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_stdin_frames_usage),
		cmocka_unit_test(test_stdin_is_confined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
