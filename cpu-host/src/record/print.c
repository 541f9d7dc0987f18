/*
 * A recording in the --trace format (see print.h).
 */
#include "print.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "marshal.h"
#include "mem.h"
#include "msgdump.h"
#include "outboard/errno.h"
#include "recfile.h"
#include "scheduler.h"
#include "trace.h"
#include "trace_filter.h"

/* Where a call's buffers go in the scratch guest memory. */
#define SCRATCH_BASE 0x10000000u
#define SHOWN 48

static void print_header(FILE *out, const char *path, const Ob__RecordHeader *hdr)
{
	fprintf(out, "# outboard recording %s (format %u, outboard %s)\n# program blake2b:", path,
		hdr->version, hdr->host_version);
	for (size_t i = 0; i < hdr->program_hash.len; i++)
		fprintf(out, "%02x", hdr->program_hash.data[i]);
	fputs("\n# args:", out);
	for (size_t i = 0; i < hdr->n_args; i++)
		fprintf(out, " %s", hdr->args[i]);
	fputc('\n', out);
	for (size_t i = 0; i < hdr->n_routes; i++) {
		const Ob__RecordRoute *r = hdr->routes[i];
		fprintf(out, "# route %u: %s%s served by %s at %s\n", r->route, r->name,
			r->read_only ? " (read-only)" : "", r->backend, r->url);
	}
}

/* The r0 the guest got (remote.c's on_reply), outputs written to mem. */
static int64_t result_of(struct obh_host *h, const struct obh_call *c, const uint32_t *v,
			 const Ob__Record *reply)
{
	int64_t ret;
	if (reply->transport_status)
		return reply->transport_status == ETIMEDOUT ? -OB_ABI_ETIMEDOUT : -OB_ABI_EIO;
	if (reply->reply->status)
		return -(int64_t)reply->reply->status;
	return obh_marshal_reply(h->mem, c, v, reply->reply, &ret);
}

void obh_record_print_call(struct obh_host *h, const Ob__Record *q, const Ob__Record *reply)
{
	FILE *out = h->trace_out;
	const Ob__Request *req = q->request;
	const struct obh_call *c = obh_call_by_num((uint32_t)req->call_case);
	struct obh_thread t = { .id = q->thread };
	uint32_t v[OBH_MAX_ARGS], end = SCRATCH_BASE;
	char *str[OBH_MAX_ARGS];
	if (!c || c->domain == OBH_DOMAIN_KERNEL) {
		/* Not a guest call: the host's own (input_configure), or one this
		 * outboard does not know. */
		Ob__Request shown = *req;
		shown.id = 0;
		if (q->thread)
			fprintf(out, "[t%u] call %d, unknown to this outboard:", q->thread,
				req->call_case);
		else
			fprintf(out, "[host]");
		obh_msgdump(out, &shown.base, SHOWN);
		fputc('\n', out);
		return;
	}
	if (!(h->opts.trace_mask & (1u << c->domain)) &&
	    !(h->opts.trace_calls[c->num / 8] & (1u << (c->num % 8))))
		return;
	int err = obh_marshal_unpack(h->mem, c, req, reply ? reply->reply : NULL, v, str, &end);
	if (err) {
		fprintf(out, "[t%u] %s: cannot show it (%s):", q->thread, c->name, strerror(-err));
		obh_msgdump(out, &req->base, SHOWN);
		fputc('\n', out);
	} else if (c->mode == OBH_POSTED || req->posted) {
		obh_trace_call(h, &t, c, v, str, 0, false, 0);
	} else if (!reply) {
		fprintf(out, "[t%u] %s(...) <no reply recorded>:", q->thread, c->name);
		obh_msgdump(out, &req->base, SHOWN);
		fputc('\n', out);
	} else {
		obh_trace_call(h, &t, c, v, str, result_of(h, c, v, reply), false, 0);
	}
	if (end > SCRATCH_BASE)
		obh_mem_unmap(h->mem, SCRATCH_BASE, end - SCRATCH_BASE);
}

