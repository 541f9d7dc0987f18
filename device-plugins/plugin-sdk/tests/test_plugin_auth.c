/*
 * The plugin SDK's --key and --insecure, with the real outboard-test-echo
 * listening on tcp://127.0.0.1 (a port from the ephemeral range): tcp://
 * without a key does not start; --insecure does, and says so; with --key
 * only a client holding the same key is served, and it is served again
 * after the plugin restarts; a key file others can read is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "echo_client.h"
#include "outboard/key.h"

/* The echo client over tcp://, where keys matter. */
static int setup(void **state)
{
	int rc = echo_fixture_setup(state);

	if (rc == 0)
		echo_use_tcp(*state);
	return rc;
}

/* A key file in the client's directory; its key in key. */
static void make_key(struct echo_client *c, const char *name, char *path, size_t size,
		     uint8_t key[OB_KEY_BYTES])
{
	echo_path(c, name, path, size);
	assert_int_equal(ob_key_generate(path, key), 0);
}

/* Stop the echo with SIGTERM and return what it wrote to stderr. */
static char *stop_and_read_stderr(struct echo_client *c)
{
	echo_disconnect(c);
	assert_int_equal(kill(c->pid, SIGTERM), 0);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	assert_int_equal(WEXITSTATUS(c->wait_status), 0);
	return echo_read_all(c->err_fd);
}

/* An FsOpen of "abc", which the echo answers with 103. */
static void open_works(struct echo_client *c, int box)
{
	Ob__FsOpen op;

	ob__fs_open__init(&op);
	op.path = (char *)(uintptr_t)"abc";
	assert_int_equal(echo_call(c, OB__REQUEST__CALL_FS_OPEN, &op, false, 0, &c->r[box], NULL),
			 0);
	assert_true(echo_wait_flag(c, &c->r[box].done));
	assert_int_equal(c->r[box].status, 0);
	assert_int_equal(c->r[box].copy->fs_open->ret, 103);
}

static void test_tcp_without_key_refused(void **state)
{
	struct echo_client *c = *state;
	char *err;

	echo_spawn(c, NULL, true);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	assert_int_equal(WEXITSTATUS(c->wait_status), 2);
	err = echo_read_all(c->err_fd);
	assert_non_null(strstr(err, "refusing to listen on tcp://127.0.0.1:"));
	assert_non_null(strstr(err, "outboard-keygen FILE"));
	assert_non_null(strstr(err, "--key FILE"));
	assert_non_null(strstr(err, "--insecure"));
	free(err);
}

static void test_insecure(void **state)
{
	static const char *const extra[] = { "--insecure", NULL };
	struct echo_client *c = *state;
	char *err;

	echo_spawn(c, extra, true);
	assert_int_equal(echo_connect(c, 0, 0, NULL), 0);
	open_works(c, 0);
	err = stop_and_read_stderr(c);
	assert_non_null(strstr(err, "without authentication (--insecure)"));
	free(err);
}

static void test_key_round_trip(void **state)
{
	struct echo_client *c = *state;
	uint8_t key[OB_KEY_BYTES];
	char path[128];
	const char *extra[] = { "--key", path, NULL };
	Ob__Hello *h = NULL;

	make_key(c, "plugin.key", path, sizeof(path), key);
	echo_spawn(c, extra, false);
	c->key = key;
	assert_int_equal(echo_connect(c, 0, 0, &h), 0);
	assert_non_null(h);
	assert_string_equal(h->backend, "test-echo");
	ob__hello__free_unpacked(h, NULL);
	open_works(c, 0);
	assert_true(echo_query_stats(c));
	assert_int_equal(c->stats.requests, 1);

	/* A clean stop flushes through the session: Goodbye, then exit 0. */
	assert_int_equal(kill(c->pid, SIGTERM), 0);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	assert_int_equal(WEXITSTATUS(c->wait_status), 0);
	assert_true(c->down);
}

