/*
 * The router (see router.h): its links opened, what plugins send, calls and
 * the flow control of posted ones, and the figures. Deaths, hangs and
 * restarts are in router_restart.c; what the two share, in router_priv.h.
 */
#include "router_priv.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "events.h"
#include "record/record.h"
#include "record/replay.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "scheduler.h"

#define CAT OBHR_LOG

const char *obhr_link_name(const struct obh_link *l)
{
	return l->backend ? l->backend : l->url;
}

enum obh_domain obhr_route_domain(unsigned route)
{
	return route < OBH_DOMAIN_COUNT ? (enum obh_domain)route : OBH_DOMAIN_FS;
}

/* ---- flow control ---- */

static bool window_full(const struct obh_link *l)
{
	return l->posted_count >= OBHR_POSTED_WINDOW_CALLS ||
	       l->posted_bytes >= OBHR_POSTED_WINDOW_BYTES;
}

void obhr_wake_credit_waiters(struct obh_host *h, struct obh_link *l, int32_t r0)
{
	struct obh_thread *t;
	while ((r0 || !window_full(l)) && (t = obh_waitq_pop(&l->credit_waiters)))
		obh_sched_wake(h, t, r0);
}

static void on_credit(struct obh_link *l, uint64_t done_id)
{
	while (l->posted_count && l->posted[l->posted_head].id <= done_id) {
		l->posted_bytes -= l->posted[l->posted_head].bytes;
		obhr_shm_give_back(l, &l->posted[l->posted_head].shm);
		l->posted_head = (l->posted_head + 1) % OBHR_POSTED_WINDOW_CALLS;
		l->posted_count--;
	}
	obhr_wake_credit_waiters(l->router->h, l, 0);
}

/* ---- what plugins send ---- */

/* Display events and live input carry the guest's monotonic clock (ms
 * since the program started) when they arrive: a plugin's own clock may be
 * another machine's, or a restarted plugin's, started long after the
 * program. Only recorded input (a script's) keeps its own times, which is
 * what makes a scripted game replay the same. */
static bool event_from(uint64_t now_ms, const Ob__Event *ev, struct obh_event *e)
{
	memset(e, 0, sizeof(*e));
	switch (ev->event_case) {
	case OB__EVENT__EVENT_INPUT:
		e->kind = (uint32_t)ev->input->kind;
		e->key = ev->input->key;
		e->x = ev->input->x;
		e->y = ev->input->y;
		e->time_ms = ev->recorded ? ev->input->time_ms : now_ms;
		return true;
	case OB__EVENT__EVENT_EXPOSE:
		e->kind = OB__INPUT_EVENT__KIND__KIND_EXPOSE;
		e->time_ms = now_ms;
		return true;
	case OB__EVENT__EVENT_VSYNC:
		e->kind = OB__INPUT_EVENT__KIND__KIND_VSYNC;
		e->key = (uint32_t)ev->vsync->frame;
		e->time_ms = now_ms;
		return true;
	default:
		return false;
	}
}

/* The route an event of link l belongs to: input events the input
 * route's, display events the display's, others the link's first. */
static unsigned event_route(const struct obh_router *r, const struct obh_link *l,
			    const Ob__Event *ev)
{
	if (ev->event_case == OB__EVENT__EVENT_INPUT && r->route[OBH_DOMAIN_INPUT] == l)
		return OBH_DOMAIN_INPUT;
	if ((ev->event_case == OB__EVENT__EVENT_VSYNC || ev->event_case == OB__EVENT__EVENT_EXPOSE) &&
	    r->route[OBH_DOMAIN_DISPLAY] == l)
		return OBH_DOMAIN_DISPLAY;
	for (unsigned rt = 1; rt < OBH_MAX_ROUTES; rt++)
		if (r->route[rt] == l)
			return rt;
	return 0;
}

