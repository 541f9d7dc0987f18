/*
 * The router (see router.h).
 *
 * A link is one connection to one plugin process; a domain routes to a
 * link. Two domains name the same URL when one process serves both (the
 * SDL plugin serves display and input): they share the link, because a
 * nanomsg PAIR endpoint takes one peer at a time. Flow control of posted
 * calls is per link, since Credit counts the connection's request ids.
 */
#include "router.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "events.h"
#include "recovery.h"
#include "outboard/errno.h"
#include "outboard/key.h"
#include "outboard/log.h"
#include "scheduler.h"

#define CAT "router"
#define MAX_CALL_NUM 256
/* Posted calls a plugin may have unanswered before posting threads wait:
 * enough to keep a display busy, small enough to bound its backlog. */
#define POSTED_WINDOW_CALLS 512
#define POSTED_WINDOW_BYTES (16u << 20)

struct posted {
	uint64_t id;
	uint32_t bytes;
};

/* A call waiting for its link to come back. */
struct waiter {
	void (*fn)(void *arg, int err);
	void *arg;
	struct waiter *next;
};

struct obh_link {
	struct obh_router *router;
	enum obh_domain_state state;
	ob_conn *conn;
	char *url;
	char *backend;
	char domains[48];                /* "display,input", for messages */
	uint8_t serves[MAX_CALL_NUM / 8];
	/* --stats covers the whole run: the counters of the connections closed
	 * when the plugin died, and how many. */
	struct ob_conn_stats closed_stats;
	unsigned deaths;
	/* Flow control of posted calls: FIFO of those not yet credited. */
	struct posted posted[POSTED_WINDOW_CALLS];
	unsigned posted_head, posted_count;
	uint64_t posted_bytes;
	struct obh_waitq credit_waiters;
	/* Restarts (router.h, remote.h). */
	struct waiter *waiters, **waiters_tail;
	int64_t down_since_ns;
	bool reconnecting;               /* our Hello sent to a new instance */
	bool failed_reported;
};

struct obh_router {
	struct obh_host *h;
	uint8_t key[OB_KEY_BYTES];
	bool have_key;
	struct obh_link *route[OBH_DOMAIN_COUNT]; /* NULL: no plugin */
	struct obh_link *links[OBH_DOMAIN_COUNT];
	unsigned nlinks;
	ob_conn *control;
};

static const char *link_name(const struct obh_link *l)
{
	return l->backend ? l->backend : l->url;
}

/* ---- flow control ---- */

static bool window_full(const struct obh_link *l)
{
	return l->posted_count >= POSTED_WINDOW_CALLS || l->posted_bytes >= POSTED_WINDOW_BYTES;
}

static void wake_credit_waiters(struct obh_host *h, struct obh_link *l, int32_t r0)
{
	struct obh_thread *t;
	while ((r0 || !window_full(l)) && (t = obh_waitq_pop(&l->credit_waiters)))
		obh_sched_wake(h, t, r0);
}

static void on_credit(struct obh_link *l, uint64_t done_id)
{
	while (l->posted_count && l->posted[l->posted_head].id <= done_id) {
		l->posted_bytes -= l->posted[l->posted_head].bytes;
		l->posted_head = (l->posted_head + 1) % POSTED_WINDOW_CALLS;
		l->posted_count--;
	}
	wake_credit_waiters(l->router->h, l, 0);
}

/* ---- restarts ---- */

/* Answer everything waiting for the link: 0 when it is back, else errno. */
static void release_waiters(struct obh_link *l, int err)
{
	struct waiter *w = l->waiters;
	l->waiters = NULL;
	l->waiters_tail = &l->waiters;
	while (w) {
		struct waiter *next = w->next;
		w->fn(w->arg, err);
		free(w);
		w = next;
	}
}

static bool restart_possible(const struct obh_router *r, const struct obh_link *l)
{
	return r->control || strncmp(l->url, "tcp://", 6) == 0;
}

