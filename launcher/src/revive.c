/*
 * Restarting local plugins while the CPU host runs (docs/launcher.md,
 * "When a plugin dies or hangs").
 *
 * A plugin's life: UP -> (dies) -> WAITING for its back-off -> started
 * again on the same URL -> CHECKING its Hello -> UP again, when the host
 * gets Supervise{UP, url} for each domain. A failed or late Hello kills
 * the new process (KILLED) and counts as a crash like any death. When the
 * policy (restart.h) gives up, the host gets Supervise{FAILED} and the
 * plugin stays down (FAILED). The host hears DIED only about a process it
 * was told is up: one that dies before its Hello was never its business.
 *
 * Nothing is restarted once the host has exited or a second signal killed
 * everything. Remote plugins are not the launcher's: the host reconnects
 * to them by itself.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outboard/log.h"
#include "sup_internal.h"

#define CAT "launcher"

static bool restarts_allowed(const struct obl_sup *s)
{
	return s->phase == OBL_RUNNING && !s->stop_signo && s->plan;
}

static bool is_plugin(const struct obl_child *c)
{
	return c->pp != NULL;
}

/* Say it once, on stderr, in words the user can act on. */
static void give_up(struct obl_sup *s, struct obl_child *c)
{
	const struct obl_restart_policy *p = &s->plan->restart;
	char dn[64], detail[128];
	obl_domain_list(c->domains, dn, sizeof(dn));
	c->life = OBL_LIFE_FAILED;
	if (p->max == 0)
		snprintf(detail, sizeof(detail), "restarts are off");
	else
		snprintf(detail, sizeof(detail), "failed %d time%s in %d s", c->crashes.n,
			 c->crashes.n == 1 ? "" : "s", (int)(p->window_ms / 1000));
	obl_sup_tell(s, c, OB__SUPERVISE__STATE__STATE_FAILED, detail);
	if (p->max == 0)
		fprintf(stderr, "outboard: the %s plugin %s is not restarted (restarts are off): "
				"its calls now fail with ENODEV\n", dn, c->label);
	else
		fprintf(stderr, "outboard: the %s plugin %s %s; giving up: its calls now fail with "
				"ENODEV\n", dn, c->label, detail);
}

/* A crash (a death, or a restart that did not come up): restart it after
 * its back-off, or give up. */
static void crashed(struct obl_sup *s, struct obl_child *c)
{
	int64_t now = s->os->now_ms();
	c->life = OBL_LIFE_WAITING;
	c->due_ms = now;
	if (!restarts_allowed(s))
		return; /* the run is ending: nothing will start it */
	int delay = obl_crash_record(&c->crashes, &s->plan->restart, now);
	if (delay < 0) {
		give_up(s, c);
		return;
	}
	c->due_ms = now + delay;
	char dn[64];
	OB_WARN(CAT, "restarting the %s plugin %s in %d ms (restart %d)",
		obl_domain_list(c->domains, dn, sizeof(dn)), c->label, delay, c->restarts + 1);
}

void obl_revive_died(struct obl_sup *s, struct obl_child *c, const char *detail)
{
	if (!is_plugin(c))
		return;
	bool announced = c->life == OBL_LIFE_UP;
	obl_probe_close(&c->probe);
	if (announced)
		obl_sup_tell(s, c, OB__SUPERVISE__STATE__STATE_DIED, detail);
	crashed(s, c);
}

/* The dead process's endpoint file: nanomsg would find it stale and
 * replace it, but the directory is ours, so leave nothing to chance. */
static void remove_stale_socket(const char *url)
{
	if (strncmp(url, "ipc://", 6) != 0)
		return;
	const char *path = url + 6;
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	if (unlink(path) < 0 && errno != ENOENT)
		OB_WARN(CAT, "cannot remove the stale endpoint %s: %s", path, strerror(errno));
}

static void check_hello(struct obl_sup *s, struct obl_child *c, int64_t now);

