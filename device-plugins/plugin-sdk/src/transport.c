/*
 * The default transport: outgoing envelopes go over the nanomsg connection,
 * and incoming ones come from it (the loop's frame source). Kept apart so
 * that another transport (stdin for fuzzers, a capture function in tests)
 * replaces exactly this and nothing else.
 */
#include <errno.h>
#include <string.h>

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

static int source_pollfds(void *arg, struct pollfd *pfds, int n)
{
	ob_plugin_ctx *p = arg;

	/* A listener with a key may replace its socket in ob_conn_process:
	 * the fds are taken afresh on every iteration. */
	return ob_conn_pollfds(p->conn, pfds, n);
}

static int source_timeout(void *arg)
{
	ob_plugin_ctx *p = arg;

	return ob_conn_timeout(p->conn);
}

static int source_process(void *arg)
{
	ob_plugin_ctx *p = arg;
	int err = ob_conn_process(p->conn);

	if (err >= 0)
		return 0;
	OB_ERROR(OBP_LOG, "connection on %s failed: %s", ob_conn_url(p->conn), strerror(-err));
	return err;
}

struct obp_source obp_conn_source(ob_plugin_ctx *p)
{
	return (struct obp_source){
		.pollfds = source_pollfds,
		.timeout = source_timeout,
		.process = source_process,
		.arg = p,
	};
}
