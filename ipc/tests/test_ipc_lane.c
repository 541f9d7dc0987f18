/*
 * The request lane (ob_conn_attach_lane): a real connection pair (server
 * listens, client dials, both pumped by this thread) whose frames move to
 * a unix socket pair. Calls and replies keep their order through partial
 * writes; a lane that ends falls back to nanomsg; bad frames on a lane are
 * dropped; a lane replaced from inside a callback, as the Hello exchange
 * does, loses nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "ipc_test_util.h"
#include "outboard/key.h"

#define MAX_MESSAGE (2u << 20)
#define CALLS 64
#define SWITCH_FD 77 /* a request that makes the server switch lanes */

struct fixture {
	ob_conn *srv, *cli;
	uint8_t *payload;     /* reply bytes: payload[i] = i * 7 */
	int requests;         /* seen by the server */
	int switched;         /* lanes the client took after a SWITCH_FD reply */
	int next_lane;        /* the client's end of the server's new lane */
	uint64_t order_errors;
	uint64_t last_id;
};

/* Server: answer fs_read(fd, count) with count bytes of the payload, and
 * for SWITCH_FD answer first and then move to a new lane, handing the
 * other end to the client (as a plugin answers a Hello, then switches). */
static void server_on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct fixture *f = arg;

	if (env->body_case != OB__ENVELOPE__BODY_REQUEST)
		return;
	const Ob__Request *req = env->request;
	f->requests++;
	if (req->id <= f->last_id)
		f->order_errors++;
	f->last_id = req->id;
	if (req->posted)
		return;
	tu_reply_read(conn, req->id, 0, f->payload, req->fs_read->count);
	if (req->fs_read->fd == SWITCH_FD) {
		int sv[2];

		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
		assert_int_equal(ob_conn_attach_lane(conn, sv[0]), 0);
		f->next_lane = sv[1];
	}
}

struct slot {
	struct fixture *f;
	int calls, status;
	size_t len;
	bool data_ok;
	bool switch_after;
};

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	struct slot *s = arg;

	s->calls++;
	s->status = status;
	if (reply && reply->result_case == OB__REPLY__RESULT_FS_READ) {
		s->len = reply->fs_read->buf.len;
		s->data_ok = memcmp(reply->fs_read->buf.data, s->f->payload, s->len) == 0;
	}
	if (s->switch_after) { /* inside the client's receive loop, maybe the lane's */
		assert_true(s->f->next_lane >= 0);
		assert_int_equal(ob_conn_attach_lane(s->f->cli, s->f->next_lane), 0);
		s->f->next_lane = -1;
		s->f->switched++;
	}
}

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	struct ob_conn_callbacks scb = {.on_message = server_on_message};
	struct ob_conn_opts opts = {.no_heartbeat = true, .max_message = MAX_MESSAGE};
	char url[256], name[32];

	assert_non_null(f);
	f->payload = malloc(MAX_MESSAGE);
	assert_non_null(f->payload);
	for (size_t i = 0; i < MAX_MESSAGE; i++)
		f->payload[i] = (uint8_t)(i * 7);
	f->next_lane = -1;
	snprintf(name, sizeof(name), "lane%d", n++);
	tu_url(url, sizeof(url), name);
	assert_int_equal(ob_conn_listen(url, &opts, &scb, f, &f->srv), 0);
	assert_int_equal(ob_conn_dial(url, &opts, NULL, NULL, &f->cli), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ob_conn_close(f->cli, 0);
	ob_conn_close(f->srv, 0);
	if (f->next_lane >= 0)
		close(f->next_lane);
	free(f->payload);
	free(f);
	return 0;
}

static bool slot_done(void *arg)
{
	return ((struct slot *)arg)->calls > 0;
}

/* One call of count bytes, pumped to its reply; asserts the bytes came. */
static void call_ok(struct fixture *f, uint32_t fd, uint32_t count, bool switch_after)
{
	struct slot s = {.f = f, .switch_after = switch_after};
	struct tu_read_req r;

	tu_read_req_init(&r, fd, count);
	assert_int_equal(ob_conn_call(f->cli, &r.req, on_reply, &s, NULL), 0);
	assert_true(tu_pump2(f->cli, f->srv, slot_done, &s, TU_WAIT_MS));
	assert_int_equal(s.status, 0);
	assert_int_equal(s.len, count);
	assert_true(s.data_ok);
}

