/* Shared fixture of the authentication tests: see auth_fixture.h. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <nanomsg/nn.h>
#include <sodium.h>

#include "auth_fixture.h"
#include "outboard/log.h"

uint8_t af_key_a[OB_KEY_BYTES], af_key_b[OB_KEY_BYTES];

/* ------------------------------------------------------------- one side */

void answer_hello(ob_conn *conn)
{
	Ob__Hello h;

	ob__hello__init(&h);
	h.role = (char *)(uintptr_t)"plugin";
	assert_int_equal(ob_conn_hello(conn, &h), 0);
}

static void on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct side *s = arg;
	const Ob__Request *req = env->request;

	s->messages++;
	if (env->body_case == OB__ENVELOPE__BODY_EVENT)
		s->events++;
	if (env->body_case == OB__ENVELOPE__BODY_HELLO) {
		s->hellos++;
		if (s->serve)
			answer_hello(conn);
	}
	if (env->body_case != OB__ENVELOPE__BODY_REQUEST)
		return;
	s->requests++;
	if (req->call_case == OB__REQUEST__CALL_FS_OPEN)
		snprintf(s->last_path, sizeof(s->last_path), "%s", req->fs_open->path);
	if (s->serve && !req->posted)
		tu_reply_read(conn, req->id, 0, "pong", 4);
}

static void on_error(void *arg, ob_conn *conn, int err, const char *what)
{
	struct side *s = arg;

	(void)conn;
	assert_non_null(what);
	s->errors++;
	if (err == EACCES)
		s->eacces++;
}

static void on_state(void *arg, ob_conn *conn, bool up)
{
	struct side *s = arg;

	(void)conn;
	if (!up)
		s->downs++;
}

const struct ob_conn_callbacks af_cbs = {
	.on_message = on_message,
	.on_error = on_error,
	.on_state = on_state,
};

struct ob_conn_opts af_opts(const uint8_t *key, const char *name, bool heartbeat)
{
	return (struct ob_conn_opts){
		.name = name,
		.heartbeat_ms = 100,
		.dead_ms = 1500,
		.no_heartbeat = !heartbeat,
		.auth_timeout_ms = 1000,
		.key = key,
	};
}

void listen_side(struct side *s, char *url, size_t size, const uint8_t *key,
			bool heartbeat)
{
	struct ob_conn_opts o = af_opts(key, "listener", heartbeat);

	memset(s, 0, sizeof(*s));
	s->serve = true;
	s->conn = tu_listen_tcp(url, size, &o, &af_cbs, s);
}

void dial_side(struct side *s, const char *url, const uint8_t *key, bool heartbeat)
{
	struct ob_conn_opts o = af_opts(key, "dialer", heartbeat);

	memset(s, 0, sizeof(*s));
	assert_int_equal(ob_conn_dial(url, &o, &af_cbs, s, &s->conn), 0);
}

void close_side(struct side *s)
{
	ob_conn_close(s->conn, 0);
	s->conn = NULL;
}

struct ob_conn_stats af_stats(const struct side *s)
{
	struct ob_conn_stats st;

	ob_conn_get_stats(s->conn, &st);
	return st;
}

/* ------------------------------------------------------------- waiting */

/* Run the sides (either may be NULL) and the relay (may be NULL). */
bool af_run(struct relay *r, struct side *a, struct side *b, bool (*cond)(void *arg),
		void *arg)
{
	ob_conn *conns[2];
	int n = 0;

	if (r)
		return relay_run(r, a ? a->conn : NULL, b ? b->conn : NULL, cond, arg, TU_WAIT_MS);
	if (a)
		conns[n++] = a->conn;
	if (b)
		conns[n++] = b->conn;
	return tu_pump(conns, n, cond, arg, TU_WAIT_MS);
}

struct int_wait {
	const int *value;
	int target;
};

static bool int_reached(void *arg)
{
	const struct int_wait *w = arg;

	return *w->value >= w->target;
}

bool wait_int(struct relay *r, struct side *a, struct side *b, const int *value,
		     int target)
{
	struct int_wait w = { value, target };

	return af_run(r, a, b, int_reached, &w);
}

