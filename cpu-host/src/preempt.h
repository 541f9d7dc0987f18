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
 * block (about 20% on a call-heavy loop, up to 90% on short blocks), never
 * one per instruction, and only while the hook is installed (slicing.h);
 * without it, the trap hook checks the flag at every trap instead.
 */
#ifndef OBH_PREEMPT_H
#define OBH_PREEMPT_H

#include <poll.h>
#include <stdatomic.h>
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

/* The start of struct obh_preempt: the flag the watcher raises. In the
 * header so that the block hook's check is inlined (it runs at every
 * translated block, and a call there was a measurable part of its cost). */
struct obh_preempt_flag {
	atomic_bool due;
};

/*
 * Called from the engine's hooks: true (once) when the slice must end.
 * Lock-free; safe to call at every block.
 */
static inline bool obh_preempt_due(struct obh_preempt *p)
{
	atomic_bool *due = &((struct obh_preempt_flag *)(void *)p)->due;
	if (!atomic_load_explicit(due, memory_order_acquire))
		return false;
	atomic_store_explicit(due, false, memory_order_relaxed);
	return true;
}

/*
 * Slices without the block hook (slicing.h) end only at traps, so they need
 * no watcher thread: before such a slice, give the fds here (copied, n <= 16;
 * n = 0 to stop watching), and the trap hook asks obh_preempt_trap_due,
 * which polls them without waiting at most once a millisecond by the coarse
 * clock (so in practice once a kernel tick, 1-4 ms). Main thread only.
 */
void obh_preempt_trap_watch(struct obh_preempt *p, const struct pollfd *pfds, int n);
bool obh_preempt_trap_due(struct obh_preempt *p);

/* How many slices the watcher ended (for statistics). */
uint64_t obh_preempt_count(const struct obh_preempt *p);

#endif /* OBH_PREEMPT_H */