static void attach_pair(struct fixture *f)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(ob_conn_attach_lane(f->cli, sv[0]), 0);
	assert_int_equal(ob_conn_attach_lane(f->srv, sv[1]), 0);
	assert_true(ob_conn_has_lane(f->cli));
	assert_true(ob_conn_has_lane(f->srv));
}

static struct ob_conn_stats stats(ob_conn *c)
{
	struct ob_conn_stats st;

	ob_conn_get_stats(c, &st);
	return st;
}

/* Calls of every size up to a frame larger than the socket's buffer go
 * over the lane, not nanomsg, and come back whole. */
static void test_calls_over_lane(void **state)
{
	struct fixture *f = *state;

	call_ok(f, 1, 5, false); /* over nanomsg: both ends connected */
	attach_pair(f);
	uint64_t cli_before = stats(f->cli).lane_sent;
	for (uint32_t count = 1; count <= (1u << 20); count *= 4)
		call_ok(f, 1, count, false);
	struct ob_conn_stats c = stats(f->cli), s = stats(f->srv);
	assert_int_equal(c.lane_sent - cli_before, 11);
	assert_int_equal(s.lane_received, 11);
	assert_int_equal(s.lane_sent, 11);
	assert_int_equal(c.lane_received, 11);
	assert_true(c.lane);
	assert_int_equal(f->order_errors, 0);
}

static bool all_done(void *arg)
{
	struct slot *s = arg;

	for (int i = 0; i < CALLS; i++)
		if (s[i].calls == 0)
			return false;
	return true;
}

/* Many calls in flight with replies far larger than the socket takes at
 * once: partial writes wait in the queue, frames stay whole and in order. */
static void test_backpressure_keeps_order(void **state)
{
	struct fixture *f = *state;
	struct slot s[CALLS];

	attach_pair(f);
	for (int i = 0; i < CALLS; i++) {
		struct tu_read_req r, post;

		s[i] = (struct slot){.f = f};
		tu_read_req_init(&r, 1, 300000 + (uint32_t)i);
		assert_int_equal(ob_conn_call(f->cli, &r.req, on_reply, &s[i], NULL), 0);
		/* A posted one between, so order covers both kinds. */
		tu_read_req_init(&post, 2, 1);
		post.req.posted = true;
		assert_int_equal(ob_conn_call(f->cli, &post.req, NULL, NULL, NULL), 0);
	}
	assert_true(tu_pump2(f->cli, f->srv, all_done, s, TU_WAIT_MS));
	for (int i = 0; i < CALLS; i++) {
		assert_int_equal(s[i].status, 0);
		assert_int_equal(s[i].len, 300000 + (size_t)i);
		assert_true(s[i].data_ok);
	}
	assert_int_equal(f->requests, 2 * CALLS);
	assert_int_equal(f->order_errors, 0);
	assert_int_equal(stats(f->srv).lane_drops, 0);
}

/* The peer closes its end: the next frame goes through nanomsg, whole. */
static void test_closed_lane_falls_back(void **state)
{
	struct fixture *f = *state;

	call_ok(f, 1, 5, false);
	attach_pair(f);
	call_ok(f, 1, 100, false);
	ob_conn_detach_lane(f->srv);
	assert_false(ob_conn_has_lane(f->srv));
	call_ok(f, 1, 200000, false); /* the client's write finds the lane gone */
	call_ok(f, 1, 7, false);
	assert_false(ob_conn_has_lane(f->cli));
	assert_int_equal(stats(f->cli).lane_drops, 1);
	assert_int_equal(f->order_errors, 0);
}

/* As a Hello does: the server answers over the old lane and moves to a new
 * one inside its callback; the client moves inside its reply callback,
 * which runs from the old lane's receive loop. */
