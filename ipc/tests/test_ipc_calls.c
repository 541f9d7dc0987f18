/*
 * Requests, replies, events, cancel and close on a real connection pair
 * (server listens, client dials, both pumped by this thread).
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
#include "outboard/errno.h"

#define MAX_SEEN 2048

/* What the server side saw. */
struct server {
	ob_conn *conn;
	int n_requests;
	uint64_t ids[MAX_SEEN];
	uint32_t fds[MAX_SEEN], counts[MAX_SEEN], deadlines[MAX_SEEN];
	bool posted[MAX_SEEN];
	bool auto_reply; /* answer fs_read at once: fd 99 -> ENOSYS, else "hello" */
};

/* What the client side saw. */
struct client {
	ob_conn *conn;
	int n_events;
	Ob__Event__EventCase event_cases[8];
	uint32_t event_values[8];
};

/* One call's completion. */
struct slot {
	int calls;
	int status;
	bool had_reply;
	uint64_t reply_id;
	uint32_t reply_status;
	size_t len;
	uint8_t data[16];
	int order;        /* completion order, from a shared counter */
	int call_after;   /* what ob_conn_call returned inside the callback */
	ob_conn *conn;    /* set: try a call from the callback */
};

static int completion_counter;

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	struct slot *s = arg;

	s->calls++;
	s->status = status;
	s->had_reply = reply != NULL;
	s->order = completion_counter++;
	if (reply) {
		s->reply_id = reply->id;
		s->reply_status = reply->status;
		if (reply->result_case == OB__REPLY__RESULT_FS_READ) {
			s->len = reply->fs_read->buf.len;
			memcpy(s->data, reply->fs_read->buf.data,
			       s->len < sizeof(s->data) ? s->len : sizeof(s->data));
		}
	}
	if (s->conn) {
		struct tu_read_req r;

		tu_read_req_init(&r, 1, 1);
		s->call_after = ob_conn_call(s->conn, &r.req, on_reply, s, NULL);
	}
}

static void server_on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct server *s = arg;
	const Ob__Request *req;
	int i;

	if (env->body_case != OB__ENVELOPE__BODY_REQUEST)
		return;
	req = env->request;
	i = s->n_requests++;
	assert_true(i < MAX_SEEN);
	s->ids[i] = req->id;
	s->posted[i] = req->posted;
	s->deadlines[i] = req->deadline_ms;
	if (req->call_case == OB__REQUEST__CALL_FS_READ) {
		s->fds[i] = req->fs_read->fd;
		s->counts[i] = req->fs_read->count;
	}
	if (s->auto_reply && !req->posted) {
		if (s->fds[i] == 99)
			tu_reply_read(conn, req->id, OB_ABI_ENOSYS, NULL, 0);
		else
			tu_reply_read(conn, req->id, 0, "hello", 5);
	}
}

static void client_on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct client *c = arg;
	const Ob__Event *ev;

	(void)conn;
	if (env->body_case != OB__ENVELOPE__BODY_EVENT || c->n_events >= 8)
		return;
	ev = env->event;
	c->event_cases[c->n_events] = ev->event_case;
	if (ev->event_case == OB__EVENT__EVENT_INPUT)
		c->event_values[c->n_events] = ev->input->key;
	else if (ev->event_case == OB__EVENT__EVENT_VSYNC)
		c->event_values[c->n_events] = (uint32_t)ev->vsync->frame;
	c->n_events++;
}

struct fixture {
	struct server srv;
	struct client cli;
};

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	struct ob_conn_callbacks scb = {.on_message = server_on_message};
	struct ob_conn_callbacks ccb = {.on_message = client_on_message};
	struct ob_conn_opts opts = {.no_heartbeat = true};
	char url[256], name[32];

	assert_non_null(f);
	snprintf(name, sizeof(name), "calls%d", n++);
	tu_url(url, sizeof(url), name);
	opts.name = "server";
	assert_int_equal(ob_conn_listen(url, &opts, &scb, &f->srv, &f->srv.conn), 0);
	opts.name = "client";
	assert_int_equal(ob_conn_dial(url, &opts, &ccb, &f->cli, &f->cli.conn), 0);
	completion_counter = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ob_conn_close(f->cli.conn, 0);
	ob_conn_close(f->srv.conn, 0);
	free(f);
	return 0;
}

struct slots_done {
	struct slot *slots;
	int n;
};

