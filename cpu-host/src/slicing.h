/*
 * When the time-slicing block hook is installed.
 *
 * The block hook (engine.c) is the only safe place to end a slice by time
 * or on a plugin frame (preempt.h), and it costs a call at every translated
 * block: 20-90% of the compute time of short-block code. So it is installed
 * only while a slice may have to end from outside:
 *
 *   - another thread is ready (round robin needs slice ends);
 *   - a thread waits with a deadline (sleep, a timed wait), or for
 *     something only a plugin can bring: a reply, an event, flow-control
 *     credit, a plugin's restart;
 *   - a guest timer runs, or an event handler is registered (upcalls must
 *     reach a computing thread);
 *   - --time-limit is set.
 *
 * Otherwise (one thread computing alone, the others waiting on kernel
 * objects that only it can signal) the thread runs without the hook, and a
 * slice can end only at a trap (syscall, HLE call, semihosting): the trap
 * hook ends it there when the watcher saw a plugin frame (so heartbeats,
 * events and control messages are still handled while a thread makes
 * calls), or when the call itself made the hook necessary (a thread
 * created or woken, a timer started, a handler registered). Code that
 * makes no call at all is not interrupted until it does; docs/performance.md
 * figure 5 says what that means for heartbeats.
 *
 * Installing drops the translations of the executable regions, and
 * removing drops the blocks translated with the hook, so both cost a
 * retranslation of the code that runs next. An unneeded hook therefore
 * stays for a hold time first, which doubles (up to a second) when the
 * hook is needed again soon after a removal, and halves when it is not:
 * a program whose need flips often keeps it instead of thrashing.
 */
#ifndef OBH_SLICING_H
#define OBH_SLICING_H

#include <stdbool.h>
#include <stdint.h>

#include "host.h"
#include "scheduler.h"

#define OBH_SLICING_HOLD_MIN_NS (20 * 1000 * 1000)
#define OBH_SLICING_HOLD_MAX_NS (1000 * 1000 * 1000)

/* Whether running t (just taken off the ready queue) needs the hook, by the
 * rules above. O(threads). */
bool obh_slicing_needed(struct obh_host *h, const struct obh_thread *t);

/*
 * Between slices, before running t: install or remove the hook as needed
 * (with the hold time). *deadline is lowered to when an unneeded hook's
 * hold ends, so that the slice ends there and the hook can go.
 */
void obh_slicing_update(struct obh_host *h, const struct obh_thread *t, int64_t now,
			int64_t *deadline);

/* From the trap hook: whether the call just handled made the hook
 * necessary (another thread ready, a timer, a handler). O(1). */
bool obh_slicing_urgent(struct obh_host *h);

#endif /* OBH_SLICING_H */