static void test_switch_inside_callbacks(void **state)
{
	struct fixture *f = *state;

	call_ok(f, 1, 5, false);
	attach_pair(f);
	for (int i = 0; i < 3; i++) {
		call_ok(f, SWITCH_FD, 64, true);
		call_ok(f, 1, 70000, false);
	}
	assert_int_equal(f->switched, 3);
	assert_int_equal(stats(f->cli).lane_drops, 0);
	assert_true(ob_conn_has_lane(f->cli));
	assert_int_equal(f->order_errors, 0);
}

static void write_all(int fd, const void *p, size_t len)
{
	assert_int_equal(write(fd, p, len), (ssize_t)len);
}

static void write_frame(int fd, const void *p, uint32_t len)
{
	uint8_t hdr[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
			  (uint8_t)(len >> 24)};

	write_all(fd, hdr, 4);
	write_all(fd, p, len);
}

static bool dropped_one(void *arg)
{
	return stats(arg).dropped >= 1;
}

static bool lane_gone(void *arg)
{
	return !ob_conn_has_lane(arg);
}

/* A raw peer on the lane: garbage that decodes to nothing is dropped and
 * counted while the lane goes on; a Ping is answered over the lane; a
 * length over the limit ends the lane, and nanomsg still works. */
static void test_bad_frames_on_lane(void **state)
{
	struct fixture *f = *state;
	int sv[2];
	uint8_t junk[] = {0xff, 0xff, 0xff, 0x01, 0x02};

	call_ok(f, 1, 5, false);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(ob_conn_attach_lane(f->srv, sv[0]), 0);
	write_frame(sv[1], junk, sizeof(junk));
	assert_true(tu_pump1(f->srv, dropped_one, f->srv, TU_WAIT_MS));
	assert_true(ob_conn_has_lane(f->srv));

	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Ping ping = OB__PING__INIT;
	uint8_t buf[64], in[64];
	ping.seq = 4242;
	env.body_case = OB__ENVELOPE__BODY_PING;
	env.ping = &ping;
	size_t len = ob__envelope__pack(&env, buf);
	write_frame(sv[1], buf, (uint32_t)len);
	tu_pump1(f->srv, NULL, NULL, 100);
	ssize_t got = recv(sv[1], in, sizeof(in), MSG_DONTWAIT);
	assert_true(got > 4);
	uint32_t flen = in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 |
			(uint32_t)in[3] << 24;
	assert_int_equal(flen + 4, (uint32_t)got);
	Ob__Envelope *pong = ob__envelope__unpack(NULL, flen, in + 4);
	assert_non_null(pong);
	assert_int_equal(pong->body_case, OB__ENVELOPE__BODY_PONG);
	assert_int_equal(pong->pong->seq, 4242);
	ob__envelope__free_unpacked(pong, NULL);

	uint8_t huge[4] = {0xff, 0xff, 0xff, 0x7f};
	write_all(sv[1], huge, sizeof(huge));
	assert_true(tu_pump1(f->srv, lane_gone, f->srv, TU_WAIT_MS));
	call_ok(f, 1, 9, false);
	close(sv[1]);
}

/* A lane is for keyless local peers; a bad descriptor is refused. */
static void test_attach_refused(void **state)
{
	(void)state;
	uint8_t key[OB_KEY_BYTES];
	struct ob_conn_opts opts = {.no_heartbeat = true, .key = key};
	char url[256];
	ob_conn *keyed;
	int sv[2];

	memset(key, 7, sizeof(key));
	tu_url(url, sizeof(url), "lane_keyed");
	assert_int_equal(ob_conn_listen(url, &opts, NULL, NULL, &keyed), 0);
	assert_false(ob_conn_lane_possible(keyed));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(ob_conn_attach_lane(keyed, sv[0]), -EPERM); /* and closed */
	assert_false(ob_conn_has_lane(keyed));
	assert_int_equal(write(sv[1], "x", 1), -1); /* the other end is gone */
	close(sv[1]);
	assert_int_equal(ob_conn_attach_lane(keyed, -1), -EBADF);
	assert_int_equal(ob_conn_lane_fd(keyed), -1);
	ob_conn_close(keyed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_calls_over_lane, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backpressure_keeps_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closed_lane_falls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_switch_inside_callbacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frames_on_lane, setup, teardown),
		cmocka_unit_test(test_attach_refused),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