static bool all_completed(void *arg)
{
	struct slots_done *d = arg;

	for (int i = 0; i < d->n; i++) {
		if (d->slots[i].calls == 0)
			return false;
	}
	return true;
}

static bool server_has(void *arg)
{
	struct server *s = arg;

	return s->n_requests >= 1;
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct slot slots[2] = {{0}};
	struct slots_done done = {slots, 2};
	struct tu_read_req ok, nosys;
	uint64_t id_ok, id_nosys;
	struct ob_conn_stats st;

	f->srv.auto_reply = true;
	tu_read_req_init(&ok, 3, 64);
	tu_read_req_init(&nosys, 99, 1);
	assert_int_equal(ob_conn_call(f->cli.conn, &ok.req, on_reply, &slots[0], &id_ok), 0);
	assert_int_equal(ob_conn_call(f->cli.conn, &nosys.req, on_reply, &slots[1], &id_nosys), 0);
	assert_int_not_equal(id_ok, 0);
	assert_int_not_equal(id_ok, id_nosys);
	assert_int_equal(ok.req.id, id_ok); /* written back into the request */

	assert_true(tu_pump2(f->cli.conn, f->srv.conn, all_completed, &done, TU_WAIT_MS));

	/* The server saw the request as sent. */
	assert_int_equal(f->srv.n_requests, 2);
	assert_int_equal(f->srv.ids[0], id_ok);
	assert_int_equal(f->srv.fds[0], 3);
	assert_int_equal(f->srv.counts[0], 64);

	/* Success: status 0, the reply with its id and payload. */
	assert_int_equal(slots[0].calls, 1);
	assert_int_equal(slots[0].status, 0);
	assert_true(slots[0].had_reply);
	assert_int_equal(slots[0].reply_id, id_ok);
	assert_int_equal(slots[0].len, 5);
	assert_memory_equal(slots[0].data, "hello", 5);

	/* Failure: the ABI status reaches the callback as a host errno. */
	assert_int_equal(slots[1].calls, 1);
	assert_int_equal(slots[1].status, ENOSYS);
	assert_true(slots[1].had_reply);
	assert_int_equal(slots[1].reply_status, OB_ABI_ENOSYS);
	assert_int_equal(slots[1].reply_id, id_nosys);

	ob_conn_get_stats(f->cli.conn, &st);
	assert_int_equal(st.requests, 2);
	assert_int_equal(st.replies, 2);
	assert_int_equal(st.in_flight, 0);
	assert_int_equal(st.max_in_flight, 2);
	assert_int_equal(st.unmatched, 0);
	assert_int_equal(st.dropped, 0);
	ob_conn_get_stats(f->srv.conn, &st);
	assert_int_equal(st.requests, 2);
	assert_int_equal(st.replies, 2);
}

#define N_PIPELINED 1000

static bool server_has_all(void *arg)
{
	struct server *s = arg;

	return s->n_requests >= N_PIPELINED;
}

