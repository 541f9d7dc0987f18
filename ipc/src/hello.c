/*
 * The Hello handshake (proto/outboard.proto, message Hello).
 *
 * The dialing side sends a Hello with the protocol version it speaks; the
 * listening side answers with its own. This file checks every Hello that
 * arrives, on either side, before anyone else sees it:
 *
 * - A version other than ours: log an error naming both versions, report
 *   EPROTO through on_error, and, when we are the listening side, answer
 *   with a Hello carrying status = EPROTO and the reason, so the dialer can
 *   say why it was refused. The Hello does not reach on_message.
 * - status != 0 (the peer refused us): log it, report it through on_error.
 * - Otherwise: a waiting ob_conn_handshake takes it as its answer, or it
 *   goes to on_message (the plugin SDK answers it there).
 *
 * A refusal is never answered, so two sides cannot bounce EPROTO forever.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ipc_impl.h"

int ob_conn_hello(ob_conn *c, Ob__Hello *hello)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;

	if (!hello)
		return -EINVAL;
	if (!obi_usable(c))
		return -ENOTCONN;
	if (hello->protocol_version == 0)
		hello->protocol_version = OB_PROTOCOL_VERSION;
	c->hello_version = hello->protocol_version;
	env.body_case = OB__ENVELOPE__BODY_HELLO;
	env.hello = hello;
	return ob_conn_send(c, &env);
}

static void handshake_done(struct ob_conn *c, int result)
{
	if (!c->hs.active || c->hs.done)
		return;
	c->hs.done = true;
	c->hs.result = result;
}

void obi_hello_abort(struct ob_conn *c, int rc)
{
	handshake_done(c, rc);
}

static void report(struct ob_conn *c, int err, const char *what)
{
	OB_ERROR(OBI_LOG, "%s: %s", c->name, what);
	if (c->cbs.on_error)
		c->cbs.on_error(c->arg, c, err, what);
	handshake_done(c, -EPROTO);
}

static void refuse_version(struct ob_conn *c, uint32_t offered)
{
	char why[128];
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Hello answer;
	int rc;

	/* The init function, not OB__HELLO__INIT: the macro's string casts
	 * trip -Wcast-qual in our code. */
	ob__hello__init(&answer);
	snprintf(why, sizeof(why), "this endpoint speaks protocol version %u only, not %u",
		 c->hello_version, offered);
	answer.protocol_version = c->hello_version;
	answer.status = OB_ABI_EPROTO;
	answer.error = why; /* packing only reads it */
	answer.max_message = c->opts.max_message;
	answer.heartbeat_ms = c->opts.no_heartbeat ? 0 : c->opts.heartbeat_ms;
	env.body_case = OB__ENVELOPE__BODY_HELLO;
	env.hello = &answer;
	rc = ob_conn_send(c, &env);
	if (rc < 0)
		OB_WARN(OBI_LOG, "%s: could not send the EPROTO answer: %d", c->name, rc);
}

void obi_hello_received(struct ob_conn *c, Ob__Envelope *env)
{
	Ob__Hello *h = env->hello;
	char what[512];

	if (h->protocol_version != c->hello_version) {
		snprintf(what, sizeof(what),
			 "protocol version mismatch: the peer%s%s%s%s%s speaks version %u, "
			 "this side speaks version %u%s%s",
			 h->role[0] || h->backend[0] ? " (" : "", h->role,
			 h->role[0] && h->backend[0] ? " " : "", h->backend,
			 h->role[0] || h->backend[0] ? ")" : "", h->protocol_version,
			 c->hello_version, h->status ? "; the peer says: " : "",
			 h->status ? h->error : "");
		if (c->listening && h->status == 0)
			refuse_version(c, h->protocol_version);
		report(c, EPROTO, what);
		return;
	}
	if (h->status != 0) {
		int err = ob_errno_from_abi(h->status > INT32_MAX ? -1 : (int)h->status);

		snprintf(what, sizeof(what), "the peer refused the handshake: %s (status %u)",
			 h->error[0] ? h->error : "no reason given", h->status);
		report(c, err, what);
		return;
	}
	if (c->hs.active && !c->hs.done) {
		/* Detach the Hello so freeing the envelope leaves it to us. */
		c->hs.answer = h;
		env->hello = NULL;
		env->body_case = OB__ENVELOPE__BODY__NOT_SET;
		handshake_done(c, 0);
		return;
	}
	if (c->cbs.on_message)
		c->cbs.on_message(c->arg, c, env);
}

static bool handshake_finished(const struct ob_conn *c, const void *arg)
{
	(void)arg;
	return c->hs.done;
}

int ob_conn_handshake(ob_conn *c, Ob__Hello *hello, int timeout_ms, Ob__Hello **answer)
{
	int rc;

	if (answer)
		*answer = NULL;
	if (!obi_usable(c))
		return -ENOTCONN;
	if (c->hs.active)
		return -EBUSY; /* called from a callback during a handshake */
	c->hs = (struct obi_handshake){.active = true};
	rc = ob_conn_hello(c, hello);
	if (rc < 0)
		goto out;
	rc = obi_run_until(c, timeout_ms, handshake_finished, NULL);
	if (rc < 0)
		goto out;
	if (!c->hs.done) {
		OB_ERROR(OBI_LOG, "%s: no answer to our Hello from %s within %d ms", c->name,
			 c->url, timeout_ms);
		rc = -ETIMEDOUT;
		goto out;
	}
	rc = c->hs.result;
out:
	if (rc == 0 && answer) {
		*answer = c->hs.answer;
		c->hs.answer = NULL;
	}
	if (c->hs.answer)
		ob__hello__free_unpacked(c->hs.answer, NULL);
	c->hs = (struct obi_handshake){0};
	return rc;
}
