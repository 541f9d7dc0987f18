/*
 * Upcalls: the host calling guest code (DESIGN.md, Upcalls). An input
 * handler (input_set_handler) or a periodic timer (timer_start) runs on the
 * thread that registered it, at that thread's next safe point: when the
 * scheduler next resumes it (a thread blocked in a wait handles them once
 * the wait ends).
 *
 * Entry: the host saves the thread's whole CPU context, puts the event (if
 * any) on the thread's stack, and enters fn with r0 = the event (or the
 * timer's arg), r1 = the handler's arg, and lr = the upcall backstop in the
 * host page. When fn returns there, the host restores the saved context, so
 * the interrupted code resumes with every register and flag intact, like an
 * IRET. A thread runs one upcall at a time; more wait their turn.
 *
 * Timers are kernel objects (handles); their expirations are counted, never
 * lost, and delivered one upcall each.
 */
#ifndef OBH_UPCALL_H
#define OBH_UPCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "host.h"
#include "scheduler.h"

/* Something is waiting for t's handler: make sure it gets to run. */
void obh_upcall_wanted(struct obh_host *h, struct obh_thread *t);

/* Upcalls need time slices, so that a thread computing without syscalls
 * still reaches a safe point: end the slice, so that the run loop turns
 * slicing on (slicing.h). */
void obh_upcalls_enable(struct obh_host *h);

/*
 * Called by the run loop right after it restored t's context: if t owes an
 * upcall and is not in one already, enter it (registers as above). Returns
 * 0, or -EFAULT when t's stack cannot take the frame (a guest fault is then
 * pending).
 */
int obh_upcall_begin(struct obh_host *h, struct obh_thread *t);

/* The backstop: t's upcall returned (from the trap hook). */
void obh_upcall_return(struct obh_host *h, struct obh_thread *t);

/* After a slice of t, with its context saved: finish a returned upcall by
 * putting the interrupted context back. */
void obh_upcall_after_slice(struct obh_host *h, struct obh_thread *t);

/* Release t's upcall state (the thread is gone). */
void obh_upcall_thread_gone(struct obh_host *h, struct obh_thread *t);

/* Timers: the earliest expiry (INT64_MAX: none), and counting expiries. */
int64_t obh_timers_next(struct obh_host *h);
void obh_timers_expire(struct obh_host *h, int64_t now);

#endif /* OBH_UPCALL_H */