static void send_supervise(struct obh_router *r, struct obh_link *l,
			   Ob__Supervise__State state, const char *detail)
{
	if (!r->control)
		return;
	for (int d = 1; d < OBH_DOMAIN_COUNT; d++) {
		if (r->route[d] != l)
			continue;
		Ob__Envelope env = OB__ENVELOPE__INIT;
		Ob__Supervise sv;
		ob__supervise__init(&sv);
		sv.domain = (Ob__Domain)d;
		sv.state = state;
		char detail_buf[64], plugin_buf[64];
		snprintf(detail_buf, sizeof(detail_buf), "%s", detail);
		snprintf(plugin_buf, sizeof(plugin_buf), "%s", l->backend ? l->backend : "");
		sv.detail = detail_buf;
		sv.plugin = plugin_buf;
		env.body_case = OB__ENVELOPE__BODY_SUPERVISE;
		env.supervise = &sv;
		if (ob_conn_send(r->control, &env))
			OB_WARN(CAT, "cannot tell the launcher that %s is %s", link_name(l), detail);
		return; /* one message names the process; the launcher knows its domains */
	}
}

static void stats_add(struct ob_conn_stats *sum, const struct ob_conn_stats *st)
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
	if (st->max_in_flight > sum->max_in_flight)
		sum->max_in_flight = st->max_in_flight;
}

/* Before the connection of a dead plugin goes. Closing it fails its calls
 * in flight (the host retries them on the next instance, or gives EIO). */
static void keep_stats(struct obh_link *l)
{
	struct ob_conn_stats st;
	ob_conn_get_stats(l->conn, &st);
	st.failed += st.in_flight;
	stats_add(&l->closed_stats, &st);
	l->deaths++;
}

/* The plugin process is gone or hung: calls wait for it (or fail). */
static void link_down(struct obh_router *r, struct obh_link *l, const char *why, bool dead)
{
	if (l->state == OBH_DOMAIN_FAILED)
		return;
	if (l->state == OBH_DOMAIN_UP || l->reconnecting)
		OB_ERROR(CAT, "plugin %s (%s) %s: %s; %s", link_name(l), l->domains,
			 dead ? "died" : "stopped answering", why,
			 restart_possible(r, l) ? "calls wait for it to come back"
						: "its calls now fail with EIO");
	if (l->state == OBH_DOMAIN_UP)
		l->down_since_ns = obh_now_ns();
	l->state = restart_possible(r, l) ? OBH_DOMAIN_DOWN : OBH_DOMAIN_LOST;
	l->reconnecting = false;
	if (dead && l->conn) {
		keep_stats(l);
		ob_conn *c = l->conn;
		l->conn = NULL;
		ob_conn_close(c, 0); /* calls in flight: ECANCELED (remote.c decides) */
	}
	l->posted_count = 0;
	l->posted_bytes = 0;
	wake_credit_waiters(r->h, l, -OB_ABI_EIO);
	if (l->state == OBH_DOMAIN_LOST)
		release_waiters(l, EIO);
}

/* Silence: the plugin is hung (or its network dropped). Tell the launcher,
 * which kills and restarts a local plugin. */
static void link_hung(struct obh_router *r, struct obh_link *l)
{
	if (l->state != OBH_DOMAIN_UP)
		return;
	link_down(r, l, "no heartbeat", false);
	send_supervise(r, l, OB__SUPERVISE__STATE__STATE_HUNG, "no heartbeat");
}

static void link_failed(struct obh_router *r, struct obh_link *l, const char *why)
{
	link_down(r, l, why, true);
	l->state = OBH_DOMAIN_FAILED;
	if (!l->failed_reported) {
		l->failed_reported = true;
		fprintf(stderr, "outboard-cpu: the %s plugin %s has failed for good (%s): "
				"its calls now fail with ENODEV\n", l->domains, link_name(l), why);
	}
	release_waiters(l, ENODEV);
}