/* A uint64_t counter of struct ob_conn_stats, by offset. */
struct stat_wait {
	const struct side *s;
	size_t offset;
	uint64_t target;
};

static bool stat_reached(void *arg)
{
	const struct stat_wait *w = arg;
	struct ob_conn_stats st = af_stats(w->s);
	uint64_t v;

	memcpy(&v, (const char *)&st + w->offset, sizeof(v));
	return v >= w->target;
}

bool wait_stat(struct relay *r, struct side *a, struct side *b, const struct side *s,
		      size_t offset, uint64_t target)
{
	struct stat_wait w = { s, offset, target };

	return af_run(r, a, b, stat_reached, &w);
}

/* ------------------------------------------------------------- calls */

void af_on_reply(void *arg, int status, const Ob__Reply *reply)
{
	struct box *b = arg;

	b->done = true;
	b->status = status;
	if (reply && reply->result_case == OB__REPLY__RESULT_FS_READ) {
		b->len = reply->fs_read->buf.len < sizeof(b->data) ? reply->fs_read->buf.len
								   : sizeof(b->data);
		memcpy(b->data, reply->fs_read->buf.data, b->len);
	}
}

bool box_done(void *arg)
{
	return ((const struct box *)arg)->done;
}

uint64_t start_call(struct side *d, struct box *b)
{
	struct tu_read_req r;
	uint64_t id = 0;

	memset(b, 0, sizeof(*b));
	tu_read_req_init(&r, 3, 4);
	assert_int_equal(ob_conn_call(d->conn, &r.req, af_on_reply, b, &id), 0);
	return id;
}

/* A request from d answered by l: "pong". */
void call_ok(struct relay *r, struct side *d, struct side *l)
{
	struct box b;

	start_call(d, &b);
	assert_true(af_run(r, d, l, box_done, &b));
	assert_int_equal(b.status, 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "pong", 4);
}

bool both_up(void *arg)
{
	struct side **s = arg;

	return af_stats(s[0]).up && af_stats(s[1]).up;
}

/* Both sides have had n sessions, and see each other up: after a lost
 * session, calls fail with EIO until the peer has been heard again. */
void wait_sessions(struct relay *r, struct side *d, struct side *l, uint64_t n)
{
	struct side *both[2] = { d, l };

	assert_true(wait_stat(r, d, l, d, SESSIONS, n));
	assert_true(wait_stat(r, d, l, l, SESSIONS, n));
	assert_true(af_run(r, d, l, both_up, both));
}

/* A legitimate peer with af_key_a gets through to l and is served. */
void legit_peer_served(struct side *l, const char *url)
{
	struct side d;

	dial_side(&d, url, af_key_a, true);
	call_ok(NULL, &d, l);
	assert_true(af_stats(&d).authenticated);
	close_side(&d);
}

/* Read and discard what a raw peer got (a refusal): nanomsg stops reading
 * a connection while a received frame waits, and would not notice that
 * the listener dropped it. */
void raw_drain(int raw)
{
	void *buf;

	while (nn_recv(raw, &buf, NN_MSG, NN_DONTWAIT) >= 0)
		nn_freemsg(buf);
}

/* Wait until a raw peer has connected again since *est connections (the
 * listener dropped the previous one), then send from it. */
void raw_send_connected(int raw, uint64_t *est, struct side *l, const void *data,
			       size_t len)
{
	for (int64_t end = ob_now_ms() + TU_WAIT_MS;
	     nn_get_statistic(raw, NN_STAT_ESTABLISHED_CONNECTIONS) <= *est;) {
		assert_true(ob_now_ms() < end);
		raw_drain(raw);
		tu_pump1(l->conn, NULL, NULL, 5);
	}
	*est = nn_get_statistic(raw, NN_STAT_ESTABLISHED_CONNECTIONS);
	tu_raw_send(raw, data, len, l->conn);
}

int af_group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	randombytes_buf(af_key_a, sizeof(af_key_a));
	randombytes_buf(af_key_b, sizeof(af_key_b));
	if (!getenv("OB_TEST_VERBOSE"))
		ob_log_set_level(OB_LOG_NONE);
	return 0;
}
