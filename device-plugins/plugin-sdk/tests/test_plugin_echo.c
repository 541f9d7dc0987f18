/*
 * The plugin SDK as a process: each test starts the real outboard-test-echo
 * on a private ipc:// endpoint and talks to it with an ob_conn, as the CPU
 * host and the launcher do. Waits are bounded (echo_client.h); nothing here
 * depends on timing except the deferred-order test, which uses a barrier so
 * that the order is certain.
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

#include "echo_client.h"
#include "outboard/errno.h"

/* Start the echo and handshake. */
static struct echo_client *started(void **state, const char *const *extra)
{
	struct echo_client *c = *state;

	echo_spawn(c, extra, false);
	assert_int_equal(echo_connect(c, 0, 0, NULL), 0);
	return c;
}

/* One blocking call: send and wait for its reply in box i. */
static struct echo_reply *call(struct echo_client *c, int i, int call_case, const void *msg)
{
	assert_int_equal(echo_call(c, call_case, msg, false, 0, &c->r[i], NULL), 0);
	assert_true(echo_wait_flag(c, &c->r[i].done));
	return &c->r[i];
}

static bool has_call(const Ob__Hello *h, uint32_t num)
{
	for (size_t i = 0; i < h->n_calls; i++)
		if (h->calls[i] == num)
			return true;
	return false;
}

static void test_hello_answer(void **state)
{
	struct echo_client *c = *state;
	Ob__Hello *h = NULL;

	echo_spawn(c, NULL, false);
	assert_int_equal(echo_connect(c, 0, 0, &h), 0);
	assert_non_null(h);
	assert_int_equal(h->status, 0);
	assert_int_equal(h->protocol_version, OB_PROTOCOL_VERSION);
	assert_string_equal(h->role, "plugin");
	assert_string_equal(h->backend, "test-echo");
	assert_string_equal(h->backend_version, "1.0");
	assert_int_equal(h->n_domains, 1);
	assert_int_equal(h->domains[0], OB__DOMAIN__DOMAIN_FS);
	assert_true(has_call(h, OB__REQUEST__CALL_FS_OPEN));
	assert_true(has_call(h, OB__REQUEST__CALL_FS_READ));
	assert_true(has_call(h, OB__REQUEST__CALL_FS_UNLINK));
	assert_false(has_call(h, OB__REQUEST__CALL_FS_MKDIR));
	assert_int_equal(h->max_message, OB_DEFAULT_MAX_MESSAGE);
	assert_true(h->heartbeat_ms > 0);
	ob__hello__free_unpacked(h, NULL);
}

/* The launcher checks Hello and leaves; then the CPU host connects. */
static void test_hello_every_client(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsOpen open;

	echo_disconnect(c);
	assert_int_equal(echo_connect(c, 0, 0, NULL), 0);
	ob__fs_open__init(&open);
	open.path = (char *)(uintptr_t)"abc";
	call(c, 0, OB__REQUEST__CALL_FS_OPEN, &open);
	assert_int_equal(c->r[0].status, 0);
	assert_int_equal(c->r[0].copy->fs_open->ret, 103);
}

static void test_version_mismatch(void **state)
{
	struct echo_client *c = *state;

	echo_spawn(c, NULL, false);
	assert_int_equal(echo_connect(c, 0, OB_PROTOCOL_VERSION + 98, NULL), -EPROTO);
	/* Refused, not dead: the right version is still welcome. */
	echo_disconnect(c);
	assert_int_equal(echo_connect(c, 0, 0, NULL), 0);
}

static void test_read_payload(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsRead rd = OB__FS_READ__INIT;
	Ob__FsWrite wr = OB__FS_WRITE__INIT;
	const Ob__Reply *rep;

	rd.fd = 5;
	rd.count = 1000;
	rep = call(c, 0, OB__REQUEST__CALL_FS_READ, &rd)->copy;
	assert_non_null(rep);
	assert_int_equal(rep->status, 0);
	assert_int_equal(rep->result_case, OB__REPLY__RESULT_FS_READ);
	assert_int_equal(rep->fs_read->buf.len, 1000);
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(rep->fs_read->buf.data[i], (5 + i) & 0xff);

	wr.buf.data = (uint8_t *)(uintptr_t)"hello";
	wr.buf.len = 5;
	wr.count = 5;
	rep = call(c, 1, OB__REQUEST__CALL_FS_WRITE, &wr)->copy;
	assert_int_equal(rep->status, 0);
	assert_int_equal(rep->fs_write->ret, 5);
}

