/*
 * Authenticated connections (struct ob_conn_opts.key) over tcp://127.0.0.1
 * with ports from the ephemeral range: the right key works both ways; a
 * wrong key, a missing key on either side, garbage (from a raw nanomsg
 * peer and from a raw TCP socket) and a silent squatter all get nothing,
 * are reported on both sides, and leave the listener serving the next
 * legitimate peer; after a listener or dialer restart both authenticate
 * again and calls work. test_ipc_auth_wire.c has the man-in-the-middle
 * tests.
 *
 * Every wait is bounded (TU_WAIT_MS) and waits for an event, never for
 * time to pass.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <nanomsg/nn.h>

#include "auth_fixture.h"

static void test_round_trip(void **state)
{
	char url[64];
	struct side l, d;
	Ob__Event ev = OB__EVENT__INIT;
	Ob__Credit credit = OB__CREDIT__INIT;
	struct ob_conn_stats sl, sd;

	(void)state;
	listen_side(&l, url, sizeof(url), af_key_a, true);
	dial_side(&d, url, af_key_a, true);
	/* Queued before the handshake, sent once authenticated. */
	call_ok(NULL, &d, &l);
	for (int i = 0; i < 3; i++)
		call_ok(NULL, &d, &l);
	/* And the other way: an event from the listener. */
	credit.done_id = 7;
	ev.event_case = OB__EVENT__EVENT_CREDIT;
	ev.credit = &credit;
	assert_int_equal(ob_conn_event(l.conn, &ev), 0);
	assert_true(wait_int(NULL, &d, &l, &d.events, 1));

	sl = af_stats(&l);
	sd = af_stats(&d);
	assert_true(sl.authenticated && sd.authenticated);
	assert_int_equal(sl.sessions, 1);
	assert_int_equal(sd.sessions, 1);
	assert_int_equal(sl.auth_failures + sd.auth_failures, 0);
	assert_int_equal(sl.dropped + sd.dropped, 0);
	assert_int_equal(l.errors + d.errors, 0);
	assert_int_equal(l.requests, 4);
	close_side(&d);
	close_side(&l);
}

static void test_blocking_handshake(void **state)
{
	char url[64];
	struct side l, d;
	struct tu_thread t;
	Ob__Hello hello, *answer = NULL;

	(void)state;
	listen_side(&l, url, sizeof(url), af_key_a, true);
	tu_thread_start(&t, l.conn);
	ob__hello__init(&hello);
	hello.role = (char *)(uintptr_t)"test";

	/* Right key: the Hello goes once authenticated, and is answered. */
	dial_side(&d, url, af_key_a, true);
	assert_int_equal(ob_conn_handshake(d.conn, &hello, TU_WAIT_MS, &answer), 0);
	assert_non_null(answer);
	assert_string_equal(answer->role, "plugin");
	ob__hello__free_unpacked(answer, NULL);
	close_side(&d);

	/* Wrong key, and no key: refused, and said so, long before the
	 * handshake's own timeout. */
	dial_side(&d, url, af_key_b, true);
	assert_int_equal(ob_conn_handshake(d.conn, &hello, TU_WAIT_MS, NULL), -EACCES);
	assert_true(d.eacces >= 1);
	close_side(&d);
	dial_side(&d, url, NULL, true);
	assert_int_equal(ob_conn_handshake(d.conn, &hello, TU_WAIT_MS, NULL), -EACCES);
	assert_true(d.eacces >= 1);
	close_side(&d);

	tu_thread_stop(&t);
	assert_true(af_stats(&l).auth_failures >= 2);
	assert_int_equal(l.requests, 0);
	assert_int_equal(l.hellos, 1); /* only the right key's */
	close_side(&l);

	/* A keyed dialer and a listener without a key. */
	listen_side(&l, url, sizeof(url), NULL, true);
	tu_thread_start(&t, l.conn);
	dial_side(&d, url, af_key_a, true);
	assert_int_equal(ob_conn_handshake(d.conn, &hello, TU_WAIT_MS, NULL), -EACCES);
	close_side(&d);
	tu_thread_stop(&t);
	assert_true(l.eacces >= 1);
	assert_int_equal(l.messages, 0);
	close_side(&l);
}

