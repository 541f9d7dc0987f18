/*
 * debuggee: a small multithreaded program to debug with gdb
 * (`outboard run --gdb PORT`, docs/debugging.md). tests/gdb/ drives it.
 *
 * main starts two threads: "waiter", which blocks on a semaphore, and
 * "worker", which calls an ARM function (square) and a Thumb function
 * (thumb_sum) and stores into a watched global (last_result). main joins
 * the worker, releases the waiter, joins it, prints:
 *
 *   worker: square=49 sum=55 last=104
 *   waiter: woke
 *   debuggee: done
 *
 * and exits with 0.
 *
 * `debuggee spin` prints the guest clock when main starts ("started at N
 * ms": a debugger that kept it stopped at its entry must not count), then
 * computes without calls until a debugger sets spin_stop, prints "spun"
 * and exits with 3 (for Ctrl-C and memory writes).
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

volatile int last_result; /* a watchpoint target */
static int sem;
volatile uint32_t spin_stop; /* set by the debugger */
volatile uint32_t spins;

static int spin(void)
{
	printf("started at %u ms\n", (unsigned)(ob_monotonic_ns() / 1000000));
	while (!spin_stop)
		spins++;
	printf("spun\n");
	return 3;
}

/* Thumb code (the program is ARM): steps and breakpoints in both states. */
__attribute__((noinline, target("thumb"))) int thumb_sum(int n)
{
	int s = 0;
	for (int i = 1; i <= n; i++)
		s += i;
	return s;
}

__attribute__((noinline, target("arm"))) int square(int x)
{
	int y = x * x;
	return y;
}

static int worker(void *arg)
{
	int base = (int)(intptr_t)arg;
	int sq = square(base);
	int sum = thumb_sum(base + 3);
	last_result = sq + sum;
	printf("worker: square=%d sum=%d last=%d\n", sq, sum, last_result);
	return 0;
}

static int waiter(void *arg)
{
	(void)arg;
	if (ob_sem_wait(sem, OB_FOREVER) < 0)
		return 1;
	printf("waiter: woke\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "spin"))
		return spin();
	sem = ob_sem_create(0, 1);
	int w = ob_thread_spawn(waiter, NULL, OB_PRIO_DEFAULT, 0);
	int k = ob_thread_spawn(worker, (void *)(intptr_t)7, OB_PRIO_DEFAULT, 0);
	if (sem < 0 || w < 0 || k < 0) {
		printf("debuggee: cannot start threads\n");
		return 1;
	}
	uint32_t ks = 1, ws = 1;
	ob_thread_join(k, &ks, OB_FOREVER);
	ob_sem_post(sem);
	ob_thread_join(w, &ws, OB_FOREVER);
	printf("debuggee: %s\n", ks == 0 && ws == 0 ? "done" : "FAILED");
	return ks == 0 && ws == 0 ? 0 : 1;
}
