/*
 * Reports for runs that end badly: a guest fault (bad access, undefined
 * instruction, breakpoint, jump to NULL) and a deadlock. Each is written to
 * stderr in one block that says what happened, where, on which thread,
 * with its registers and last calls, so a user can tell a guest bug from an
 * emulator bug without a debugger.
 */
#ifndef OBH_FAULT_H
#define OBH_FAULT_H

#include "host.h"
#include "scheduler.h"

/* Report h->fault, which stopped thread t. */
void obh_fault_report(struct obh_host *h, struct obh_thread *t);

/* Report that every thread waits forever, and on what. */
void obh_fault_report_deadlock(struct obh_host *h);

#endif /* OBH_FAULT_H */
