/*
 * Replaying one route's requests against a live backend (see compare.h).
 */
#include "compare.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "events.h"
#include "msgdump.h"
#include "outboard/errno.h"
#include "print.h"
#include "recfile.h"
#include "router.h"
#include "scheduler.h"

#define MAX_HANDLES 1024
#define CALL_DEADLINE_MS 10000

struct handle_map {
	uint32_t recorded, live;
};

struct compare {
	struct obh_host *h;
	const struct obh_rec *rec;
	unsigned live_route;       /* the route in this run: the domain's */
	const char *recorded_backend, *live_backend;
	struct handle_map map[MAX_HANDLES];
	unsigned nmap;
	/* The call in flight. */
	bool done;
	int status;
	Ob__Reply *reply;          /* a copy of the live reply (owned) */
	unsigned compared, differences;
};

/* A deep copy of rep (ob__reply__free_unpacked), or NULL. */
static Ob__Reply *copy_reply(const Ob__Reply *rep)
{
	Ob__Reply *copy = NULL;
	size_t n = protobuf_c_message_get_packed_size(&rep->base);
	uint8_t *buf = malloc(n ? n : 1);
	if (buf) {
		protobuf_c_message_pack(&rep->base, buf);
		copy = ob__reply__unpack(NULL, n, buf);
		free(buf);
	}
	return copy;
}

static void on_reply(void *arg, int status, const Ob__Reply *rep)
{
	struct compare *cmp = arg;
	cmp->done = true;
	cmp->status = status;
	/* The reply is the connection's only during the call: keep a copy. */
	if (rep && !(cmp->reply = copy_reply(rep)))
		cmp->status = ENOMEM;
}

/* Run the router until the call in flight is answered (its deadline
 * bounds the wait). */
static void pump(struct compare *cmp)
{
	struct obh_router *r = cmp->h->router;
	while (!cmp->done) {
		struct pollfd pfds[64];
		int n = obh_router_pollfds(r, pfds, 64);
		int t = obh_router_timeout(r);
		if (t < 0 || t > 100)
			t = 100;
		poll(pfds, (nfds_t)n, t);
		obh_router_process(r);
	}
}

/* The request's sub-message (its call's arguments). */
static ProtobufCMessage *call_message(Ob__Request *req)
{
	const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
		&ob__request__descriptor, (unsigned)req->call_case);
	if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE)
		return NULL;
	return *(ProtobufCMessage **)((uint8_t *)req + f->offset);
}

static uint32_t *u32_field(ProtobufCMessage *m, const char *name)
{
	const ProtobufCFieldDescriptor *f =
		m ? protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name) : NULL;
	if (!f || (f->type != PROTOBUF_C_TYPE_UINT32 && f->type != PROTOBUF_C_TYPE_INT32))
		return NULL;
	return (uint32_t *)((uint8_t *)m + f->offset);
}

/* Recorded handles in req's fd and directory arguments become the live
 * plugin's. */
static void map_handles(struct compare *cmp, const struct obh_call *c, Ob__Request *req)
{
	ProtobufCMessage *m = call_message(req);
	for (unsigned i = 0; i < c->nargs; i++) {
		if (c->args[i].kind != OBH_A_FD && c->args[i].kind != OBH_A_DIR)
			continue;
		uint32_t *v = u32_field(m, c->args[i].name);
		for (unsigned k = 0; v && k < cmp->nmap; k++) {
			if (cmp->map[k].recorded == *v) {
				*v = cmp->map[k].live;
				break;
			}
		}
	}
}

/* The recorded backend's handle h is the live one's live from now on (a
 * number reused after a close replaces its old pairing). */
static void note_handle(struct compare *cmp, uint32_t recorded, uint32_t live)
{
	unsigned k = 0;
	while (k < cmp->nmap && cmp->map[k].recorded != recorded)
		k++;
	if (k == MAX_HANDLES)
		return; /* more open at once than a backend allows: left unmapped */
	cmp->map[k] = (struct handle_map){ recorded, live };
	if (k == cmp->nmap)
		cmp->nmap++;
}

/* The result's `ret` field (a new handle for open/opendir), or NULL. */
static int64_t *ret_field(Ob__Reply *rep)
{
	const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
		&ob__reply__descriptor, (unsigned)rep->result_case);
	if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE)
		return NULL;
	ProtobufCMessage *res = *(ProtobufCMessage **)((uint8_t *)rep + f->offset);
	const ProtobufCFieldDescriptor *rf =
		res ? protobuf_c_message_descriptor_get_field_by_name(res->descriptor, "ret") : NULL;
	if (!rf || rf->type != PROTOBUF_C_TYPE_INT64)
		return NULL;
	return (int64_t *)((uint8_t *)res + rf->offset);
}

/* Fields two correct backends answer differently: times, inode numbers,
 * and the size and fill of the storage (statvfs). */
