/*
 * threads: the kernel's threads and synchronisation, with checked,
 * deterministic output. Prints, in this order:
 *
 *   queue: sum=2001000 count=2000        producers/consumers over a queue
 *   ok queue
 *   woke 50                              three sleepers, started together,
 *   woke 100                             sleeping 150, 50 and 100 ms, print
 *   woke 150                             in the order they wake (the gaps
 *                                        outlast a loaded host's stalls)
 *   ok sleep_order
 *   ok preemption                        a sleeper woke while a busy thread
 *                                        of its priority spun (no syscalls)
 *   ok preempted_compute                 two busy threads sharing the CPU by
 *                                        time slices both compute right
 *   threads: all passed
 *
 * (or `FAIL <check>: ...` lines and `threads: FAILED`) and exits with 0
 * only when every check passed.
 */
#include <outboard.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PRIO OB_PRIO_DEFAULT
#define STACK 0 /* the host's default */

static int failures;

static void report(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("ok %s\n", name);
	} else {
		printf("FAIL %s: %s\n", name, why);
		failures++;
	}
}

/* ---- producers and consumers ---------------------------------------- */

#define PER_PRODUCER 1000
#define STOP 0u /* values are 1..2000; 0 tells a consumer to stop */

static int queue, sum_lock, done_sem;
static uint32_t shared_sum, shared_count;

/* Producer n sends n*1000+1 .. n*1000+1000, then one STOP. */
static int producer(void *arg)
{
	uint32_t base = (uint32_t)(uintptr_t)arg * PER_PRODUCER;
	for (uint32_t v = base + 1; v <= base + PER_PRODUCER; v++)
		if (ob_queue_send(queue, &v, sizeof(v), OB_FOREVER) < 0)
			return 1;
	uint32_t stop = STOP;
	return ob_queue_send(queue, &stop, sizeof(stop), OB_FOREVER) < 0;
}

/* Takes values until a STOP; returns how many it took. */
static int consumer(void *arg)
{
	(void)arg;
	int taken = 0;
	for (;;) {
		uint32_t v;
		int n = ob_queue_recv(queue, &v, sizeof(v), OB_FOREVER);
		if (n != (int)sizeof(v) || v == STOP)
			break;
		ob_mutex_lock(sum_lock, OB_FOREVER);
		shared_sum += v;
		shared_count++;
		ob_mutex_unlock(sum_lock);
		taken++;
	}
	ob_sem_post(done_sem);
	return taken;
}

static void queue_check(void)
{
	queue = ob_queue_create(sizeof(uint32_t), 8);
	sum_lock = ob_mutex_create(0);
	done_sem = ob_sem_create(0, 2);
	if (queue < 0 || sum_lock < 0 || done_sem < 0) {
		report("queue", 0, "could not create the kernel objects");
		return;
	}
	int tids[4] = {
		ob_thread_spawn(consumer, NULL, PRIO, STACK),
		ob_thread_spawn(consumer, NULL, PRIO, STACK),
		ob_thread_spawn(producer, (void *)0, PRIO, STACK),
		ob_thread_spawn(producer, (void *)1, PRIO, STACK),
	};
	int ok = 1;
	for (int i = 0; i < 2; i++)
		ok = ob_sem_wait(done_sem, OB_FOREVER) == 0 && ok;
	uint32_t status[4] = { 0 }, taken = 0;
	for (int i = 0; i < 4; i++) {
		ok = tids[i] >= 0 && ob_thread_join(tids[i], &status[i], OB_FOREVER) == 0 && ok;
		taken += i < 2 ? status[i] : 0;
	}
	printf("queue: sum=%lu count=%lu\n", (unsigned long)shared_sum, (unsigned long)shared_count);
	char why[96];
	snprintf(why, sizeof(why), "joins %s, consumers took %lu, producers returned %lu/%lu",
		 ok ? "fine" : "failed", (unsigned long)taken, (unsigned long)status[2],
		 (unsigned long)status[3]);
	report("queue", ok && shared_sum == 2001000u && shared_count == 2000u && taken == 2000u &&
			status[2] == 0 && status[3] == 0, why);
	ob_handle_close(queue);
	ob_handle_close(sum_lock);
	ob_handle_close(done_sem);
}

/* ---- sleep order ---------------------------------------------------- */

static int start_flags, order_lock;
static int wake_order[3], wakes;

static int sleeper(void *arg)
{
	int ms = (int)(uintptr_t)arg;
	/* All three start sleeping together, whatever the spawn order. */
	ob_evf_wait(start_flags, 1, OB_EVF_ANY, OB_FOREVER, NULL);
	ob_thread_sleep((uint32_t)ms);
	ob_mutex_lock(order_lock, OB_FOREVER);
	wake_order[wakes++] = ms;
	printf("woke %d\n", ms);
	ob_mutex_unlock(order_lock);
	return 0;
}