static void test_wrong_key(void **state)
{
	char url[64];
	struct side l, d;
	struct box b;

	(void)state;
	listen_side(&l, url, sizeof(url), af_key_a, true);
	dial_side(&d, url, af_key_b, true);
	start_call(&d, &b);
	assert_true(wait_int(NULL, &d, &l, &l.eacces, 1));
	assert_true(wait_int(NULL, &d, &l, &d.eacces, 1));
	assert_int_equal(l.messages, 0);
	assert_int_equal(af_stats(&l).sessions + af_stats(&d).sessions, 0);
	assert_false(af_stats(&d).authenticated);
	/* The call never went anywhere: it fails when the peer is declared
	 * down (or later), never with an answer. */
	assert_true(af_run(NULL, &d, &l, box_done, &b));
	assert_int_equal(b.status, EIO);
	assert_int_equal(l.messages, 0);
	close_side(&d);

	legit_peer_served(&l, url);
	close_side(&l);
}

static void test_dialer_without_key(void **state)
{
	char url[64];
	struct side l, d;

	(void)state;
	listen_side(&l, url, sizeof(url), af_key_a, true);
	dial_side(&d, url, NULL, true);
	answer_hello(d.conn); /* a plain Hello, as a host without --key sends */
	assert_true(wait_int(NULL, &d, &l, &l.eacces, 1));
	assert_true(wait_int(NULL, &d, &l, &d.eacces, 1));
	assert_int_equal(l.messages, 0);
	assert_int_equal(d.messages, 0);
	close_side(&d);

	legit_peer_served(&l, url);
	close_side(&l);
}

static void test_listener_without_key(void **state)
{
	char url[64];
	struct side l, d;

	(void)state;
	listen_side(&l, url, sizeof(url), NULL, true);
	dial_side(&d, url, af_key_a, true);
	answer_hello(d.conn); /* queued: must never leave unauthenticated */
	assert_true(wait_int(NULL, &d, &l, &l.eacces, 1));
	assert_true(wait_int(NULL, &d, &l, &d.eacces, 1));
	assert_int_equal(l.messages, 0);
	assert_int_equal(d.messages, 0);
	assert_false(af_stats(&d).authenticated);
	close_side(&d);
	close_side(&l);
}

static void test_key_over_ipc(void **state)
{
	char url[128];
	struct side l, d;
	struct ob_conn_opts o = af_opts(af_key_a, "listener", true);

	(void)state;
	tu_url(url, sizeof(url), "auth");
	memset(&l, 0, sizeof(l));
	l.serve = true;
	assert_int_equal(ob_conn_listen(url, &o, &af_cbs, &l, &l.conn), 0);
	dial_side(&d, url, af_key_a, true);
	call_ok(NULL, &d, &l);
	assert_true(af_stats(&l).authenticated);
	close_side(&d);
	close_side(&l);
}