static void restored(void *arg)
{
	struct obh_link *l = arg;
	if (!l->conn || l->state == OBH_DOMAIN_FAILED)
		return;
	l->state = OBH_DOMAIN_UP;
	OB_WARN(CAT, "plugin %s (%s) is back", link_name(l), l->domains);
	release_waiters(l, 0);
}

static int link_mask(const struct obh_router *r, const struct obh_link *l)
{
	int mask = 0;
	for (int d = 1; d < OBH_DOMAIN_COUNT; d++)
		if (r->route[d] == l)
			mask |= 1 << d;
	return mask;
}

static bool hello_serves_link(const struct obh_router *r, const struct obh_link *l,
			      const Ob__Hello *answer);
static void take_calls(struct obh_link *l, const Ob__Hello *answer);
static int link_dial(struct obh_link *l, const char *url);

/* A new instance answered our Hello: restore it, then let calls through. */
static void on_reconnect_hello(struct obh_link *l, const Ob__Hello *answer)
{
	struct obh_router *r = l->router;
	l->reconnecting = false;
	if (answer->status || !hello_serves_link(r, l, answer)) {
		link_failed(r, l, "the restarted plugin refused the handshake");
		return;
	}
	take_calls(l, answer);
	if (obh_recovery_restore(r->h, (uint32_t)link_mask(r, l), restored, l))
		link_failed(r, l, "out of memory while restoring it");
}

static void reconnect(struct obh_router *r, struct obh_link *l, const char *url)
{
	static char role[] = "host";
	if (l->state == OBH_DOMAIN_FAILED)
		return;
	if (!l->conn) {
		int err = link_dial(l, url);
		if (err) {
			link_failed(r, l, "cannot dial its new endpoint");
			return;
		}
	}
	Ob__Hello hello;
	ob__hello__init(&hello);
	hello.role = role;
	if (ob_conn_hello(l->conn, &hello))
		link_failed(r, l, "cannot greet the restarted plugin");
	else
		l->reconnecting = true;
}

/* ---- what plugins send ---- */

/* Display events carry the guest's monotonic clock (ms since the program
 * started) when they arrive: a plugin's own clock may be another
 * machine's. */
static bool event_from(const struct obh_host *h, const Ob__Event *ev, struct obh_event *e)
{
	uint64_t now_ms = (uint64_t)(obh_now_ns() - h->start_ns) / 1000000;

	memset(e, 0, sizeof(*e));
	switch (ev->event_case) {
	case OB__EVENT__EVENT_INPUT:
		e->kind = (uint32_t)ev->input->kind;
		e->key = ev->input->key;
		e->x = ev->input->x;
		e->y = ev->input->y;
		e->time_ms = ev->input->time_ms;
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

static void on_event(struct obh_link *l, const Ob__Event *ev)
{
	struct obh_event e;
	if (ev->event_case == OB__EVENT__EVENT_CREDIT) {
		on_credit(l, ev->credit->done_id);
		return;
	}
	if (!event_from(l->router->h, ev, &e)) {
		OB_DEBUG(CAT, "event %d from %s ignored", ev->event_case, link_name(l));
		return;
	}
	if (e.kind == OB__INPUT_EVENT__KIND__KIND_NONE || e.kind > OB__INPUT_EVENT__KIND__KIND_VSYNC) {
		OB_WARN(CAT, "event of unknown kind %u from %s dropped", e.kind, link_name(l));
		return;
	}
	obh_events_push(l->router->h, &e);
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
			on_reconnect_hello(l, env->hello);
		break; /* otherwise a late duplicate of the handshake answer */
	default:
		OB_DEBUG(CAT, "unexpected envelope %d from %s", env->body_case, link_name(l));
		break;
	}
}

static void on_plugin_state(void *arg, ob_conn *conn, bool up)
{
	struct obh_link *l = arg;
	struct obh_router *r = l->router;
	(void)conn;
	if (!up) {
		link_hung(r, l); /* the launcher kills and restarts it */
	} else if ((l->state == OBH_DOMAIN_DOWN || l->state == OBH_DOMAIN_LOST) &&
		   !l->reconnecting) {
		/* Back on the same connection: maybe a new instance; restore. */
		reconnect(r, l, l->url);
	}
}

static void on_plugin_error(void *arg, ob_conn *conn, int err, const char *what)
{
	struct obh_link *l = arg;
	(void)conn;
	OB_ERROR(CAT, "plugin %s (%s): %s (%s)", link_name(l), l->domains, what, strerror(err));
}

static void on_control_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct obh_router *r = arg;
	(void)conn;
	if (env->body_case != OB__ENVELOPE__BODY_SUPERVISE)
		return;
	const Ob__Supervise *sv = env->supervise;
	int d = (int)sv->domain;
	if (d <= 0 || d >= OBH_DOMAIN_COUNT || !r->route[d])
		return;
	struct obh_link *l = r->route[d];
	const char *detail = sv->detail && *sv->detail ? sv->detail : "exited";
	switch (sv->state) {
	case OB__SUPERVISE__STATE__STATE_DIED:
		link_down(r, l, detail, true);
		break;
	case OB__SUPERVISE__STATE__STATE_FAILED:
		/* The launcher gave up and has said so on the console: once is enough. */
		l->failed_reported = true;
		OB_INFO(CAT, "plugin %s (%s) failed for good (%s): its calls fail with ENODEV",
			link_name(l), l->domains, detail);
		link_failed(r, l, detail);
		break;
	case OB__SUPERVISE__STATE__STATE_UP:
		if (l->state != OBH_DOMAIN_UP)
			reconnect(r, l, sv->url && *sv->url ? sv->url : l->url);
		break;
	default:
		break;
	}
}

