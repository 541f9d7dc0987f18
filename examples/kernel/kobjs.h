/*
 * The kobjs program's groups of checks (kobjs.c lists them all).
 */
#ifndef KOBJS_H
#define KOBJS_H

#include "kcheck.h"

void kobjs_sync_checks(void);        /* kobjs_sync.c: mutexes, semaphores, handle_close */
void kobjs_flags_queue_checks(void); /* kobjs_flags_queue.c: event flags, queues */
void kobjs_thread_checks(void);      /* kobjs_threads.c: join, priorities, yield */

#endif /* KOBJS_H */