/* now_ms: the guest clock the event gets when it carries none of its own. */
static void take_event(struct obh_link *l, const Ob__Event *ev, uint64_t now_ms)
{
	struct obh_event e;
	if (ev->event_case == OB__EVENT__EVENT_CREDIT) {
		on_credit(l, ev->credit->done_id);
		return;
	}
	if (!event_from(now_ms, ev, &e)) {
		OB_DEBUG(CAT, "event %d from %s ignored", ev->event_case, obhr_link_name(l));
		return;
	}
	if (e.kind == OB__INPUT_EVENT__KIND__KIND_NONE || e.kind > OB__INPUT_EVENT__KIND__KIND_VSYNC) {
		OB_WARN(CAT, "event of unknown kind %u from %s dropped", e.kind, obhr_link_name(l));
		return;
	}
	obh_events_push(l->router->h, &e);
}

static void on_event(struct obh_link *l, const Ob__Event *ev)
{
	struct obh_host *h = l->router->h;
	obh_record_event(h, event_route(l->router, l, ev), ev);
	take_event(l, ev, obh_program_ns(h) / 1000000);
}

void obh_router_replay_event(struct obh_router *r, unsigned route, const Ob__Event *ev,
			     uint64_t clock_ns)
{
	if (route < OBH_MAX_ROUTES && r->route[route])
		take_event(r->route[route], ev, clock_ns / 1000000);
}

static void on_plugin_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct obh_link *l = arg;
	(void)conn;
	switch (env->body_case) {
	case OB__ENVELOPE__BODY_EVENT:
		on_event(l, env->event);
		break;
	case OB__ENVELOPE__BODY_HELLO:
		if (l->reconnecting)
			obhr_on_reconnect_hello(l, env->hello);
		break; /* otherwise a late duplicate of the handshake answer */
	default:
		OB_DEBUG(CAT, "unexpected envelope %d from %s", env->body_case, obhr_link_name(l));
		break;
	}
}

static void on_plugin_state(void *arg, ob_conn *conn, bool up)
{
	struct obh_link *l = arg;
	struct obh_router *r = l->router;
	(void)conn;
	if (!up) {
		obhr_link_hung(r, l); /* the launcher kills and restarts it */
	} else if ((l->state == OBH_DOMAIN_DOWN || l->state == OBH_DOMAIN_LOST) &&
		   !l->reconnecting) {
		/* Back on the same connection: maybe a new instance; restore. */
		obhr_link_up_again(r, l);
	}
}

static void on_plugin_error(void *arg, ob_conn *conn, int err, const char *what)
{
	struct obh_link *l = arg;
	(void)conn;
	OB_ERROR(CAT, "plugin %s (%s): %s (%s)", obhr_link_name(l), l->domains, what,
		 strerror(err));
}

/* ---- opening ---- */

bool obhr_hello_serves_link(const struct obh_router *r, const struct obh_link *l,
			    const Ob__Hello *answer)
{
	for (unsigned rt = 1; rt < OBH_MAX_ROUTES; rt++) {
		if (r->route[rt] != l)
			continue;
		bool served = false;
		for (size_t i = 0; i < answer->n_domains; i++)
			served |= (unsigned)answer->domains[i] == obhr_route_domain(rt);
		if (!served) {
			OB_ERROR(CAT, "plugin %s at %s does not serve the %s domain",
				 answer->backend, l->url, obh_domain_name(obhr_route_domain(rt)));
			return false;
		}
	}
	return true;
}

void obhr_take_calls(struct obh_link *l, const Ob__Hello *answer)
{
	memset(l->serves, 0, sizeof(l->serves));
	for (size_t i = 0; i < answer->n_calls; i++)
		if (answer->calls[i] < OBHR_MAX_CALL_NUM)
			l->serves[answer->calls[i] / 8] |= (uint8_t)(1u << (answer->calls[i] % 8));
	if (!l->backend)
		l->backend = strdup(answer->backend ? answer->backend : "?");
}

