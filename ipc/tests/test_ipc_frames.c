/*
 * Frames a well-behaved peer never sends: oversize, random bytes, empty,
 * mutated envelopes. Each is dropped and counted, nothing crashes, and the
 * connection keeps working. A raw nanomsg PAIR socket plays the peer.
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

#include "ipc_test_util.h"
#include "outboard/log.h"

#define MAX_MESSAGE 1024u

struct fixture {
	ob_conn *conn;
	int raw;
	int messages;     /* envelopes delivered to on_message */
	int replies;      /* ob_reply_fn calls */
	int last_status;
};

static void on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct fixture *f = arg;

	(void)conn;
	/* Only valid envelopes get here. */
	assert_int_not_equal(env->body_case, OB__ENVELOPE__BODY__NOT_SET);
	if (env->body_case == OB__ENVELOPE__BODY_REQUEST)
		assert_int_not_equal(env->request->id, 0);
	f->messages++;
}

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	struct fixture *f = arg;

	(void)reply;
	f->replies++;
	f->last_status = status;
}

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	struct ob_conn_callbacks cbs = {.on_message = on_message};
	struct ob_conn_opts opts = {.name = "frames", .max_message = MAX_MESSAGE,
				    .no_heartbeat = true};
	char url[256], name[32];

	assert_non_null(f);
	snprintf(name, sizeof(name), "frames%d", n++);
	tu_url(url, sizeof(url), name);
	assert_int_equal(ob_conn_listen(url, &opts, &cbs, f, &f->conn), 0);
	f->raw = tu_raw_dial(url);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tu_raw_close(f->raw);
	ob_conn_close(f->conn, 0);
	free(f);
	return 0;
}

static bool received_at_least(void *arg)
{
	struct {
		ob_conn *conn;
		uint64_t n;
	} *w = arg;
	struct ob_conn_stats st;

	ob_conn_get_stats(w->conn, &st);
	return st.received >= w->n;
}

static void wait_received(ob_conn *conn, uint64_t n)
{
	struct {
		ob_conn *conn;
		uint64_t n;
	} w = {conn, n};

	assert_true(tu_pump1(conn, received_at_least, &w, TU_WAIT_MS));
}

/* The raw peer pings; the connection must answer. */
static void assert_still_works(struct fixture *f, uint64_t seq)
{
	tu_raw_ping(f->raw, seq, f->conn);
	assert_true(tu_raw_wait_pong(f->raw, seq, f->conn, TU_WAIT_MS));
}

/* Frames sent just after nanomsg dropped a pipe may vanish with it: keep
 * pinging until one is answered. */
static bool ping_until_answered(struct fixture *f)
{
	int64_t end = ob_now_ms() + TU_WAIT_MS;

	for (uint64_t seq = 1000; ob_now_ms() < end; seq++) {
		tu_raw_ping(f->raw, seq, f->conn);
		if (tu_raw_wait_pong(f->raw, seq, f->conn, 200))
			return true;
	}
	return false;
}

/* A posted fs_write request whose packed envelope is exactly len bytes. */
static uint8_t *pack_request_of_size(size_t len)
{
	static uint8_t data[4 * MAX_MESSAGE];
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Request req = OB__REQUEST__INIT;
	Ob__FsWrite wr = OB__FS_WRITE__INIT;
	uint8_t *buf;

	req.id = 1;
	req.posted = true;
	req.call_case = OB__REQUEST__CALL_FS_WRITE;
	req.fs_write = &wr;
	wr.buf.data = data;
	env.body_case = OB__ENVELOPE__BODY_REQUEST;
	env.request = &req;
	/* Length prefixes grow with the payload: search for the exact fit. */
	for (wr.buf.len = len; wr.buf.len > 0; wr.buf.len--) {
		if (ob__envelope__get_packed_size(&env) == len)
			break;
	}
	assert_int_equal(ob__envelope__get_packed_size(&env), len);
	buf = malloc(len);
	assert_non_null(buf);
	ob__envelope__pack(&env, buf);
	return buf;
}

