/*
 * Checking that every plugin of a plan answers: dial its URL, send
 * Hello{role "launcher"}, and wait for an answer with status 0 that lists
 * every domain the plugin is to serve; then hang up, so the CPU host can
 * dial it next.
 *
 * The wait runs inside the supervisor's loop rather than in the blocking
 * ob_conn_handshake, so a plugin that exits before answering is reported at
 * once (with its exit status), its output keeps flowing, and ^C works.
 */
#ifndef OBL_PROBE_H
#define OBL_PROBE_H

#include "plan.h"
#include "supervise.h"

/*
 * Probe every plugin process in plan (local or remote, once each) at once, each bounded by
 * plan->plugin_timeout_ms. Failures are logged naming the plugin. Returns 0
 * when all answered, -EPROTO / -ETIMEDOUT for a bad or missing answer,
 * -ECHILD when a plugin exited (the supervisor has reported it), -EINTR
 * when a signal stopped the start (s->stop_signo).
 */
int obl_probe_plugins(struct obl_sup *s, const struct obl_plan *plan);

#endif /* OBL_PROBE_H */