static void test_missing_handler_enosys(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsMkdir mk;
	struct echo_reply *r;

	ob__fs_mkdir__init(&mk);
	mk.path = (char *)(uintptr_t)"d";
	r = call(c, 0, OB__REQUEST__CALL_FS_MKDIR, &mk);
	assert_int_equal(r->status, ENOSYS);
	assert_int_equal(r->copy->status, OB_ABI_ENOSYS);
	assert_int_equal(r->copy->result_case, OB__REPLY__RESULT__NOT_SET);
}

static void test_handler_errno(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsUnlink ul;
	struct echo_reply *r;

	ob__fs_unlink__init(&ul);
	ul.path = (char *)(uintptr_t)"f";
	r = call(c, 0, OB__REQUEST__CALL_FS_UNLINK, &ul);
	assert_int_equal(r->status, EACCES);
	assert_int_equal(r->copy->status, OB_ABI_EACCES);
	assert_int_equal(r->copy->result_case, OB__REPLY__RESULT__NOT_SET);
}

static void test_request_without_call(void **state)
{
	struct echo_client *c = started(state, NULL);
	struct echo_reply *r = call(c, 0, 0, NULL);

	assert_int_equal(r->status, EINVAL);
	assert_int_equal(r->copy->status, OB_ABI_EINVAL);
}

/* A result larger than one frame is answered EMSGSIZE, not dropped. */
static void test_oversize_result(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsRead rd = OB__FS_READ__INIT;

	rd.count = OB_DEFAULT_MAX_MESSAGE + 1;
	assert_int_equal(call(c, 0, OB__REQUEST__CALL_FS_READ, &rd)->copy->status,
			 OB_ABI_EMSGSIZE);
	rd.count = 3;
	assert_int_equal(call(c, 1, OB__REQUEST__CALL_FS_READ, &rd)->copy->fs_read->buf.len, 3);
}

static void test_deferred_out_of_order(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsStat slow, fast;
	Ob__FsOpen nap;

	ob__fs_stat__init(&slow);
	ob__fs_stat__init(&fast);
	ob__fs_open__init(&nap);
	slow.path = (char *)(uintptr_t)"1000";
	fast.path = (char *)(uintptr_t)"0";
	nap.path = (char *)(uintptr_t)"sleep:20";
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_STAT, &slow, false, 0, &c->r[0], NULL), 0);
	/* The barrier proves the echo has the slow request before the fast
	 * one is even sent. */
	assert_int_equal(ob_conn_flush(c->conn, ECHO_WAIT_MS), 0);
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_STAT, &fast, false, 0, &c->r[1], NULL), 0);
	assert_true(echo_wait_flag(c, &c->r[1].done));
	assert_true(echo_wait_flag(c, &c->r[0].done));
	assert_int_equal(c->r[1].order, 1);
	assert_int_equal(c->r[0].order, 2);
	assert_int_equal(c->r[0].copy->fs_stat->st->size, 1000);
	assert_int_equal(c->r[1].copy->fs_stat->st->size, 0);

	assert_int_equal(call(c, 2, OB__REQUEST__CALL_FS_OPEN, &nap)->copy->fs_open->ret, 20);
	ob__fs_stat__init(&fast);
	fast.path = (char *)(uintptr_t)"soon";
	assert_int_equal(call(c, 3, OB__REQUEST__CALL_FS_STAT, &fast)->status, EINVAL);
}

/* A posted write gets no reply, yet runs before the read sent after it. */
static void test_posted_write(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsWrite wr = OB__FS_WRITE__INIT;
	Ob__FsUnlink ul;
	Ob__FsRead rd = OB__FS_READ__INIT;
	struct ob_conn_stats cs;
	uint64_t wid = 0, uid = 0;

	wr.buf.data = (uint8_t *)(uintptr_t)"posted";
	wr.buf.len = 6;
	ob__fs_unlink__init(&ul);
	ul.path = (char *)(uintptr_t)"f";
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_WRITE, &wr, true, 0, NULL, &wid), 0);
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_UNLINK, &ul, true, 0, NULL, &uid), 0);
	rd.count = 1;
	assert_int_equal(call(c, 0, OB__REQUEST__CALL_FS_READ, &rd)->status, 0);
	/* Credit: every posted request up to the unlink has finished. */
	assert_true(echo_wait_credit(c, uid));
	assert_true(uid > wid);
	assert_true(echo_query_stats(c));
	assert_int_equal(c->stats.requests, 3);
	assert_int_equal(c->stats.posted, 2);
	assert_int_equal(c->stats.replies, 1);
	assert_int_equal(c->stats.errors, 1); /* the posted unlink (EACCES) */
	ob_conn_get_stats(c->conn, &cs);
	assert_int_equal(cs.unmatched, 0);   /* no reply to a posted call */
	assert_int_equal(c->n_replies, 1);
}

