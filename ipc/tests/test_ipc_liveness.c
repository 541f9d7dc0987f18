/*
 * Heartbeats, dead peers and recovery; the flush barrier; the send queue
 * in front of a slow peer; close that flushes first.
 *
 * Small heartbeat values (50 ms ping, 300 ms dead) keep these fast; every
 * wait is bounded by TU_WAIT_MS and nothing asserts how long a step took.
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

#define HB_MS 50
#define DEAD_MS 300

struct peer {
	ob_conn *conn;
	int states[8];     /* on_state values, in order */
	int n_states;
	atomic_int n_requests;
	atomic_int n_events;
	atomic_int out_of_order;
	uint64_t last_id;
	bool auto_reply;
};

static void on_state(void *arg, ob_conn *conn, bool up)
{
	struct peer *p = arg;

	(void)conn;
	if (p->n_states < 8)
		p->states[p->n_states++] = up;
}

static void on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct peer *p = arg;

	if (env->body_case == OB__ENVELOPE__BODY_EVENT) {
		atomic_fetch_add(&p->n_events, 1);
		return;
	}
	if (env->body_case != OB__ENVELOPE__BODY_REQUEST)
		return;
	/* Requests must arrive in the order they were sent. */
	if (env->request->id <= p->last_id)
		atomic_fetch_add(&p->out_of_order, 1);
	p->last_id = env->request->id;
	atomic_fetch_add(&p->n_requests, 1);
	if (p->auto_reply && !env->request->posted)
		tu_reply_read(conn, env->request->id, 0, "ok", 2);
}

struct slot {
	int calls;
	int status;
};

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	struct slot *s = arg;

	(void)reply;
	s->calls++;
	s->status = status;
}

static const struct ob_conn_callbacks callbacks = {
	.on_message = on_message,
	.on_state = on_state,
};

static void open_pair(const char *name, const struct ob_conn_opts *opts, struct peer *srv,
		      struct peer *cli)
{
	char url[256];

	tu_url(url, sizeof(url), name);
	if (srv)
		assert_int_equal(ob_conn_listen(url, opts, &callbacks, srv, &srv->conn), 0);
	if (cli)
		assert_int_equal(ob_conn_dial(url, opts, &callbacks, cli, &cli->conn), 0);
}

struct state_wait {
	struct peer *p;
	int n;
};

static bool has_states(void *arg)
{
	struct state_wait *w = arg;

	return w->p->n_states >= w->n;
}

/* Pump until p has seen n on_state calls. */
static bool wait_states(ob_conn *a, ob_conn *b, struct peer *p, int n)
{
	struct state_wait w = {p, n};

	return b ? tu_pump2(a, b, has_states, &w, TU_WAIT_MS)
		 : tu_pump1(a, has_states, &w, TU_WAIT_MS);
}

static bool requests_at_least_1(void *arg)
{
	struct peer *p = arg;

	return atomic_load(&p->n_requests) >= 1;
}

static bool slot_done(void *arg)
{
	return ((struct slot *)arg)->calls > 0;
}

static void test_idle_peer_stays_up(void **state)
{
	struct ob_conn_opts opts = {.heartbeat_ms = HB_MS, .dead_ms = 1000};
	struct peer srv = {0}, cli = {0};
	struct ob_conn_stats st;

	(void)state;
	open_pair("idle", &opts, &srv, &cli);
	/* Nothing but heartbeats for longer than dead_ms: the pings keep
	 * both sides up. */
	tu_pump2(cli.conn, srv.conn, NULL, NULL, 1500);
	assert_int_equal(cli.n_states, 0);
	assert_int_equal(srv.n_states, 0);
	ob_conn_get_stats(cli.conn, &st);
	assert_true(st.up);
	assert_true(st.sent > 0 && st.received > 0);
	ob_conn_close(cli.conn, 0);
	ob_conn_close(srv.conn, 0);
}