static bool volatile_name(const char *name, size_t len)
{
	static const char *const names[] = { "ino", "total_blocks", "free_blocks",
					     "avail_blocks", "files", "free_files" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return len > 3 && strcmp(name + len - 3, "_ns") == 0;
}

/* Fields two correct backends answer differently (volatile_name). */
static void forget_volatile(ProtobufCMessage *m, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	for (unsigned i = 0; i < d->n_fields && depth < 8; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		uint8_t *at = (uint8_t *)m + f->offset;
		size_t len = strlen(f->name);
		if (f->label == PROTOBUF_C_LABEL_REPEATED)
			continue;
		if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
			ProtobufCMessage *sub = *(ProtobufCMessage **)at;
			bool in_oneof = f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF;
			if (sub && (!in_oneof || *(uint32_t *)((uint8_t *)m + f->quantifier_offset) ==
							  f->id))
				forget_volatile(sub, depth + 1);
		} else if (volatile_name(f->name, len)) {
			memset(at, 0, f->type == PROTOBUF_C_TYPE_INT64 || f->type == PROTOBUF_C_TYPE_UINT64
					      ? 8 : 4);
		}
	}
}

/* A --trace line of q with reply r into a string (malloc'd). */
static char *call_line(struct obh_host *h, const Ob__Record *q, const Ob__Record *r)
{
	char *text = NULL;
	size_t n = 0;
	FILE *saved = h->trace_out, *mem = open_memstream(&text, &n);
	if (!mem)
		return NULL;
	h->trace_out = mem;
	obh_record_print_call(h, q, r);
	fclose(mem);
	h->trace_out = saved;
	if (n && text[n - 1] == '\n')
		text[n - 1] = '\0';
	return text;
}

static void report(struct compare *cmp, size_t i, const Ob__Record *q, const Ob__Record *rec_r,
		   const Ob__Record *live_r, const char *field)
{
	char *a = call_line(cmp->h, q, rec_r), *b = call_line(cmp->h, q, live_r);
	printf("difference at request %zu (byte %zu of the recording), in %s:\n", i,
	       cmp->rec->offsets[i], field);
	printf("  recorded (%s): %s\n", cmp->recorded_backend, a ? a : "?");
	printf("  live     (%s): %s\n", cmp->live_backend, b ? b : "?");
	free(a);
	free(b);
	cmp->differences++;
}

/* The recorded reply to request i, or NULL. */
static const Ob__Record *recorded_reply(const struct obh_rec *rec, size_t i)
{
	for (size_t j = i + 1; j < rec->n; j++) {
		const Ob__Record *r = rec->recs[j];
		if (r->body_case == OB__RECORD__BODY_REPLY && r->route == rec->recs[i]->route &&
		    r->id == rec->recs[i]->id)
			return r;
	}
	return NULL;
}

/* Send request i, wait for its reply, compare. 0 or -errno (fatal). */
static int compare_one(struct compare *cmp, size_t i)
{
	Ob__Record *q = cmp->rec->recs[i];
	Ob__Request *req = q->request;
	const struct obh_call *c = obh_call_by_num((uint32_t)req->call_case);
	if (!c || c->domain == OBH_DOMAIN_KERNEL) {
		fprintf(stderr, "outboard-cpu: request %zu (byte %zu): call %d is unknown to this "
				"outboard\n", i, cmp->rec->offsets[i], req->call_case);
		return -EPROTO;
	}
	map_handles(cmp, c, req);
	req->deadline_ms = CALL_DEADLINE_MS;
	if (req->posted) {
		struct obh_waitq *full;
		return obh_router_post(cmp->h->router, cmp->live_route, req, &full);
	}
	const Ob__Record *rec_r = recorded_reply(cmp->rec, i);
	if (!rec_r)
		return 0; /* in flight when the recording ended: nothing to compare */
	cmp->done = false;
	cmp->reply = NULL;
	int err = obh_router_call(cmp->h->router, cmp->live_route, req, on_reply, cmp, NULL);
	if (err)
		return err;
	pump(cmp);
	Ob__Record live = OB__RECORD__INIT;
	Ob__Reply none = OB__REPLY__INIT;
	live.body_case = OB__RECORD__BODY_REPLY;
	live.thread = q->thread;
	live.reply = cmp->reply ? cmp->reply : &none;
	live.transport_status = cmp->reply ? 0 : (uint32_t)cmp->status;
	if (!cmp->reply && cmp->status != ETIMEDOUT)
		return -cmp->status; /* the plugin died */
	cmp->compared++;

	Ob__Reply *rr = rec_r->reply;
	int64_t *rec_ret = ret_field(rr), *live_ret = cmp->reply ? ret_field(cmp->reply) : NULL;
	if ((c->result == OBH_R_FD || c->result == OBH_R_DIR) && rec_ret && live_ret &&
	    !rr->status && !cmp->reply->status) {
		note_handle(cmp, (uint32_t)*rec_ret, (uint32_t)*live_ret);
		*live_ret = *rec_ret; /* handle numbers are each backend's own */
	}
	char field[128] = "the transport";
	bool differ = rec_r->transport_status != live.transport_status;
	if (!differ && cmp->reply) {
		/* Copies: the report shows the replies whole. */
		Ob__Reply *a = copy_reply(rr), *b = copy_reply(cmp->reply);
		if (!a || !b) {
			differ = true;
			snprintf(field, sizeof(field), "(out of memory)");
		} else {
			a->id = b->id = 0;
			forget_volatile(&a->base, 0);
			forget_volatile(&b->base, 0);
			differ = obh_msgdiff(&a->base, &b->base, field, sizeof(field)) != 0;
		}
		if (a)
			ob__reply__free_unpacked(a, NULL);
		if (b)
			ob__reply__free_unpacked(b, NULL);
	}
	if (differ)
		report(cmp, i, q, rec_r, &live, field);
	if (cmp->reply)
		ob__reply__free_unpacked(cmp->reply, NULL);
	cmp->reply = NULL;
	return 0;
}

