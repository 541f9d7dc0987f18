/*
 * Checking that a plugin answers: dial its URL, send Hello{role
 * "launcher"}, and wait for an answer with status 0 that lists every
 * domain the plugin is to serve; then hang up, so the CPU host can dial it
 * next. Done for every plugin before the CPU host starts, and for a
 * restarted plugin before the host is told it is up (revive.c).
 *
 * The wait runs inside the supervisor's loop rather than in the blocking
 * ob_conn_handshake, so a plugin that exits before answering is reported at
 * once (with its exit status), its output keeps flowing, and ^C works.
 */
#ifndef OBL_PROBE_H
#define OBL_PROBE_H

#include "outboard/ipc.h"
#include "plan.h"

struct obl_sup;

/*
 * One plugin's check. Its connection's callbacks point at the struct, so
 * it must not move while open. Ownership: conn is owned (obl_probe_close);
 * pp is not (the plan's).
 */
struct obl_probe {
	const struct obl_plugin_plan *pp;
	ob_conn *conn;
	int result;        /* 0 waiting, 1 answered well, or a negated errno */
	char why[256];     /* for a failure: "did not answer Hello within 300 ms" */
};

/* Dial pp's URL and send Hello. 0, or a negated errno (also in p->result,
 * with p->why set). p is reset first. */
int obl_probe_open(struct obl_probe *p, const struct obl_plugin_plan *pp,
		   const uint8_t *key);

/* Record a failure (-ETIMEDOUT...) unless an answer came first. */
void obl_probe_fail(struct obl_probe *p, int err, const char *why);

/* Hang up. Keeps result and why. Accepts a closed probe. */
void obl_probe_close(struct obl_probe *p);

/*
 * Probe every plugin process in plan (local or remote, once each) at once, each bounded by
 * plan->plugin_timeout_ms. Failures are logged naming the plugin. Returns 0
 * when all answered, -EPROTO / -ETIMEDOUT for a bad or missing answer,
 * -ECHILD when a plugin exited (the supervisor has reported it), -ESRCH
 * when the CPU host, started beside the plugins, exited first (its status
 * is the run's), -EINTR when a signal stopped the start (s->stop_signo).
 */
int obl_probe_plugins(struct obl_sup *s, const struct obl_plan *plan);

#endif /* OBL_PROBE_H */