static void test_pipelined_shuffled(void **state)
{
	struct fixture *f = *state;
	struct slot *slots = calloc(N_PIPELINED, sizeof(*slots));
	struct slots_done done = {slots, N_PIPELINED};
	int order[N_PIPELINED];
	uint64_t ids[N_PIPELINED];
	uint64_t seed = 0x1234567u;
	bool in_send_order = true;
	struct ob_conn_stats st;

	assert_non_null(slots);
	for (int i = 0; i < N_PIPELINED; i++) {
		struct tu_read_req r;

		tu_read_req_init(&r, 1, (uint32_t)i);
		assert_int_equal(ob_conn_call(f->cli.conn, &r.req, on_reply, &slots[i], &ids[i]), 0);
	}
	ob_conn_get_stats(f->cli.conn, &st);
	assert_int_equal(st.in_flight, N_PIPELINED);

	/* The server collects every request before answering any. */
	assert_true(tu_pump2(f->cli.conn, f->srv.conn, server_has_all, &f->srv, TU_WAIT_MS));
	assert_int_equal(f->srv.n_requests, N_PIPELINED);
	for (int i = 0; i < N_PIPELINED; i++)
		order[i] = i;
	for (int i = N_PIPELINED - 1; i > 0; i--) {
		int j = (int)(tu_rand(&seed) % (uint64_t)(i + 1));
		int t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (int k = 0; k < N_PIPELINED; k++) {
		int i = order[k];
		uint32_t payload = f->srv.counts[i];

		tu_reply_read(f->srv.conn, f->srv.ids[i], 0, &payload, sizeof(payload));
	}
	assert_true(tu_pump2(f->cli.conn, f->srv.conn, all_completed, &done, TU_WAIT_MS));

	for (int i = 0; i < N_PIPELINED; i++) {
		uint32_t payload;

		assert_int_equal(slots[i].calls, 1);
		assert_int_equal(slots[i].status, 0);
		assert_int_equal(slots[i].reply_id, ids[i]);
		assert_int_equal(slots[i].len, sizeof(payload));
		memcpy(&payload, slots[i].data, sizeof(payload));
		assert_int_equal(payload, (uint32_t)i);
		if (slots[i].order != i)
			in_send_order = false;
	}
	assert_false(in_send_order); /* the replies really came back shuffled */
	ob_conn_get_stats(f->cli.conn, &st);
	assert_int_equal(st.in_flight, 0);
	assert_int_equal(st.max_in_flight, N_PIPELINED);
	assert_int_equal(st.replies, N_PIPELINED);
	assert_int_equal(st.unmatched, 0);
	free(slots);
}

static bool client_unmatched(void *arg)
{
	struct ob_conn_stats st;

	ob_conn_get_stats(arg, &st);
	return st.unmatched >= 1;
}

static void test_deadline_expires(void **state)
{
	struct fixture *f = *state;
	struct slot slot = {0};
	struct slots_done done = {&slot, 1};
	struct tu_read_req r;
	struct ob_conn_stats st;
	uint64_t id;

	tu_read_req_init(&r, 1, 1);
	r.req.deadline_ms = 100;
	assert_int_equal(ob_conn_call(f->cli.conn, &r.req, on_reply, &slot, &id), 0);
	assert_true(ob_conn_timeout(f->cli.conn) >= 0); /* a deadline to wait for */

	/* The server takes the request and never answers. */
	assert_true(tu_pump2(f->cli.conn, f->srv.conn, all_completed, &done, TU_WAIT_MS));
	assert_int_equal(slot.calls, 1);
	assert_int_equal(slot.status, ETIMEDOUT);
	assert_false(slot.had_reply);
	assert_int_equal(f->srv.n_requests, 1);
	assert_int_equal(f->srv.deadlines[0], 100);
	ob_conn_get_stats(f->cli.conn, &st);
	assert_int_equal(st.timeouts, 1);
	assert_int_equal(st.in_flight, 0);

	/* A late reply matches nothing: counted, not delivered. */
	tu_reply_read(f->srv.conn, id, 0, "late", 4);
	assert_true(tu_pump2(f->cli.conn, f->srv.conn, client_unmatched, f->cli.conn,
			     TU_WAIT_MS));
	assert_int_equal(slot.calls, 1);
	assert_int_equal(slot.status, ETIMEDOUT);
}

static void test_posted(void **state)
{
	struct fixture *f = *state;
	struct slot slot = {0};
	struct tu_read_req r;
	struct ob_conn_stats st;
	uint64_t id = 0;

	tu_read_req_init(&r, 5, 6);
	r.req.posted = true;
	assert_int_equal(ob_conn_call(f->cli.conn, &r.req, on_reply, &slot, NULL), -EINVAL);
	assert_int_equal(ob_conn_call(f->cli.conn, &r.req, NULL, NULL, &id), 0);
	assert_int_not_equal(id, 0);
	ob_conn_get_stats(f->cli.conn, &st);
	assert_int_equal(st.in_flight, 0); /* no reply is tracked */
	assert_int_equal(st.posted, 1);
	assert_int_equal(st.requests, 0);

	assert_true(tu_pump2(f->cli.conn, f->srv.conn, server_has, &f->srv, TU_WAIT_MS));
	assert_int_equal(f->srv.ids[0], id);
	assert_true(f->srv.posted[0]);
	assert_int_equal(f->srv.fds[0], 5);
	ob_conn_get_stats(f->srv.conn, &st);
	assert_int_equal(st.posted, 1);
	assert_int_equal(st.requests, 0);

	/* A call that is not posted needs a callback. */
	r.req.posted = false;
	assert_int_equal(ob_conn_call(f->cli.conn, &r.req, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(slot.calls, 0);
}

static bool two_events(void *arg)
{
	struct client *c = arg;

	return c->n_events >= 2;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

/* ob_conn_hold: replies and events wait, deadlines stand still; release
 * delivers them in order. */
static void test_hold(void **state)
{
	struct fixture *f = *state;
	struct slot slot = {0};
	struct tu_read_req r;
	struct ob_conn_stats st;
	Ob__Event ev = OB__EVENT__INIT;
	Ob__DisplayVsync vs = OB__DISPLAY_VSYNC__INIT;
	uint64_t id;

	assert_int_equal(ob_conn_hold(NULL, true), -EINVAL);
	assert_int_equal(ob_conn_hold(f->cli.conn, true), 0);
	assert_int_equal(ob_conn_hold(f->cli.conn, true), 0); /* twice is once */
	f->srv.auto_reply = true;
	tu_read_req_init(&r, 3, 64);
	r.req.deadline_ms = 100;
	assert_int_equal(ob_conn_call(f->cli.conn, &r.req, on_reply, &slot, &id), 0);
	vs.frame = 9;
	ev.event_case = OB__EVENT__EVENT_VSYNC;
	ev.vsync = &vs;
	assert_int_equal(ob_conn_event(f->srv.conn, &ev), 0);

	/* Well past the deadline: the reply and the event arrive and wait. */
	assert_false(tu_pump2(f->cli.conn, f->srv.conn, never, NULL, 400));
	assert_int_equal(f->srv.n_requests, 1);
	assert_int_equal(slot.calls, 0);
	assert_int_equal(f->cli.n_events, 0);
	assert_int_equal(ob_conn_timeout(f->cli.conn) == 0, false); /* no deadline due */
	ob_conn_get_stats(f->cli.conn, &st);
	assert_int_equal(st.timeouts, 0);
	assert_int_equal(st.in_flight, 1);
	assert_true(st.up);

	/* Released: both delivered now, the reply with its data. */
	assert_int_equal(ob_conn_hold(f->cli.conn, false), 0);
	assert_int_equal(f->cli.n_events, 1);
	assert_int_equal(f->cli.event_values[0], 9);
	assert_int_equal(slot.calls, 1);
	assert_int_equal(slot.status, 0);
	assert_int_equal(slot.reply_id, id);
	assert_memory_equal(slot.data, "hello", 5);
	ob_conn_get_stats(f->cli.conn, &st);
	assert_int_equal(st.timeouts, 0);
	assert_int_equal(st.in_flight, 0);
}

static void test_events(void **state)
{
	struct fixture *f = *state;
	Ob__Event ev = OB__EVENT__INIT;
	Ob__InputEvent in = OB__INPUT_EVENT__INIT;
	Ob__DisplayVsync vs = OB__DISPLAY_VSYNC__INIT;
	struct ob_conn_stats st;

	in.kind = OB__INPUT_EVENT__KIND__KIND_KEY_DOWN;
	in.key = 42;
	ev.event_case = OB__EVENT__EVENT_INPUT;
	ev.input = &in;
	assert_int_equal(ob_conn_event(f->srv.conn, &ev), 0);
	vs.frame = 7;
	ev.event_case = OB__EVENT__EVENT_VSYNC;
	ev.vsync = &vs;
	assert_int_equal(ob_conn_event(f->srv.conn, &ev), 0);
	assert_int_equal(ob_conn_event(f->srv.conn, NULL), -EINVAL);

	assert_true(tu_pump2(f->cli.conn, f->srv.conn, two_events, &f->cli, TU_WAIT_MS));
	assert_int_equal(f->cli.n_events, 2);
	assert_int_equal(f->cli.event_cases[0], OB__EVENT__EVENT_INPUT);
	assert_int_equal(f->cli.event_values[0], 42);
	assert_int_equal(f->cli.event_cases[1], OB__EVENT__EVENT_VSYNC);
	assert_int_equal(f->cli.event_values[1], 7);
	ob_conn_get_stats(f->cli.conn, &st);
	assert_int_equal(st.events, 2);
	ob_conn_get_stats(f->srv.conn, &st);
	assert_int_equal(st.events, 2);
}

static bool b_completed(void *arg)
{
	struct slot *b = arg;

	return b->calls > 0;
}

static void test_cancel(void **state)
{
	struct fixture *f = *state;
	struct slot a = {0}, b = {0};
	struct tu_read_req ra, rb;
	struct ob_conn_stats st;
	uint64_t ida, idb;

	tu_read_req_init(&ra, 1, 1);
	tu_read_req_init(&rb, 2, 2);
	assert_int_equal(ob_conn_call(f->cli.conn, &ra.req, on_reply, &a, &ida), 0);
	assert_int_equal(ob_conn_call(f->cli.conn, &rb.req, on_reply, &b, &idb), 0);
	assert_int_equal(ob_conn_cancel(f->cli.conn, ida), 0);
	assert_int_equal(ob_conn_cancel(f->cli.conn, ida), -ENOENT);
	assert_int_equal(ob_conn_cancel(f->cli.conn, 123456), -ENOENT);
	ob_conn_get_stats(f->cli.conn, &st);
	assert_int_equal(st.in_flight, 1);

	/* The server answers both; only b's callback runs. A's reply comes
	 * first, so once b completed a's reply has been handled too. */
	f->srv.auto_reply = true;
	assert_true(tu_pump2(f->cli.conn, f->srv.conn, b_completed, &b, TU_WAIT_MS));
	assert_int_equal(a.calls, 0);
	assert_int_equal(b.calls, 1);
	assert_int_equal(b.status, 0);
	ob_conn_get_stats(f->cli.conn, &st);
	assert_int_equal(st.unmatched, 1);
	assert_int_equal(st.in_flight, 0);
}

static void test_close_cancels_outstanding(void **state)
{
	struct fixture *f = *state;
	struct slot slots[3] = {{0}};

	for (int i = 0; i < 3; i++) {
		struct tu_read_req r;

		tu_read_req_init(&r, 1, 1);
		r.req.deadline_ms = i == 0 ? 60000 : 0;
		slots[i].conn = f->cli.conn; /* calls from the callback must fail */
		assert_int_equal(ob_conn_call(f->cli.conn, &r.req, on_reply, &slots[i], NULL), 0);
	}
	ob_conn_close(f->cli.conn, 0);
	f->cli.conn = NULL;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(slots[i].calls, 1);
		assert_int_equal(slots[i].status, ECANCELED);
		assert_false(slots[i].had_reply);
		assert_int_equal(slots[i].call_after, -ENOTCONN);
	}
}

static void test_bad_arguments(void **state)
{
	struct fixture *f = *state;
	Ob__Envelope empty = OB__ENVELOPE__INIT;
	struct ob_conn_opts bad = {.heartbeat_ms = 500, .dead_ms = 500};
	struct ob_conn_opts huge = {.max_message = 0x40000000u};
	ob_conn *c = (ob_conn *)&c;
	char url[256];

	tu_url(url, sizeof(url), "bad");
	assert_int_equal(ob_conn_send(f->cli.conn, NULL), -EINVAL);
	assert_int_equal(ob_conn_send(f->cli.conn, &empty), -EINVAL);
	assert_int_equal(ob_conn_call(f->cli.conn, NULL, on_reply, NULL, NULL), -EINVAL);
	assert_int_equal(ob_conn_reply(f->cli.conn, NULL), -EINVAL);
	assert_int_equal(ob_conn_send(NULL, &empty), -ENOTCONN);
	assert_int_equal(ob_conn_process(NULL), -ENOTCONN);
	assert_int_equal(ob_conn_cancel(NULL, 1), -EINVAL);

	assert_int_equal(ob_conn_listen("inproc://x", NULL, NULL, NULL, &c), -EINVAL);
	assert_null(c);
	assert_int_equal(ob_conn_dial("ipc://", NULL, NULL, NULL, &c), -EINVAL);
	assert_int_equal(ob_conn_dial(NULL, NULL, NULL, NULL, &c), -EINVAL);
	assert_int_equal(ob_conn_dial(url, NULL, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(ob_conn_dial(url, &bad, NULL, NULL, &c), -EINVAL);
	assert_int_equal(ob_conn_dial(url, &huge, NULL, NULL, &c), -EINVAL);
	/* nanomsg's own refusal comes back as its errno. (Not a failing
	 * bind such as EADDRINUSE here: nanomsg 1.1.5 leaks its endpoint
	 * then, nanomsg issue #932, which the leak checkers would report.) */
	assert_int_equal(ob_conn_listen("tcp://*:notaport", NULL, NULL, NULL, &c), -EINVAL);
	assert_null(c);

	/* Defaults: name falls back to the url. */
	assert_int_equal(ob_conn_dial(url, NULL, NULL, NULL, &c), 0);
	assert_string_equal(ob_conn_name(c), url);
	assert_string_equal(ob_conn_url(c), url);
	ob_conn_close(c, 5000); /* nothing was sent: returns without waiting */
	ob_conn_close(NULL, 0);
	assert_string_equal(ob_conn_name(f->cli.conn), "client");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_shuffled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_cancels_outstanding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