static void test_events(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsOpen open;
	struct echo_reply *r;

	ob__fs_open__init(&open);
	open.path = (char *)(uintptr_t)"event:5";
	r = call(c, 0, OB__REQUEST__CALL_FS_OPEN, &open);
	assert_int_equal(r->copy->fs_open->ret, 3);
	/* Sent before the reply, on the same ordered pipe. */
	assert_int_equal(c->n_events, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(c->kinds[i], OB__INPUT_EVENT__KIND__KIND_KEY_DOWN);
		assert_int_equal(c->keys[i], i);
	}
	assert_true(echo_query_stats(c));
	assert_int_equal(c->stats.events, 5);
}

static void test_stats_and_cancel_on_shutdown(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsStat slow;
	Ob__FsMkdir mk;
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Shutdown sd;

	ob__fs_stat__init(&slow);
	ob__fs_mkdir__init(&mk);
	slow.path = (char *)(uintptr_t)"60000";
	assert_int_equal(call(c, 0, OB__REQUEST__CALL_FS_MKDIR, &mk)->status, ENOSYS);
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_STAT, &slow, false, 0, &c->r[1], NULL), 0);
	assert_true(echo_query_stats(c));
	assert_int_equal(c->stats.requests, 2);
	assert_int_equal(c->stats.replies, 1);
	assert_int_equal(c->stats.errors, 1);
	assert_int_equal(c->stats.in_flight, 1);
	assert_int_equal(c->stats.max_in_flight, 1);
	assert_int_equal(c->stats.dropped, 0);

	/* Shutdown answers the deferred call instead of leaving it hanging. */
	ob__shutdown__init(&sd);
	sd.reason = (char *)(uintptr_t)"test";
	env.body_case = OB__ENVELOPE__BODY_SHUTDOWN;
	env.shutdown = &sd;
	assert_int_equal(echo_send(c, &env), 0);
	assert_true(echo_wait_flag(c, &c->r[1].done));
	assert_int_equal(c->r[1].status, ECANCELED);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	assert_int_equal(WEXITSTATUS(c->wait_status), 0);
}

static void test_sigterm_exit0(void **state)
{
	struct echo_client *c = started(state, NULL);

	assert_int_equal(kill(c->pid, SIGTERM), 0);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	assert_int_equal(WEXITSTATUS(c->wait_status), 0);
}

/* SIGINT before anyone connected: the same clean exit. */
static void test_sigint_unconnected(void **state)
{
	struct echo_client *c = *state;

	echo_spawn(c, NULL, false);
	assert_true(echo_wait_ready(c));
	assert_int_equal(kill(c->pid, SIGINT), 0);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	assert_int_equal(WEXITSTATUS(c->wait_status), 0);
}

static void test_crash_peer_down(void **state)
{
	struct echo_client *c = *state;
	Ob__FsOpen open;

	echo_spawn(c, NULL, false);
	assert_int_equal(echo_connect(c, 500, 0, NULL), 0);
	ob__fs_open__init(&open);
	open.path = (char *)(uintptr_t)"crash";
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_OPEN, &open, false, 0, &c->r[0], NULL), 0);
	assert_true(echo_wait_flag(c, &c->down));
	assert_true(c->r[0].done);
	assert_int_equal(c->r[0].status, EIO);
	assert_true(echo_wait_exit(c));
	assert_true(WIFSIGNALED(c->wait_status));
	assert_int_equal(WTERMSIG(c->wait_status), SIGABRT);
}

static void test_exit_status(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsOpen open;

	ob__fs_open__init(&open);
	open.path = (char *)(uintptr_t)"exit:7";
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_OPEN, &open, false, 0, &c->r[0], NULL), 0);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	assert_int_equal(WEXITSTATUS(c->wait_status), 7);
}

static void test_hang(void **state)
{
	struct echo_client *c = started(state, NULL);
	Ob__FsOpen open;

	ob__fs_open__init(&open);
	open.path = (char *)(uintptr_t)"hang";
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_OPEN, &open, false, 200, &c->r[0], NULL), 0);
	assert_true(echo_wait_flag(c, &c->r[0].done));
	assert_int_equal(c->r[0].status, ETIMEDOUT);
	/* Hung for good: SIGTERM's default action ends it. */
	assert_int_equal(kill(c->pid, SIGTERM), 0);
	assert_true(echo_wait_exit(c));
	assert_true(WIFSIGNALED(c->wait_status));
	assert_int_equal(WTERMSIG(c->wait_status), SIGTERM);
}

