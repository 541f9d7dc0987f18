/*
 * The preemption watcher: a helper thread that stops the engine when the
 * running slice is over or when a plugin frame arrives, so the run loop can
 * reschedule. This is how CPU-bound threads are preempted without a
 * per-instruction hook, and how a reply wakes its thread promptly while
 * another thread computes.
 *
 * The watcher never touches the engine. Unicorn 2.1 can stop from another
 * thread, but it then skips resynchronising PC with the translation block
 * it interrupted (cpu_tb_exec with stop_request set), so the thread would
 * resume at a stale PC with newer registers: measured here, fib(32) came
 * out wrong. Instead the watcher raises a flag, and the engine's block hook
 * (engine.c), which Unicorn calls at the start of each translation block
 * with PC already synced, stops the engine there. That costs one check per
 * block (about 20% on a call-heavy loop), never one per instruction.
 */
#ifndef OBH_PREEMPT_H
#define OBH_PREEMPT_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

struct obh_preempt;

/* Start the watcher thread. 0 or -errno. */
int obh_preempt_create(uc_engine *uc, struct obh_preempt **out);

/* Stop and join the watcher. Accepts NULL. */
void obh_preempt_destroy(struct obh_preempt *p);

/*
 * Before uc_emu_start: stop the engine at deadline_ns (obh_now_ns clock;
 * INT64_MAX for none) or when one of pfds (n <= 16, copied) is readable.
 */
void obh_preempt_arm(struct obh_preempt *p, int64_t deadline_ns, const struct pollfd *pfds,
		     int n);

/* After uc_emu_start returns. The watcher will not stop the engine again
 * for this slice. */
void obh_preempt_disarm(struct obh_preempt *p);

/*
 * Called from the engine's block hook: true (once) when the slice must end.
 * Lock-free; safe to call at every block.
 */
bool obh_preempt_due(struct obh_preempt *p);

/* How many slices the watcher ended (for statistics). */
uint64_t obh_preempt_count(const struct obh_preempt *p);

#endif /* OBH_PREEMPT_H */
