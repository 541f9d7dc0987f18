/*
 * The Hello handshake: success, version mismatch reported on both sides,
 * a peer that answers with another version or refuses us, and no answer.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <nanomsg/nn.h>

#include "ipc_test_util.h"
#include "outboard/errno.h"

struct side {
	ob_conn *conn;
	int n_errors;
	int err;
	char what[512];
	int n_hellos;          /* Hellos delivered to on_message */
	bool answer_hellos;    /* listener: answer each Hello like a plugin */
};

static void on_error(void *arg, ob_conn *conn, int err, const char *what)
{
	struct side *s = arg;

	(void)conn;
	s->n_errors++;
	s->err = err;
	snprintf(s->what, sizeof(s->what), "%s", what);
}

static void on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct side *s = arg;
	Ob__Hello answer;

	if (env->body_case != OB__ENVELOPE__BODY_HELLO)
		return;
	s->n_hellos++;
	if (!s->answer_hellos)
		return;
	ob__hello__init(&answer);
	answer.role = (char *)(uintptr_t)"plugin";
	answer.backend = (char *)(uintptr_t)"echo";
	assert_int_equal(ob_conn_hello(conn, &answer), 0);
	assert_int_equal(answer.protocol_version, OB_PROTOCOL_VERSION);
}

static const struct ob_conn_callbacks callbacks = {
	.on_message = on_message,
	.on_error = on_error,
};

static const struct ob_conn_opts opts = {.no_heartbeat = true};

static void host_hello(Ob__Hello *h, uint32_t version)
{
	ob__hello__init(h);
	h->role = (char *)(uintptr_t)"host";
	h->protocol_version = version;
}

static void test_handshake_ok(void **state)
{
	struct side srv = {.answer_hellos = true}, cli = {0};
	struct tu_thread thr;
	Ob__Hello hello, *answer = NULL;
	char url[256];

	(void)state;
	tu_url(url, sizeof(url), "hello-ok");
	assert_int_equal(ob_conn_listen(url, &opts, &callbacks, &srv, &srv.conn), 0);
	assert_int_equal(ob_conn_dial(url, &opts, &callbacks, &cli, &cli.conn), 0);
	tu_thread_start(&thr, srv.conn);

	host_hello(&hello, 0);
	assert_int_equal(ob_conn_handshake(cli.conn, &hello, TU_WAIT_MS, &answer), 0);
	assert_int_equal(hello.protocol_version, OB_PROTOCOL_VERSION); /* filled in */
	assert_non_null(answer);
	assert_int_equal(answer->protocol_version, OB_PROTOCOL_VERSION);
	assert_string_equal(answer->role, "plugin");
	assert_string_equal(answer->backend, "echo");
	assert_int_equal(answer->status, 0);
	ob__hello__free_unpacked(answer, NULL);
	/* The answer went to the handshake, not to on_message. */
	assert_int_equal(cli.n_hellos, 0);
	assert_int_equal(cli.n_errors, 0);

	/* answer may be NULL. */
	host_hello(&hello, 0);
	assert_int_equal(ob_conn_handshake(cli.conn, &hello, TU_WAIT_MS, NULL), 0);
	tu_thread_stop(&thr);
	assert_int_equal(srv.n_hellos, 2);
	assert_int_equal(srv.n_errors, 0);
	ob_conn_close(cli.conn, 0);
	ob_conn_close(srv.conn, 0);
}

static void test_version_mismatch(void **state)
{
	struct side srv = {.answer_hellos = true}, cli = {0};
	struct tu_thread thr;
	Ob__Hello hello, *answer = (Ob__Hello *)&answer;
	char url[256];

	(void)state;
	tu_url(url, sizeof(url), "hello-mismatch");
	assert_int_equal(ob_conn_listen(url, &opts, &callbacks, &srv, &srv.conn), 0);
	assert_int_equal(ob_conn_dial(url, &opts, &callbacks, &cli, &cli.conn), 0);
	tu_thread_start(&thr, srv.conn);

	host_hello(&hello, OB_PROTOCOL_VERSION + 1);
	assert_int_equal(ob_conn_handshake(cli.conn, &hello, TU_WAIT_MS, &answer), -EPROTO);
	assert_null(answer);
	tu_thread_stop(&thr);

	/* The dialer reports EPROTO, naming both versions. */
	assert_int_equal(cli.n_errors, 1);
	assert_int_equal(cli.err, EPROTO);
	assert_non_null(strstr(cli.what, "version 1"));
	assert_non_null(strstr(cli.what, "version 2"));
	/* So does the listener, which never passed the Hello on. */
	assert_int_equal(srv.n_errors, 1);
	assert_int_equal(srv.err, EPROTO);
	assert_non_null(strstr(srv.what, "speaks version 2"));
	assert_non_null(strstr(srv.what, "this side speaks version 1"));
	assert_int_equal(srv.n_hellos, 0);
	ob_conn_close(cli.conn, 0);
	ob_conn_close(srv.conn, 0);
}

