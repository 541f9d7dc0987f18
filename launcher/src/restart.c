/*
 * Counting a plugin's crashes and choosing its back-off.
 */
#include "restart.h"

#include <string.h>

struct obl_restart_policy obl_restart_policy_default(void)
{
	return (struct obl_restart_policy){
		.max = OBL_RESTART_MAX_DEFAULT,
		.window_ms = (int64_t)OBL_RESTART_WINDOW_DEFAULT_S * 1000,
		.first_ms = OBL_RESTART_FIRST_MS,
		.cap_ms = OBL_RESTART_CAP_MS,
	};
}

/* Drop the crashes that happened window_ms or longer before now. */
static void forget_old(struct obl_crashes *c, int64_t window_ms, int64_t now_ms)
{
	int keep = 0;
	while (keep < c->n && now_ms - c->at[keep] >= window_ms)
		keep++;
	memmove(c->at, c->at + keep, (size_t)(c->n - keep) * sizeof(c->at[0]));
	c->n -= keep;
}

/* first_ms doubled (k - 1) times, at most cap_ms; no shift can overflow. */
static int backoff(const struct obl_restart_policy *p, int k)
{
	int ms = p->first_ms;
	for (int i = 1; i < k && ms < p->cap_ms; i++)
		ms = ms > p->cap_ms / 2 ? p->cap_ms : ms * 2;
	return ms < p->cap_ms ? ms : p->cap_ms;
}

int obl_crash_record(struct obl_crashes *c, const struct obl_restart_policy *p, int64_t now_ms)
{
	forget_old(c, p->window_ms, now_ms);
	/* The array holds max + 1 entries and we give up at max, so there is
	 * always room; a full one (a policy changed under us) loses its oldest. */
	int size = (int)(sizeof(c->at) / sizeof(c->at[0]));
	if (c->n == size) {
		memmove(c->at, c->at + 1, (size_t)(size - 1) * sizeof(c->at[0]));
		c->n--;
	}
	c->at[c->n++] = now_ms;
	if (c->n >= p->max)
		return -1;
	return backoff(p, c->n);
}
