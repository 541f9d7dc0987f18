/*
 * The default transport: outgoing envelopes go over the nanomsg connection.
 * Kept apart so that another transport (a pipe for fuzzers, a capture
 * function in tests) replaces exactly this and nothing else.
 */
#include <errno.h>

#include "sdk.h"

static int conn_reply(void *arg, const Ob__Reply *reply)
{
	ob_plugin_ctx *p = arg;

	return p->conn ? ob_conn_reply(p->conn, reply) : -ENOTCONN;
}

static int conn_event(void *arg, const Ob__Event *ev)
{
	ob_plugin_ctx *p = arg;

	return p->conn ? ob_conn_event(p->conn, ev) : -ENOTCONN;
}

static int conn_send(void *arg, const Ob__Envelope *env)
{
	ob_plugin_ctx *p = arg;

	return p->conn ? ob_conn_send(p->conn, env) : -ENOTCONN;
}

void obp_use_conn_transport(ob_plugin_ctx *p)
{
	p->tx = (struct obp_transport){
		.reply = conn_reply,
		.event = conn_event,
		.send = conn_send,
		.arg = p,
	};
}