static int handshake(struct obh_router *r, struct obh_link *l)
{
	static char role[] = "host";
	Ob__Hello hello, *answer = NULL;
	ob__hello__init(&hello);
	hello.role = role;
	obhr_shm_offer(l, &hello);
	int err = ob_conn_handshake(l->conn, &hello, r->h->opts.plugin_timeout_ms, &answer);
	if (err) {
		OB_ERROR(CAT, "no Hello from the %s plugin at %s: %s", l->domains, l->url,
			 strerror(-err));
		return err;
	}
	if (!obhr_hello_serves_link(r, l, answer)) {
		ob__hello__free_unpacked(answer, NULL);
		return -EPROTO;
	}
	obhr_take_calls(l, answer);
	obhr_shm_answer(l, answer);
	OB_INFO(CAT, "%s: plugin %s %s at %s, %zu calls", l->domains, l->backend,
		answer->backend_version, l->url, answer->n_calls);
	ob__hello__free_unpacked(answer, NULL);
	return l->backend ? 0 : -ENOMEM;
}

/* The link for url, shared with an earlier route that names the same URL;
 * name is the route's for messages ("display", "fs /tmp"). */
static struct obh_link *link_for(struct obh_router *r, const char *name, const char *url)
{
	for (unsigned i = 0; i < r->nlinks; i++) {
		struct obh_link *l = r->links[i];
		if (strcmp(l->url, url) == 0) {
			size_t n = strlen(l->domains);
			snprintf(l->domains + n, sizeof(l->domains) - n, ",%s", name);
			return l;
		}
	}
	struct obh_link *l = calloc(1, sizeof(*l));
	if (!l || !(l->url = strdup(url))) {
		free(l);
		return NULL;
	}
	l->router = r;
	l->waiters_tail = &l->waiters;
	snprintf(l->domains, sizeof(l->domains), "%s", name);
	r->links[r->nlinks++] = l;
	return l;
}

int obhr_link_dial(struct obh_link *l, const char *url)
{
	static const struct ob_conn_callbacks cbs = {
		.on_message = on_plugin_message,
		.on_state = on_plugin_state,
		.on_error = on_plugin_error,
	};
	struct ob_conn_opts opts = { .name = l->domains };
	/* Remote plugins authenticate with the shared key; local ipc:// ones,
	 * started by the launcher in a private directory, do not. */
	if (strncmp(url, "tcp://", 6) == 0) {
		if (!l->router->have_key) {
			OB_ERROR(CAT, "the %s plugin at %s is remote: it needs the shared key "
				      "(--key FILE; outboard-keygen makes one)", l->domains, url);
			return -EACCES;
		}
		opts.key = l->router->key;
	}
	if (url != l->url) {
		char *copy = strdup(url);
		if (!copy)
			return -ENOMEM;
		free(l->url);
		l->url = copy;
	}
	int err = ob_conn_dial(l->url, &opts, &cbs, l, &l->conn);
	if (err)
		OB_ERROR(CAT, "cannot dial the %s plugin at %s: %s", l->domains, l->url,
			 strerror(-err));
	return err;
}

static int open_link(struct obh_router *r, struct obh_link *l)
{
	int err = obhr_link_dial(l, l->url);
	if (!err)
		err = handshake(r, l);
	if (!err)
		l->state = OBH_DOMAIN_UP;
	return err;
}

static int open_control(struct obh_router *r, const char *url)
{
	static const struct ob_conn_callbacks cbs = { .on_message = obhr_on_control_message };
	struct ob_conn_opts opts = { .name = "control", .no_heartbeat = true };
	int err = ob_conn_dial(url, &opts, &cbs, r, &r->control);
	if (err)
		OB_ERROR(CAT, "cannot dial the launcher's control endpoint %s: %s", url,
			 strerror(-err));
	return err;
}

/* A link started on demand: dormant until its first call
 * (router_restart.c), named backend in messages until its Hello. 0 or
 * -ENOMEM. */
static int make_dormant(struct obh_link *l, const char *backend)
{
	l->dormant = true;
	return l->backend || (l->backend = strdup(backend)) ? 0 : -ENOMEM;
}

