/*
 * Replaying a recording in place of the plugins (see replay.h).
 */
#include "replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "console.h"
#include "msgdump.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "recfile.h"
#include "router.h"
#include "scheduler_priv.h"
#include "upcall.h"

#define CAT "replay"
#define SHOWN 48 /* bytes of a buffer shown in a report */

struct waiter {
	ob_reply_fn fn;
	void *arg;
};

struct obh_replay {
	struct obh_rec rec;
	bool *done;              /* per record: made (requests) or delivered */
	struct waiter *waiting;  /* per reply record: the call waiting for it */
	size_t head;             /* records before it are all done */
	size_t *cursor;          /* per thread: where its next request is looked for */
	uint32_t ncursor;
	uint64_t *made;          /* per thread: requests made so far */
	unsigned unanswered;     /* calls waiting for a reply the recording lacks */
	size_t armed;            /* replies a call waits for, not delivered yet */
	uint64_t event_due_ns;   /* the next event waits for this guest clock (0: none) */
	bool diverged;
	char *mount_arg[OBH_MAX_MOUNTS]; /* "POINT=URL" for h->opts (owned) */
};

const Ob__RecordHeader *obh_replay_header(const struct obh_host *h)
{
	return h->replay->rec.hdr;
}

/* ---- loading ---- */

/* The fs routes in the order the recorded run added them (mounts.h: a
 * mount's route is OBH_DOMAIN_COUNT + its index, "/" takes its own). */
static int order_mounts(const Ob__RecordHeader *hdr, const Ob__RecordRoute **slot, unsigned *n)
{
	const Ob__RecordRoute *root = NULL;
	*n = 0;
	memset(slot, 0, sizeof(*slot) * OBH_MAX_MOUNTS);
	for (size_t i = 0; i < hdr->n_routes; i++) {
		const Ob__RecordRoute *r = hdr->routes[i];
		if (!r->mount[0])
			continue;
		if (r->route == OBH_DOMAIN_FS) {
			root = r;
		} else if (r->route >= OBH_DOMAIN_COUNT &&
			   r->route < OBH_DOMAIN_COUNT + OBH_MAX_MOUNTS &&
			   !slot[r->route - OBH_DOMAIN_COUNT]) {
			slot[r->route - OBH_DOMAIN_COUNT] = r;
		} else {
			return -EINVAL;
		}
		(*n)++;
	}
	for (unsigned i = 0; root && i < OBH_MAX_MOUNTS; i++) {
		if (!slot[i]) {
			slot[i] = root;
			break;
		}
	}
	for (unsigned i = 0; i < *n; i++)
		if (!slot[i])
			return -EINVAL; /* a gap: routes that no run could have made */
	return 0;
}

/* The recorded routes become the run's: every plugin URL and mount, so
 * that calls route exactly as they did. */
static int take_routes(struct obh_host *h, struct obh_replay *rp)
{
	const Ob__RecordHeader *hdr = rp->rec.hdr;
	const Ob__RecordRoute *slot[OBH_MAX_MOUNTS];
	unsigned n;
	if (order_mounts(hdr, slot, &n)) {
		fprintf(stderr, "outboard-cpu: --replay %s: the recording's fs routes are not "
				"consistent\n", h->opts.replay_file);
		return -EINVAL;
	}
	for (size_t i = 0; i < hdr->n_routes; i++) {
		const Ob__RecordRoute *r = hdr->routes[i];
		if (!r->mount[0] && r->route > OBH_DOMAIN_KERNEL && r->route < OBH_DOMAIN_COUNT)
			h->opts.plugin_url[r->route] = r->url;
	}
	for (unsigned i = 0; i < n; i++) {
		size_t len = strlen(slot[i]->mount) + strlen(slot[i]->url) + 2;
		if (!(rp->mount_arg[i] = malloc(len)))
			return -ENOMEM;
		snprintf(rp->mount_arg[i], len, "%s=%s", slot[i]->mount, slot[i]->url);
		h->opts.mount_arg[i] = rp->mount_arg[i];
		h->opts.mount_ro[i] = slot[i]->read_only;
	}
	h->opts.n_mounts = n;
	return 0;
}

static bool options_clash(const struct obh_host *h)
{
	bool any = h->opts.n_mounts > 0 || h->opts.record_file;
	for (int d = 0; d < OBH_DOMAIN_COUNT; d++)
		any |= h->opts.plugin_url[d] != NULL;
	return any;
}

