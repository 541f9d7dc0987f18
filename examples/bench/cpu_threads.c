/*
 * cpu_threads: what time slicing costs a compute-bound thread.
 *
 *   cpu_threads [N [THREADS]]      N: fib(N), default 32; THREADS: 1 or 2 (default)
 *
 * With THREADS=2 a second thread is started first and sleeps (it waits on
 * a semaphore) while the main thread computes fib(N); with THREADS=1 the
 * main thread is alone. A thread waiting on a kernel object without a
 * deadline can only be woken by the computing thread's own calls, so the
 * CPU host does not install its time-slicing block hook for it
 * (cpu-host/src/slicing.h): comparing the two shows what a second thread
 * costs that way (it used to cost the hook). Prints
 *
 *   fib(<N>) = <result>
 *   threads=<THREADS> compute_ns=<ns>
 *
 * where compute_ns times fib(N) alone with the guest's monotonic clock,
 * leaving out start-up and the host's one-time work when the second thread
 * appears. Exits with 0 (1 if fib(32) came out wrong, a thread failed or
 * THREADS is neither 1 nor 2).
 */
#include <outboard.h>

#include <stdio.h>
#include <stdlib.h>

#define N 32
#define EXPECTED 2178309u

static int wake;

/* noinline, and n from argv below: the compiler must not fold the calls. */
__attribute__((noinline)) static unsigned fib(unsigned n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static int sleeper(void *arg)
{
	(void)arg;
	return ob_sem_wait(wake, OB_FOREVER) != 0;
}

/* Starts the sleeping thread: its id, or a negated errno. */
static int start_sleeper(void)
{
	wake = ob_sem_create(0, 1);
	if (wake < 0)
		return wake;
	int tid = ob_thread_spawn(sleeper, NULL, OB_PRIO_DEFAULT, 0);
	/* Let it reach its wait before the computation starts. */
	ob_thread_yield();
	return tid;
}

/* Wakes and joins it: 1 when it ended well. */
static int stop_sleeper(int tid)
{
	uint32_t status = 1;
	return ob_sem_post(wake) == 0 && ob_thread_join(tid, &status, OB_FOREVER) == 0 &&
	       status == 0;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : N;
	unsigned threads = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 2;
	if (threads != 1 && threads != 2) {
		printf("usage: cpu_threads [N [THREADS]]  (THREADS 1 or 2)\n");
		return 1;
	}
	int tid = threads == 2 ? start_sleeper() : 0;
	if (tid < 0) {
		printf("cannot start the sleeping thread: %d\n", tid);
		return 1;
	}
	uint64_t t0 = ob_monotonic_ns();
	unsigned r = fib(n);
	uint64_t t1 = ob_monotonic_ns();
	printf("fib(%u) = %u\n", n, r);
	printf("threads=%u compute_ns=%llu\n", threads, (unsigned long long)(t1 - t0));
	int ok = threads == 1 || stop_sleeper(tid);
	return (n == N && r != EXPECTED) || !ok ? 1 : 0;
}