/* --on-demand DOMAIN=BACKEND. 0 or -errno (logged). */
static int mark_dormant_domains(struct obh_router *r)
{
	for (int d = 1; d < OBH_DOMAIN_COUNT; d++) {
		const char *backend = r->h->opts.on_demand_backend[d];
		if (!backend)
			continue;
		const char *name = obh_domain_name((enum obh_domain)d);
		struct obh_link *l = r->route[d];
		if (!l || !r->h->opts.control_url) {
			OB_ERROR(CAT, "--on-demand %s=%s: %s", name, backend,
				 l ? "needs the launcher (--control)" : "no --plugin for it");
			return -EINVAL;
		}
		int err = make_dormant(l, backend);
		if (err)
			return err;
	}
	return 0;
}

/* --wait-ready: the launcher starts the host while its plugins are still
 * starting, so that the host's own start-up (the engine, the image) runs
 * beside theirs; their endpoints take one peer at a time, and the
 * launcher's probe holds them until they answered it. So the host dials
 * only at the launcher's Supervise READY. A launcher whose probes fail
 * kills the host instead; the bound here is for a launcher that says
 * nothing at all. 0 or -errno (logged). */
static int wait_ready(struct obh_router *r)
{
	int64_t limit_ms = 2 * (int64_t)r->h->opts.plugin_timeout_ms + 1000;
	int64_t deadline = obh_now_ns() + limit_ms * 1000000;
	while (!r->launcher_ready) {
		struct pollfd pfds[2];
		int n = ob_conn_pollfds(r->control, pfds, 2);
		int64_t left_ms = (deadline - obh_now_ns()) / 1000000;
		if (left_ms <= 0) {
			OB_ERROR(CAT, "the launcher did not say the plugins were up within %lld ms",
				 (long long)limit_ms);
			return -ETIMEDOUT;
		}
		int t = ob_conn_timeout(r->control);
		if (t < 0 || t > left_ms)
			t = (int)left_ms;
		if (poll(pfds, (nfds_t)n, t) < 0 && errno != EINTR)
			return -errno;
		ob_conn_process(r->control);
	}
	return 0;
}

/* --replay: a link per recorded route, up, with the calls its plugin
 * served, and no connection: replay.c answers for it. */
static int create_replay(struct obh_router *r)
{
	const Ob__RecordHeader *hdr = obh_replay_header(r->h);
	for (size_t i = 0; i < hdr->n_routes; i++) {
		const Ob__RecordRoute *rr = hdr->routes[i];
		struct obh_link *l;
		if (rr->route == 0 || rr->route >= OBH_MAX_ROUTES || r->route[rr->route])
			return -EINVAL;
		if (!(l = r->route[rr->route] = link_for(r, rr->name, rr->url)))
			return -ENOMEM;
		l->state = OBH_DOMAIN_UP;
		for (size_t c = 0; c < rr->n_calls; c++)
			if (rr->calls[c] < OBHR_MAX_CALL_NUM)
				l->serves[rr->calls[c] / 8] |= (uint8_t)(1u << (rr->calls[c] % 8));
		if (!l->backend && !(l->backend = strdup(rr->backend)))
			return -ENOMEM;
	}
	return 0;
}