static void print_event(FILE *out, const Ob__RecordHeader *hdr, const Ob__Record *r)
{
	const char *route = "?";
	if (r->event->event_case == OB__EVENT__EVENT_CREDIT)
		return; /* flow control of posted calls, not the guest's */
	for (size_t i = 0; i < hdr->n_routes; i++)
		if (hdr->routes[i]->route == r->route)
			route = hdr->routes[i]->name;
	fprintf(out, "--- event %s at %llu.%06llu:", route,
		(unsigned long long)(r->clock_ns / 1000000000),
		(unsigned long long)(r->clock_ns % 1000000000 / 1000));
	obh_msgdump(out, &r->event->base, SHOWN);
	fputs(" ---\n", out);
}

/* The request record of reply j (same route and id), or NULL. */
static const Ob__Record *request_of(const struct obh_rec *rec, size_t j, bool *answered)
{
	const Ob__Record *r = rec->recs[j];
	for (size_t i = j; i-- > 0;) {
		const Ob__Record *q = rec->recs[i];
		if (q->body_case == OB__RECORD__BODY_REQUEST && q->route == r->route &&
		    q->id == r->id && !answered[i]) {
			answered[i] = true;
			return q;
		}
	}
	return NULL;
}

static void print_records(struct obh_host *h, FILE *out, const struct obh_rec *rec)
{
	bool *answered = calloc(rec->n ? rec->n : 1, sizeof(*answered));
	for (size_t i = 0; i < rec->n; i++) {
		const Ob__Record *r = rec->recs[i];
		switch (r->body_case) {
		case OB__RECORD__BODY_REQUEST:
			if (r->request->posted) {
				if (answered)
					answered[i] = true;
				obh_record_print_call(h, r, NULL);
			}
			break;
		case OB__RECORD__BODY_REPLY: {
			const Ob__Record *q = answered ? request_of(rec, i, answered) : NULL;
			if (q)
				obh_record_print_call(h, q, r);
			else
				fprintf(out, "[t%u] reply %llu to no recorded request (byte %zu)\n",
					r->thread, (unsigned long long)r->id, rec->offsets[i]);
			break;
		}
		case OB__RECORD__BODY_EVENT:
			print_event(out, rec->hdr, r);
			break;
		default:
			break;
		}
	}
	/* Calls still in flight when the recording ended. */
	for (size_t i = 0; answered && i < rec->n; i++)
		if (rec->recs[i]->body_case == OB__RECORD__BODY_REQUEST && !answered[i])
			obh_record_print_call(h, rec->recs[i], NULL);
	free(answered);
}

void obh_record_print_decoded(struct obh_host *h, const char *name, const struct obh_rec *rec)
{
	print_header(h->trace_out, name, rec->hdr);
	print_records(h, h->trace_out, rec);
	fflush(h->trace_out);
}

int obh_record_printer_open(struct obh_host *h, FILE *out)
{
	int err;
	if (!h->opts.trace_mask && !obh_trace_any_call(h->opts.trace_calls))
		h->opts.trace_mask = (1u << OBH_DOMAIN_COUNT) - 1;
	h->trace_out = out;
	if ((err = obh_marshal_init()) || (err = obh_engine_open(h)) ||
	    (err = obh_mem_create(h->uc, &h->mem)))
		obh_record_printer_close(h);
	return err;
}

void obh_record_printer_close(struct obh_host *h)
{
	if (h->mem)
		obh_mem_forget_engine(h->mem);
	if (h->uc)
		obh_engine_close(h);
	obh_mem_destroy(h->mem);
	h->mem = NULL;
}

int obh_record_print(struct obh_host *h, FILE *out)
{
	const char *path = h->opts.print_file;
	struct obh_rec rec;
	char why[200];
	int err = obh_rec_load(path, &rec, why, sizeof(why));
	if (err) {
		fprintf(stderr, "outboard-cpu: %s: %s\n", path, err == -EINVAL ? why : strerror(-err));
		return OBH_EXIT_HOST_ERROR;
	}
	if ((err = obh_record_printer_open(h, out))) {
		fprintf(stderr, "outboard-cpu: cannot print %s: %s\n", path, strerror(-err));
		obh_rec_free(&rec);
		return OBH_EXIT_HOST_ERROR;
	}
	obh_record_print_decoded(h, path, &rec);
	obh_record_printer_close(h);
	obh_rec_free(&rec);
	return ferror(out) ? OBH_EXIT_HOST_ERROR : 0;
}
