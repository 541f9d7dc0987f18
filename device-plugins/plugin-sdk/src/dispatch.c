/*
 * The dispatcher: one table maps a call number to its handler, one function
 * dispatches a request, one function puts a reply on the wire.
 *
 * Call number N is the field number of the call's arm in Request.call and of
 * its result's arm in Reply.result (proto/outboard.proto). The table keeps
 * both field descriptors, so args and results are found and built
 * generically: args live at field->offset in the Request, the result type is
 * the Reply field's message descriptor. No code here names a domain.
 *
 * Ownership: a call (struct ob_call) owns an unpacked copy of its request
 * and its result message from dispatch until it finishes; the envelope the
 * connection handed us is only valid during its callback, and a deferred
 * handler keeps using args after that.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "outboard/errno.h"
#include "sdk.h"

/* How many handler-bug and failed-posted-call reports to log at warn level
 * before the rest go to debug: a drawing call failing every frame must not
 * flood the log. */
#define OBP_WARN_LIMIT 16

enum obp_call_state {
	OBP_CALL_RUNNING,  /* its handler has not returned yet */
	OBP_CALL_DEFERRED, /* on p->deferred, waiting for ob_call_complete */
};

struct ob_call {
	ob_plugin_ctx *p;
	Ob__Request *req;            /* owned copy */
	ProtobufCMessage *args;      /* inside req */
	ProtobufCMessage *result;    /* owned until the reply is sent */
	const struct obp_entry *entry;
	uint32_t num;
	enum obp_call_state state;
	struct obp_shm_use shm;      /* its spans in the shared region, if any */
	bool completed_early;        /* ob_call_complete ran inside the handler */
	int early_status;
	struct ob_call *prev, *next; /* p->deferred list */
};

static bool is_call_field(const ProtobufCFieldDescriptor *f, size_t case_offset)
{
	return f && (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) && f->type == PROTOBUF_C_TYPE_MESSAGE &&
	       f->quantifier_offset == case_offset;
}

/* Fill args/result for every call number the wire format knows. */
static int table_alloc(ob_plugin_ctx *p)
{
	const ProtobufCMessageDescriptor *rq = &ob__request__descriptor;
	const ProtobufCMessageDescriptor *rp = &ob__reply__descriptor;
	uint32_t max = 0;

	for (unsigned i = 0; i < rq->n_fields; i++)
		if (is_call_field(&rq->fields[i], offsetof(Ob__Request, call_case)) &&
		    rq->fields[i].id > max)
			max = rq->fields[i].id;
	p->table_len = max + 1;
	p->table = calloc(p->table_len, sizeof(*p->table));
	if (!p->table)
		return -ENOMEM;
	for (unsigned i = 0; i < rq->n_fields; i++) {
		const ProtobufCFieldDescriptor *args = &rq->fields[i];
		const ProtobufCFieldDescriptor *result;

		if (!is_call_field(args, offsetof(Ob__Request, call_case)))
			continue;
		result = protobuf_c_message_descriptor_get_field(rp, args->id);
		if (!is_call_field(result, offsetof(Ob__Reply, result_case)))
			continue; /* a call without a result arm is not dispatchable */
		p->table[args->id].args = args;
		p->table[args->id].result = result;
	}
	return 0;
}

int obp_table_build(ob_plugin_ctx *p)
{
	int err = table_alloc(p);

	if (err)
		return err;
	for (size_t i = 0; i < p->plugin.n_handlers; i++) {
		const struct ob_handler *h = &p->plugin.handlers[i];

		if (!h->fn)
			continue;
		if (h->call >= p->table_len || !p->table[h->call].args) {
			OB_ERROR(OBP_LOG, "%s: handler %zu is for call %u, which is not a call in "
				 "proto/outboard.proto", p->plugin.name, i, h->call);
			return -EINVAL;
		}
		if (p->table[h->call].fn) {
			OB_ERROR(OBP_LOG, "%s: two handlers for call %u (%s)", p->plugin.name, h->call,
				 p->table[h->call].args->name);
			return -EINVAL;
		}
		p->table[h->call].fn = h->fn;
	}
	return 0;
}

/*
 * The one reply path. Converts the host errno to the ABI numbering, attaches
 * result (only when status is 0), sends, and frees result. A result too big
 * for one frame is answered EMSGSIZE instead, so the caller is never left
 * waiting.
 */
