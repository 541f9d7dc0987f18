/*
 * Everything that arrives, routed in one place: requests go to the
 * dispatcher; Hello, StatsQuery, Shutdown and Ping are answered here. Also
 * what the plugin sends on its own: events, and Credit for posted calls.
 *
 * Envelopes arrive from the connection's on_message or from
 * ob_plugin_dispatch_frame, and are borrowed for the duration of the call.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "outboard/errno.h"
#include "sdk.h"

static int send_envelope(ob_plugin_ctx *p, const Ob__Envelope *env, const char *what)
{
	int err = p->tx.send(p->tx.arg, env);

	if (err)
		OB_WARN(OBP_LOG, "%s not sent: %s", what, strerror(-err));
	return err;
}

/* The call numbers we have handlers for, ascending. Caller frees. */
static uint32_t *handled_calls(const ob_plugin_ctx *p, size_t *n)
{
	uint32_t *calls = calloc(p->table_len ? p->table_len : 1, sizeof(*calls));

	*n = 0;
	if (!calls)
		return NULL;
	for (uint32_t i = 0; i < p->table_len; i++)
		if (p->table[i].fn)
			calls[(*n)++] = i;
	return calls;
}

/* Answer a peer's Hello with ours: who we are and what we serve. Every Hello
 * is answered, since peers come one after another (the launcher's check,
 * then the CPU host, then the CPU host again after a restart). */
static void answer_hello(ob_plugin_ctx *p, const Ob__Hello *in)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Hello out;
	uint32_t *calls = NULL;

	/* The INIT macros of messages with strings trip -Wcast-qual. */
	ob__hello__init(&out);
	if (in->status) {
		/* An answer, not an offer: answering it could loop forever. */
		OB_WARN(OBP_LOG, "peer sent a refusing Hello (status %u: %s); ignored", in->status,
			in->error);
		return;
	}
	env.body_case = OB__ENVELOPE__BODY_HELLO;
	env.hello = &out;
	out.protocol_version = OB_PROTOCOL_VERSION;
	out.role = obp_wire_str("plugin");
	if (in->protocol_version != OB_PROTOCOL_VERSION) {
		/* The connection refuses these before they reach us; a frame fed
		 * through ob_plugin_dispatch_frame does not pass that check. */
		out.status = OB_ABI_EPROTO;
		out.error = obp_wire_str("protocol version not supported");
		send_envelope(p, &env, "Hello refusal");
		return;
	}
	OB_INFO(OBP_LOG, "Hello from %s (protocol %u)", in->role, in->protocol_version);
	out.backend = obp_wire_str(p->plugin.name);
	out.backend_version = obp_wire_str(p->plugin.version);
	out.n_domains = p->plugin.n_domains;
	out.domains = (Ob__Domain *)(uintptr_t)p->plugin.domains; /* only read by pack */
	calls = handled_calls(p, &out.n_calls);
	if (!calls) {
		OB_ERROR(OBP_LOG, "out of memory answering Hello");
		return;
	}
	out.calls = calls;
	out.max_message = p->max_message;
	out.heartbeat_ms = p->heartbeat_ms;
	/* The host passed its region before this Hello (shm.c). */
	int lane = -1;
	out.shm_size = obp_shm_take(p, in, &lane);
	out.shm_token = out.shm_size ? in->shm_token : 0;
	out.lane = lane >= 0;
	/* A new peer numbers its requests from the start again. */
	p->posted_done_id = 0;
	p->credited_id = 0;
	/* The host closed its end of an earlier lane before this Hello, which
	 * came over nanomsg: so goes the answer. Every frame after it goes
	 * over the new lane; the host switches when it reads the answer. */
	ob_conn_detach_lane(p->conn);
	send_envelope(p, &env, "Hello");
	if (lane >= 0 && ob_conn_attach_lane(p->conn, lane) < 0)
		OB_WARN(OBP_LOG, "cannot use the request lane: frames stay on nanomsg");
	free(calls);
}

static void answer_stats(ob_plugin_ctx *p)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Stats st = OB__STATS__INIT;
	struct ob_conn_stats cs = { 0 };

	if (p->conn)
		ob_conn_get_stats(p->conn, &cs);
	st.requests = p->count.requests;
	st.replies = p->count.replies;
	st.posted = p->count.posted;
	st.events = p->count.events;
	st.errors = p->count.errors;
	st.dropped = p->count.dropped + cs.dropped;
	st.in_flight = p->count.in_flight;
	st.max_in_flight = p->count.max_in_flight;
	env.body_case = OB__ENVELOPE__BODY_STATS;
	env.stats = &st;
	send_envelope(p, &env, "Stats");
}

