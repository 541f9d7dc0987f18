/*
 * The two-thread variant of a CPU benchmark guest (cpu_bench/guests.cmake):
 * the benchmark's own main() is compiled as bench_main() and runs on the
 * main thread as usual, while a second thread sleeps in 100 ms steps until
 * it is done. A sleeping thread has a deadline, so the CPU host must be
 * able to preempt the computing one at any time: the time-slicing block
 * hook stays installed for the whole run (cpu-host/src/slicing.h). The
 * output is the benchmark's own; the exit status too (1 also when the
 * second thread cannot be started or joined).
 */
#include <outboard.h>

#include <stdio.h>

#define NAP_MS 100

int bench_main(int argc, char **argv);

static volatile int done;

static int napper(void *arg)
{
	(void)arg;
	unsigned naps = 0;
	while (!done) {
		if (ob_thread_sleep(NAP_MS) != 0)
			return 1;
		naps++;
	}
	return naps > 0x7fffffff;
}

int main(int argc, char **argv)
{
	int tid = ob_thread_spawn(napper, NULL, OB_PRIO_DEFAULT, 0);
	if (tid < 0) {
		printf("cannot start the second thread: %d\n", tid);
		return 1;
	}
	/* Let it reach its first sleep before the computation starts. */
	ob_thread_yield();
	int status = bench_main(argc, argv);
	done = 1;
	uint32_t napper_status = 1;
	if (ob_thread_join(tid, &napper_status, OB_FOREVER) != 0 || napper_status != 0) {
		printf("the second thread failed\n");
		return 1;
	}
	return status;
}
