/*
 * Host-local handlers of the kernel calls in calls_table.c (struct
 * obh_call.local). Each returns the guest's r0, OBH_BLOCKED or OBH_GONE
 * (calls.h).
 *
 * ob-abigen links the call table without the kernel: it builds with
 * OBH_KCALLS_WEAK, which declares these weak (they are NULL there). In
 * outboard-cpu they are ordinary references, so a missing one fails the
 * link, and the static library's kernel objects are pulled in.
 */
#ifndef OBH_KCALLS_H
#define OBH_KCALLS_H

#include "calls.h"

#ifdef OBH_KCALLS_WEAK
#define OBH_KCALL_ATTR __attribute__((weak))
#else
#define OBH_KCALL_ATTR
#endif

#define OBH_KCALL(name)                                                          \
	OBH_KCALL_ATTR int64_t name(struct obh_host *h, struct obh_thread *t, \
					   const struct obh_args *a)

OBH_KCALL(k_exit);
OBH_KCALL(k_clock_get);
OBH_KCALL(k_sbrk);
OBH_KCALL(k_isatty);
OBH_KCALL(k_thread_create);
OBH_KCALL(k_thread_exit);
OBH_KCALL(k_thread_join);
OBH_KCALL(k_thread_yield);
OBH_KCALL(k_thread_sleep);
OBH_KCALL(k_thread_self);
OBH_KCALL(k_thread_set_priority);
OBH_KCALL(k_tls_bind);
OBH_KCALL(k_tls_set);
OBH_KCALL(k_mutex_create);
OBH_KCALL(k_mutex_lock);
OBH_KCALL(k_mutex_unlock);
OBH_KCALL(k_sem_create);
OBH_KCALL(k_sem_wait);
OBH_KCALL(k_sem_post);
OBH_KCALL(k_evf_create);
OBH_KCALL(k_evf_set);
OBH_KCALL(k_evf_clear);
OBH_KCALL(k_evf_wait);
OBH_KCALL(k_queue_create);
OBH_KCALL(k_queue_send);
OBH_KCALL(k_queue_recv);
OBH_KCALL(k_handle_close);
OBH_KCALL(k_input_wait);
OBH_KCALL(k_input_poll);
OBH_KCALL(k_input_set_handler);
OBH_KCALL(k_input_stats);
OBH_KCALL(k_input_set_mask);
OBH_KCALL(k_timer_start);
OBH_KCALL(k_timer_stop);

#endif /* OBH_KCALLS_H */
