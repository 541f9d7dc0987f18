/*
 * Thread lifecycle helpers shared by the kernel calls, the loader's main
 * thread and the thread-exit backstop.
 */
#ifndef OBH_KTHREAD_H
#define OBH_KTHREAD_H

#include <stdint.h>

#include "host.h"
#include "scheduler.h"

/* Allocate a guarded stack and a ready thread at entry(arg). 0 or -errno. */
int obh_thread_spawn(struct obh_host *h, uint32_t entry, uint32_t arg, int prio,
		     uint32_t stack_size, struct obh_thread **out);

/* End t with status: release its mutexes, hand the status to joiners. */
void obh_thread_finish(struct obh_host *h, struct obh_thread *t, int status);

#endif /* OBH_KTHREAD_H */