static void test_peer_death_and_recovery(void **state)
{
	struct ob_conn_opts opts = {.heartbeat_ms = HB_MS, .dead_ms = DEAD_MS};
	struct peer srv = {0}, cli = {0}, srv2 = {.auto_reply = true};
	struct slot pending = {0}, after = {0};
	struct tu_read_req r;
	struct ob_conn_stats st;
	char url[256];

	(void)state;
	open_pair("death", &opts, &srv, &cli);
	tu_read_req_init(&r, 1, 1);
	assert_int_equal(ob_conn_call(cli.conn, &r.req, on_reply, &pending, NULL), 0);
	assert_true(tu_pump2(cli.conn, srv.conn, requests_at_least_1, &srv, TU_WAIT_MS));

	/* The server dies without answering. */
	ob_conn_close(srv.conn, 0);
	assert_true(wait_states(cli.conn, NULL, &cli, 1));
	assert_int_equal(cli.n_states, 1);
	assert_int_equal(cli.states[0], false);
	assert_int_equal(pending.calls, 1);
	assert_int_equal(pending.status, EIO);
	ob_conn_get_stats(cli.conn, &st);
	assert_false(st.up);
	assert_int_equal(st.in_flight, 0);
	/* No new calls to a peer that is down. */
	assert_int_equal(ob_conn_call(cli.conn, &r.req, on_reply, &after, NULL), -EIO);

	/* A new server on the same URL: the dialer reconnects, its pings get
	 * answered, and the peer is up again. */
	strcpy(url, ob_conn_url(cli.conn));
	assert_int_equal(ob_conn_listen(url, &opts, &callbacks, &srv2, &srv2.conn), 0);
	assert_true(wait_states(cli.conn, srv2.conn, &cli, 2));
	assert_int_equal(cli.n_states, 2);
	assert_int_equal(cli.states[1], true);

	assert_int_equal(ob_conn_call(cli.conn, &r.req, on_reply, &after, NULL), 0);
	assert_true(tu_pump2(cli.conn, srv2.conn, slot_done, &after, TU_WAIT_MS));
	assert_int_equal(after.status, 0);
	ob_conn_close(cli.conn, 0);
	ob_conn_close(srv2.conn, 0);
}

static bool received_more(void *arg)
{
	struct {
		ob_conn *conn;
		uint64_t n;
	} *w = arg;
	struct ob_conn_stats st;

	ob_conn_get_stats(w->conn, &st);
	return st.received > w->n;
}

static void test_peer_hang(void **state)
{
	struct ob_conn_opts opts = {.heartbeat_ms = HB_MS, .dead_ms = DEAD_MS};
	struct peer cli = {0};
	struct slot a = {0}, b = {0};
	struct tu_read_req r;
	struct ob_conn_stats st;
	char url[256];
	int raw;
	struct {
		ob_conn *conn;
		uint64_t n;
	} w;

	(void)state;
	/* A raw peer that accepts the connection and never says anything. */
	tu_url(url, sizeof(url), "hang");
	raw = tu_raw_bind(url);
	assert_int_equal(ob_conn_dial(url, &opts, &callbacks, &cli, &cli.conn), 0);
	tu_read_req_init(&r, 1, 1);
	assert_int_equal(ob_conn_call(cli.conn, &r.req, on_reply, &a, NULL), 0);
	r.req.deadline_ms = 60000;
	assert_int_equal(ob_conn_call(cli.conn, &r.req, on_reply, &b, NULL), 0);

	assert_true(wait_states(cli.conn, NULL, &cli, 1));
	assert_int_equal(cli.states[0], false);
	assert_int_equal(a.status, EIO);
	assert_int_equal(b.status, EIO);

	/* Garbage does not prove the peer alive... */
	ob_conn_get_stats(cli.conn, &st);
	w.conn = cli.conn;
	w.n = st.received;
	tu_raw_send(raw, "\x08", 1, cli.conn);
	assert_true(tu_pump1(cli.conn, received_more, &w, TU_WAIT_MS));
	assert_int_equal(cli.n_states, 1);

	/* ...any valid frame does. */
	tu_raw_ping(raw, 9, cli.conn);
	assert_true(wait_states(cli.conn, NULL, &cli, 2));
	assert_int_equal(cli.n_states, 2);
	assert_int_equal(cli.states[1], true);
	ob_conn_close(cli.conn, 0);
	tu_raw_close(raw);
}