int obh_router_create(struct obh_host *h, struct obh_router **out)
{
	struct obh_router *r = calloc(1, sizeof(*r));
	int err = 0;
	if (!r)
		return -ENOMEM;
	r->h = h;
	r->no_shm = obhr_shm_disabled();
	r->no_lane = obhr_lane_disabled();
	if (h->replay) {
		if ((err = create_replay(r)))
			goto fail;
		*out = r;
		return 0;
	}
	if (h->opts.key_file) {
		if ((err = ob_key_load(h->opts.key_file, r->key)))
			goto fail;
		r->have_key = true;
	}
	if (h->opts.control_url && (err = open_control(r, h->opts.control_url)))
		goto fail;
	if (h->opts.control_url && h->opts.wait_ready && (err = wait_ready(r)))
		goto fail;
	for (int d = 1; d < OBH_DOMAIN_COUNT; d++) {
		/* fs: every mount, "/" included, comes from the namespace (mounts.h). */
		if (!h->opts.plugin_url[d] || (d == OBH_DOMAIN_FS && h->mounts))
			continue;
		r->route[d] = link_for(r, obh_domain_name((enum obh_domain)d),
				       h->opts.plugin_url[d]);
		if (!r->route[d]) {
			err = -ENOMEM;
			goto fail;
		}
	}
	if ((err = mark_dormant_domains(r)))
		goto fail;
	for (unsigned i = 0; h->mounts && i < h->mounts->n; i++) {
		const struct obh_mount *m = &h->mounts->m[i];
		if (!(r->route[m->route] = link_for(r, m->label, m->url))) {
			err = -ENOMEM;
			goto fail;
		}
		if (m->on_demand && (err = make_dormant(r->route[m->route], m->backend)))
			goto fail;
	}
	for (unsigned i = 0; i < r->nlinks; i++) {
		struct obh_link *l = r->links[i];
		if (l->dormant) { /* calls wait for it as for a restart */
			l->state = OBH_DOMAIN_DOWN;
			l->down_since_ns = obh_now_ns();
		} else if ((err = open_link(r, l))) {
			goto fail;
		}
	}
	*out = r;
	return 0;
fail:
	obh_router_destroy(r);
	return err;
}

/* The plugins are no longer needed: the launcher stops them while this
 * process exits, rather than after (about 1 ms of a run's end). True when
 * the launcher was told. */
static bool tell_released(struct obh_router *r)
{
	if (!r->control)
		return false;
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Supervise sv;
	ob__supervise__init(&sv);
	sv.state = OB__SUPERVISE__STATE__STATE_RELEASED;
	env.body_case = OB__ENVELOPE__BODY_SUPERVISE;
	env.supervise = &sv;
	return ob_conn_send(r->control, &env) == 0;
}

void obh_router_destroy(struct obh_router *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->nlinks; i++) {
		struct obh_link *l = r->links[i];
		ob_conn_close(l->conn, 200);
		l->conn = NULL;
		obhr_shm_drop(l);
		obhr_release_waiters(l, ECANCELED);
		free(l->url);
		free(l->backend);
		free(l);
	}
	ob_conn_close(r->control, tell_released(r) ? OBHR_CONTROL_FLUSH_MS : 0);
	sodium_memzero(r->key, sizeof(r->key));
	free(r);
}

/* ---- the run loop's side ---- */

int obh_router_pollfds(struct obh_router *r, struct pollfd *pfds, int n)
{
	int used = 0;
	for (unsigned i = 0; i < r->nlinks && used < n; i++)
		if (r->links[i]->conn)
			used += ob_conn_pollfds(r->links[i]->conn, pfds + used, n - used);
	if (r->control && used < n)
		used += ob_conn_pollfds(r->control, pfds + used, n - used);
	return used;
}

static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

int obh_router_timeout(struct obh_router *r)
{
	int t = -1;
	if (r->h->replay)
		return r->held ? -1 : obh_replay_timeout(r->h);
	for (unsigned i = 0; i < r->nlinks; i++)
		if (r->links[i]->state == OBH_DOMAIN_DOWN)
			t = 1000; /* look at recovery deadlines at least every second */
	for (unsigned i = 0; i < r->nlinks; i++)
		if (r->links[i]->conn)
			t = min_timeout(t, ob_conn_timeout(r->links[i]->conn));
	if (r->control)
		t = min_timeout(t, ob_conn_timeout(r->control));
	return t;
}

/* One poll of every request lane instead of one empty read per idle plugin
 * (ob_conn_lane_quiet): most of the time only one plugin has said anything. */