static void test_garbage_from_raw_peer(void **state)
{
	static const struct {
		const char *data;
		size_t len;
	} junk[] = {
		{ "hello world", 11 },                     /* not ours at all */
		{ "OBA3xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 36 }, /* a proof out of nowhere */
		{ "OBA1short", 9 },                        /* malformed hello */
		{ "OBA2", 4 },                             /* a listener's frame */
		{ "OBAZ", 4 },                             /* unknown type */
		{ "", 0 },                                 /* empty */
		{ "OBADxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 36 }, /* sealed, no session: the
								  * squatter rule drops it */
	};
	char url[64];
	struct side l;
	uint64_t est = 0, seed = 0x5eed;
	int raw;

	(void)state;
	listen_side(&l, url, sizeof(url), af_key_a, true);
	raw = tu_raw_dial(url);
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		raw_send_connected(raw, &est, &l, junk[i].data, junk[i].len);
		assert_true(wait_stat(NULL, &l, NULL, &l, FAILURES, i + 1));
	}
	/* A burst of random frames, some with our tag. */
	for (int i = 0; i < 200; i++) {
		uint8_t buf[96];
		size_t len = tu_rand(&seed) % sizeof(buf);

		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)tu_rand(&seed);
		if (len >= 4 && i % 2)
			memcpy(buf, i % 4 == 1 ? "OBA1" : "OBA3", 4);
		raw_drain(raw);
		tu_raw_send(raw, buf, len, l.conn);
	}
	tu_raw_close(raw);
	assert_int_equal(l.messages, 0);
	assert_int_equal(af_stats(&l).sessions, 0);
	assert_true(l.eacces >= (int)(sizeof(junk) / sizeof(junk[0])));

	legit_peer_served(&l, url);
	close_side(&l);
}

static int tcp_connect(const char *url)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned port;
	int fd;

	assert_int_equal(sscanf(url, "tcp://127.0.0.1:%u", &port), 1);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Write, then wait (serving the listener) until the listener hangs up. */
static void tcp_junk(struct side *l, const char *url, const void *data, size_t len)
{
	int fd = tcp_connect(url);
	int64_t end = ob_now_ms() + TU_WAIT_MS;

	assert_int_equal(write(fd, data, len), (ssize_t)len);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char buf[256];

		assert_true(ob_now_ms() < end);
		tu_pump1(l->conn, NULL, NULL, 5);
		if (poll(&pfd, 1, 0) == 1 && read(fd, buf, sizeof(buf)) <= 0)
			break; /* closed by the listener (EOF or reset) */
	}
	close(fd);
}

static void test_garbage_from_raw_tcp(void **state)
{
	/* nanomsg's TCP header for a PAIR socket: \0 S P \0, protocol 16, 0. */
	static const uint8_t sp_header[8] = { 0, 'S', 'P', 0, 0, 16, 0, 0 };
	char url[64];
	struct side l;
	uint8_t noise[4096], msg[64];
	uint64_t seed = 42;

	(void)state;
	listen_side(&l, url, sizeof(url), af_key_a, true);
	for (size_t k = 0; k < sizeof(noise); k++)
		noise[k] = (uint8_t)tu_rand(&seed);
	noise[0] = 0x17; /* not a valid header */
	tcp_junk(&l, url, noise, sizeof(noise));
	tcp_junk(&l, url, "GET / HTTP/1.0\r\n\r\n", 18);

	/* A valid header, then a frame length nanomsg refuses. */
	memcpy(msg, sp_header, 8);
	memcpy(msg + 8, "\x00\x00\x01\x00\x00\x00\x00\x00", 8);
	tcp_junk(&l, url, msg, 16);

	/* A valid header and a small frame of junk: it reaches the
	 * authentication layer, which refuses it and drops the peer. */
	memcpy(msg + 8, "\x00\x00\x00\x00\x00\x00\x00\x0bjunk frame!", 19);
	tcp_junk(&l, url, msg, 27);
	assert_true(af_stats(&l).auth_failures >= 1);
	assert_int_equal(l.messages, 0);

	legit_peer_served(&l, url);
	close_side(&l);
}

static void test_silent_squatter_dropped(void **state)
{
	char url[64];
	struct side l;
	int raw;

	(void)state;
	listen_side(&l, url, sizeof(url), af_key_a, true);
	/* Connects and says nothing, holding the listener's only place. */
	raw = tu_raw_dial(url);
	assert_true(wait_stat(NULL, &l, NULL, &l, FAILURES, 1));
	/* Its connection was cut (it sees that once it reads the refusal). */
	for (int64_t end = ob_now_ms() + TU_WAIT_MS;
	     nn_get_statistic(raw, NN_STAT_BROKEN_CONNECTIONS) == 0;) {
		assert_true(ob_now_ms() < end);
		raw_drain(raw);
		tu_pump1(l.conn, NULL, NULL, 5);
	}
	tu_raw_close(raw);
	assert_int_equal(l.messages, 0);
	legit_peer_served(&l, url);
	close_side(&l);
}