/* The recorded route named name ("fs", "fs /tmp", "display"), or 0. */
static unsigned route_named(const Ob__RecordHeader *hdr, const char *name, const char **backend)
{
	for (size_t i = 0; i < hdr->n_routes; i++) {
		if (strcmp(hdr->routes[i]->name, name) == 0) {
			*backend = hdr->routes[i]->backend;
			return hdr->routes[i]->route;
		}
	}
	return 0;
}

static int run(struct compare *cmp, unsigned route)
{
	for (size_t i = 0; i < cmp->rec->n; i++) {
		const Ob__Record *q = cmp->rec->recs[i];
		if (q->body_case != OB__RECORD__BODY_REQUEST || q->route != route)
			continue;
		int err = compare_one(cmp, i);
		if (err) {
			fprintf(stderr, "outboard-cpu: request %zu (byte %zu) could not be sent to %s: "
					"%s\n", i, cmp->rec->offsets[i], cmp->live_backend,
				strerror(-err));
			return OBH_EXIT_HOST_ERROR;
		}
	}
	printf("%u replies compared, %u differ (%s recorded, %s live)\n", cmp->compared,
	       cmp->differences, cmp->recorded_backend, cmp->live_backend);
	return cmp->differences ? 1 : 0;
}

int obh_record_compare(struct obh_host *h)
{
	static struct compare cmp; /* the handle map is large */
	struct obh_rec rec;
	char why[200];
	const char *name = h->opts.compare_route ? h->opts.compare_route : "fs";
	int status = OBH_EXIT_HOST_ERROR;
	int err = obh_rec_load(h->opts.compare_file, &rec, why, sizeof(why));
	if (err) {
		fprintf(stderr, "outboard-cpu: %s: %s\n", h->opts.compare_file,
			err == -EINVAL ? why : strerror(-err));
		return OBH_EXIT_HOST_ERROR;
	}
	memset(&cmp, 0, sizeof(cmp));
	cmp.h = h;
	cmp.rec = &rec;
	unsigned route = route_named(rec.hdr, name, &cmp.recorded_backend);
	int domain = obh_domain_from_name(strncmp(name, "fs ", 3) == 0 ? "fs" : name);
	if (!route || domain <= 0) {
		fprintf(stderr, "outboard-cpu: %s has no route %s\n", h->opts.compare_file, name);
		goto out;
	}
	cmp.live_route = (unsigned)domain;
	if (strncmp(name, "fs ", 3) == 0) {
		/* A mount's plugin (--mount POINT=URL) gets the recorded requests,
		 * whose paths are inside it already, as the fs route. */
		size_t n = strlen(name + 3);
		h->opts.plugin_url[domain] = NULL;
		for (unsigned i = 0; i < h->opts.n_mounts; i++)
			if (strncmp(h->opts.mount_arg[i], name + 3, n) == 0 &&
			    h->opts.mount_arg[i][n] == '=')
				h->opts.plugin_url[domain] = h->opts.mount_arg[i] + n + 1;
	}
	if (!h->opts.plugin_url[domain]) {
		fprintf(stderr, "outboard-cpu: no live %s plugin to compare with (--plugin)\n", name);
		goto out;
	}
	if ((err = obh_record_printer_open(h, stdout)) || (err = obh_events_create(&h->events)) ||
	    (err = obh_router_create(h, &h->router))) {
		fprintf(stderr, "outboard-cpu: cannot start the comparison: %s\n", strerror(-err));
		goto out;
	}
	cmp.live_backend = obh_router_backend(h->router, cmp.live_route);
	if (!cmp.live_backend)
		cmp.live_backend = "?";
	status = run(&cmp, route);
out:
	fflush(stdout);
	h->exiting = true;
	obh_router_destroy(h->router);
	h->router = NULL;
	obh_events_destroy(h->events);
	obh_record_printer_close(h);
	obh_rec_free(&rec);
	return status;
}
