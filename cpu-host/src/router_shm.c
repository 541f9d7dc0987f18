/*
 * The host's end of the shared-memory data path (outboard/shm.h,
 * docs/performance.md "Shared memory").
 *
 * Each Hello to a local (ipc://, keyless) plugin offers a fresh region; the
 * link uses it once the plugin's answer says it mapped it. Calls then carry
 * their payload through it, generically, by the protocol's shape: a call's
 * one bytes argument, when large enough, is copied into a span lent for
 * the request (Request.shm_in), and a call with a bytes result lends a span
 * of its `count` for the plugin to fill (Request.shm_out). The rest of the
 * host (marshal.c, the file cache) sees ordinary bytes fields: a reply that
 * names a span has its result's bytes field pointed at the span for the
 * duration of the callback, after the checks below.
 *
 * What a plugin can do to us through the region, and why it is harmless:
 * - Reply.shm_out is accepted only as a prefix of the span lent to that
 *   very request, in the region of this very instance; anything else fails
 *   the call with EIO. Readers copy the bytes out (into guest memory or a
 *   cache block) and never keep pointers into the region.
 * - The bookkeeping (ob_shm_heap) lives in our memory; the memfd is sealed
 *   against shrinking, so our mapping never faults.
 * - A span comes back only with the plugin's answer (a Reply, or Credit
 *   for a posted call). A call that ends without one (timeout, the plugin
 *   hung or died) leaves its spans lent until the region is dropped, so a
 *   late write by a stuck plugin never lands in a span lent again.
 * - A region is dropped when its plugin goes down; the next Hello makes a
 *   new one.
 *
 * The side connection that carried the region becomes the link's request
 * lane (outboard/ipc.h, ob_conn_attach_lane) when the plugin's answer says
 * it took it: frames then skip nanomsg's worker threads. A lane lives and
 * dies with its region: it is closed before every Hello (so a Hello and the
 * answer to it always travel over nanomsg, and nothing sent before it can
 * overtake it) and when the plugin goes down.
 */
#include "router_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outboard/log.h"
#include "outboard/shm.h"

#define CAT OBHR_LOG

/* Region size per link, and the spans lent at once: a posted window's worth
 * of blits or a file cache's read-ahead; past that, payloads go inline. */
#define OBHR_SHM_SIZE (32u << 20)
#define OBHR_SHM_SPANS 1024u
/* Smaller payloads go inline: a span costs more than packing them. */
#define OBHR_SHM_MIN_BYTES 512u

struct obhr_shm {
	ob_shm *region;
	struct ob_shm_heap *heap;
	uint64_t token;        /* the offer's: the answer must name it */
	int lane;              /* the offer's connection, until attached; -1 = none */
	uint64_t gen;          /* tells a span of this region from an older one's */
};

/* Where a call's bytes argument, bytes result and result capacity are. */
struct shm_shape {
	bool known;
	const ProtobufCFieldDescriptor *member;  /* Request.call's member */
	const ProtobufCFieldDescriptor *in;      /* bytes field of the args */
	const ProtobufCFieldDescriptor *count;   /* uint32 count of the args */
	const ProtobufCFieldDescriptor *rmember; /* Reply.result's member */
	const ProtobufCFieldDescriptor *out;     /* bytes field of the result */
};

/* A blocking call that lent spans: its reply comes through on_reply. */
struct shm_call {
	struct obh_link *l;
	uint64_t gen;
	ob_reply_fn fn;
	void *arg;
	uint32_t num;
	struct obhr_span in, out;
};

static uint64_t next_gen = 1;

static bool env_set(const char *name)
{
	const char *v = getenv(name);
	return v && v[0] && strcmp(v, "0") != 0;
}

bool obhr_shm_disabled(void)
{
	return env_set("OB_NO_SHM");
}

bool obhr_lane_disabled(void)
{
	return env_set("OB_NO_LANE");
}