static void test_listener_restart(void **state)
{
	char url[64];
	struct side l, d;
	struct box b;
	struct ob_conn_opts o = af_opts(af_key_a, "listener", true);

	(void)state;
	listen_side(&l, url, sizeof(url), af_key_a, true);
	dial_side(&d, url, af_key_a, true);
	call_ok(NULL, &d, &l);
	close_side(&l);

	/* A call while the listener is gone is lost with its connection. */
	start_call(&d, &b);
	memset(&l, 0, sizeof(l));
	l.serve = true;
	assert_int_equal(ob_conn_listen(url, &o, &af_cbs, &l, &l.conn), 0);
	assert_true(af_run(NULL, &d, &l, box_done, &b));
	assert_int_equal(b.status, EIO);
	wait_sessions(NULL, &d, &l, 1);
	assert_int_equal(af_stats(&d).sessions, 2);
	call_ok(NULL, &d, &l);
	assert_int_equal(l.errors + d.errors, 0);
	close_side(&d);
	close_side(&l);
}

static void test_dialer_restart(void **state)
{
	char url[64];
	struct side l, d;

	(void)state;
	listen_side(&l, url, sizeof(url), af_key_a, true);
	dial_side(&d, url, af_key_a, true);
	call_ok(NULL, &d, &l);
	close_side(&d); /* gone without a word */
	dial_side(&d, url, af_key_a, true);
	call_ok(NULL, &d, &l);
	assert_int_equal(af_stats(&l).sessions, 2);
	assert_int_equal(l.errors + d.errors, 0);
	close_side(&d);
	close_side(&l);
}

static void test_inject_on_keyed_connection(void **state)
{
	char url[64];
	struct side l;
	uint8_t sealed[64] = "OBAD";

	(void)state;
	listen_side(&l, url, sizeof(url), af_key_a, true);
	/* No session: a sealed frame is dropped, garbage is refused. */
	assert_int_equal(ob_conn_inject(l.conn, sealed, sizeof(sealed)), 0);
	assert_int_equal(af_stats(&l).dropped, 1);
	assert_int_equal(ob_conn_inject(l.conn, "junk", 4), 0);
	assert_int_equal(af_stats(&l).auth_failures, 1);
	assert_int_equal(l.messages, 0);
	/* The re-bind happens; the listener goes on serving. */
	legit_peer_served(&l, url);
	close_side(&l);
}

static void test_bad_options(void **state)
{
	struct ob_conn_opts o = { .key = af_key_a, .auth_timeout_ms = 0x80000000u };
	ob_conn *c = (ob_conn *)(uintptr_t)1;

	(void)state;
	assert_int_equal(ob_conn_dial("tcp://127.0.0.1:1", &o, &af_cbs, NULL, &c), -EINVAL);
	assert_null(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_blocking_handshake),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_dialer_without_key),
		cmocka_unit_test(test_listener_without_key),
		cmocka_unit_test(test_key_over_ipc),
		cmocka_unit_test(test_garbage_from_raw_peer),
		cmocka_unit_test(test_garbage_from_raw_tcp),
		cmocka_unit_test(test_silent_squatter_dropped),
		cmocka_unit_test(test_listener_restart),
		cmocka_unit_test(test_dialer_restart),
		cmocka_unit_test(test_inject_on_keyed_connection),
		cmocka_unit_test(test_bad_options),
	};

	return cmocka_run_group_tests(tests, af_group_setup, NULL);
}