static void quiet_idle_lanes(struct obh_router *r)
{
	if (r->lanes_polled) { /* obh_router_polled did it */
		r->lanes_polled = false;
		return;
	}
	struct pollfd pfds[OBH_MAX_ROUTES];
	struct obh_link *of[OBH_MAX_ROUTES];
	nfds_t n = 0;
	for (unsigned i = 0; i < r->nlinks && n < OBH_MAX_ROUTES; i++) {
		int fd = r->links[i]->conn ? ob_conn_lane_fd(r->links[i]->conn) : -1;
		if (fd >= 0) {
			pfds[n] = (struct pollfd){ .fd = fd, .events = POLLIN };
			of[n++] = r->links[i];
		}
	}
	if (n < 2 || poll(pfds, n, 0) < 0)
		return;
	for (nfds_t i = 0; i < n; i++)
		if (!pfds[i].revents)
			ob_conn_lane_quiet(of[i]->conn);
}

void obh_router_polled(struct obh_router *r, const struct pollfd *pfds, int n)
{
	for (unsigned i = 0; i < r->nlinks; i++) {
		int fd = r->links[i]->conn ? ob_conn_lane_fd(r->links[i]->conn) : -1;
		for (int k = 0; fd >= 0 && k < n; k++)
			if (pfds[k].fd == fd && !pfds[k].revents)
				ob_conn_lane_quiet(r->links[i]->conn);
	}
	r->lanes_polled = true;
}

void obh_router_process(struct obh_router *r)
{
	/* The control connection first: a death notice fails calls at once. */
	if (r->control)
		ob_conn_process(r->control);
	int64_t now = obh_now_ns();
	if (r->h->replay) {
		if (!r->held)
			obh_replay_deliver(r->h);
		return;
	}
	quiet_idle_lanes(r);
	for (unsigned i = 0; i < r->nlinks; i++) {
		struct obh_link *l = r->links[i];
		if (l->conn)
			ob_conn_process(l->conn);
		obhr_check_recovery(r, l, now);
	}
}

void obh_router_hold(struct obh_router *r, bool hold)
{
	r->held = hold; /* --replay: the recording's replies and events wait too */
	if (r->control)
		ob_conn_hold(r->control, hold);
	for (unsigned i = 0; i < r->nlinks; i++)
		if (r->links[i]->conn)
			ob_conn_hold(r->links[i]->conn, hold);
}

/* ---- calls ---- */

enum obh_domain_state obh_router_state(const struct obh_router *r, unsigned route)
{
	if (route >= OBH_MAX_ROUTES || !r->route[route])
		return OBH_DOMAIN_ABSENT;
	return r->route[route]->state;
}

bool obh_router_serves(const struct obh_router *r, unsigned route, uint32_t num)
{
	if (route >= OBH_MAX_ROUTES || !r->route[route] || num >= OBHR_MAX_CALL_NUM)
		return false;
	/* Not started yet: its Hello will say; a call it does not serve then
	 * fails with ENOSYS (remote.c), as the import would have. */
	if (r->route[route]->dormant)
		return true;
	return r->route[route]->serves[num / 8] & (1u << (num % 8));
}

bool obh_router_dormant(const struct obh_router *r, unsigned route)
{
	return route < OBH_MAX_ROUTES && r->route[route] && r->route[route]->dormant;
}

const char *obh_router_backend(const struct obh_router *r, unsigned route)
{
	return route < OBH_MAX_ROUTES && r->route[route] ? r->route[route]->backend : NULL;
}

const char *obh_router_url(const struct obh_router *r, unsigned route)
{
	return route < OBH_MAX_ROUTES && r->route[route] ? r->route[route]->url : NULL;
}

/* ---- recording: replies pass through a tap on their way to the caller ---- */

struct tap {
	struct obh_host *h;
	unsigned route;
	uint32_t thread;
	uint64_t id;
	ob_reply_fn fn;
	void *arg;
};

static void tap_reply(void *arg, int status, const Ob__Reply *rep)
{
	struct tap *tp = arg;
	obh_record_reply(tp->h, tp->route, tp->thread, tp->id, status, rep);
	ob_reply_fn fn = tp->fn;
	void *fn_arg = tp->arg;
	free(tp);
	fn(fn_arg, status, rep);
}

