/*
 * kobjs checks of threads: join statuses and errors, priorities, a system
 * call that blocks and resumes, and round-robin yield (see kobjs.c for the
 * list).
 */
#include "kobjs.h"

#include <errno.h>
#include <stdint.h>

/* ---- join ---- */

static int return_arg(void *arg)
{
	return (int)(intptr_t)arg;
}

/* Runs on a raw ob_thread_create thread (no C library state of its own):
 * ends through thread_exit, not by returning. */
static int exit_nine(void *arg)
{
	(void)arg;
	ob_thread_exit(9);
}

static int gate;

static int wait_on_gate(void *arg)
{
	(void)arg;
	return ob_sem_wait(gate, OB_FOREVER);
}

static void join_status(void)
{
	int32_t seven = join(spawn(return_arg, (void *)7, MAIN_PRIO));
	int32_t minus = join(spawn(return_arg, (void *)-5, MAIN_PRIO));
	int raw = ob_thread_create(exit_nine, NULL, MAIN_PRIO, 0);
	int32_t nine = join(raw);

	/* status may be NULL; a thread can be joined once. */
	int t = spawn(return_arg, (void *)1, MAIN_PRIO);
	int null_status = ob_thread_join(t, NULL, OB_FOREVER);
	int twice = ob_thread_join(t, NULL, OB_FOREVER);
	int nobody = ob_thread_join(9999, NULL, OB_FOREVER);

	/* Joining a thread that is still blocked: poll and timeout. */
	gate = ob_sem_create(0, 1);
	int blocked = spawn(wait_on_gate, NULL, MAIN_PRIO);
	ob_thread_yield(); /* let it reach its wait */
	uint32_t st = 0xdead;
	int polled = ob_thread_join(blocked, &st, 0);
	int timed = ob_thread_join(blocked, &st, 20);
	int untouched = st == 0xdead;
	ob_sem_post(gate);
	int32_t released = join(blocked);
	ob_handle_close(gate);
	check("join_status",
	      seven == 7 && minus == -5 && raw > 0 && nine == 9 && null_status == 0 &&
		      twice == -EINVAL && nobody == -EINVAL && polled == -EAGAIN &&
		      timed == -ETIMEDOUT && untouched && released == 0,
	      "statuses %ld %ld %ld, join(NULL) %d, again %s, unknown %s, blocked thread: "
	      "%s %s, untouched %d, then %ld",
	      (long)seven, (long)minus, (long)nine, null_status, errname(twice), errname(nobody),
	      errname(polled), errname(timed), untouched, (long)released);
}

static void join_self(void)
{
	int r = ob_thread_join(ob_thread_self(), NULL, OB_FOREVER); /* must not hang */
	int r0 = ob_thread_join(ob_thread_self(), NULL, 0);
	check("join_self", r == -EDEADLK && r0 == -EDEADLK, "join of self gave %s and %s",
	      errname(r), errname(r0));
}

/* ---- priorities ---- */

static int set_flag(void *arg)
{
	*(volatile int *)arg = 1;
	return 0;
}

static void thread_priority(void)
{
	volatile int hi_ran = 0, lo_ran = 0;
	int hi = spawn(set_flag, (void *)&hi_ran, HIGH_PRIO - 5);
	int hi_first = hi_ran; /* it outranks us: it ran before spawn returned */
	int lo = spawn(set_flag, (void *)&lo_ran, MAIN_PRIO + 4);
	int lo_waits = lo_ran == 0;
	ob_thread_yield(); /* a yield gives way to equals only */
	int lo_still_waits = lo_ran == 0;
	int old = ob_thread_set_priority(lo, HIGH_PRIO - 5);
	int lo_raised_ran = lo_ran; /* now it outranks us */
	int ok = hi > 0 && lo > 0 && join(hi) == 0 && join(lo) == 0;

	int bad_hi = ob_thread_create(exit_nine, NULL, 32, 0);
	int bad_lo = ob_thread_create(exit_nine, NULL, -1, 0);
	int bad_set = ob_thread_set_priority(0, 32);
	int bad_tid = ob_thread_set_priority(9999, 5);
	int mine = ob_thread_set_priority(0, MAIN_PRIO);
	check("thread_priority",
	      ok && hi_first == 1 && lo_waits && lo_still_waits && old == MAIN_PRIO + 4 &&
		      lo_raised_ran == 1 && bad_hi == -EINVAL && bad_lo == -EINVAL &&
		      bad_set == -EINVAL && bad_tid == -EINVAL && mine == MAIN_PRIO,
	      "higher ran first %d; lower waited %d, after yield %d, raised from %d ran %d; "
	      "priority 32 %s, -1 %s, set 32 %s, unknown thread %s, own %d",
	      hi_first, lo_waits, lo_still_waits, old, lo_raised_ran, errname(bad_hi),
	      errname(bad_lo), errname(bad_set), errname(bad_tid), mine);
}

