/*
 * Checks for the kernel test programs (examples/kernel/): each check prints
 * `ok <name>` or `FAIL <name>: <why>` on its own line, from the main
 * thread only, so that the output is deterministic.
 */
#ifndef KCHECK_H
#define KCHECK_H

#include <outboard.h>

#include <stdint.h>

/* The main thread's priority (the host's default). Helper threads that
 * must run as soon as they are created or woken get a smaller number. */
#define MAIN_PRIO OB_PRIO_DEFAULT
#define HIGH_PRIO 10

/* Passes when ok is true; fmt (printf-style) says why it failed. */
__attribute__((format(printf, 3, 4))) void check(const char *name, int ok, const char *fmt,
						 ...);

/* How many checks failed so far. */
int check_failures(void);

/* Start fn(arg) at a priority with the default stack: the thread id, or a
 * negated errno. */
int spawn(ob_thread_fn fn, void *arg, int prio);

/* Join tid and return its status; JOIN_FAILED when the join failed. */
#define JOIN_FAILED ((int32_t)0x7fffdead)
int32_t join(int tid);

/* The guest's errno name for the values the checks print. */
const char *errname(int negated_errno);

#endif /* KCHECK_H */