static void send_input_event(ob_conn *conn, uint32_t key)
{
	Ob__Event ev = OB__EVENT__INIT;
	Ob__InputEvent in = OB__INPUT_EVENT__INIT;

	in.key = key;
	ev.event_case = OB__EVENT__EVENT_INPUT;
	ev.input = &in;
	assert_int_equal(ob_conn_event(conn, &ev), 0);
}

static void test_flush_barrier(void **state)
{
	struct ob_conn_opts opts = {.no_heartbeat = true};
	struct peer srv = {0}, cli = {0};
	struct tu_thread thr;
	ob_conn *lonely;
	char url[256];

	(void)state;
	open_pair("flush", &opts, &srv, &cli);
	tu_thread_start(&thr, srv.conn);
	for (uint32_t i = 0; i < 200; i++)
		send_input_event(cli.conn, i);
	/* When flush returns, the peer has received everything sent before. */
	assert_int_equal(ob_conn_flush(cli.conn, TU_WAIT_MS), 0);
	assert_int_equal(atomic_load(&srv.n_events), 200);
	tu_thread_stop(&thr);

	/* Without a peer the barrier cannot complete. */
	tu_url(url, sizeof(url), "nobody");
	assert_int_equal(ob_conn_dial(url, &opts, NULL, NULL, &lonely), 0);
	assert_int_equal(ob_conn_flush(lonely, 200), -ETIMEDOUT);
	ob_conn_close(lonely, 0);
	assert_int_equal(ob_conn_flush(NULL, 0), -ENOTCONN);
	ob_conn_close(cli.conn, 0);
	ob_conn_close(srv.conn, 0);
}

/* A listener whose peer was connected and hung up does not wait for a Pong
 * that cannot come (a Ctrl-C that ends the host before its plugins). */
static void test_flush_peer_hung_up(void **state)
{
	struct ob_conn_opts opts = {.no_heartbeat = true};
	struct peer srv = {0}, cli = {0};
	struct tu_thread thr;

	(void)state;
	open_pair("hungup", &opts, &srv, &cli);
	tu_thread_start(&thr, srv.conn);
	assert_int_equal(ob_conn_flush(cli.conn, TU_WAIT_MS), 0); /* connected */
	tu_thread_stop(&thr);
	ob_conn_close(cli.conn, 0);
	assert_int_equal(ob_conn_flush(srv.conn, TU_WAIT_MS), -ECONNRESET);
	ob_conn_close(srv.conn, 0);
}

#define BIG 16384

static int send_posted_write(ob_conn *conn)
{
	static uint8_t data[BIG];
	Ob__Request req = OB__REQUEST__INIT;
	Ob__FsWrite wr = OB__FS_WRITE__INIT;

	req.posted = true;
	req.call_case = OB__REQUEST__CALL_FS_WRITE;
	req.fs_write = &wr;
	wr.buf.data = data;
	wr.buf.len = sizeof(data);
	return ob_conn_call(conn, &req, NULL, NULL, NULL);
}

struct count_wait {
	struct peer *p;
	int n;
};

static bool requests_reached(void *arg)
{
	struct count_wait *w = arg;

	return atomic_load(&w->p->n_requests) >= w->n;
}

