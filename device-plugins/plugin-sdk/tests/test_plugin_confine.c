/*
 * Confinement of a real plugin process: outboard-test-echo over ipc://, as
 * the CPU host talks to it. A call its filter forbids ("forbidden:CALL",
 * test-echo's trigger) kills it with SIGSYS after a line naming the call,
 * and the host sees the peer go; --no-seccomp and OB_NO_SECCOMP=1 leave
 * it unconfined; a listener with a key binds again under the filter after
 * refusing a peer.
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

#include <cmocka.h>

#include "echo_client.h"
#include "outboard/key.h"
#include "outboard/sanitizer.h"

/* Whether the sanitizer runtime's needs widened the filter (plugin.h):
 * this test is built with the same flags as the echo. */
#define RELAXED (OB_SANITIZER != 0)

/* fs_open(path) on a started, connected echo; waits for the reply or for
 * the echo to go. */
static void open_call(struct echo_client *c, const char *path, int box)
{
	Ob__FsOpen op;

	ob__fs_open__init(&op);
	op.path = (char *)(uintptr_t)path;
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_OPEN, &op, false, 0, &c->r[box], NULL),
			 0);
}

static void expect_killed_by(struct echo_client *c, const char *trigger, const char *call)
{
	char needle[64], *err;

	echo_spawn(c, NULL, true);
	assert_int_equal(echo_connect(c, 500, 0, NULL), 0);
	open_call(c, trigger, 0);
	assert_true(echo_wait_flag(c, &c->down));
	assert_true(c->r[0].done);
	assert_int_equal(c->r[0].status, EIO);
	assert_true(echo_wait_exit(c));
	assert_true(WIFSIGNALED(c->wait_status));
	assert_int_equal(WTERMSIG(c->wait_status), SIGSYS);
	err = echo_read_all(c->err_fd);
	snprintf(needle, sizeof(needle), "outboard-test-echo: seccomp: system call");
	assert_non_null(strstr(err, needle));
	snprintf(needle, sizeof(needle), "(%s) is not allowed", call);
	if (!strstr(err, needle))
		fail_msg("stderr does not name %s: %s", call, err);
	free(err);
	echo_disconnect(c);
}

static void test_execve_kills(void **state)
{
	expect_killed_by(*state, "forbidden:execve", "execve");
}

static void test_inet_socket_kills(void **state)
{
	expect_killed_by(*state, "forbidden:socket", "socket");
}

static void test_ptrace_fork_open_kill(void **state)
{
	struct echo_client *c = *state;

	if (RELAXED)
		skip(); /* LSan ptraces, clones and reads /proc at exit */
	expect_killed_by(c, "forbidden:ptrace", "ptrace");
	expect_killed_by(c, "forbidden:fork", "clone");
	expect_killed_by(c, "forbidden:open", "openat");
}

/* Unconfined, each trigger just runs: execve finds no file, the socket
 * opens and closes, and the echo serves on. */
static void expect_unconfined(struct echo_client *c, const char *const *extra, const char *why)
{
	char *err;

	echo_spawn(c, extra, true);
	assert_int_equal(echo_connect(c, 0, 0, NULL), 0);
	open_call(c, "forbidden:execve", 0);
	open_call(c, "forbidden:socket", 1);
	open_call(c, "forbidden:fork", 2);
	open_call(c, "abc", 3);
	assert_true(echo_wait_flag(c, &c->r[3].done));
	assert_true(c->r[0].done && c->r[1].done && c->r[2].done);
	assert_int_equal(c->r[0].status, ENOENT);
	assert_int_equal(c->r[1].status, 0);
	assert_int_equal(c->r[2].status, 0);
	assert_int_equal(c->r[3].copy->fs_open->ret, 103);
	echo_disconnect(c);
	assert_int_equal(kill(c->pid, SIGTERM), 0);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	assert_int_equal(WEXITSTATUS(c->wait_status), 0);
	err = echo_read_all(c->err_fd);
	assert_non_null(strstr(err, why));
	free(err);
}

static void test_no_seccomp_option(void **state)
{
	static const char *const extra[] = { "--no-seccomp", NULL };

	expect_unconfined(*state, extra, "without the seccomp filter (--no-seccomp)");
}

static void test_no_seccomp_environment(void **state)
{
	setenv("OB_NO_SECCOMP", "1", 1);
	expect_unconfined(*state, NULL, "without the seccomp filter (OB_NO_SECCOMP)");
	unsetenv("OB_NO_SECCOMP");
}

/* An ipc:// listener with a key drops a peer without the key by binding
 * again: a new socket, nanomsg's stale-file check (connect, unlink), bind
 * and listen, all under the filter. Then the key holder is served. */
static void test_keyed_rebind_confined(void **state)
{
	struct echo_client *c = *state;
	uint8_t key[OB_KEY_BYTES], other[OB_KEY_BYTES];
	char path[128], other_path[128];
	const char *extra[] = { "--key", path, "--log-level", "info", NULL };
	char *err;

	echo_path(c, "plugin.key", path, sizeof(path));
	assert_int_equal(ob_key_generate(path, key), 0);
	echo_path(c, "other.key", other_path, sizeof(other_path));
	assert_int_equal(ob_key_generate(other_path, other), 0);
	echo_spawn(c, extra, true);

	c->key = other;
	assert_int_equal(echo_connect(c, 0, 0, NULL), -EACCES);
	echo_disconnect(c);
	c->key = key;
	assert_int_equal(echo_connect(c, 0, 0, NULL), 0);
	open_call(c, "abc", 0);
	assert_true(echo_wait_flag(c, &c->r[0].done));
	assert_int_equal(c->r[0].status, 0);
	assert_int_equal(c->r[0].copy->fs_open->ret, 103);
	assert_true(echo_query_stats(c));
	assert_int_equal(c->stats.requests, 1);
	echo_disconnect(c);
	assert_int_equal(kill(c->pid, SIGTERM), 0);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	assert_int_equal(WEXITSTATUS(c->wait_status), 0);
	err = echo_read_all(c->err_fd);
	assert_non_null(strstr(err, "confined by seccomp"));
	assert_non_null(strstr(err, " again"));
	free(err);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, echo_fixture_setup, echo_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_execve_kills),
		T(test_inet_socket_kills),
		T(test_ptrace_fork_open_kill),
		T(test_no_seccomp_option),
		T(test_no_seccomp_environment),
		T(test_keyed_rebind_confined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