static void answer_ping(ob_plugin_ctx *p, const Ob__Ping *ping)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Pong pong = OB__PONG__INIT;

	pong.seq = ping->seq;
	env.body_case = OB__ENVELOPE__BODY_PONG;
	env.pong = &pong;
	send_envelope(p, &env, "Pong");
}

void obp_handle_envelope(ob_plugin_ctx *p, const Ob__Envelope *env)
{
	switch (env->body_case) {
	case OB__ENVELOPE__BODY_REQUEST:
		obp_dispatch(p, env->request);
		break;
	case OB__ENVELOPE__BODY_HELLO:
		answer_hello(p, env->hello);
		break;
	case OB__ENVELOPE__BODY_STATS_QUERY:
		answer_stats(p);
		break;
	case OB__ENVELOPE__BODY_SHUTDOWN:
		OB_INFO(OBP_LOG, "Shutdown requested (%s)",
			env->shutdown->reason[0] ? env->shutdown->reason : "no reason given");
		p->stop = true;
		break;
	case OB__ENVELOPE__BODY_PING:
		/* The connection answers its own Pings; this one came through
		 * ob_plugin_dispatch_frame. */
		answer_ping(p, env->ping);
		break;
	default:
		OB_DEBUG(OBP_LOG, "ignoring envelope %d: nothing a plugin answers",
			 (int)env->body_case);
		break;
	}
}

void obp_posted_done(ob_plugin_ctx *p, uint64_t id)
{
	if (id > p->posted_done_id)
		p->posted_done_id = id;
}

void obp_send_credit(ob_plugin_ctx *p)
{
	Ob__Event ev = OB__EVENT__INIT;
	Ob__Credit credit = OB__CREDIT__INIT;

	/* A deferred posted call holds Credit back: done_id promises that
	 * every posted request up to it has finished. */
	if (p->posted_deferred || p->posted_done_id <= p->credited_id)
		return;
	credit.done_id = p->posted_done_id;
	ev.event_case = OB__EVENT__EVENT_CREDIT;
	ev.credit = &credit;
	if (p->tx.event(p->tx.arg, &ev) == 0)
		p->credited_id = credit.done_id;
}

int ob_plugin_event(ob_plugin_ctx *p, const Ob__Event *ev)
{
	int err;

	if (!p || !ev)
		return -EINVAL;
	if (!p->connected)
		return -ENOTCONN;
	err = p->tx.event(p->tx.arg, ev);
	if (err == 0)
		p->count.events++;
	return err;
}

int ob_plugin_dispatch_frame(ob_plugin_ctx *p, const void *frame, size_t len)
{
	Ob__Envelope *env;

	if (!p || (!frame && len))
		return -EINVAL;
	if (len > p->max_message) {
		p->count.dropped++;
		OB_WARN(OBP_LOG, "dropping a %zu-byte frame (limit %u)", len, p->max_message);
		return -EMSGSIZE;
	}
	env = ob__envelope__unpack(NULL, len, frame);
	if (!env) {
		p->count.dropped++;
		OB_WARN(OBP_LOG, "dropping a %zu-byte frame that is not an Envelope", len);
		return -EPROTO;
	}
	p->connected = true; /* whoever feeds frames is our peer */
	obp_handle_envelope(p, env);
	ob__envelope__free_unpacked(env, NULL);
	obp_send_credit(p);
	return 0;
}

static void conn_on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	ob_plugin_ctx *p = arg;

	(void)conn;
	p->connected = true;
	obp_handle_envelope(p, env);
}

static void conn_on_state(void *arg, ob_conn *conn, bool up)
{
	ob_plugin_ctx *p = arg;

	p->connected = up;
	OB_INFO(OBP_LOG, "host on %s is %s", ob_conn_url(conn), up ? "back" : "gone (silent)");
}

/* The connection has logged the error already; the peer was told (EPROTO
 * Hello) and may try again, so there is nothing more to do. */
static void conn_on_error(void *arg, ob_conn *conn, int err, const char *what)
{
	(void)arg;
	OB_DEBUG(OBP_LOG, "%s: %s (%s)", ob_conn_url(conn), what ? what : "protocol error",
		 strerror(err < 0 ? -err : err));
}

const struct ob_conn_callbacks obp_conn_callbacks = {
	.on_message = conn_on_message,
	.on_state = conn_on_state,
	.on_error = conn_on_error,
};