/* ---- a system call made right here ---- */

/* svc from this file's own code: in kobjs_thumb that is Thumb state (the
 * SDK's call stubs are ARM code, so they alone would never trap from
 * Thumb). */
static int raw_syscall2(int num, int a0, int a1)
{
	register int r0 __asm__("r0") = a0;
	register int r1 __asm__("r1") = a1;
	register int r7 __asm__("r7") = num;
	__asm__ volatile("svc #0" : "+r"(r0) : "r"(r1), "r"(r7) : "memory");
	return r0;
}

static int post_gate(void *arg)
{
	(void)arg;
	return ob_sem_post(gate);
}

static void raw_svc(void)
{
	int self = raw_syscall2(OB_SYS_THREAD_SELF, 0, 0);
	gate = ob_sem_create(0, 1);
	/* Our equal: it runs only once the raw wait below has blocked us. */
	int tid = spawn(post_gate, NULL, MAIN_PRIO);
	int waited = raw_syscall2(OB_SYS_SEM_WAIT, gate, OB_FOREVER);
	int32_t helper = join(tid);
	int unknown = raw_syscall2(13, 0, 0); /* no such call */
	ob_handle_close(gate);
	check("raw_svc",
	      self == ob_thread_self() && waited == 0 && helper == 0 && unknown == -ENOSYS,
	      "thread_self %d (want %d), blocking sem_wait %d, poster %ld, unknown call %s", self,
	      ob_thread_self(), waited, (long)helper, errname(unknown));
}

/* ---- yield ---- */

#define RR_THREADS 3
#define RR_ROUNDS 3

static int rr_gate;
static int rr_log[RR_THREADS * RR_ROUNDS], rr_n;

static int rr_worker(void *arg)
{
	ob_evf_wait(rr_gate, 1, OB_EVF_ANY, OB_FOREVER, NULL);
	for (int i = 0; i < RR_ROUNDS; i++) {
		if (rr_n < RR_THREADS * RR_ROUNDS)
			rr_log[rr_n++] = (int)(intptr_t)arg;
		ob_thread_yield();
	}
	return 0;
}

static void yield_round_robin(void)
{
	rr_gate = ob_evf_create(0, 0);
	rr_n = 0;
	int tids[RR_THREADS];
	for (int i = 0; i < RR_THREADS; i++)
		tids[i] = spawn(rr_worker, (void *)(intptr_t)(i + 1), HIGH_PRIO);
	ob_evf_set(rr_gate, 1); /* all three ready at once, in their order */
	int ok = 1;
	for (int i = 0; i < RR_THREADS; i++)
		ok = join(tids[i]) == 0 && ok;
	for (int i = 0; i < RR_THREADS * RR_ROUNDS; i++)
		ok = ok && rr_n == RR_THREADS * RR_ROUNDS && rr_log[i] == i % RR_THREADS + 1;
	check("yield_round_robin", ok, "ran in the order %d%d%d %d%d%d %d%d%d (%d turns)",
	      rr_log[0], rr_log[1], rr_log[2], rr_log[3], rr_log[4], rr_log[5], rr_log[6],
	      rr_log[7], rr_log[8], rr_n);
	ob_handle_close(rr_gate);
}

void kobjs_thread_checks(void)
{
	join_status();
	join_self();
	thread_priority();
	raw_svc();
	yield_round_robin();
}