static void start_again(struct obl_sup *s, struct obl_child *c, int64_t now)
{
	remove_stale_socket(c->pp->url);
	c->restarts++;
	if (obl_sup_start_plugin(s, c->pp) < 0) {
		crashed(s, c); /* logged by obl_sup_start_plugin */
		return;
	}
	c->life = OBL_LIFE_CHECKING;
	c->due_ms = now + s->plan->plugin_timeout_ms;
	obl_probe_open(&c->probe, c->pp, NULL); /* restarts are local: no key */
	check_hello(s, c, now); /* a dial that failed at once */
}

static void check_hello(struct obl_sup *s, struct obl_child *c, int64_t now)
{
	struct obl_probe *p = &c->probe;
	char dn[64];
	obl_domain_list(c->domains, dn, sizeof(dn));
	if (p->result == 0 && now >= c->due_ms) {
		char why[64];
		snprintf(why, sizeof(why), "did not answer Hello within %d ms",
			 s->plan->plugin_timeout_ms);
		obl_probe_fail(p, -ETIMEDOUT, why);
	}
	if (p->result == 0)
		return;
	obl_probe_close(p);
	if (p->result < 0) {
		if (c->restarts == 0) /* started on demand (obl_revive_wanted) */
			OB_ERROR(CAT, "%s plugin %s (%s) %s at its start on demand: killing it", dn,
				 c->label, c->pp->url, p->why);
		else
			OB_ERROR(CAT, "%s plugin %s (%s) %s after restart %d: killing it", dn,
				 c->label, c->pp->url, p->why, c->restarts);
		c->life = OBL_LIFE_KILLED;
		obl_sup_signal(s, c, SIGKILL);
		return;
	}
	c->ready = true;
	c->life = OBL_LIFE_UP;
	char detail[32];
	if (c->restarts == 0) {
		OB_DEBUG(CAT, "%s plugin %s started on demand (pid %d)", dn, c->label,
			 (int)c->pid);
		snprintf(detail, sizeof(detail), "started on demand");
	} else {
		OB_WARN(CAT, "%s plugin %s is back (restart %d, pid %d)", dn, c->label,
			c->restarts, (int)c->pid);
		snprintf(detail, sizeof(detail), "restart %d", c->restarts);
	}
	obl_sup_tell(s, c, OB__SUPERVISE__STATE__STATE_UP, detail);
}

void obl_revive_tick(struct obl_sup *s)
{
	if (!restarts_allowed(s))
		return;
	int64_t now = s->os->now_ms();
	for (int d = 0; d < OBL_PLAN_SLOTS; d++) {
		struct obl_child *c = &s->plugins[d];
		if (!is_plugin(c))
			continue;
		if (c->life == OBL_LIFE_WAITING && !c->running && now >= c->due_ms)
			start_again(s, c, now);
		else if (c->life == OBL_LIFE_CHECKING && c->running)
			check_hello(s, c, now);
	}
}

int obl_revive_timeout(const struct obl_sup *s, int timeout_ms)
{
	if (!restarts_allowed(s))
		return timeout_ms;
	int64_t now = s->os->now_ms();
	for (int d = 0; d < OBL_PLAN_SLOTS; d++) {
		const struct obl_child *c = &s->plugins[d];
		if (!is_plugin(c) || (c->life != OBL_LIFE_WAITING && c->life != OBL_LIFE_CHECKING))
			continue;
		int64_t left = c->due_ms - now;
		int ms = left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
		if (timeout_ms < 0 || ms < timeout_ms)
			timeout_ms = ms;
	}
	return timeout_ms;
}

int obl_revive_conns(struct obl_sup *s, ob_conn **conns, int n)
{
	int k = 0;
	for (int d = 0; d < OBL_PLAN_SLOTS && k < n; d++)
		if (s->plugins[d].probe.conn)
			conns[k++] = s->plugins[d].probe.conn;
	return k;
}

void obl_revive_stop(struct obl_sup *s)
{
	for (int d = 0; d < OBL_PLAN_SLOTS; d++)
		obl_probe_close(&s->plugins[d].probe);
}

/* The local plugin serving domain d (at mount point mount, for an fs mount
 * besides "/"), or NULL. */
