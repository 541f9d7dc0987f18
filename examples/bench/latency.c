/*
 * latency: how late timer upcalls and plugin replies reach a guest while
 * another thread (or the same one) computes without making calls.
 *
 *   latency FILE [MS]        FILE: any file of the fs root; MS: how long each
 *                            phase computes, default 500
 *
 * 1. Timer: the main thread starts a 2 ms timer and computes for MS ms.
 *    Each upcall notes how long after its due time it ran (the due time
 *    of the n-th upcall is start + n * 2 ms).
 * 2. Reply: a second thread of lower priority computes while the main
 *    thread makes one-byte ob_pread calls on FILE for MS ms; each call's
 *    round trip includes stopping the computing thread when the reply
 *    comes. The same calls are then timed with no other thread.
 *
 * Prints, in microseconds by the guest's monotonic clock,
 *   timer_upcalls=N timer_late_median_us=M timer_late_max_us=X
 *   reply_calls=N reply_median_us=M reply_max_us=X idle_reply_median_us=I
 * and exits with 0 (1 on a failed call).
 */
#include <outboard.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#define PERIOD_MS 2
#define MAX_SAMPLES 4096

static uint64_t start_ns;
static uint32_t late_us[MAX_SAMPLES], rtt_us[MAX_SAMPLES], idle_us[MAX_SAMPLES];
static volatile unsigned ticks;
static volatile int stop;

/* Pure computation, no calls: the loop the host has to preempt. */
__attribute__((noinline)) static uint32_t spin(uint32_t x)
{
	for (int i = 0; i < 1000; i++)
		x = x * 1103515245u + 12345u + (x >> 7);
	return x;
}

static void tick(void *arg)
{
	(void)arg;
	uint64_t due = start_ns + (uint64_t)(ticks + 1) * PERIOD_MS * 1000000u;
	uint64_t now = ob_monotonic_ns();
	if (ticks < MAX_SAMPLES)
		late_us[ticks] = now > due ? (uint32_t)((now - due) / 1000) : 0;
	ticks++;
}

static int cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static uint32_t median(uint32_t *v, unsigned n)
{
	qsort(v, n, sizeof(v[0]), cmp);
	return n ? v[n / 2] : 0;
}

static int computer(void *arg)
{
	uint32_t x = (uint32_t)(uintptr_t)arg;
	while (!stop)
		x = spin(x);
	return x == 0x12345678u; /* never, but keeps x alive */
}

/* One-byte reads for ms milliseconds; round trips in us[]. Returns the count,
 * or -1 on a failed read. */
static int reads(int fd, unsigned ms, uint32_t *us)
{
	uint64_t end = ob_monotonic_ns() + (uint64_t)ms * 1000000u;
	int n = 0;
	while (ob_monotonic_ns() < end && n < MAX_SAMPLES) {
		char byte;
		uint64_t t0 = ob_monotonic_ns();
		if (ob_pread(fd, &byte, 1, 0) != 1)
			return -1;
		us[n++] = (uint32_t)((ob_monotonic_ns() - t0) / 1000);
	}
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: latency FILE [MS]\n");
		return 1;
	}
	unsigned ms = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 500;
	int fd = ob_open(argv[1], O_RDONLY, 0);
	if (fd < 0) {
		printf("latency: open %s: %d\n", argv[1], fd);
		return 1;
	}

	start_ns = ob_monotonic_ns();
	int timer = ob_timer_start(PERIOD_MS, tick, NULL);
	if (timer < 0)
		return 1;
	uint32_t x = 1;
	while (ob_monotonic_ns() - start_ns < (uint64_t)ms * 1000000u)
		x = spin(x);
	ob_timer_stop(timer);
	unsigned nt = ticks < MAX_SAMPLES ? ticks : MAX_SAMPLES;
	uint32_t late_max = 0;
	for (unsigned i = 0; i < nt; i++)
		late_max = late_us[i] > late_max ? late_us[i] : late_max;

	int tid = ob_thread_spawn(computer, (void *)(uintptr_t)x, OB_PRIO_DEFAULT + 1, 0);
	if (tid < 0)
		return 1;
	int nr = reads(fd, ms, rtt_us);
	stop = 1;
	uint32_t status;
	ob_thread_join(tid, &status, OB_FOREVER);
	int ni = reads(fd, ms / 2 ? ms / 2 : 1, idle_us);
	ob_close(fd);
	if (nr <= 0 || ni <= 0) {
		printf("latency: a read failed\n");
		return 1;
	}
	uint32_t rtt_max = 0;
	for (int i = 0; i < nr; i++)
		rtt_max = rtt_us[i] > rtt_max ? rtt_us[i] : rtt_max;
	printf("timer_upcalls=%u timer_late_median_us=%u timer_late_max_us=%u\n", nt,
	       (unsigned)median(late_us, nt), (unsigned)late_max);
	printf("reply_calls=%d reply_median_us=%u reply_max_us=%u idle_reply_median_us=%u\n", nr,
	       (unsigned)median(rtt_us, (unsigned)nr), (unsigned)rtt_max,
	       (unsigned)median(idle_us, (unsigned)ni));
	return 0;
}
