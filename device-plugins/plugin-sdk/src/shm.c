/*
 * The plugin's end of the shared-memory data path (outboard/shm.h,
 * docs/performance.md "Shared memory"). Handlers never see it: a request
 * whose bytes argument is in the region (Request.shm_in) reaches its
 * handler with that bytes field pointing into the region, and a result's
 * bytes field is copied into the span the host lent (Request.shm_out)
 * instead of being packed into the Reply.
 *
 * Every span the host names is checked against the region before use; a
 * bad one fails the request with EINVAL. A region stays mapped while a call
 * that points into it lives (a deferred call may outlast the host that
 * sent it), so a new host's region never pulls memory from under a handler.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outboard/shm.h"
#include "sdk.h"

/* How long a Hello waits for the host's offer on the side socket: the host
 * writes it before it sends the Hello, so it is normally there already. */
#define OBP_SHM_ACCEPT_MS 1000

struct obp_region {
	ob_shm *shm;
	unsigned refs; /* the context's, and one per call pointing into it */
};

static void region_put(struct obp_region *r)
{
	if (r && --r->refs == 0) {
		ob_shm_free(r->shm);
		free(r);
	}
}

void obp_shm_listen(ob_plugin_ctx *p)
{
	int err;

	p->shm_listen_fd = -1;
	if (!p->opts.listen || strncmp(p->opts.listen, "ipc://", 6) != 0)
		return;
	err = ob_shm_listen(p->opts.listen, &p->shm_listen_fd);
	if (err)
		OB_INFO(OBP_LOG, "no shared memory for %s (%s): payloads go inline",
			p->opts.listen, strerror(-err));
}

void obp_shm_close(ob_plugin_ctx *p)
{
	ob_shm_unlisten(p->shm_listen_fd, p->opts.listen);
	p->shm_listen_fd = -1;
	region_put(p->region);
	p->region = NULL;
}

uint32_t obp_shm_take(ob_plugin_ctx *p, const Ob__Hello *in, int *lane)
{
	ob_shm *shm = NULL;
	struct obp_region *r;
	int err;

	*lane = -1;
	/* Whatever the new peer offers, the old peer's region is done with. */
	region_put(p->region);
	p->region = NULL;
	if (!in->shm_token || !in->shm_size)
		return 0;
	if (p->shm_listen_fd < 0) {
		OB_INFO(OBP_LOG, "shared memory offered, but this endpoint has no side socket");
		return 0;
	}
	/* A lane only where the host keeps its end and frames may skip the
	 * connection's own checks: never with a key. */
	bool want_lane = in->lane && ob_conn_lane_possible(p->conn);
	err = ob_shm_accept_lane(p->shm_listen_fd, in->shm_token, in->shm_size, OBP_SHM_ACCEPT_MS,
				 &shm, want_lane ? lane : NULL);
	r = err ? NULL : calloc(1, sizeof(*r));
	if (!r) {
		OB_WARN(OBP_LOG, "cannot take the shared memory offered (%s): payloads go inline",
			strerror(err ? -err : ENOMEM));
		ob_shm_free(shm);
		if (*lane >= 0)
			close(*lane);
		*lane = -1;
		return 0;
	}
	r->shm = shm;
	r->refs = 1;
	p->region = r;
	OB_INFO(OBP_LOG, "shared memory: %u bytes mapped", in->shm_size);
	return in->shm_size;
}

int obp_shm_use(ob_plugin_ctx *p, ob_shm *shm)
{
	struct obp_region *r = calloc(1, sizeof(*r));

	if (!r) {
		ob_shm_free(shm);
		return -ENOMEM;
	}
	region_put(p->region);
	r->shm = shm;
	r->refs = 1;
	p->region = r;
	return 0;
}

/* The message's one bytes field (the protocol gives each call at most one
 * bytes argument and one bytes result), or NULL. */
static ProtobufCBinaryData *bytes_field(ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m ? m->descriptor : NULL;

	for (unsigned i = 0; d && i < d->n_fields; i++)
		if (d->fields[i].type == PROTOBUF_C_TYPE_BYTES &&
		    d->fields[i].label != PROTOBUF_C_LABEL_REPEATED)
			return (ProtobufCBinaryData *)((char *)m + d->fields[i].offset);
	return NULL;
}

static bool span_ok(const struct obp_region *r, const Ob__ShmSpan *s)
{
	return r && ob_shm_span_ok(ob_shm_size(r->shm), s->offset, s->length);
}

int obp_shm_attach(ob_plugin_ctx *p, const Ob__Request *req, ProtobufCMessage *args,
		   struct obp_shm_use *use)
{
	ProtobufCBinaryData *bd;

	memset(use, 0, sizeof(*use));
	if (!req->shm_in && !req->shm_out)
		return 0;
	if (!p->region) {
		OB_WARN(OBP_LOG, "request %llu refers to shared memory, but none is mapped",
			(unsigned long long)req->id);
		return -EINVAL;
	}
	if ((req->shm_out && !span_ok(p->region, req->shm_out)) ||
	    (req->shm_in && !span_ok(p->region, req->shm_in))) {
		OB_WARN(OBP_LOG, "request %llu: a shared-memory span lies outside the region",
			(unsigned long long)req->id);
		return -EINVAL;
	}
	if (req->shm_in) {
		bd = bytes_field(args);
		if (!bd || bd->len) {
			OB_WARN(OBP_LOG, "request %llu: shm_in for a call without an empty bytes "
				"argument", (unsigned long long)req->id);
			return -EINVAL;
		}
		bd->data = ob_shm_base(p->region->shm) + req->shm_in->offset;
		bd->len = req->shm_in->length;
		use->patched = bd;
	}
	if (req->shm_out)
		use->out = *req->shm_out;
	use->has_out = req->shm_out != NULL;
	use->region = p->region;
	p->region->refs++;
	return 0;
}

void obp_shm_detach(struct obp_shm_use *use)
{
	/* The request is freed by protobuf-c next: it must not free() the
	 * region's memory. */
	if (use->patched)
		*use->patched = (ProtobufCBinaryData){ 0 };
	region_put(use->region);
	memset(use, 0, sizeof(*use));
}

bool obp_shm_put_result(struct obp_shm_use *use, ProtobufCMessage *result,
			Ob__ShmSpan *span, ProtobufCBinaryData *saved)
{
	ProtobufCBinaryData *bd;

	if (!use || !use->has_out || !use->region)
		return false;
	bd = bytes_field(result);
	if (!bd || bd->len > use->out.length)
		return false; /* too big for the span: inline, as without a region */
	if (bd->len)
		memcpy(ob_shm_base(use->region->shm) + use->out.offset, bd->data, bd->len);
	*span = (Ob__ShmSpan)OB__SHM_SPAN__INIT;
	span->offset = use->out.offset;
	span->length = (uint32_t)bd->len;
	*saved = *bd;
	bd->len = 0;
	use->result_bytes = bd;
	return true;
}

void obp_shm_restore_result(struct obp_shm_use *use, const ProtobufCBinaryData *saved)
{
	if (use && use->result_bytes) {
		*use->result_bytes = *saved;
		use->result_bytes = NULL;
	}
}