/* ---- opening ---- */

static bool hello_serves_link(const struct obh_router *r, const struct obh_link *l,
			      const Ob__Hello *answer)
{
	for (int d = 1; d < OBH_DOMAIN_COUNT; d++) {
		if (r->route[d] != l)
			continue;
		bool served = false;
		for (size_t i = 0; i < answer->n_domains; i++)
			served |= (int)answer->domains[i] == d;
		if (!served) {
			OB_ERROR(CAT, "plugin %s at %s does not serve the %s domain", answer->backend,
				 l->url, obh_domain_name((enum obh_domain)d));
			return false;
		}
	}
	return true;
}

static void take_calls(struct obh_link *l, const Ob__Hello *answer)
{
	memset(l->serves, 0, sizeof(l->serves));
	for (size_t i = 0; i < answer->n_calls; i++)
		if (answer->calls[i] < MAX_CALL_NUM)
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
	int err = ob_conn_handshake(l->conn, &hello, r->h->opts.plugin_timeout_ms, &answer);
	if (err) {
		OB_ERROR(CAT, "no Hello from the %s plugin at %s: %s", l->domains, l->url,
			 strerror(-err));
		return err;
	}
	if (!hello_serves_link(r, l, answer)) {
		ob__hello__free_unpacked(answer, NULL);
		return -EPROTO;
	}
	take_calls(l, answer);
	OB_INFO(CAT, "%s: plugin %s %s at %s, %zu calls", l->domains, l->backend,
		answer->backend_version, l->url, answer->n_calls);
	ob__hello__free_unpacked(answer, NULL);
	return l->backend ? 0 : -ENOMEM;
}