static void sleep_order_check(void)
{
	start_flags = ob_evf_create(0, 0);
	order_lock = ob_mutex_create(0);
	static const int ms[3] = { 150, 50, 100 };
	int tids[3];
	for (int i = 0; i < 3; i++)
		tids[i] = ob_thread_spawn(sleeper, (void *)(uintptr_t)ms[i], PRIO, STACK);
	ob_evf_set(start_flags, 1);
	int ok = start_flags >= 0 && order_lock >= 0;
	for (int i = 0; i < 3; i++)
		ok = tids[i] >= 0 && ob_thread_join(tids[i], NULL, OB_FOREVER) == 0 && ok;
	char why[64];
	snprintf(why, sizeof(why), "woke in the order %d %d %d", wake_order[0], wake_order[1],
		 wake_order[2]);
	report("sleep_order", ok && wakes == 3 && wake_order[0] == 50 && wake_order[1] == 100 &&
				      wake_order[2] == 150, why);
	ob_handle_close(start_flags);
	ob_handle_close(order_lock);
}

/* ---- preemption ----------------------------------------------------- */

/* The spinner stops as soon as the napper has woken, so SPIN_MS only
 * bounds a failing run; it is long so that a calibration made while the
 * host was descheduled (which shortens it) still outlasts the nap. */
#define SPIN_MS 3000
#define NAP_MS 20

static volatile int spinning;
static volatile int woke_while_spinning = -1;
static volatile int napped;
static volatile uint32_t spin_sink;
static unsigned long spin_iterations;
static int spin_started;

/* A loop with no system calls: only the host's time slice can stop it.
 * It ends early once *stop is set (by another thread, so only after a
 * preemption). */
__attribute__((noinline)) static void spin(unsigned long iterations, volatile int *stop)
{
	uint32_t x = 1;
	for (unsigned long i = 0; i < iterations && !*stop; i++) {
		x = x * 1103515245u + 12345u;
		spin_sink = x;
	}
}

/* How many iterations of spin() take about ms of wall time. */
static unsigned long calibrate(unsigned ms)
{
	static volatile int never;
	unsigned long n = 100000;
	for (;;) {
		uint64_t t0 = ob_monotonic_ns();
		spin(n, &never);
		uint64_t dt = ob_monotonic_ns() - t0;
		if (dt >= 20000000u || n >= (1ul << 30))
			return (unsigned long)((uint64_t)n * ms * 1000000u / (dt ? dt : 1));
		n *= 4;
	}
}

static int spinner(void *arg)
{
	(void)arg;
	spinning = 1;
	ob_evf_set(spin_started, 1);
	spin(spin_iterations, &napped);
	spinning = 0;
	return 0;
}

static int napper(void *arg)
{
	(void)arg;
	ob_evf_wait(spin_started, 1, OB_EVF_ANY, OB_FOREVER, NULL);
	ob_thread_sleep(NAP_MS);
	woke_while_spinning = spinning;
	napped = 1;
	return 0;
}

static void preemption_check(void)
{
	spin_iterations = calibrate(SPIN_MS);
	spin_started = ob_evf_create(0, 0);
	/* Both at one priority, above main's, so that main stays out of it. */
	int nap = ob_thread_spawn(napper, NULL, PRIO - 1, STACK);
	int spn = ob_thread_spawn(spinner, NULL, PRIO - 1, STACK);
	int ok = spin_started >= 0 && nap >= 0 && spn >= 0;
	ok = ob_thread_join(spn, NULL, OB_FOREVER) == 0 && ok;
	ok = ob_thread_join(nap, NULL, OB_FOREVER) == 0 && ok;
	report("preemption", ok && woke_while_spinning == 1,
	       woke_while_spinning == 0 ? "the sleeper ran only after the spinner finished"
					: "threads did not start or join");
	ob_handle_close(spin_started);
}

/* ---- computing across preemptions --------------------------------- */

#define FIB_N 27
#define FIB_EXPECTED 196418u
#define FIB_ROUNDS 40

/* Calls and stack traffic galore: a register or a stack word lost or
 * replayed when a slice ends shows up in the result. */
__attribute__((noinline)) static uint32_t fib(uint32_t n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* Returns how many of its rounds came out wrong. */
static int fib_worker(void *arg)
{
	(void)arg;
	int wrong = 0;
	for (int i = 0; i < FIB_ROUNDS; i++)
		wrong += fib(FIB_N) != FIB_EXPECTED;
	return wrong;
}

static void preempted_compute_check(void)
{
	/* Same priority, above main's: they alternate by time slice. */
	int a = ob_thread_spawn(fib_worker, NULL, PRIO - 1, STACK);
	int b = ob_thread_spawn(fib_worker, NULL, PRIO - 1, STACK);
	uint32_t wrong_a = 1, wrong_b = 1;
	int ok = a >= 0 && b >= 0 && ob_thread_join(a, &wrong_a, OB_FOREVER) == 0 &&
		 ob_thread_join(b, &wrong_b, OB_FOREVER) == 0;
	char why[80];
	snprintf(why, sizeof(why), "%lu and %lu of %d rounds of fib(%d) were wrong",
		 (unsigned long)wrong_a, (unsigned long)wrong_b, FIB_ROUNDS, FIB_N);
	report("preempted_compute", ok && wrong_a == 0 && wrong_b == 0,
	       ok ? why : "threads did not start or join");
}

int main(void)
{
	queue_check();
	sleep_order_check();
	preemption_check();
	preempted_compute_check();
	printf("threads: %s\n", failures ? "FAILED" : "all passed");
	return failures ? 1 : 0;
}
