/*
 * kobjs: the guest kernel's objects and threads, each behaviour checked
 * from the guest. Prints one line per check, in this order, then
 * `kobjs: all passed` and exits with 0 (or prints `FAIL <check>: <why>`
 * lines and `kobjs: <n> FAILED`, and exits with 1):
 *
 *   mutex_recursive       a recursive mutex locked twice needs two unlocks;
 *                         a third unlock is EPERM
 *   mutex_deadlk          locking a plain mutex it holds: EDEADLK at once
 *   mutex_not_owner       unlock by another thread, or of a free mutex: EPERM
 *   mutex_timeout         waiting on a held mutex times out: ETIMEDOUT
 *   mutex_try             timeout 0 on a held mutex: EAGAIN
 *   mutex_priority_order  waiters get the mutex by priority, FIFO among equals
 *   sem_max               counting down to EAGAIN, posting up to the maximum,
 *                         then EOVERFLOW
 *   sem_timeout           ETIMEDOUT and EAGAIN on an empty semaphore
 *   sem_handoff           a post wakes a waiter and leaves no count behind
 *   close_busy            handle_close of a held or waited-on object: EBUSY
 *   close_stale           closed, wrong-kind and bogus handles: EBADF
 *   evf_manual_reset      one set releases every waiter; the bits stay set
 *   evf_auto_reset        one set releases one waiter (the highest priority)
 *                         and clears the bit
 *   evf_any_all           ANY/ALL on polls, the bits seen, clear, bad modes
 *   evf_all_waiter        an ALL waiter sleeps through half its bits; auto
 *                         reset clears only the bits a wait saw
 *   evf_timeout           ETIMEDOUT, EAGAIN, and got left alone
 *   queue_fifo            messages come out in order, with their lengths
 *   queue_timeouts        full and empty queues: EAGAIN and ETIMEDOUT
 *   queue_msgsize         a message over the size: EMSGSIZE
 *   queue_full_blocks     a sender waits on a full queue until a receive
 *                         makes room, and its message keeps its place
 *   queue_handoff         a waiting receiver gets a message sent to it
 *   join_status           exit statuses, join errors, poll and timeout
 *   join_self             joining itself: EDEADLK, never a hang
 *   thread_priority       a higher-priority thread created by a lower one
 *                         runs first; a lower one waits until raised
 *   raw_svc               svc from the program's own code (Thumb state in
 *                         kobjs_thumb): a call, one that blocks until
 *                         another thread posts and then resumes, ENOSYS
 *   yield_round_robin     equal threads yielding take turns: 123 123 123
 *
 * Built twice: kobjs.elf (ARM) and kobjs_thumb.elf (Thumb), so that the
 * same checks show Thumb threads are scheduled and trap correctly.
 */
#include "kobjs.h"

#include <stdio.h>

int main(void)
{
	kobjs_sync_checks();
	kobjs_flags_queue_checks();
	kobjs_thread_checks();
	int failed = check_failures();
	if (failed)
		printf("kobjs: %d FAILED\n", failed);
	else
		printf("kobjs: all passed\n");
	return failed ? 1 : 0;
}