static void test_oversize_send_refused(void **state)
{
	struct fixture *f = *state;
	static uint8_t big[2 * MAX_MESSAGE];
	Ob__Request req = OB__REQUEST__INIT;
	Ob__FsWrite wr = OB__FS_WRITE__INIT;
	Ob__Reply reply = OB__REPLY__INIT;
	Ob__FsReadResult res = OB__FS_READ_RESULT__INIT;
	struct ob_conn_stats st;

	req.call_case = OB__REQUEST__CALL_FS_WRITE;
	req.fs_write = &wr;
	wr.buf.data = big;
	wr.buf.len = MAX_MESSAGE + 1;
	assert_int_equal(ob_conn_call(f->conn, &req, on_reply, f, NULL), -EMSGSIZE);
	req.posted = true;
	assert_int_equal(ob_conn_call(f->conn, &req, NULL, NULL, NULL), -EMSGSIZE);
	reply.id = 1;
	reply.result_case = OB__REPLY__RESULT_FS_READ;
	reply.fs_read = &res;
	res.buf.data = big;
	res.buf.len = sizeof(big);
	assert_int_equal(ob_conn_reply(f->conn, &reply), -EMSGSIZE);

	ob_conn_get_stats(f->conn, &st);
	assert_int_equal(st.sent, 0);
	assert_int_equal(st.in_flight, 0); /* the failed call is not tracked */
	assert_int_equal(st.requests, 0);
	assert_int_equal(f->replies, 0);
}

static void test_oversize_frame_dropped(void **state)
{
	struct fixture *f = *state;
	uint8_t *fits = pack_request_of_size(MAX_MESSAGE);
	uint8_t *over = pack_request_of_size(MAX_MESSAGE + 1);
	uint8_t *way_over = pack_request_of_size(2 * MAX_MESSAGE - 10);
	struct ob_conn_stats st;

	/* Exactly max_message is fine. */
	tu_raw_send(f->raw, fits, MAX_MESSAGE, f->conn);
	wait_received(f->conn, 1);
	assert_int_equal(f->messages, 1);

	/* Between max_message and twice that: nanomsg hands it over, the
	 * connection drops and counts it. */
	tu_raw_send(f->raw, over, MAX_MESSAGE + 1, f->conn);
	tu_raw_send(f->raw, way_over, 2 * MAX_MESSAGE - 10, f->conn);
	wait_received(f->conn, 3);
	ob_conn_get_stats(f->conn, &st);
	assert_int_equal(st.dropped, 2);
	assert_int_equal(f->messages, 1);

	assert_still_works(f, 77);
	assert_int_equal(f->messages, 1); /* Ping is consumed, not delivered */

	/* Past twice the limit nanomsg itself refuses the frame: it drops the
	 * pipe, and the raw dialer reconnects. The connection survives. */
	free(over);
	over = pack_request_of_size(3 * MAX_MESSAGE);
	tu_raw_send(f->raw, over, 3 * MAX_MESSAGE, f->conn);
	assert_true(ping_until_answered(f));
	ob_conn_get_stats(f->conn, &st);
	assert_int_equal(st.dropped, 2);
	assert_int_equal(f->messages, 1);
	free(fits);
	free(over);
	free(way_over);
}

static void test_empty_frame_dropped(void **state)
{
	struct fixture *f = *state;
	struct ob_conn_stats st;

	tu_raw_send(f->raw, "", 0, f->conn);
	wait_received(f->conn, 1);
	ob_conn_get_stats(f->conn, &st);
	assert_int_equal(st.dropped, 1);
	assert_int_equal(f->messages, 0);
	assert_still_works(f, 1);
}

#define N_RANDOM 600