static void shm_free(struct obhr_shm *s)
{
	if (!s)
		return;
	if (s->lane >= 0)
		close(s->lane);
	ob_shm_heap_free(s->heap);
	ob_shm_free(s->region);
	free(s);
}

void obhr_shm_drop(struct obh_link *l)
{
	if (l->conn)
		ob_conn_detach_lane(l->conn);
	shm_free(l->shm);
	shm_free(l->shm_offered);
	l->shm = l->shm_offered = NULL;
}

void obhr_shm_offer(struct obh_link *l, Ob__Hello *hello)
{
	obhr_shm_drop(l); /* a new instance, or a new session: a new region */
	if (l->router->no_shm || strncmp(l->url, "ipc://", 6) != 0)
		return;
	struct obhr_shm *s = calloc(1, sizeof(*s));
	uint64_t token = ob_shm_token();
	int err = s ? ob_shm_create(OBHR_SHM_SIZE, &s->region) : -ENOMEM;
	if (s)
		s->lane = -1;
	if (!err)
		err = ob_shm_heap_new(OBHR_SHM_SIZE, OBHR_SHM_SPANS, &s->heap);
	if (!err)
		err = ob_shm_offer_lane(s->region, l->url, token,
					l->router->no_lane ? NULL : &s->lane);
	if (err) {
		/* A plugin without a side socket (an older SDK, a test's own
		 * endpoint) is served inline, as it always was. */
		OB_DEBUG(CAT, "%s: no shared memory offered (%s)", l->domains, strerror(-err));
		shm_free(s);
		return;
	}
	s->gen = next_gen++;
	s->token = token;
	l->shm_offered = s;
	hello->shm_token = token;
	hello->shm_size = OBHR_SHM_SIZE;
	hello->lane = s->lane >= 0;
}

void obhr_shm_answer(struct obh_link *l, const Ob__Hello *answer)
{
	struct obhr_shm *s = l->shm_offered;
	l->shm_offered = NULL;
	shm_free(l->shm);
	l->shm = NULL;
	if (!s)
		return;
	if (answer->shm_size != ob_shm_size(s->region) || answer->shm_token != s->token) {
		/* Declined, or an answer to an older offer (whose region the
		 * plugin mapped instead): inline is always right. */
		OB_INFO(CAT, "%s: the plugin %s shared memory: payloads go inline", l->domains,
			answer->shm_size ? "answered another offer of" : "declined");
		shm_free(s);
		return;
	}
	l->shm = s;
	bool lane = false;
	if (answer->lane && s->lane >= 0 && l->conn) {
		lane = ob_conn_attach_lane(l->conn, s->lane) == 0;
		s->lane = -1; /* the connection owns it now, attached or closed */
	}
	OB_INFO(CAT, "%s: shared memory of %u bytes%s", l->domains, answer->shm_size,
		lane ? ", frames over a request lane" : "");
}

bool obhr_shm_active(const struct obh_link *l)
{
	return l->shm != NULL;
}

/* ---- shapes ---- */

static const ProtobufCFieldDescriptor *bytes_of(const ProtobufCMessageDescriptor *d)
{
	for (unsigned i = 0; d && i < d->n_fields; i++)
		if (d->fields[i].type == PROTOBUF_C_TYPE_BYTES &&
		    d->fields[i].label != PROTOBUF_C_LABEL_REPEATED)
			return &d->fields[i];
	return NULL;
}

static const struct shm_shape *shape_of(uint32_t num)
{
	static struct shm_shape shapes[OBHR_MAX_CALL_NUM];
	if (num >= OBHR_MAX_CALL_NUM)
		return NULL;
	struct shm_shape *sh = &shapes[num];
	if (sh->known)
		return sh;
	sh->known = true;
	sh->member = protobuf_c_message_descriptor_get_field(&ob__request__descriptor, num);
	sh->rmember = protobuf_c_message_descriptor_get_field(&ob__reply__descriptor, num);
	if (!sh->member || sh->member->type != PROTOBUF_C_TYPE_MESSAGE || !sh->rmember ||
	    sh->rmember->type != PROTOBUF_C_TYPE_MESSAGE) {
		sh->member = sh->rmember = NULL;
		return sh;
	}
	sh->in = bytes_of(sh->member->descriptor);
	sh->out = bytes_of(sh->rmember->descriptor);
	sh->count = protobuf_c_message_descriptor_get_field_by_name(sh->member->descriptor,
								    "count");
	if (sh->count && sh->count->type != PROTOBUF_C_TYPE_UINT32)
		sh->count = NULL;
	if (!sh->count)
		sh->out = NULL; /* no capacity to lend by */
	return sh;
}