static void send_reply(ob_plugin_ctx *p, uint64_t id, const struct obp_entry *e,
		       ProtobufCMessage *result, int status, struct obp_shm_use *shm)
{
	Ob__Reply reply = OB__REPLY__INIT;
	Ob__ShmSpan span;
	ProtobufCBinaryData saved;
	int err;

	reply.id = id;
	reply.status = (uint32_t)ob_errno_to_abi(status);
	if (status == 0 && e && result) {
		reply.result_case = (Ob__Reply__ResultCase)e->result->id;
		*(ProtobufCMessage **)((char *)&reply + e->result->offset) = result;
		/* Result bytes go to the span the host lent, when it did. */
		if (obp_shm_put_result(shm, result, &span, &saved))
			reply.shm_out = &span;
	}
	err = p->tx.reply(p->tx.arg, &reply);
	if (reply.shm_out)
		obp_shm_restore_result(shm, &saved);
	if (err == -EMSGSIZE && reply.result_case != OB__REPLY__RESULT__NOT_SET) {
		OB_ERROR(OBP_LOG, "reply %llu (%s) does not fit in one frame: answering EMSGSIZE",
			 (unsigned long long)id, e->result->name);
		status = EMSGSIZE;
		reply.status = (uint32_t)ob_errno_to_abi(status);
		reply.result_case = OB__REPLY__RESULT__NOT_SET;
		err = p->tx.reply(p->tx.arg, &reply);
	}
	if (err) {
		p->count.reply_failures++;
		OB_WARN(OBP_LOG, "reply %llu not sent: %s", (unsigned long long)id, strerror(-err));
	} else {
		p->count.replies++;
	}
	if (status)
		p->count.errors++;
	if (result)
		protobuf_c_message_free_unpacked(result, NULL);
}

/* A posted call finished: there is nobody to tell but the log and Credit. */
static void posted_finished(ob_plugin_ctx *p, uint64_t id, uint32_t num, int status)
{
	if (status) {
		p->count.errors++;
		ob_log(p->posted_warnings++ < OBP_WARN_LIMIT ? OB_LOG_WARN : OB_LOG_DEBUG, OBP_LOG,
		       "posted request %llu (call %u) failed: %s", (unsigned long long)id, num,
		       strerror(status));
	}
	obp_posted_done(p, id);
}

/* A request that fails before it reaches a handler. */
static void fail_request(ob_plugin_ctx *p, const Ob__Request *req, const struct obp_entry *e,
			 int status)
{
	if (req->posted)
		posted_finished(p, req->id, (uint32_t)req->call_case, status);
	else
		send_reply(p, req->id, e, NULL, status, NULL);
}

/* Handlers return positive errno values; a negated one is a common slip. */
static int normalize_status(ob_plugin_ctx *p, uint32_t num, int ret)
{
	if (ret >= 0 || ret == OB_DEFER)
		return ret;
	ob_log(p->handler_warnings++ < OBP_WARN_LIMIT ? OB_LOG_WARN : OB_LOG_DEBUG, OBP_LOG,
	       "handler for call %u returned %d: handlers return a positive errno", num, ret);
	return ret >= -4095 ? -ret : EIO;
}

static void call_free(ob_call *call)
{
	if (!call)
		return;
	if (call->result)
		protobuf_c_message_free_unpacked(call->result, NULL);
	obp_shm_detach(&call->shm);
	if (call->req)
		ob__request__free_unpacked(call->req, NULL);
	free(call);
}

/* Finish a call exactly once: reply (or Credit, for posted) and free it. */
static void call_finish(ob_call *call, int status)
{
	ob_plugin_ctx *p = call->p;

	if (call->state == OBP_CALL_DEFERRED) {
		if (call->prev)
			call->prev->next = call->next;
		else
			p->deferred = call->next;
		if (call->next)
			call->next->prev = call->prev;
		p->count.in_flight--;
		if (call->req->posted)
			p->posted_deferred--;
	}
	if (call->req->posted) {
		posted_finished(p, call->req->id, call->num, status);
	} else {
		send_reply(p, call->req->id, call->entry, call->result, status, &call->shm);
		call->result = NULL; /* send_reply freed it */
	}
	call_free(call);
}

/* Pack and unpack: protobuf-c's way to deep-copy a message. */
static Ob__Request *copy_request(const Ob__Request *req)
{
	size_t len = ob__request__get_packed_size(req);
	uint8_t *buf = malloc(len ? len : 1);
	Ob__Request *copy;

	if (!buf)
		return NULL;
	ob__request__pack(req, buf);
	copy = ob__request__unpack(NULL, len, buf);
	free(buf);
	return copy;
}