static void test_key_refusals(void **state)
{
	struct echo_client *c = *state;
	uint8_t key[OB_KEY_BYTES], other[OB_KEY_BYTES];
	char path[128], other_path[128];
	const char *extra[] = { "--key", path, NULL };

	make_key(c, "plugin.key", path, sizeof(path), key);
	make_key(c, "other.key", other_path, sizeof(other_path), other);
	echo_spawn(c, extra, false);

	c->key = NULL;
	assert_int_equal(echo_connect(c, 0, 0, NULL), -EACCES);
	echo_disconnect(c);
	c->key = other;
	assert_int_equal(echo_connect(c, 0, 0, NULL), -EACCES);
	echo_disconnect(c);

	/* Still serving whoever holds the key. */
	c->key = key;
	assert_int_equal(echo_connect(c, 0, 0, NULL), 0);
	open_works(c, 0);
	assert_true(echo_query_stats(c));
	assert_int_equal(c->stats.requests, 1); /* nothing from the others */
}

static bool peer_up(struct echo_client *c)
{
	struct ob_conn_stats st;

	ob_conn_get_stats(c->conn, &st);
	return st.up && st.authenticated;
}

/* The plugin dies and is started again on the same port: the client
 * authenticates anew by itself, and calls work again. */
static void test_key_plugin_restart(void **state)
{
	struct echo_client *c = *state;
	uint8_t key[OB_KEY_BYTES];
	char path[128];
	const char *extra[] = { "--key", path, NULL };
	struct ob_conn_stats st;

	make_key(c, "plugin.key", path, sizeof(path), key);
	echo_spawn(c, extra, false);
	c->key = key;
	assert_int_equal(echo_connect(c, 0, 0, NULL), 0);
	open_works(c, 0);

	kill(c->pid, SIGKILL);
	assert_true(echo_wait_exit(c));
	echo_spawn(c, extra, false);
	for (int64_t end = ob_now_ms() + ECHO_WAIT_MS; ob_now_ms() < end;) {
		ob_conn_get_stats(c->conn, &st);
		if (st.sessions >= 2 && peer_up(c))
			break;
		assert_true(ob_conn_run(c->conn, 20, NULL) >= 0);
	}
	ob_conn_get_stats(c->conn, &st);
	assert_true(st.sessions >= 2);
	assert_true(peer_up(c));
	open_works(c, 1);
}

static void test_bad_key_files(void **state)
{
	struct echo_client *c = *state;
	uint8_t key[OB_KEY_BYTES];
	char path[128], missing[128], *err;
	const char *extra[] = { "--key", path, NULL };
	const char *extra_missing[] = { "--key", missing, NULL };

	make_key(c, "open.key", path, sizeof(path), key);
	assert_int_equal(chmod(path, 0644), 0);
	echo_spawn(c, extra, true);
	assert_true(echo_wait_exit(c));
	assert_true(WIFEXITED(c->wait_status));
	assert_int_equal(WEXITSTATUS(c->wait_status), 1);
	err = echo_read_all(c->err_fd);
	assert_non_null(strstr(err, "chmod 600"));
	free(err);

	echo_path(c, "missing.key", missing, sizeof(missing));
	echo_spawn(c, extra_missing, true);
	assert_true(echo_wait_exit(c));
	assert_int_equal(WEXITSTATUS(c->wait_status), 1);
	err = echo_read_all(c->err_fd);
	assert_non_null(strstr(err, "missing.key"));
	free(err);
}

static void test_help_and_contradiction(void **state)
{
	static const char *const help[] = { "--help", NULL };
	static const char *const both[] = { "--key", "k", "--insecure", NULL };
	struct echo_client *c = *state;
	char *out;

	echo_spawn_bare(c, help);
	assert_true(echo_wait_exit(c));
	assert_int_equal(WEXITSTATUS(c->wait_status), 0);
	out = echo_read_all(c->out_fd);
	assert_non_null(strstr(out, "--key FILE"));
	assert_non_null(strstr(out, "--insecure"));
	free(out);

	echo_spawn(c, both, true);
	assert_true(echo_wait_exit(c));
	assert_int_equal(WEXITSTATUS(c->wait_status), 2);
	out = echo_read_all(c->err_fd);
	assert_non_null(strstr(out, "contradict"));
	free(out);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, echo_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_tcp_without_key_refused),
		T(test_insecure),
		T(test_key_round_trip),
		T(test_key_refusals),
		T(test_key_plugin_restart),
		T(test_bad_key_files),
		T(test_help_and_contradiction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
