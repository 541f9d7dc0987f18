/*
 * Recording a run's device traffic (see record.h).
 */
#include "record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "mounts.h"
#include "outboard/log.h"
#include "recfile.h"
#include "router.h"
#include "scheduler.h"

#define CAT "record"

struct obh_record {
	struct obh_recw *w;
	bool failed;             /* a write failed: reported, nothing more written */
	uint64_t *seq;           /* requests so far, by thread id */
	uint32_t nseq;
	uint64_t written;
};

uint64_t obh_record_clock(const struct obh_host *h)
{
	return h->start_ns ? obh_program_ns(h) : 0;
}

/* Requests of thread so far (the record's seq), counted up. */
static uint64_t next_seq(struct obh_record *r, uint32_t thread)
{
	if (thread >= r->nseq) {
		uint32_t n = thread + 64;
		uint64_t *grown = realloc(r->seq, n * sizeof(*grown));
		if (!grown)
			return 0;
		memset(grown + r->nseq, 0, (n - r->nseq) * sizeof(*grown));
		r->seq = grown;
		r->nseq = n;
	}
	return r->seq[thread]++;
}

/* A write failed: mid-run the recording stops and the program goes on; at
 * the end (the last buffered bytes) the file is left incomplete. */
static void report(struct obh_host *h, int err, bool at_end)
{
	OB_ERROR(CAT, "--record %s: %s after %llu records; %s", h->opts.record_file,
		 strerror(-err), (unsigned long long)h->record->written,
		 at_end ? "the recording is incomplete"
			: "the recording stops here, the program goes on");
}

static void put(struct obh_host *h, Ob__Record *rec, unsigned route, uint32_t thread)
{
	struct obh_record *r = h->record;
	rec->clock_ns = obh_record_clock(h);
	rec->route = route;
	rec->thread = thread;
	struct obh_thread *t = thread ? obh_thread_by_id(h, thread) : NULL;
	if (t && h->uc)
		rec->pc = obh_thread_reg(h, t, UC_ARM_REG_PC);
	int err = obh_recw_put(r->w, rec);
	if (err) {
		r->failed = true;
		report(h, err, false);
		return;
	}
	r->written++;
}

void obh_record_request(struct obh_host *h, unsigned route, const Ob__Request *req, uint64_t id,
			bool restore)
{
	if (!h->record || h->record->failed)
		return;
	Ob__Record rec = OB__RECORD__INIT;
	rec.body_case = OB__RECORD__BODY_REQUEST;
	rec.request = (Ob__Request *)(uintptr_t)req; /* only read by the packer */
	rec.id = id;
	rec.restore = restore;
	rec.seq = next_seq(h->record, req->thread);
	put(h, &rec, route, req->thread);
}

void obh_record_reply(struct obh_host *h, unsigned route, uint32_t thread, uint64_t id,
		      int status, const Ob__Reply *rep)
{
	if (!h->record || h->record->failed)
		return;
	Ob__Record rec = OB__RECORD__INIT;
	Ob__Reply none = OB__REPLY__INIT;
	rec.id = id;
	rec.body_case = OB__RECORD__BODY_REPLY;
	if (rep) {
		rec.reply = (Ob__Reply *)(uintptr_t)rep;
	} else {
		none.id = id;
		rec.reply = &none;
		rec.transport_status = (uint32_t)status;
	}
	put(h, &rec, route, thread);
}

void obh_record_event(struct obh_host *h, unsigned route, const Ob__Event *ev)
{
	if (!h->record || h->record->failed)
		return;
	Ob__Record rec = OB__RECORD__INIT;
	rec.body_case = OB__RECORD__BODY_EVENT;
	rec.event = (Ob__Event *)(uintptr_t)ev;
	put(h, &rec, route, 0);
}

/* ---- the header ---- */

static int hash_image(const uint8_t *image, size_t len, uint8_t out[32])
{
	return crypto_generichash(out, 32, image, len, NULL, 0) == 0 ? 0 : -EIO;
}

/* One RecordRoute per route the router has, in routes[] (ptrs[] points at
 * each), with its served calls in calls[] (all the caller's storage). */
static void describe_routes(struct obh_host *h, Ob__RecordRoute *routes, Ob__RecordRoute **ptrs,
			   uint32_t (*calls)[256], size_t *n)
{
	*n = 0;
	for (unsigned rt = 1; rt < OBH_MAX_ROUTES; rt++) {
		const char *url = obh_router_url(h->router, rt);
		const char *backend = obh_router_backend(h->router, rt);
		if (!url)
			continue;
		Ob__RecordRoute *r = &routes[*n];
		ob__record_route__init(r);
		r->route = rt;
		r->domain = (Ob__Domain)(rt < OBH_DOMAIN_COUNT ? rt : OBH_DOMAIN_FS);
		const struct obh_mount *m = h->mounts ? obh_mounts_by_route(h->mounts, rt) : NULL;
		const char *name = m ? m->label : obh_domain_name((enum obh_domain)r->domain);
		r->name = (char *)(uintptr_t)name; /* protobuf-c's fields are not const */
		r->url = (char *)(uintptr_t)url;
		r->backend = (char *)(uintptr_t)(backend ? backend : "");
		r->mount = m ? m->point : (char *)(uintptr_t)"";
		r->read_only = m && m->read_only;
		for (uint32_t num = 0; num < 256; num++)
			if (obh_router_serves(h->router, rt, num))
				calls[*n][r->n_calls++] = num;
		r->calls = calls[*n];
		ptrs[*n] = r;
		(*n)++;
	}
}

int obh_record_start(struct obh_host *h, const uint8_t *image, size_t len)
{
	Ob__RecordHeader hdr;
	Ob__RecordRoute routes[OBH_MAX_ROUTES], *ptrs[OBH_MAX_ROUTES];
	static uint32_t calls[OBH_MAX_ROUTES][256];
	uint8_t hash[32];
	size_t n;
	int err;
	if (!h->opts.record_file)
		return 0;
	ob__record_header__init(&hdr);
	if ((err = hash_image(image, len, hash)))
		return err;
	if (!(h->record = calloc(1, sizeof(*h->record))))
		return -ENOMEM;
	describe_routes(h, routes, ptrs, calls, &n);
	hdr.version = OB__RECORD_VERSION__RECORD_VERSION_CURRENT;
	hdr.program_hash = (ProtobufCBinaryData){ .len = sizeof(hash), .data = hash };
	hdr.n_args = (size_t)h->opts.guest_argc;
	hdr.args = h->opts.guest_argv;
	hdr.n_routes = n;
	hdr.routes = ptrs;
	hdr.host_version = (char *)(uintptr_t)OB_VERSION;
	hdr.fs_cache = h->opts.fs_cache;
	hdr.started_unix_ms = (int64_t)time(NULL) * 1000;
	hdr.n_env = (size_t)h->opts.n_env;
	hdr.env = h->opts.env;
	err = obh_recw_open(h->opts.record_file, &hdr, &h->record->w);
	if (err) {
		OB_ERROR(CAT, "--record %s: %s", h->opts.record_file, strerror(-err));
		free(h->record);
		h->record = NULL;
	}
	return err;
}

int obh_record_finish(struct obh_host *h)
{
	struct obh_record *r = h->record;
	if (!r)
		return 0;
	int err = obh_recw_close(r->w);
	if (err && !r->failed)
		report(h, err, true);
	else if (!err)
		OB_INFO(CAT, "--record %s: %llu records", h->opts.record_file,
			(unsigned long long)r->written);
	if (r->failed && !err)
		err = -EIO;
	free(r->seq);
	free(r);
	h->record = NULL;
	return err;
}