static void test_send_queue_slow_peer(void **state)
{
	struct ob_conn_opts opts = {.no_heartbeat = true};
	struct peer srv = {0}, cli = {0};
	struct count_wait w = {&srv, 300};
	struct ob_conn_stats st;
	struct pollfd pfds[2];

	(void)state;
	open_pair("slow", &opts, &srv, &cli);
	/* The server is not pumped: nanomsg fills up and frames queue. */
	for (int i = 0; i < 300; i++)
		assert_int_equal(send_posted_write(cli.conn), 0);
	ob_conn_get_stats(cli.conn, &st);
	assert_true(st.queued > 0);
	assert_int_equal(st.posted, 300);
	/* While frames wait, the send fd is polled too. */
	assert_int_equal(ob_conn_pollfds(cli.conn, pfds, 2), 2);
	assert_int_equal(pfds[1].events, POLLIN);
	assert_int_equal(ob_conn_pollfds(cli.conn, pfds, 1), 1);

	/* The peer catches up: every frame arrives, in order. */
	assert_true(tu_pump2(cli.conn, srv.conn, requests_reached, &w, TU_WAIT_MS));
	assert_int_equal(atomic_load(&srv.n_requests), 300);
	assert_int_equal(atomic_load(&srv.out_of_order), 0);
	ob_conn_get_stats(cli.conn, &st);
	assert_int_equal(st.queued, 0);
	assert_int_equal(ob_conn_pollfds(cli.conn, pfds, 2), 1);
	ob_conn_close(cli.conn, 0);
	ob_conn_close(srv.conn, 0);
}

static void test_send_queue_full(void **state)
{
	struct ob_conn_opts opts = {.no_heartbeat = true, .sendq_max = 4};
	struct peer srv = {0}, cli = {0};
	struct count_wait w = {&srv, 0};
	struct ob_conn_stats st;
	int rc = 0, sent = 0;

	(void)state;
	open_pair("full", &opts, &srv, &cli);
	while (sent < 2000 && (rc = send_posted_write(cli.conn)) == 0)
		sent++;
	assert_int_equal(rc, -ENOBUFS);
	ob_conn_get_stats(cli.conn, &st);
	assert_int_equal(st.queued, 4);
	assert_int_equal(st.posted, (uint64_t)sent); /* the refused one not counted */

	w.n = sent;
	assert_true(tu_pump2(cli.conn, srv.conn, requests_reached, &w, TU_WAIT_MS));
	assert_int_equal(atomic_load(&srv.n_requests), sent);
	assert_int_equal(send_posted_write(cli.conn), 0); /* room again */
	ob_conn_close(cli.conn, 0);
	ob_conn_close(srv.conn, 0);
}

static void test_close_flushes(void **state)
{
	struct ob_conn_opts opts = {.no_heartbeat = true};
	struct peer srv = {0}, cli = {0};
	struct ob_conn_stats st;
	struct tu_thread thr;

	(void)state;
	open_pair("closeflush", &opts, &srv, &cli);
	for (int i = 0; i < 100; i++)
		assert_int_equal(send_posted_write(cli.conn), 0);
	ob_conn_get_stats(cli.conn, &st);
	assert_true(st.queued > 0);
	/* nn_close would drop what is queued or inside nanomsg; close must
	 * drain it and wait for the barrier first. */
	tu_thread_start(&thr, srv.conn);
	ob_conn_close(cli.conn, TU_WAIT_MS);
	tu_thread_stop(&thr);
	assert_int_equal(atomic_load(&srv.n_requests), 100);
	ob_conn_close(srv.conn, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_peer_stays_up),
		cmocka_unit_test(test_peer_death_and_recovery),
		cmocka_unit_test(test_peer_hang),
		cmocka_unit_test(test_flush_barrier),
		cmocka_unit_test(test_flush_peer_hung_up),
		cmocka_unit_test(test_send_queue_slow_peer),
		cmocka_unit_test(test_send_queue_full),
		cmocka_unit_test(test_close_flushes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