int obhr_conn_call(struct obh_router *r, unsigned route, Ob__Request *req, ob_reply_fn fn,
		   void *arg, uint64_t *id, bool restore, struct obhr_span *posted_in)
{
	struct obh_host *h = r->h;
	struct obh_link *l = r->route[route];
	struct tap *tp = NULL;
	uint64_t sent_id = 0;
	if (posted_in)
		memset(posted_in, 0, sizeof(*posted_in));
	if (h->replay)
		return obh_replay_call(h, route, req, fn, arg, id);
	if (!h->record)
		return obhr_shm_call(l, req, fn, arg, id, posted_in);
	if (fn) {
		if (!(tp = malloc(sizeof(*tp))))
			return -ENOMEM;
		*tp = (struct tap){ .h = h, .route = route, .thread = req->thread, .fn = fn,
				    .arg = arg };
	}
	int err = obhr_shm_call(l, req, tp ? tap_reply : NULL, tp, &sent_id, posted_in);
	if (err) {
		free(tp);
		return err;
	}
	if (tp)
		tp->id = sent_id;
	if (id)
		*id = sent_id;
	obh_record_request(h, route, req, sent_id, restore);
	return 0;
}

int obh_router_call(struct obh_router *r, unsigned route, Ob__Request *req,
		    ob_reply_fn fn, void *arg, uint64_t *id)
{
	switch (obh_router_state(r, route)) {
	case OBH_DOMAIN_ABSENT:
		return -ENOSYS;
	case OBH_DOMAIN_DOWN:
	case OBH_DOMAIN_LOST:
		return -EIO;
	case OBH_DOMAIN_FAILED:
		return -ENODEV;
	case OBH_DOMAIN_UP:
		break;
	}
	return obhr_conn_call(r, route, req, fn, arg, id, false, NULL);
}

int obh_router_post(struct obh_router *r, unsigned route, Ob__Request *req,
		    struct obh_waitq **full)
{
	uint64_t id;
	*full = NULL;
	req->posted = true;
	/* Counted whether its payload goes inline or through the region: the
	 * window bounds the plugin's backlog of work either way. */
	size_t bytes = protobuf_c_message_get_packed_size(&req->base);
	if (obh_router_state(r, route) != OBH_DOMAIN_UP)
		return obh_router_call(r, route, req, NULL, NULL, &id);
	struct obh_link *l = r->route[route];
	struct obhr_span span;
	bool room = l->posted_count < OBHR_POSTED_WINDOW_CALLS;
	int err = obhr_conn_call(r, route, req, NULL, NULL, &id, false, room ? &span : NULL);
	if (err)
		return err;
	if (r->h->replay)
		return 0; /* no plugin to fall behind: no window */
	if (room) {
		unsigned tail = (l->posted_head + l->posted_count) % OBHR_POSTED_WINDOW_CALLS;
		l->posted[tail] = (struct obhr_posted){ .id = id, .bytes = (uint32_t)bytes,
							.shm = span };
		l->posted_count++;
		l->posted_bytes += bytes;
	}
	if (window_full(l))
		*full = &l->credit_waiters;
	return 0;
}

void obh_router_start_input(struct obh_router *r)
{
	const struct obh_link *l = r->route[OBH_DOMAIN_INPUT];
	/* Not started, nor asked for, yet (--on-demand): its restore, once it
	 * is, comes back here. */
	if (!l || (l->dormant && !l->wanted) ||
	    !obh_router_serves(r, OBH_DOMAIN_INPUT, OB__REQUEST__CALL_INPUT_CONFIGURE))
		return;
	Ob__Request req = OB__REQUEST__INIT;
	Ob__InputConfigure cfg = OB__INPUT_CONFIGURE__INIT;
	cfg.flags = 1; /* start: a script's clock starts with the program */
	req.call_case = OB__REQUEST__CALL_INPUT_CONFIGURE;
	req.input_configure = &cfg;
	int err = obh_router_send_restore(r, OBH_DOMAIN_INPUT, &req, NULL, NULL);
	if (err)
		OB_WARN(CAT, "cannot start the input source: %s", strerror(-err));
}

