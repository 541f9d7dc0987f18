/*
 * What the router does when a plugin dies, hangs, comes back or is given up
 * (router.h, docs/faults.md). The launcher reports deaths and restarts on
 * the control connection (Supervise); silence is seen by the connection's
 * heartbeat. Calls that may wait for the plugin queue as waiters and are
 * answered when it is restored (recovery.c) or lost for good.
 */
#include "router_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recovery.h"
#include "outboard/errno.h"
#include "outboard/log.h"

#define CAT OBHR_LOG

void obhr_release_waiters(struct obh_link *l, int err)
{
	struct obhr_waiter *w = l->waiters;
	l->waiters = NULL;
	l->waiters_tail = &l->waiters;
	while (w) {
		struct obhr_waiter *next = w->next;
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
	for (unsigned rt = 1; rt < OBH_MAX_ROUTES; rt++) {
		if (r->route[rt] != l)
			continue;
		Ob__Envelope env = OB__ENVELOPE__INIT;
		Ob__Supervise sv;
		ob__supervise__init(&sv);
		sv.domain = (Ob__Domain)obhr_route_domain(rt);
		sv.state = state;
		char detail_buf[64], plugin_buf[64], mount_buf[OBH_STR_MAX];
		const struct obh_mount *m = obh_mounts_by_route(r->h->mounts, rt);
		snprintf(detail_buf, sizeof(detail_buf), "%s", detail);
		snprintf(plugin_buf, sizeof(plugin_buf), "%s", l->backend ? l->backend : "");
		snprintf(mount_buf, sizeof(mount_buf), "%s", m && m->len > 1 ? m->point : "");
		sv.detail = detail_buf;
		sv.plugin = plugin_buf;
		sv.mount = mount_buf;
		env.body_case = OB__ENVELOPE__BODY_SUPERVISE;
		env.supervise = &sv;
		if (ob_conn_send(r->control, &env))
			OB_WARN(CAT, "cannot tell the launcher that %s is %s", obhr_link_name(l),
				detail);
		return; /* one message names the process; the launcher knows its domains */
	}
}

/* Before the connection of a dead plugin goes. Closing it fails its calls
 * in flight (the host retries them on the next instance, or gives EIO). */
static void keep_stats(struct obh_link *l)
{
	struct ob_conn_stats st;
	ob_conn_get_stats(l->conn, &st);
	st.failed += st.in_flight;
	obhr_stats_add(&l->closed_stats, &st);
	l->deaths++;
}

/* The plugin process is gone or hung: calls wait for it (or fail). */
static void link_down(struct obh_router *r, struct obh_link *l, const char *why, bool dead)
{
	if (l->state == OBH_DOMAIN_FAILED)
		return;
	if (l->state == OBH_DOMAIN_UP || l->reconnecting)
		OB_ERROR(CAT, "plugin %s (%s) %s: %s; %s", obhr_link_name(l), l->domains,
			 dead ? "died" : "stopped answering", why,
			 restart_possible(r, l) ? "calls wait for it to come back"
						: "its calls now fail with EIO");
	/* Counted from the last sign of life: silence was already dead_ms. */
	if (l->state == OBH_DOMAIN_UP)
		l->down_since_ns = obh_now_ns() - (dead ? 0 : (int64_t)OB_DEFAULT_DEAD_MS * 1000000);
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
	/* Spans lent to it are lost with it; the next Hello makes a region. */
	obhr_shm_drop(l);
	obhr_wake_credit_waiters(r->h, l, -OB_ABI_EIO);
	if (l->state == OBH_DOMAIN_LOST)
		obhr_release_waiters(l, EIO);
}

/* Silence: the plugin is hung (or its network dropped). Tell the launcher,
 * which kills and restarts a local plugin. */
void obhr_link_hung(struct obh_router *r, struct obh_link *l)
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
		fprintf(stderr, "outboard-cpu: the %s plugin %s has failed for good (%s): its "
				"calls now fail with ENODEV\n", l->domains, obhr_link_name(l), why);
	}
	obhr_release_waiters(l, ENODEV);
}

static void restored(void *arg)
{
	struct obh_link *l = arg;
	if (!l->conn || l->state == OBH_DOMAIN_FAILED)
		return;
	l->state = OBH_DOMAIN_UP;
	if (l->dormant) {
		l->dormant = false;
		OB_INFO(CAT, "%s: plugin %s started on demand at %s", l->domains, l->backend,
			l->url);
	} else {
		OB_WARN(CAT, "plugin %s (%s) is back", obhr_link_name(l), l->domains);
	}
	obhr_release_waiters(l, 0);
}

static uint64_t link_mask(const struct obh_router *r, const struct obh_link *l)
{
	uint64_t mask = 0;
	for (unsigned rt = 1; rt < OBH_MAX_ROUTES; rt++)
		if (r->route[rt] == l)
			mask |= 1ull << rt;
	return mask;
}

/* A new instance answered our Hello: restore it, then let calls through. */
void obhr_on_reconnect_hello(struct obh_link *l, const Ob__Hello *answer)
{
	struct obh_router *r = l->router;
	l->reconnecting = false;
	if (answer->status || !obhr_hello_serves_link(r, l, answer)) {
		link_failed(r, l, "the restarted plugin refused the handshake");
		return;
	}
	obhr_take_calls(l, answer);
	obhr_shm_answer(l, answer);
	if (obh_recovery_restore(r->h, link_mask(r, l), restored, l))
		link_failed(r, l, "out of memory while restoring it");
}

