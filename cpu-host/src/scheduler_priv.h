/*
 * Scheduler internals shared by sched.c (thread state), run.c (the run
 * loop) and slicing.c (when to time-slice). Nothing else includes this.
 */
#ifndef OBH_SCHEDULER_PRIV_H
#define OBH_SCHEDULER_PRIV_H

#include "scheduler.h"

struct obhs_runq {
	struct obh_thread *head, *tail;
};

struct obh_sched {
	struct obh_thread *all;            /* every thread, newest first */
	struct obhs_runq ready[OBH_PRIO_LEVELS];
	uint32_t ready_mask;               /* bit p: ready[p] is not empty */
	struct obh_thread *current;        /* the thread being run or last run */
	struct obh_thread *live;           /* registers live in the engine (inside a slice) */
	struct obh_thread *yielded;        /* asked to go to the back of its queue */
	uint32_t next_id;
	unsigned live_threads;             /* not dead */
	int main_status;
	int64_t slice_end_ns;
	uc_context *template_ctx[2];       /* fresh User-mode engine: ARM, Thumb */
	size_t ctx_size;
};

void obhs_ready_push(struct obh_sched *s, struct obh_thread *t, bool front);
struct obh_thread *obhs_ready_pop(struct obh_sched *s);
int obhs_best_ready_prio(const struct obh_sched *s);
int64_t obhs_next_deadline(const struct obh_sched *s);
void obhs_expire_deadlines(struct obh_host *h, int64_t now);

#endif /* OBH_SCHEDULER_PRIV_H */