/* ---- figures ---- */

void obhr_stats_add(struct ob_conn_stats *sum, const struct ob_conn_stats *st)
{
	sum->sent += st->sent;
	sum->received += st->received;
	sum->requests += st->requests;
	sum->replies += st->replies;
	sum->posted += st->posted;
	sum->events += st->events;
	sum->dropped += st->dropped;
	sum->timeouts += st->timeouts;
	sum->failed += st->failed;
	sum->unmatched += st->unmatched;
	sum->discarded += st->discarded;
	sum->sessions += st->sessions;
	sum->auth_failures += st->auth_failures;
	sum->lane_sent += st->lane_sent;
	sum->lane_received += st->lane_received;
	sum->lane_drops += st->lane_drops;
	if (st->max_in_flight > sum->max_in_flight)
		sum->max_in_flight = st->max_in_flight;
}

/* The whole run's counters; the state (in flight, queued, up) is now. */
static void link_stats(const struct obh_link *l, struct ob_conn_stats *st)
{
	*st = l->closed_stats;
	st->in_flight = st->queued = 0;
	st->up = st->authenticated = st->lane = false;
	if (l->conn) {
		struct ob_conn_stats now;
		ob_conn_get_stats(l->conn, &now);
		obhr_stats_add(st, &now);
		st->in_flight = now.in_flight;
		st->queued = now.queued;
		st->up = now.up;
		st->authenticated = now.authenticated;
		st->lane = now.lane;
	}
}

bool obh_router_has_plugins(const struct obh_router *r)
{
	return r->nlinks > 0 || r->control;
}

unsigned obh_router_in_flight(const struct obh_router *r)
{
	unsigned n = 0;
	for (unsigned i = 0; i < r->nlinks; i++) {
		struct ob_conn_stats st;
		link_stats(r->links[i], &st);
		n += r->links[i]->conn ? st.in_flight : 0;
	}
	return n;
}

uint32_t obh_router_max_in_flight(const struct obh_router *r, unsigned route)
{
	struct ob_conn_stats st;
	if (route >= OBH_MAX_ROUTES || !r->route[route])
		return 0;
	link_stats(r->route[route], &st);
	return st.max_in_flight;
}

void obh_router_note_lost_posted(struct obh_router *r, unsigned route)
{
	if (route < OBH_MAX_ROUTES && r->route[route])
		r->route[route]->lost_posted++;
}

void obh_router_print_stats(const struct obh_router *r, FILE *out)
{
	for (unsigned i = 0; i < r->nlinks; i++) {
		const struct obh_link *l = r->links[i];
		struct ob_conn_stats st;
		link_stats(l, &st);
		fprintf(out,
			"outboard-cpu: stats %s: backend=%s requests=%llu posted=%llu replies=%llu "
			"events=%llu timeouts=%llu failed=%llu dropped=%llu max_in_flight=%u "
			"deaths=%u lost_posted=%llu\n",
			l->domains, obhr_link_name(l), (unsigned long long)st.requests,
			(unsigned long long)st.posted, (unsigned long long)st.replies,
			(unsigned long long)st.events, (unsigned long long)st.timeouts,
			(unsigned long long)st.failed, (unsigned long long)st.dropped,
			st.max_in_flight, l->deaths, (unsigned long long)l->lost_posted);
		/* A line of its own: the stats line's last field stays lost_posted. */
		fprintf(out,
			"outboard-cpu: shm %s: region=%s calls=%llu inline=%llu bad=%llu "
			"unanswered=%llu lane=%s lane_frames=%llu\n",
			l->domains, obhr_shm_active(l) ? "on" : "off",
			(unsigned long long)l->shm_calls, (unsigned long long)l->shm_inline,
			(unsigned long long)l->shm_bad, (unsigned long long)l->shm_quarantined,
			st.lane ? "on" : "off",
			(unsigned long long)(st.lane_sent + st.lane_received));
	}
}
