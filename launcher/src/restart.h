/*
 * The restart policy (docs/launcher.md, "When a plugin dies"): when a
 * local plugin dies while the CPU host runs, the launcher starts it again
 * after a back-off that doubles with each crash still inside the window
 * (first_ms, 2 * first_ms, ... up to cap_ms), and gives up on the plugin
 * once it has crashed max times within window_ms. A restart whose Hello
 * fails counts as a crash too. max 0 gives up at the first crash.
 *
 * Because the back-off grows with the crashes inside the window only, a
 * plugin that has run well for a whole window starts again at first_ms.
 *
 * Pure bookkeeping: the caller passes the time, so the unit test needs no
 * clock.
 */
#ifndef OBL_RESTART_H
#define OBL_RESTART_H

#include <stdint.h>

/* Defaults of --restart-max and --restart-window, and their bounds. */
#define OBL_RESTART_MAX_DEFAULT 5
#define OBL_RESTART_MAX_LIMIT 100
#define OBL_RESTART_WINDOW_DEFAULT_S 30
#define OBL_RESTART_WINDOW_LIMIT_S 86400
/* The back-off before restart k (k from 1) is FIRST << (k - 1), at most CAP. */
#define OBL_RESTART_FIRST_MS 100
#define OBL_RESTART_CAP_MS 5000

struct obl_restart_policy {
	int max;            /* crashes within the window that give up; 0..OBL_RESTART_MAX_LIMIT */
	int64_t window_ms;  /* > 0 */
	int first_ms;       /* > 0 */
	int cap_ms;         /* >= first_ms */
};

/* One plugin's recent crashes. Zero-initialised means none. */
struct obl_crashes {
	int64_t at[OBL_RESTART_MAX_LIMIT + 1]; /* ms, oldest first */
	int n;              /* crashes within the window, as of the last record */
};

/* The defaults. */
struct obl_restart_policy obl_restart_policy_default(void);

/*
 * Record a crash at now_ms (monotonic, not decreasing between calls).
 * Crashes older than the window are forgotten first. Returns the back-off
 * in ms before the restart, or -1 when the plugin has now crashed
 * p->max times within the window (or p->max is 0): give up.
 */
int obl_crash_record(struct obl_crashes *c, const struct obl_restart_policy *p, int64_t now_ms);

#endif /* OBL_RESTART_H */