/* Run the echo with args; return its stdout (and stderr in *err). */
static char *run_bare(struct echo_client *c, const char *const *args, char **err, int *status)
{
	char *out;

	echo_spawn_bare(c, args);
	out = echo_read_all(c->out_fd);
	*err = echo_read_all(c->err_fd);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	*status = WEXITSTATUS(c->wait_status);
	return out;
}

static void test_info_options(void **state)
{
	struct echo_client *c = *state;
	const char *describe[] = { "--describe", NULL };
	const char *version[] = { "--version", NULL };
	const char *help[] = { "--help", NULL };
	char *out, *err;
	int status;

	out = run_bare(c, describe, &err, &status);
	assert_int_equal(status, 0);
	assert_string_equal(out, "test-echo 1.0 fs\n");
	free(out), free(err);

	out = run_bare(c, version, &err, &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "outboard-test-echo 1.0"));
	free(out), free(err);

	out = run_bare(c, help, &err, &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "--listen URL"));
	assert_non_null(strstr(out, "--describe"));
	assert_non_null(strstr(out, "--greeting TEXT"));
	free(out), free(err);
}

static void expect_usage_error(struct echo_client *c, const char *const *args, const char *needle)
{
	char *out, *err;
	int status;

	out = run_bare(c, args, &err, &status);
	assert_int_equal(status, 2);
	assert_string_equal(out, "");
	if (!strstr(err, needle))
		fail_msg("stderr lacks '%s': %s", needle, err);
	free(out), free(err);
}

static void test_bad_command_lines(void **state)
{
	struct echo_client *c = *state;
	const char *unknown[] = { "--listen", c->url, "--bogus", NULL };
	const char *missing[] = { "--listen", NULL };
	const char *no_listen[] = { "--greeting", "hi", NULL };
	const char *stray[] = { "--listen", c->url, "stray", NULL };
	const char *level[] = { "--listen", c->url, "--log-level", "loud", NULL };
	const char *plugin_arg[] = { "--listen", c->url, "--greeting", NULL };

	expect_usage_error(c, unknown, "--bogus");
	expect_usage_error(c, missing, "--listen");
	expect_usage_error(c, no_listen, "--listen");
	expect_usage_error(c, stray, "stray");
	expect_usage_error(c, level, "loud");
	expect_usage_error(c, plugin_arg, "--greeting");
}

static void test_start_failures(void **state)
{
	struct echo_client *c = *state;
	const char *fail_init[] = { "--listen", c->url, "--fail-init", NULL };
	const char *bad_url[] = { "--listen", "bogus://nowhere", NULL };
	char *out, *err;
	int status;

	out = run_bare(c, fail_init, &err, &status);
	assert_int_equal(status, 1);
	assert_non_null(strstr(err, "init failed"));
	free(out), free(err);

	out = run_bare(c, bad_url, &err, &status);
	assert_int_equal(status, 1);
	assert_non_null(strstr(err, "bogus://nowhere"));
	free(out), free(err);
}

static void test_plugin_option(void **state)
{
	struct echo_client *c = *state;
	const char *args[] = { "--greeting", "hello-from-the-test", "--log-level", "info", NULL };
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Shutdown sd;
	char *err;

	echo_spawn(c, args, true);
	assert_int_equal(echo_connect(c, 0, 0, NULL), 0);
	ob__shutdown__init(&sd);
	env.body_case = OB__ENVELOPE__BODY_SHUTDOWN;
	env.shutdown = &sd;
	assert_int_equal(echo_send(c, &env), 0);
	err = echo_read_all(c->err_fd);
	assert_true(echo_wait_exit(c));
	assert_int_equal(WEXITSTATUS(c->wait_status), 0);
	assert_non_null(strstr(err, "hello-from-the-test"));
	/* --log-level info took effect, under the SDK's program name. */
	assert_non_null(strstr(err, "outboard-test-echo"));
	free(err);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, echo_fixture_setup, echo_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_hello_answer),
		T(test_hello_every_client),
		T(test_version_mismatch),
		T(test_read_payload),
		T(test_missing_handler_enosys),
		T(test_handler_errno),
		T(test_request_without_call),
		T(test_oversize_result),
		T(test_deferred_out_of_order),
		T(test_posted_write),
		T(test_events),
		T(test_stats_and_cancel_on_shutdown),
		T(test_sigterm_exit0),
		T(test_sigint_unconnected),
		T(test_crash_peer_down),
		T(test_exit_status),
		T(test_hang),
		T(test_info_options),
		T(test_bad_command_lines),
		T(test_start_failures),
		T(test_plugin_option),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