/* The link for url, shared with an earlier domain that names the same URL. */
static struct obh_link *link_for(struct obh_router *r, enum obh_domain d, const char *url)
{
	for (unsigned i = 0; i < r->nlinks; i++) {
		struct obh_link *l = r->links[i];
		if (strcmp(l->url, url) == 0) {
			size_t n = strlen(l->domains);
			snprintf(l->domains + n, sizeof(l->domains) - n, ",%s", obh_domain_name(d));
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
	snprintf(l->domains, sizeof(l->domains), "%s", obh_domain_name(d));
	r->links[r->nlinks++] = l;
	return l;
}

static int link_dial(struct obh_link *l, const char *url)
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
	int err = link_dial(l, l->url);
	if (!err)
		err = handshake(r, l);
	if (!err)
		l->state = OBH_DOMAIN_UP;
	return err;
}

static int open_control(struct obh_router *r, const char *url)
{
	static const struct ob_conn_callbacks cbs = { .on_message = on_control_message };
	struct ob_conn_opts opts = { .name = "control", .no_heartbeat = true };
	int err = ob_conn_dial(url, &opts, &cbs, r, &r->control);
	if (err)
		OB_ERROR(CAT, "cannot dial the launcher's control endpoint %s: %s", url,
			 strerror(-err));
	return err;
}

int obh_router_create(struct obh_host *h, struct obh_router **out)
{
	struct obh_router *r = calloc(1, sizeof(*r));
	int err = 0;
	if (!r)
		return -ENOMEM;
	r->h = h;
	if (h->opts.key_file) {
		if ((err = ob_key_load(h->opts.key_file, r->key)))
			goto fail;
		r->have_key = true;
	}
	if (h->opts.control_url && (err = open_control(r, h->opts.control_url)))
		goto fail;
	for (int d = 1; d < OBH_DOMAIN_COUNT; d++) {
		if (!h->opts.plugin_url[d])
			continue;
		r->route[d] = link_for(r, (enum obh_domain)d, h->opts.plugin_url[d]);
		if (!r->route[d]) {
			err = -ENOMEM;
			goto fail;
		}
	}
	for (unsigned i = 0; i < r->nlinks; i++)
		if ((err = open_link(r, r->links[i])))
			goto fail;
	*out = r;
	return 0;
fail:
	obh_router_destroy(r);
	return err;
}

void obh_router_destroy(struct obh_router *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->nlinks; i++) {
		struct obh_link *l = r->links[i];
		ob_conn_close(l->conn, 200);
		release_waiters(l, ECANCELED);
		free(l->url);
		free(l->backend);
		free(l);
	}
	ob_conn_close(r->control, 0);
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

void obh_router_process(struct obh_router *r)
{
	/* The control connection first: a death notice fails calls at once. */
	if (r->control)
		ob_conn_process(r->control);
	int64_t now = obh_now_ns();
	for (unsigned i = 0; i < r->nlinks; i++) {
		struct obh_link *l = r->links[i];
		if (l->conn)
			ob_conn_process(l->conn);
		/* With a launcher, it decides: UP or FAILED always follows. */
		if (l->state == OBH_DOMAIN_DOWN && !r->control &&
		    now - l->down_since_ns > (int64_t)OBH_RECOVERY_TIMEOUT_MS * 1000000) {
			OB_ERROR(CAT, "plugin %s (%s) did not come back within %d s: its calls fail "
				      "with EIO", link_name(l), l->domains, OBH_RECOVERY_TIMEOUT_MS / 1000);
			l->state = OBH_DOMAIN_LOST;
			release_waiters(l, EIO);
		}
	}
}

/* ---- calls ---- */

enum obh_domain_state obh_router_state(const struct obh_router *r, enum obh_domain d)
{
	if ((unsigned)d >= OBH_DOMAIN_COUNT || !r->route[d])
		return OBH_DOMAIN_ABSENT;
	return r->route[d]->state;
}

bool obh_router_serves(const struct obh_router *r, enum obh_domain d, uint32_t num)
{
	if ((unsigned)d >= OBH_DOMAIN_COUNT || !r->route[d] || num >= MAX_CALL_NUM)
		return false;
	return r->route[d]->serves[num / 8] & (1u << (num % 8));
}

const char *obh_router_backend(const struct obh_router *r, enum obh_domain d)
{
	return (unsigned)d < OBH_DOMAIN_COUNT && r->route[d] ? r->route[d]->backend : NULL;
}

int obh_router_call(struct obh_router *r, enum obh_domain d, Ob__Request *req,
		    ob_reply_fn fn, void *arg, uint64_t *id)
{
	switch (obh_router_state(r, d)) {
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
	return ob_conn_call(r->route[d]->conn, req, fn, arg, id);
}

int obh_router_post(struct obh_router *r, enum obh_domain d, Ob__Request *req,
		    struct obh_waitq **full)
{
	uint64_t id;
	*full = NULL;
	req->posted = true;
	size_t bytes = protobuf_c_message_get_packed_size(&req->base);
	int err = obh_router_call(r, d, req, NULL, NULL, &id);
	if (err)
		return err;
	struct obh_link *l = r->route[d];
	if (l->posted_count < POSTED_WINDOW_CALLS) {
		unsigned tail = (l->posted_head + l->posted_count) % POSTED_WINDOW_CALLS;
		l->posted[tail] = (struct posted){ .id = id, .bytes = (uint32_t)bytes };
		l->posted_count++;
		l->posted_bytes += bytes;
	}
	if (window_full(l))
		*full = &l->credit_waiters;
	return 0;
}

bool obh_router_recovering(const struct obh_router *r, enum obh_domain d)
{
	const struct obh_link *l = (unsigned)d < OBH_DOMAIN_COUNT ? r->route[d] : NULL;
	if (!l)
		return false;
	if (l->state == OBH_DOMAIN_DOWN)
		return true;
	if (l->state != OBH_DOMAIN_UP || !l->conn || !restart_possible(r, l))
		return false;
	/* The connection is declaring its peer down right now (its calls fail
	 * before on_state tells us): a restart will follow. */
	struct ob_conn_stats st;
	ob_conn_get_stats(l->conn, &st);
	return !st.up;
}

void obh_router_when_up(struct obh_router *r, enum obh_domain d,
			void (*fn)(void *arg, int err), void *arg)
{
	struct obh_link *l = r->route[d];
	struct waiter *w = calloc(1, sizeof(*w));
	if (!w) {
		fn(arg, ENOMEM);
		return;
	}
	w->fn = fn;
	w->arg = arg;
	*l->waiters_tail = w;
	l->waiters_tail = &w->next;
	/* A hung link becomes DOWN here too (see obh_router_recovering). */
	link_hung(r, l);
}

int obh_router_send_restore(struct obh_router *r, enum obh_domain d, Ob__Request *req,
			    ob_reply_fn fn, void *arg)
{
	struct obh_link *l = r->route[d];
	if (!l || !l->conn)
		return -ENOTCONN;
	req->posted = fn == NULL;
	return ob_conn_call(l->conn, req, fn, arg, NULL);
}

void obh_router_start_input(struct obh_router *r)
{
	if (!r->route[OBH_DOMAIN_INPUT] ||
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

/* The whole run's counters; the state (in flight, queued, up) is now. */
static void link_stats(const struct obh_link *l, struct ob_conn_stats *st)
{
	*st = l->closed_stats;
	st->in_flight = st->queued = 0;
	st->up = st->authenticated = false;
	if (l->conn) {
		struct ob_conn_stats now;
		ob_conn_get_stats(l->conn, &now);
		stats_add(st, &now);
		st->in_flight = now.in_flight;
		st->queued = now.queued;
		st->up = now.up;
		st->authenticated = now.authenticated;
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

uint32_t obh_router_max_in_flight(const struct obh_router *r, enum obh_domain d)
{
	struct ob_conn_stats st;
	if (!r->route[d])
		return 0;
	link_stats(r->route[d], &st);
	return st.max_in_flight;
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
			"deaths=%u\n",
			l->domains, link_name(l), (unsigned long long)st.requests,
			(unsigned long long)st.posted, (unsigned long long)st.replies,
			(unsigned long long)st.events, (unsigned long long)st.timeouts,
			(unsigned long long)st.failed, (unsigned long long)st.dropped,
			st.max_in_flight, l->deaths);
	}
}