static void test_listener_answers_eproto(void **state)
{
	struct side srv = {0};
	Ob__Envelope env = OB__ENVELOPE__INIT, *got;
	Ob__Hello hello;
	char url[256];
	int raw;

	(void)state;
	tu_url(url, sizeof(url), "hello-eproto");
	assert_int_equal(ob_conn_listen(url, &opts, &callbacks, &srv, &srv.conn), 0);
	raw = tu_raw_dial(url);
	host_hello(&hello, 9);
	env.body_case = OB__ENVELOPE__BODY_HELLO;
	env.hello = &hello;
	tu_raw_send_env(raw, &env, srv.conn);

	/* On the wire: a Hello with our version, status EPROTO (ABI) and why. */
	got = tu_raw_recv_env(raw, srv.conn, TU_WAIT_MS);
	assert_non_null(got);
	assert_int_equal(got->body_case, OB__ENVELOPE__BODY_HELLO);
	assert_int_equal(got->hello->protocol_version, OB_PROTOCOL_VERSION);
	assert_int_equal(got->hello->status, OB_ABI_EPROTO);
	assert_non_null(strstr(got->hello->error, "version 1 only, not 9"));
	ob__envelope__free_unpacked(got, NULL);
	assert_int_equal(srv.n_errors, 1);
	assert_int_equal(srv.err, EPROTO);
	tu_raw_close(raw);
	ob_conn_close(srv.conn, 0);
}

/* A raw listener in its own thread: takes one Hello, sends a canned answer. */
struct responder {
	pthread_t thread;
	int sock;
	uint8_t answer[256];
	size_t answer_len;     /* 0: never answer */
	uint32_t got_version;
};

static void *responder_main(void *arg)
{
	struct responder *r = arg;
	int timeout = TU_WAIT_MS;
	void *buf;
	int n;

	nn_setsockopt(r->sock, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout, sizeof(timeout));
	nn_setsockopt(r->sock, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout, sizeof(timeout));
	n = nn_recv(r->sock, &buf, NN_MSG, 0);
	if (n >= 0) {
		Ob__Envelope *env = ob__envelope__unpack(NULL, (size_t)n, buf);

		if (env && env->body_case == OB__ENVELOPE__BODY_HELLO)
			r->got_version = env->hello->protocol_version;
		ob__envelope__free_unpacked(env, NULL);
		nn_freemsg(buf);
	}
	if (r->answer_len)
		nn_send(r->sock, r->answer, r->answer_len, 0);
	return NULL;
}

/* Handshake against a raw peer answering with (version, status, error). */
static int handshake_with(const char *name, uint32_t version, uint32_t status,
			  const char *error, bool answer, int timeout_ms, struct side *cli)
{
	struct responder r = {0};
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Hello a, hello;
	char url[256];
	int rc;

	ob__hello__init(&a);
	a.protocol_version = version;
	a.status = status;
	a.error = (char *)(uintptr_t)error;
	env.body_case = OB__ENVELOPE__BODY_HELLO;
	env.hello = &a;
	if (answer)
		r.answer_len = ob__envelope__pack(&env, r.answer);
	tu_url(url, sizeof(url), name);
	r.sock = tu_raw_bind(url);
	assert_int_equal(ob_conn_dial(url, &opts, &callbacks, cli, &cli->conn), 0);
	assert_int_equal(pthread_create(&r.thread, NULL, responder_main, &r), 0);
	host_hello(&hello, 0);
	rc = ob_conn_handshake(cli->conn, &hello, timeout_ms, NULL);
	assert_int_equal(pthread_join(r.thread, NULL), 0);
	assert_int_equal(r.got_version, OB_PROTOCOL_VERSION);
	ob_conn_close(cli->conn, 0);
	tu_raw_close(r.sock);
	return rc;
}

static void test_answer_with_other_version(void **state)
{
	struct side cli = {0};

	(void)state;
	assert_int_equal(handshake_with("hello-v7", 7, 0, "", true, TU_WAIT_MS, &cli), -EPROTO);
	assert_int_equal(cli.n_errors, 1);
	assert_int_equal(cli.err, EPROTO);
	assert_non_null(strstr(cli.what, "speaks version 7"));
}

static void test_answer_refuses(void **state)
{
	struct side cli = {0};

	(void)state;
	assert_int_equal(handshake_with("hello-refused", OB_PROTOCOL_VERSION, OB_ABI_EACCES,
					"bad key", true, TU_WAIT_MS, &cli),
			 -EPROTO);
	assert_int_equal(cli.n_errors, 1);
	assert_int_equal(cli.err, EACCES); /* the peer's status, as a host errno */
	assert_non_null(strstr(cli.what, "bad key"));
}

static void test_no_answer(void **state)
{
	struct side cli = {0};

	(void)state;
	assert_int_equal(handshake_with("hello-silent", 0, 0, "", false, 300, &cli), -ETIMEDOUT);
	assert_int_equal(cli.n_errors, 0);
	assert_int_equal(ob_conn_handshake(NULL, NULL, 0, NULL), -ENOTCONN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_ok),
		cmocka_unit_test(test_version_mismatch),
		cmocka_unit_test(test_listener_answers_eproto),
		cmocka_unit_test(test_answer_with_other_version),
		cmocka_unit_test(test_answer_refuses),
		cmocka_unit_test(test_no_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