/* A call with its own request copy and a fresh result. 0 or -errno. */
static int call_new(ob_plugin_ctx *p, const Ob__Request *req, const struct obp_entry *e,
		    ob_call **out)
{
	const ProtobufCMessageDescriptor *rd = e->result->descriptor;
	ob_call *call = calloc(1, sizeof(*call));
	int err = -ENOMEM;

	if (!call)
		return -ENOMEM;
	call->p = p;
	call->entry = e;
	call->num = e->args->id;
	call->req = copy_request(req);
	call->result = malloc(rd->sizeof_message);
	if (!call->req || !call->result)
		goto fail;
	protobuf_c_message_init(rd, call->result);
	err = -EINVAL;
	if ((uint32_t)call->req->call_case != call->num)
		goto fail;
	call->args = *(ProtobufCMessage **)((char *)call->req + e->args->offset);
	if (!call->args)
		goto fail;
	err = obp_shm_attach(p, call->req, call->args, &call->shm);
	if (err)
		goto fail;
	*out = call;
	return 0;
fail:
	if (call->result && !call->req) {
		free(call->result); /* never initialised */
		call->result = NULL;
	}
	call_free(call);
	return err;
}

static void defer(ob_call *call)
{
	ob_plugin_ctx *p = call->p;

	call->state = OBP_CALL_DEFERRED;
	call->prev = NULL;
	call->next = p->deferred;
	if (p->deferred)
		p->deferred->prev = call;
	p->deferred = call;
	if (++p->count.in_flight > p->count.max_in_flight)
		p->count.max_in_flight = p->count.in_flight;
	if (call->req->posted)
		p->posted_deferred++;
}

static const struct obp_entry *lookup(ob_plugin_ctx *p, const Ob__Request *req)
{
	uint32_t num = (uint32_t)req->call_case;
	const struct obp_entry *e = num < p->table_len ? &p->table[num] : NULL;

	if (!e || !e->args)
		return NULL;
	if (!*(ProtobufCMessage *const *)((const char *)req + e->args->offset))
		return NULL; /* only a hand-built message can get here */
	return e;
}

void obp_dispatch(ob_plugin_ctx *p, const Ob__Request *req)
{
	const struct obp_entry *e = lookup(p, req);
	ob_call *call = NULL;
	int ret;

	p->count.requests++;
	if (req->posted)
		p->count.posted++;
	if (!e) {
		if (req->call_case)
			OB_WARN(OBP_LOG, "request %llu: unknown call number %u",
				(unsigned long long)req->id, (unsigned)req->call_case);
		else
			OB_WARN(OBP_LOG, "request %llu carries no call (or one this build does not know)",
				(unsigned long long)req->id);
		fail_request(p, req, NULL, EINVAL);
		return;
	}
	if (!e->fn) {
		OB_STUB(OBP_LOG, "%s: no handler for %s (call %u)", p->plugin.name, e->args->name,
			(unsigned)e->args->id);
		fail_request(p, req, e, ENOSYS);
		return;
	}
	if (p->finished) {
		/* The closing flush still receives: the backend's state is gone
		 * (a SIGTERM under a backlog used to reach a freed one). */
		OB_DEBUG(OBP_LOG, "request %llu (%s) after shutdown: ECANCELED",
			 (unsigned long long)req->id, e->args->name);
		fail_request(p, req, e, ECANCELED);
		return;
	}
	ret = call_new(p, req, e, &call);
	if (ret) {
		fail_request(p, req, e, -ret);
		return;
	}
	ret = normalize_status(p, call->num, e->fn(p->ctx, call, call->args, call->result));
	if (call->completed_early) {
		if (ret != OB_DEFER)
			OB_ERROR(OBP_LOG, "handler for call %u completed its call and returned %d; "
				 "it must return OB_DEFER", call->num, ret);
		call_finish(call, call->early_status);
	} else if (ret == OB_DEFER) {
		defer(call);
	} else {
		call_finish(call, ret);
	}
}

void obp_cancel_deferred(ob_plugin_ctx *p, int status)
{
	while (p->deferred)
		call_finish(p->deferred, status);
}

void ob_call_complete(ob_call *call, int status)
{
	if (!call)
		return;
	status = normalize_status(call->p, call->num, status);
	if (status == OB_DEFER)
		status = EPERM; /* same number; the handler meant an error */
	if (call->state == OBP_CALL_DEFERRED) {
		call_finish(call, status);
		return;
	}
	if (call->completed_early) {
		OB_ERROR(OBP_LOG, "call %u completed twice; the second status (%d) is ignored",
			 call->num, status);
		return;
	}
	call->completed_early = true;
	call->early_status = status;
}

ob_plugin_ctx *ob_call_plugin(const ob_call *call)
{
	return call ? call->p : NULL;
}

const Ob__Request *ob_call_request(const ob_call *call)
{
	return call ? call->req : NULL;
}

const ProtobufCMessage *ob_call_args(const ob_call *call)
{
	return call ? call->args : NULL;
}

ProtobufCMessage *ob_call_result(ob_call *call)
{
	return call ? call->result : NULL;
}