int obh_replay_load(struct obh_host *h)
{
	char why[200];
	struct obh_replay *rp = calloc(1, sizeof(*rp));
	int err;
	if (!rp)
		return -ENOMEM;
	if (options_clash(h)) {
		fprintf(stderr, "outboard-cpu: --replay runs without plugins, from the recording's "
				"routes: no --plugin, --mount or --record with it\n");
		free(rp);
		return -EINVAL;
	}
	err = obh_rec_load(h->opts.replay_file, &rp->rec, why, sizeof(why));
	if (err) {
		fprintf(stderr, "outboard-cpu: --replay %s: %s\n", h->opts.replay_file,
			err == -EINVAL ? why : strerror(-err));
		free(rp);
		return err;
	}
	h->replay = rp;
	rp->done = calloc(rp->rec.n ? rp->rec.n : 1, sizeof(*rp->done));
	rp->waiting = calloc(rp->rec.n ? rp->rec.n : 1, sizeof(*rp->waiting));
	if (!rp->done || !rp->waiting)
		return -ENOMEM;
	if ((err = take_routes(h, rp)))
		return err;
	if (h->opts.fs_cache_given && h->opts.fs_cache != rp->rec.hdr->fs_cache)
		OB_WARN(CAT, "--fs-cache is the recording's (%llu bytes), as its traffic depends "
			     "on it", (unsigned long long)rp->rec.hdr->fs_cache);
	h->opts.fs_cache = rp->rec.hdr->fs_cache;
	return 0;
}