static struct obl_child *serving(struct obl_sup *s, int d, const char *mount)
{
	bool mounted = mount && *mount;
	for (int e = 0; e < OBL_PLAN_SLOTS; e++) {
		const struct obl_child *c = &s->plugins[e];
		const char *at = c->pp ? c->pp->mount : NULL;
		if (is_plugin(c) && (c->domains & OBL_DOMAIN_BIT(d)) && mounted == (at != NULL) &&
		    (!mounted || strcmp(at, mount) == 0))
			return &s->plugins[e];
	}
	return NULL;
}

void obl_revive_dormant(struct obl_sup *s, const struct obl_plugin_plan *pp)
{
	struct obl_child *c = &s->plugins[pp->slot];
	c->pp = pp;
	c->label = pp->label;
	c->domain = (int)pp->domain;
	c->domains = pp->domains;
	c->running = false;
	c->life = OBL_LIFE_DORMANT;
}

void obl_revive_wanted(struct obl_sup *s, int wire, const char *mount)
{
	int d = obl_domain_from_wire(wire);
	struct obl_child *c = d < 0 ? NULL : serving(s, d, mount);
	if (!c || c->life != OBL_LIFE_DORMANT) {
		/* Two threads' first calls, or a plugin already started: the
		 * host waits for the UP that is coming either way. */
		OB_DEBUG(CAT, "control: the CPU host wants the plugin of domain %d%s%s, "
			      "which is not dormant", wire, mount && *mount ? " at " : "",
			 mount ? mount : "");
		return;
	}
	if (!restarts_allowed(s))
		return; /* the run is ending */
	char dn[64];
	OB_DEBUG(CAT, "%s plugin %s: first call, starting it",
		 obl_domain_list(c->domains, dn, sizeof(dn)), c->label);
	int64_t now = s->os->now_ms();
	if (obl_sup_start_plugin(s, c->pp) < 0) {
		crashed(s, c); /* logged by obl_sup_start_plugin; retried or given up */
		return;
	}
	c->life = OBL_LIFE_CHECKING;
	c->due_ms = now + s->plan->plugin_timeout_ms;
	obl_probe_open(&c->probe, c->pp, NULL); /* on-demand plugins are local: no key */
	check_hello(s, c, now);
}

void obl_revive_hung(struct obl_sup *s, int wire, const char *mount, const char *detail)
{
	int d = obl_domain_from_wire(wire);
	if (d < 0) {
		OB_WARN(CAT, "control: the CPU host says a plugin of unknown domain %d stopped "
			     "answering", wire);
		return;
	}
	const char *why = detail && *detail ? detail : "no reason given";
	struct obl_child *c = serving(s, d, mount);
	if (!c && mount && *mount) {
		OB_WARN(CAT, "control: the CPU host says the plugin of mount %s stopped answering, "
			     "but the launcher runs none there", mount);
		return;
	}
	if (!c) {
		const struct obl_plugin_plan *pp = s->plan ? &s->plan->plugins[d] : NULL;
		if (pp && pp->kind == OBL_PLUGIN_SHARED)
			pp = &s->plan->plugins[pp->owner];
		if (pp && pp->kind == OBL_PLUGIN_REMOTE)
			OB_WARN(CAT, "plugin at %s (%s) stopped answering (%s): the launcher does "
				     "not run it; the CPU host reconnects to it", pp->url,
				obl_domain_name((enum obl_domain)d), why);
		else
			OB_WARN(CAT, "control: the CPU host says the %s plugin stopped answering, "
				     "but the launcher runs none", obl_domain_name((enum obl_domain)d));
		return;
	}
	char dn[64];
	obl_domain_list(c->domains, dn, sizeof(dn));
	if (s->phase != OBL_RUNNING || !c->running || c->life != OBL_LIFE_UP) {
		OB_DEBUG(CAT, "plugin %s (%s) stopped answering (%s): already on its way out",
			 c->label, dn, why);
		return;
	}
	bool restart = restarts_allowed(s) && s->plan->restart.max > 0;
	OB_WARN(CAT, "plugin %s (%s) stopped answering: killed%s", c->label, dn,
		restart ? ", restarting" : "");
	obl_sup_signal(s, c, SIGKILL);
}