static void *field_at(const void *msg, const ProtobufCFieldDescriptor *f)
{
	return (char *)(uintptr_t)msg + f->offset;
}

/* ---- spans ---- */

static bool lend(struct obh_link *l, uint32_t len, struct obhr_span *sp)
{
	uint32_t off;
	if (ob_shm_heap_alloc(l->shm->heap, len, &off)) {
		l->shm_inline++; /* the region is full now: inline, as before */
		return false;
	}
	*sp = (struct obhr_span){ .off = off, .len = len, .gen = l->shm->gen, .lent = true };
	return true;
}

void obhr_shm_give_back(struct obh_link *l, const struct obhr_span *sp)
{
	if (sp->lent && l->shm && l->shm->gen == sp->gen)
		ob_shm_heap_release(l->shm->heap, sp->off);
}

/* Move req's payload into the region where worthwhile. *saved keeps the
 * bytes field emptied for the send (restore_request puts it back). */
static void prepare(struct obh_link *l, Ob__Request *req, const struct shm_shape *sh,
		    bool want_out, struct obhr_span *in, struct obhr_span *out,
		    Ob__ShmSpan wire[2], ProtobufCBinaryData *saved)
{
	const void *args = *(void **)field_at(req, sh->member);
	memset(in, 0, sizeof(*in));
	memset(out, 0, sizeof(*out));
	if (!args)
		return;
	if (sh->in) {
		ProtobufCBinaryData *bd = field_at(args, sh->in);
		if (bd->len >= OBHR_SHM_MIN_BYTES && bd->len <= UINT32_MAX &&
		    lend(l, (uint32_t)bd->len, in)) {
			memcpy(ob_shm_base(l->shm->region) + in->off, bd->data, bd->len);
			*saved = *bd;
			*bd = (ProtobufCBinaryData){ 0 };
			ob__shm_span__init(&wire[0]);
			wire[0].offset = in->off;
			wire[0].length = in->len;
			req->shm_in = &wire[0];
		}
	}
	if (want_out && sh->out) {
		uint32_t count = *(const uint32_t *)field_at(args, sh->count);
		if (count >= OBHR_SHM_MIN_BYTES && lend(l, count, out)) {
			ob__shm_span__init(&wire[1]);
			wire[1].offset = out->off;
			wire[1].length = out->len;
			req->shm_out = &wire[1];
		}
	}
}

static void restore_request(Ob__Request *req, const struct shm_shape *sh,
			    const ProtobufCBinaryData *saved)
{
	if (req->shm_in)
		*(ProtobufCBinaryData *)field_at(*(void **)field_at(req, sh->member), sh->in) =
			*saved;
	req->shm_in = req->shm_out = NULL;
}

/* ---- replies ---- */

/* The result's bytes field, when rep names a span that is what c lent. */
static ProtobufCBinaryData *check_reply(struct shm_call *c, const Ob__Reply *rep,
					const char **why)
{
	const struct shm_shape *sh = shape_of(c->num);
	struct obh_link *l = c->l;
	*why = NULL;
	if (!c->out.lent || !l->shm || l->shm->gen != c->gen) {
		*why = "names a span it was not lent";
		return NULL;
	}
	if (rep->shm_out->offset != c->out.off || rep->shm_out->length > c->out.len) {
		*why = "names a span outside the one it was lent";
		return NULL;
	}
	if (rep->status || (uint32_t)rep->result_case != c->num) {
		*why = "names a span without a result";
		return NULL;
	}
	const void *res = *(void *const *)field_at(rep, sh->rmember);
	ProtobufCBinaryData *bd = res ? field_at(res, sh->out) : NULL;
	if (!bd || bd->len) {
		*why = "sends bytes both inline and in the region";
		return NULL;
	}
	return bd;
}