static bool same_strings(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

int obh_replay_check_image(struct obh_host *h, const uint8_t *image, size_t len)
{
	const Ob__RecordHeader *hdr = h->replay->rec.hdr;
	uint8_t hash[32];
	crypto_generichash(hash, sizeof(hash), image, len, NULL, 0);
	if (hdr->program_hash.len != sizeof(hash) ||
	    memcmp(hdr->program_hash.data, hash, sizeof(hash)) != 0) {
		fprintf(stderr, "outboard-cpu: --replay %s: recorded with another program than "
				"%s (its BLAKE2b hash differs)\n", h->opts.replay_file,
			h->opts.program);
		return -EINVAL;
	}
	/* argv[0] may be spelled another way; the rest must be the same. */
	if (hdr->n_args < 1 || h->opts.guest_argc < 1 ||
	    !same_strings(hdr->args + 1, hdr->n_args - 1, h->opts.guest_argv + 1,
			  (size_t)h->opts.guest_argc - 1))
		OB_WARN(CAT, "the program's arguments differ from the recording's: expect a "
			     "divergence");
	if (!same_strings(hdr->env, hdr->n_env, h->opts.env, (size_t)h->opts.n_env))
		OB_WARN(CAT, "the guest's environment differs from the recording's: expect a "
			     "divergence");
	return 0;
}

/* ---- requests ---- */

static int grow_threads(struct obh_replay *rp, uint32_t thread)
{
	if (thread < rp->ncursor)
		return 0;
	uint32_t n = thread + 64;
	size_t *c = realloc(rp->cursor, n * sizeof(*c));
	if (!c)
		return -ENOMEM;
	rp->cursor = c;
	uint64_t *m = realloc(rp->made, n * sizeof(*m));
	if (!m)
		return -ENOMEM;
	rp->made = m;
	for (uint32_t i = rp->ncursor; i < n; i++) {
		rp->cursor[i] = 0;
		rp->made[i] = 0;
	}
	rp->ncursor = n;
	return 0;
}

/* The index of thread's next recorded request, or rec.n. */
static size_t next_request(struct obh_replay *rp, uint32_t thread)
{
	size_t i = rp->cursor[thread];
	while (i < rp->rec.n && (rp->done[i] || rp->rec.recs[i]->body_case != OB__RECORD__BODY_REQUEST ||
				 rp->rec.recs[i]->thread != thread))
		i++;
	return i;
}

/* The reply to request record i, or rec.n. */
static size_t reply_of(const struct obh_replay *rp, size_t i)
{
	const Ob__Record *q = rp->rec.recs[i];
	for (size_t j = i + 1; j < rp->rec.n; j++) {
		const Ob__Record *r = rp->rec.recs[j];
		if (r->body_case == OB__RECORD__BODY_REPLY && r->route == q->route && r->id == q->id)
			return j;
	}
	return rp->rec.n;
}

static const char *route_name(const struct obh_replay *rp, unsigned route)
{
	for (size_t i = 0; i < rp->rec.hdr->n_routes; i++)
		if (rp->rec.hdr->routes[i]->route == route)
			return rp->rec.hdr->routes[i]->name;
	return "?";
}

/* The request as compared: without the connection's id and deadline. */
static Ob__Request comparable(const Ob__Request *r)
{
	Ob__Request c = *r;
	c.id = 0;
	c.deadline_ms = 0;
	return c;
}

static uint32_t pc_of(struct obh_host *h, uint32_t thread)
{
	struct obh_thread *t = thread ? obh_thread_by_id(h, thread) : NULL;
	return t ? obh_thread_reg(h, t, UC_ARM_REG_PC) : 0;
}

/* Stop the run: the guest no longer does what the recording did. */
static void diverge(struct obh_host *h, uint32_t thread, unsigned route, const Ob__Request *req,
		    size_t i, const char *why)
{
	struct obh_replay *rp = h->replay;
	FILE *out = stderr;
	fprintf(out, "outboard-cpu: replay diverged: %s\n", why);
	fprintf(out, "  thread %u, pc 0x%08x, its request #%llu\n", thread, pc_of(h, thread),
		(unsigned long long)(thread < rp->ncursor ? rp->made[thread] : 0));
	if (i < rp->rec.n) {
		const Ob__Record *r = rp->rec.recs[i];
		Ob__Request c = comparable(r->request);
		fprintf(out, "  recorded (byte %zu, %s, pc 0x%08x):", rp->rec.offsets[i],
			route_name(rp, r->route), r->pc);
		obh_msgdump(out, &c.base, SHOWN);
		fputc('\n', out);
	}
	if (req) {
		Ob__Request c = comparable(req);
		fprintf(out, "  actual   (%s):", route_name(rp, route));
		obh_msgdump(out, &c.base, SHOWN);
		fputc('\n', out);
	}
	fflush(out);
	rp->diverged = true;
	obh_host_exit(h, OBH_EXIT_REPLAY_DIVERGED);
}

int obh_replay_call(struct obh_host *h, unsigned route, Ob__Request *req, ob_reply_fn fn,
		    void *arg, uint64_t *id)
{
	struct obh_replay *rp = h->replay;
	uint32_t thread = req->thread;
	char why[160], field[96];
	if (rp->diverged)
		return -EIO;
	if (grow_threads(rp, thread))
		return -ENOMEM;
	size_t i = next_request(rp, thread);
	if (i == rp->rec.n) {
		snprintf(why, sizeof(why), "thread %u made a request the recording does not have",
			 thread);
		diverge(h, thread, route, req, i, why);
		return -EIO;
	}
	const Ob__Record *r = rp->rec.recs[i];
	Ob__Request a = comparable(r->request), b = comparable(req);
	if (r->route != route) {
		snprintf(why, sizeof(why), "thread %u sent its request to %s, not %s", thread,
			 route_name(rp, route), route_name(rp, r->route));
		diverge(h, thread, route, req, i, why);
		return -EIO;
	}
	if (obh_msgdiff(&a.base, &b.base, field, sizeof(field))) {
		snprintf(why, sizeof(why), "thread %u made another request (first difference: %s)",
			 thread, field);
		diverge(h, thread, route, req, i, why);
		return -EIO;
	}
	rp->done[i] = true;
	rp->cursor[thread] = i + 1;
	rp->made[thread]++;
	if (id)
		*id = r->id;
	if (!fn)
		return 0;
	size_t j = reply_of(rp, i);
	if (j == rp->rec.n) {
		rp->unanswered++; /* in flight when the recorded run ended */
	} else {
		rp->waiting[j] = (struct waiter){ fn, arg };
		rp->armed++;
	}
	return 0;
}

/* ---- replies and events ---- */

/* Walk the records from head: deliver (when deliver is set) every reply
 * whose call waits, and events while everything before them is done and
 * the guest clock has reached the one they arrived at. Returns whether
 * anything was (or could be) delivered; rp->event_due_ns says when the
 * next event will be. */
static bool walk(struct obh_host *h, bool deliver)
{
	struct obh_replay *rp = h->replay;
	bool earlier_pending = false, any = false;
	uint64_t now = obh_program_ns(h);
	size_t armed_ahead = rp->armed; /* waited-for replies not passed yet */
	rp->event_due_ns = 0;
	for (size_t i = rp->head; i < rp->rec.n && !rp->diverged; i++) {
		const Ob__Record *r = rp->rec.recs[i];
		/* Past the last waited-for reply, with an event held back:
		 * nothing further can be delivered. */
		if (earlier_pending && !armed_ahead)
			break;
		if (rp->done[i])
			continue;
		switch (r->body_case) {
		case OB__RECORD__BODY_REQUEST:
			earlier_pending = true;
			break;
		case OB__RECORD__BODY_REPLY: {
			struct waiter w = rp->waiting[i];
			if (!w.fn) {
				earlier_pending = true;
				break;
			}
			any = true;
			armed_ahead--;
			if (!deliver)
				return true;
			rp->done[i] = true;
			rp->waiting[i].fn = NULL;
			rp->armed--;
			if (r->transport_status)
				w.fn(w.arg, (int)r->transport_status, NULL);
			else
				w.fn(w.arg, r->reply->status ? ob_errno_from_abi((int)r->reply->status) : 0,
				     r->reply);
			break;
		}
		case OB__RECORD__BODY_EVENT:
			if (earlier_pending || rp->event_due_ns)
				break;
			if (r->clock_ns > now) {
				/* The guest sees it no earlier than it did. */
				rp->event_due_ns = r->clock_ns;
				earlier_pending = true;
				break;
			}
			any = true;
			if (!deliver)
				return true;
			rp->done[i] = true;
			obh_router_replay_event(h->router, r->route, r->event, r->clock_ns);
			break;
		default:
			rp->done[i] = true;
			break;
		}
	}
	while (rp->head < rp->rec.n && rp->done[rp->head])
		rp->head++;
	return any;
}

int obh_replay_timeout(struct obh_host *h)
{
	struct obh_replay *rp = h->replay;
	if (rp->diverged)
		return -1;
	if (walk(h, false))
		return 0;
	if (!rp->event_due_ns)
		return -1;
	uint64_t now = obh_program_ns(h);
	uint64_t ms = rp->event_due_ns > now ? (rp->event_due_ns - now + 999999) / 1000000 : 0;
	return ms > 1000 ? 1000 : (int)ms;
}

/* A thread waiting for what only a plugin could bring: a reply, an event,
 * credit. (Kernel objects alone: the run loop reports a deadlock.) */
static struct obh_thread *waits_on_plugin(struct obh_host *h)
{
	for (struct obh_thread *t = obh_sched_first(h); t; t = t->next_all)
		if (t->state == OBH_T_WAITING &&
		    (t->wait == OBH_W_REPLY || t->wait == OBH_W_EVENT || t->wait == OBH_W_CREDIT))
			return t;
	return NULL;
}

/* Nothing can run, nothing is due, nothing can be delivered, and a thread
 * waits for a reply or an event the recording does not have: it never
 * comes (a live plugin would have had to send something it did not). */
static void check_stalled(struct obh_host *h)
{
	struct obh_replay *rp = h->replay;
	struct obh_thread *t;
	if (rp->diverged || h->exiting || !h->sched ||
	    obhs_best_ready_prio(h->sched) < OBH_PRIO_LEVELS ||
	    obhs_next_deadline(h->sched) != INT64_MAX || obh_timers_next(h) != INT64_MAX ||
	    obh_console_waiting(h) || walk(h, false) || rp->event_due_ns ||
	    !(t = waits_on_plugin(h)))
		return;
	char why[160];
	snprintf(why, sizeof(why), "thread %u waits for %s that the recording does not have "
		 "(the recorded run ended before it came)", t->id,
		 t->wait == OBH_W_EVENT ? "an event" : "a reply");
	diverge(h, t->id, 0, NULL, rp->rec.n, why);
}

void obh_replay_deliver(struct obh_host *h)
{
	if (h->replay->diverged)
		return;
	walk(h, true);
	check_stalled(h);
}

void obh_replay_finish(struct obh_host *h)
{
	struct obh_replay *rp = h->replay;
	if (!rp)
		return;
	size_t left = 0, first = rp->rec.n;
	for (size_t i = 0; i < rp->rec.n; i++) {
		if (!rp->done[i] && rp->rec.recs[i]->body_case == OB__RECORD__BODY_REQUEST) {
			left++;
			if (first == rp->rec.n)
				first = i;
		}
	}
	if (left && !rp->diverged && h->start_ns) /* the program ran, and stopped early */
		OB_WARN(CAT, "the program ended without making %zu recorded requests (the first: "
			     "thread %u, byte %zu of the recording)", left,
			rp->rec.recs[first]->thread, rp->rec.offsets[first]);
	obh_rec_free(&rp->rec);
	free(rp->done);
	free(rp->waiting);
	free(rp->cursor);
	free(rp->made);
	for (int i = 0; i < OBH_MAX_MOUNTS; i++)
		free(rp->mount_arg[i]);
	free(rp);
	h->replay = NULL;
}