static void test_random_frames(void **state)
{
	struct fixture *f = *state;
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Hello hello;
	uint8_t valid[256], frame[512];
	size_t valid_len;
	uint64_t seed = 0xfeedfacecafebeefull;
	struct ob_conn_stats st;

	/* A valid envelope to mutate, so some frames get deep into the
	 * decoder instead of failing at the first byte. */
	ob__hello__init(&hello);
	hello.role = (char *)(uintptr_t)"test";
	hello.backend = (char *)(uintptr_t)"fuzzy";
	hello.protocol_version = OB_PROTOCOL_VERSION;
	env.body_case = OB__ENVELOPE__BODY_HELLO;
	env.hello = &hello;
	valid_len = ob__envelope__get_packed_size(&env);
	assert_true(valid_len < sizeof(valid));
	ob__envelope__pack(&env, valid);

	for (int i = 0; i < N_RANDOM; i++) {
		size_t len;

		if (i % 2 == 0) {
			len = (size_t)(tu_rand(&seed) % sizeof(frame));
			if (i % 50 == 0)
				len = 0;
			for (size_t k = 0; k < len; k++)
				frame[k] = (uint8_t)tu_rand(&seed);
		} else {
			len = valid_len - (size_t)(tu_rand(&seed) % 4);
			memcpy(frame, valid, valid_len);
			for (int flips = 1 + (int)(tu_rand(&seed) % 3); flips > 0; flips--)
				frame[tu_rand(&seed) % len] ^= (uint8_t)(1u << (tu_rand(&seed) % 8));
		}
		tu_raw_send(f->raw, frame, len, f->conn);
	}
	wait_received(f->conn, N_RANDOM);
	ob_conn_get_stats(f->conn, &st);
	assert_int_equal(st.received, N_RANDOM);
	/* Every zero-length one (12) at least, and never more than were sent;
	 * everything else was delivered as a valid envelope or consumed. */
	assert_true(st.dropped >= N_RANDOM / 50);
	assert_true(st.dropped <= N_RANDOM);
	assert_true(st.dropped + (uint64_t)f->messages <= N_RANDOM);
	assert_still_works(f, 4242);
}

static void test_inject(void **state)
{
	struct fixture *f = *state;
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Reply reply = OB__REPLY__INIT;
	Ob__Request req = OB__REQUEST__INIT;
	struct tu_read_req r;
	uint8_t buf[64];
	size_t len;
	uint64_t id;
	struct ob_conn_stats st;

	assert_int_equal(ob_conn_inject(f->conn, NULL, 0), 0);
	assert_int_equal(ob_conn_inject(f->conn, NULL, 3), -EINVAL);
	assert_int_equal(ob_conn_inject(f->conn, "\xff\xff\xff", 3), 0);
	assert_int_equal(ob_conn_inject(NULL, "", 0), -ENOTCONN);

	/* A request with id 0 is malformed. */
	env.body_case = OB__ENVELOPE__BODY_REQUEST;
	env.request = &req;
	len = ob__envelope__pack(&env, buf);
	assert_int_equal(ob_conn_inject(f->conn, buf, len), 0);
	ob_conn_get_stats(f->conn, &st);
	assert_int_equal(st.dropped, 3);
	assert_int_equal(f->messages, 0);

	/* An injected reply completes a real outstanding call. */
	tu_read_req_init(&r, 1, 1);
	assert_int_equal(ob_conn_call(f->conn, &r.req, on_reply, f, &id), 0);
	reply.id = id;
	reply.status = 5; /* ABI EIO */
	env.body_case = OB__ENVELOPE__BODY_REPLY;
	env.reply = &reply;
	len = ob__envelope__pack(&env, buf);
	assert_int_equal(ob_conn_inject(f->conn, buf, len), 1);
	assert_int_equal(f->replies, 1);
	assert_int_equal(f->last_status, EIO);
	/* The same reply again matches nothing. */
	assert_int_equal(ob_conn_inject(f->conn, buf, len), 1);
	assert_int_equal(f->replies, 1);
	ob_conn_get_stats(f->conn, &st);
	assert_int_equal(st.unmatched, 1);
	assert_int_equal(st.received, 5); /* the -EINVAL one never got in */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_oversize_send_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversize_frame_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_frame_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inject, setup, teardown),
	};

	/* Hundreds of drops are logged on purpose; keep the output short. */
	ob_log_set_level(OB_LOG_NONE);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
