/*
 * Requests, replies and events: the public send API, and the one place
 * where an outstanding call is completed, whichever way it ends (reply,
 * deadline, dead peer, close).
 *
 * Every call's fn runs exactly once, or never after ob_conn_cancel. When
 * many calls fail at once (peer down, close), they are moved to a list
 * first and completed one by one; ob_conn_cancel looks in that list too, so
 * a callback may still cancel a call that has not been completed yet.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "ipc_impl.h"

static void count_sent(struct ob_conn *c, const Ob__Envelope *env)
{
	switch (env->body_case) {
	case OB__ENVELOPE__BODY_REQUEST:
		if (env->request->posted)
			c->st.posted++;
		else
			c->st.requests++;
		break;
	case OB__ENVELOPE__BODY_REPLY:
		c->st.replies++;
		break;
	case OB__ENVELOPE__BODY_EVENT:
		c->st.events++;
		break;
	default:
		break;
	}
}

int ob_conn_send(ob_conn *c, const Ob__Envelope *env)
{
	int rc = obi_send_env(c, env, OBI_SEND_QUEUE);

	if (rc == 0)
		count_sent(c, env);
	return rc;
}

int ob_conn_call(ob_conn *c, Ob__Request *req, ob_reply_fn fn, void *arg, uint64_t *id_out)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	uint64_t id;
	int rc;

	if (!obi_usable(c))
		return -ENOTCONN;
	if (!req || (req->posted ? fn != NULL : fn == NULL))
		return -EINVAL;
	if (!c->up)
		return -EIO;

	id = c->next_id++;
	req->id = id;
	env.body_case = OB__ENVELOPE__BODY_REQUEST;
	env.request = req;
	if (!req->posted) {
		int64_t deadline = req->deadline_ms ? ob_now_ms() + req->deadline_ms : INT64_MAX;

		rc = obi_calls_add(&c->calls, id, deadline, fn, arg);
		if (rc < 0)
			return rc;
	}
	rc = ob_conn_send(c, &env);
	if (rc < 0) {
		free(obi_calls_take(&c->calls, id));
		return rc;
	}
	if (c->calls.count > c->st.max_in_flight)
		c->st.max_in_flight = c->calls.count;
	if (id_out)
		*id_out = id;
	return 0;
}

/* Remove a call that obi_calls_fail_all has taken but not completed. */
static bool unlink_failing(struct ob_conn *c, uint64_t id)
{
	for (struct obi_call **p = &c->failing; *p; p = &(*p)->next) {
		if ((*p)->id == id) {
			struct obi_call *found = *p;

			*p = found->next;
			free(found);
			return true;
		}
	}
	return false;
}

int ob_conn_cancel(ob_conn *c, uint64_t id)
{
	struct obi_call *call;

	if (!c)
		return -EINVAL;
	call = obi_calls_take(&c->calls, id);
	if (call) {
		free(call);
		return 0;
	}
	return unlink_failing(c, id) ? 0 : -ENOENT;
}

int ob_conn_reply(ob_conn *c, const Ob__Reply *reply)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;

	if (!reply)
		return -EINVAL;
	env.body_case = OB__ENVELOPE__BODY_REPLY;
	/* Packing only reads it; the uintptr_t cast says so to -Wcast-qual. */
	env.reply = (Ob__Reply *)(uintptr_t)reply;
	return ob_conn_send(c, &env);
}

int ob_conn_event(ob_conn *c, const Ob__Event *ev)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;

	if (!ev)
		return -EINVAL;
	env.body_case = OB__ENVELOPE__BODY_EVENT;
	/* Packing only reads it. */
	env.event = (Ob__Event *)(uintptr_t)ev;
	return ob_conn_send(c, &env);
}

void obi_call_complete(struct obi_call *call, int status, const Ob__Reply *reply)
{
	call->fn(call->arg, status, reply);
	free(call);
}

void obi_calls_fail_all(struct ob_conn *c, int status)
{
	struct obi_call *list = obi_calls_drain(&c->calls);

	/* Prepend to any list a caller further up the stack is still failing
	 * (a callback that made us fail again): the loop below, or that
	 * caller's, completes each call once. */
	while (list) {
		struct obi_call *call = list;

		list = call->next;
		call->next = c->failing;
		c->failing = call;
	}
	while (c->failing) {
		struct obi_call *call = c->failing;

		c->failing = call->next;
		c->st.failed++;
		obi_call_complete(call, status, NULL);
	}
}

void obi_calls_expire(struct ob_conn *c, int64_t now)
{
	struct obi_call *call;

	while ((call = obi_calls_take_expired(&c->calls, now)) != NULL) {
		c->st.timeouts++;
		OB_DEBUG(OBI_LOG, "%s: call %llu passed its deadline", c->name,
			 (unsigned long long)call->id);
		obi_call_complete(call, ETIMEDOUT, NULL);
	}
}

void obi_reply_received(struct ob_conn *c, const Ob__Reply *reply)
{
	struct obi_call *call = obi_calls_take(&c->calls, reply->id);
	int status;

	if (!call) {
		/* Late (deadline passed, cancelled, peer declared down) or bogus. */
		c->st.unmatched++;
		OB_DEBUG(OBI_LOG, "%s: reply %llu matches no outstanding call", c->name,
			 (unsigned long long)reply->id);
		return;
	}
	status = reply->status == 0 ? 0
		 : ob_errno_from_abi(reply->status > INT_MAX ? -1 : (int)reply->status);
	obi_call_complete(call, status, reply);
}
