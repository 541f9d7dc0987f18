/*
 * Between the supervisor's own files: supervise.c (children, signals, the
 * loop), control.c (the control connection to the CPU host) and revive.c
 * (restarting plugins). Not for the rest of the launcher.
 */
#ifndef OBL_SUP_INTERNAL_H
#define OBL_SUP_INTERNAL_H

#include "supervise.h"

/* ---- supervise.c ---- */

/* Send signo to a running child (its whole group when it has one). */
void obl_sup_signal(struct obl_sup *s, struct obl_child *c, int signo);

/* ---- control.c ---- */

/*
 * Tell the host about plugin c: one Supervise{state, detail, plugin
 * label} for each domain it serves, with its URL when state is UP. Does
 * nothing before the control endpoint exists; a send failure is logged.
 * detail is copied.
 */
void obl_sup_tell(struct obl_sup *s, const struct obl_child *c, Ob__Supervise__State state,
		  const char *detail);

/* Tell the host Supervise{READY} (no domain): its plugins are up. */
void obl_sup_tell_ready(struct obl_sup *s);

/* The enum obl_domain of a wire Ob__Domain value, or -1. */
int obl_domain_from_wire(int wire);

/* ---- revive.c ---- */

/* Plugin c died while RUNNING (already reported); detail says how. Tells
 * the host DIED if it knew c as up, then schedules a restart or gives up. */
void obl_revive_died(struct obl_sup *s, struct obl_child *c, const char *detail);

/* Start the plugins whose back-off is over, and act on the Hello checks of
 * restarted ones (answered: tell UP; failed or late: SIGKILL). */
void obl_revive_tick(struct obl_sup *s);

/* timeout_ms (-1: none) lowered to when obl_revive_tick next has work. */
int obl_revive_timeout(const struct obl_sup *s, int timeout_ms);

/* The connections of the checks in progress, for the poll set: up to n
 * into conns; returns how many. */
int obl_revive_conns(struct obl_sup *s, ob_conn **conns, int n);

/* Close every check in progress (the run is ending). */
void obl_revive_stop(struct obl_sup *s);

/* The host says the plugin serving wire domain wire (and, for an fs mount
 * besides "/", mount point mount; "" or NULL otherwise) stopped answering. */
void obl_revive_hung(struct obl_sup *s, int wire, const char *mount, const char *detail);

/* The host's Supervise{WANTED} for the plugin of domain wire (at mount):
 * start it if it is dormant; it is announced UP as a restart is. */
void obl_revive_wanted(struct obl_sup *s, int wire, const char *mount);

#endif /* OBL_SUP_INTERNAL_H */
