/*
 * The receive path of envelopes. Every frame, from nanomsg or
 * ob_conn_inject, first passes auth.c (which, with a key, opens sealed
 * frames and consumes the handshake), then goes through obi_receive_frame:
 *
 *   size check -> unpack -> validity check -> liveness -> dispatch switch
 *
 * A frame that fails any check is dropped, counted in stats.dropped and
 * logged; nothing the peer sends can crash the connection. The size check
 * comes before unpacking, so an oversize frame never reaches protobuf-c.
 *
 * Drops are logged at ERROR, but a peer spraying garbage must not flood the
 * log: the first ten are logged, then only when the count reaches a power
 * of two.
 */
#include <stdarg.h>
#include <stdio.h>

#include "ipc_impl.h"

bool obi_worth_logging(uint64_t n)
{
	return n <= 10 || (n & (n - 1)) == 0;
}

void obi_drop(struct ob_conn *c, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	c->st.dropped++;
	if (!obi_worth_logging(c->st.dropped))
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	OB_ERROR(OBI_LOG, "%s: dropped a frame from the peer: %s (%llu dropped so far)",
		 c->name, why, (unsigned long long)c->st.dropped);
}

/* Rules protobuf-c cannot check for us. NULL when env is fine, else why. */
static const char *envelope_problem(const Ob__Envelope *env)
{
	switch (env->body_case) {
	case OB__ENVELOPE__BODY__NOT_SET:
		return "envelope without a body";
	case OB__ENVELOPE__BODY_REQUEST:
		if (env->request->id == 0)
			return "request with id 0";
		return NULL;
	default:
		return NULL;
	}
}

static void deliver(struct ob_conn *c, const Ob__Envelope *env)
{
	if (c->cbs.on_message)
		c->cbs.on_message(c->arg, c, env);
}

/* Replies, requests and events wait while the connection is held
 * (hold.c); the connection's own traffic never does. */
static bool held_back(struct ob_conn *c, Ob__Envelope *env)
{
	switch (env->body_case) {
	case OB__ENVELOPE__BODY_PING:
	case OB__ENVELOPE__BODY_PONG:
	case OB__ENVELOPE__BODY_HELLO:
	case OB__ENVELOPE__BODY_GOODBYE:
		return false;
	default:
		return obi_hold_keep(c, env);
	}
}

/* The one dispatch switch: what the connection consumes itself, and what
 * goes on to on_message. Takes ownership of env. */
void obi_dispatch(struct ob_conn *c, Ob__Envelope *env)
{
	if (held_back(c, env))
		return;
	switch (env->body_case) {
	case OB__ENVELOPE__BODY_PING:
		obi_hb_ping_received(c, env->ping);
		break;
	case OB__ENVELOPE__BODY_PONG:
		if (env->pong->seq > c->pong_seq)
			c->pong_seq = env->pong->seq;
		break;
	case OB__ENVELOPE__BODY_REPLY:
		c->st.replies++;
		obi_reply_received(c, env->reply);
		break;
	case OB__ENVELOPE__BODY_HELLO:
		obi_hello_received(c, env);
		break;
	case OB__ENVELOPE__BODY_GOODBYE:
		obi_hb_goodbye_received(c);
		break;
	case OB__ENVELOPE__BODY_REQUEST:
		if (env->request->posted)
			c->st.posted++;
		else
			c->st.requests++;
		deliver(c, env);
		break;
	case OB__ENVELOPE__BODY_EVENT:
		c->st.events++;
		deliver(c, env);
		break;
	default:
		deliver(c, env);
		break;
	}
	ob__envelope__free_unpacked(env, NULL);
}

int obi_receive_frame(struct ob_conn *c, const void *data, size_t len)
{
	Ob__Envelope *env;
	const char *problem;

	if (len > c->opts.max_message) {
		obi_drop(c, "%zu bytes, larger than the %u-byte limit", len, c->opts.max_message);
		return 0;
	}
	env = ob__envelope__unpack(NULL, len, data);
	if (!env) {
		obi_drop(c, "%zu bytes that do not decode as an Envelope", len);
		return 0;
	}
	problem = envelope_problem(env);
	if (problem) {
		obi_drop(c, "%s", problem);
		ob__envelope__free_unpacked(env, NULL);
		return 0;
	}
	/* Only a valid envelope proves the peer is alive and speaking our
	 * protocol; garbage does not revive a dead peer. */
	obi_hb_frame_received(c, env, ob_now_ms());
	obi_dispatch(c, env);
	return 1;
}