static void on_reply(void *arg, int status, const Ob__Reply *rep)
{
	struct shm_call *c = arg;
	struct obh_link *l = c->l;
	if (rep && rep->shm_out) {
		const char *why;
		ProtobufCBinaryData *bd = check_reply(c, rep, &why);
		if (!bd) {
			OB_ERROR(CAT, "plugin %s (%s): reply %llu %s: the call fails with EIO",
				 obhr_link_name(l), l->domains, (unsigned long long)rep->id, why);
			l->shm_bad++;
			c->fn(c->arg, EIO, NULL);
		} else {
			/* The reply belongs to the connection, and is ours only
			 * for this callback: borrow its bytes field. */
			Ob__Reply *r = (Ob__Reply *)(uintptr_t)rep;
			Ob__ShmSpan *span = r->shm_out;
			bd->data = ob_shm_base(l->shm->region) + span->offset;
			bd->len = span->length;
			/* The caller sees the reply as if it came inline (a
			 * recording or a comparison never holds a span). */
			r->shm_out = NULL;
			c->fn(c->arg, status, rep);
			r->shm_out = span;
			*bd = (ProtobufCBinaryData){ 0 };
		}
	} else {
		c->fn(c->arg, status, rep);
	}
	/* Only the plugin's answer proves it is done with the spans. */
	if (rep) {
		obhr_shm_give_back(l, &c->in);
		obhr_shm_give_back(l, &c->out);
	} else if (c->in.lent || c->out.lent) {
		l->shm_quarantined++;
	}
	free(c);
}

/* ---- sending ---- */

int obhr_shm_call(struct obh_link *l, Ob__Request *req, ob_reply_fn fn, void *arg,
		  uint64_t *id, struct obhr_span *posted_in)
{
	const struct shm_shape *sh = l->shm ? shape_of((uint32_t)req->call_case) : NULL;
	if (posted_in)
		memset(posted_in, 0, sizeof(*posted_in));
	/* A posted call's span comes back with Credit, so it needs its place
	 * in the posted FIFO (posted_in) to be lent one. */
	if (!sh || !sh->member || req->shm_in || req->shm_out || (!fn && !posted_in))
		return ob_conn_call(l->conn, req, fn, arg, id);
	struct shm_call *c = NULL;
	if (fn) {
		if (!(c = calloc(1, sizeof(*c))))
			return -ENOMEM;
		*c = (struct shm_call){ .l = l, .gen = l->shm->gen, .fn = fn, .arg = arg,
					.num = (uint32_t)req->call_case };
	}
	struct obhr_span in, out;
	Ob__ShmSpan wire[2];
	ProtobufCBinaryData saved = { 0 };
	prepare(l, req, sh, fn != NULL, &in, &out, wire, &saved);
	/* A blocking call goes through on_reply even when it lent nothing: a
	 * reply naming a span it was not lent must fail, not read as empty. */
	if (!c && !in.lent)
		return ob_conn_call(l->conn, req, NULL, NULL, id);
	int err = c ? ob_conn_call(l->conn, req, on_reply, c, id)
		    : ob_conn_call(l->conn, req, NULL, NULL, id);
	restore_request(req, sh, &saved);
	if (err) {
		obhr_shm_give_back(l, &in);
		obhr_shm_give_back(l, &out);
		free(c);
		return err;
	}
	if (c) {
		c->in = in;
		c->out = out;
	} else if (posted_in) {
		*posted_in = in;
	}
	if (in.lent || out.lent)
		l->shm_calls++;
	return 0;
}

uint64_t obhr_shm_lent_bytes(const struct obh_link *l)
{
	return l->shm ? ob_shm_heap_used(l->shm->heap) : 0;
}
