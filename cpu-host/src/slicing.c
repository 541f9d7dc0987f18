/*
 * When the block hook is installed (see slicing.h).
 */
#include "slicing.h"

#include "engine.h"
#include "events.h"
#include "scheduler_priv.h"

/* A waiting thread that something other than the running thread's own calls
 * may wake: a deadline, or a plugin's reply, event, credit or restart. A
 * wait on a kernel object without a deadline ends only through a call of
 * the running thread, which the trap hook sees (obh_slicing_urgent). */
static bool woken_from_outside(const struct obh_thread *u)
{
	return u->state == OBH_T_WAITING &&
	       (u->deadline_ns != INT64_MAX || u->wait != OBH_W_OBJECT);
}

bool obh_slicing_urgent(struct obh_host *h)
{
	uint32_t fn, arg;
	/* A gdb client's Ctrl-C must stop a thread that computes without calls. */
	return h->sched->ready_mask != 0 || h->timers != NULL ||
	       obh_events_handler(h->events, &fn, &arg) != NULL || h->opts.time_limit_ms > 0 ||
	       h->gdb != NULL;
}

bool obh_slicing_needed(struct obh_host *h, const struct obh_thread *t)
{
	if (obh_slicing_urgent(h))
		return true;
	for (const struct obh_thread *u = h->sched->all; u; u = u->next_all)
		if (u != t && woken_from_outside(u))
			return true;
	return false;
}

static void install(struct obh_host *h, int64_t now)
{
	struct obh_slicing_state *st = &h->slice;
	if (obh_engine_enable_slicing(h))
		return;
	st->installs++;
	st->switch_ns += obh_now_ns() - now;
	/* Needed again soon after a removal: that removal was not worth it. */
	if (st->removed_at && now - st->removed_at < 4 * st->hold_ns)
		st->hold_ns = st->hold_ns * 2 > OBH_SLICING_HOLD_MAX_NS ? OBH_SLICING_HOLD_MAX_NS
									 : st->hold_ns * 2;
	else if (st->hold_ns > OBH_SLICING_HOLD_MIN_NS)
		st->hold_ns /= 2;
}

void obh_slicing_update(struct obh_host *h, const struct obh_thread *t, int64_t now,
			int64_t *deadline)
{
	struct obh_slicing_state *st = &h->slice;
	if (st->hold_ns < OBH_SLICING_HOLD_MIN_NS)
		st->hold_ns = OBH_SLICING_HOLD_MIN_NS;
	if (obh_slicing_needed(h, t)) {
		st->unneeded_since = INT64_MAX;
		if (!h->slicing)
			install(h, now);
		return;
	}
	if (!h->slicing)
		return;
	if (st->unneeded_since == INT64_MAX)
		st->unneeded_since = now;
	int64_t until = st->unneeded_since + st->hold_ns;
	if (now < until) {
		if (until < *deadline)
			*deadline = until;
		return;
	}
	obh_engine_disable_slicing(h);
	st->removals++;
	st->switch_ns += obh_now_ns() - now;
	st->removed_at = now;
	st->unneeded_since = INT64_MAX;
}