static void reconnect(struct obh_router *r, struct obh_link *l, const char *url)
{
	static char role[] = "host";
	if (l->state == OBH_DOMAIN_FAILED)
		return;
	if (!l->conn) {
		int err = obhr_link_dial(l, url);
		if (err) {
			link_failed(r, l, "cannot dial its new endpoint");
			return;
		}
	}
	Ob__Hello hello;
	ob__hello__init(&hello);
	hello.role = role;
	obhr_shm_offer(l, &hello);
	if (ob_conn_hello(l->conn, &hello))
		link_failed(r, l, "cannot greet the restarted plugin");
	else
		l->reconnecting = true;
}

void obhr_link_up_again(struct obh_router *r, struct obh_link *l)
{
	reconnect(r, l, l->url);
}

void obhr_check_recovery(struct obh_router *r, struct obh_link *l, int64_t now)
{
	/* A local plugin's fate is the launcher's: UP or FAILED always follows.
	 * Nobody restarts a remote one: its calls are bounded here. */
	bool remote = strncmp(l->url, "tcp://", 6) == 0;
	if (l->state != OBH_DOMAIN_DOWN || (r->control && !remote) ||
	    now - l->down_since_ns <= (int64_t)OBH_RECOVERY_TIMEOUT_MS * 1000000)
		return;
	OB_ERROR(CAT, "plugin %s (%s) did not come back within %d s: its calls fail with EIO",
		 obhr_link_name(l), l->domains, OBH_RECOVERY_TIMEOUT_MS / 1000);
	l->state = OBH_DOMAIN_LOST;
	obhr_release_waiters(l, EIO);
}

/* ---- the launcher's word ---- */

void obhr_on_control_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct obh_router *r = arg;
	(void)conn;
	if (env->body_case != OB__ENVELOPE__BODY_SUPERVISE)
		return;
	const Ob__Supervise *sv = env->supervise;
	if (sv->state == OB__SUPERVISE__STATE__STATE_READY) {
		r->launcher_ready = true; /* wait_ready (router.c) dials now */
		return;
	}
	int d = (int)sv->domain;
	if (d <= 0 || d >= OBH_DOMAIN_COUNT)
		return;
	unsigned rt = (unsigned)d;
	if (d == OBH_DOMAIN_FS && sv->mount && *sv->mount) {
		const struct obh_mount *m = obh_mounts_by_point(r->h->mounts, sv->mount);
		if (!m)
			return;
		rt = m->route;
	}
	struct obh_link *l = r->route[rt];
	if (!l)
		return;
	const char *detail = sv->detail && *sv->detail ? sv->detail : "exited";
	switch (sv->state) {
	case OB__SUPERVISE__STATE__STATE_DIED:
		link_down(r, l, detail, true);
		break;
	case OB__SUPERVISE__STATE__STATE_FAILED:
		/* The launcher gave up and has said so on the console: once is enough. */
		l->failed_reported = true;
		OB_INFO(CAT, "plugin %s (%s) failed for good (%s): its calls fail with ENODEV",
			obhr_link_name(l), l->domains, detail);
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

/* ---- calls while a plugin is away ---- */

bool obh_router_recovering(const struct obh_router *r, unsigned route)
{
	const struct obh_link *l = route < OBH_MAX_ROUTES ? r->route[route] : NULL;
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

void obh_router_when_up(struct obh_router *r, unsigned route,
			void (*fn)(void *arg, int err), void *arg)
{
	struct obh_link *l = r->route[route];
	struct obhr_waiter *w = calloc(1, sizeof(*w));
	if (!w) {
		fn(arg, ENOMEM);
		return;
	}
	w->fn = fn;
	w->arg = arg;
	*l->waiters_tail = w;
	l->waiters_tail = &w->next;
	if (obh_router_want(r, route))
		return;
	/* A hung link becomes DOWN here too (see obh_router_recovering). */
	obhr_link_hung(r, l);
}

bool obh_router_want(struct obh_router *r, unsigned route)
{
	/* No router: a kernel on its own (the unit tests). */
	struct obh_link *l = r && route < OBH_MAX_ROUTES ? r->route[route] : NULL;
	if (!l || !l->dormant)
		return false;
	if (!l->wanted) {
		/* The first call of a plugin started on demand: the launcher
		 * starts it and says UP, as after a restart. */
		l->wanted = true;
		OB_DEBUG(CAT, "plugin %s (%s): first call, asking the launcher to start it",
			 obhr_link_name(l), l->domains);
		send_supervise(r, l, OB__SUPERVISE__STATE__STATE_WANTED, "first call");
	}
	return true;
}

int obh_router_send_restore(struct obh_router *r, unsigned route, Ob__Request *req,
			    ob_reply_fn fn, void *arg)
{
	struct obh_link *l = route < OBH_MAX_ROUTES ? r->route[route] : NULL;
	if (!l || (!l->conn && !r->h->replay))
		return -ENOTCONN;
	req->posted = fn == NULL;
	return obhr_conn_call(r, route, req, fn, arg, NULL, true, NULL);
}
