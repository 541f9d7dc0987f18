/*
 * semihost_clock: SYS_CLOCK is CPU time, not wall time (docs/abi.md,
 * Semihosting; qemu-arm reports its clock()). An SDK program, because it
 * can sleep without using CPU (ob_thread_sleep), and semihosting works in
 * any guest. It sleeps 600 ms between two SYS_CLOCK readings and checks
 * that SYS_ELAPSED saw the 600 ms pass while SYS_CLOCK moved by well
 * under half of that; then it spins until SYS_CLOCK has moved, to show the
 * clock is live. Prints one line per check and exits with the number of
 * failures.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

enum { SYS_CLOCK = 0x10, SYS_ELAPSED = 0x30, SYS_TICKFREQ = 0x31 };

static int semihost(int op, void *block)
{
	register int r0 __asm__("r0") = op;
	register void *r1 __asm__("r1") = block;
	__asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

static uint64_t elapsed_ms(void)
{
	uint32_t t[2] = { 0, 0 };
	semihost(SYS_ELAPSED, t);
	uint64_t ticks = (uint64_t)t[1] << 32 | t[0];
	return ticks / ((uint64_t)semihost(SYS_TICKFREQ, NULL) / 1000u);
}

static int failures;

static void check(const char *what, int ok, long got)
{
	printf("%s %s (%ld)\n", ok ? "ok" : "FAIL", what, got);
	failures += !ok;
}

int main(void)
{
	int c0 = semihost(SYS_CLOCK, NULL);
	uint64_t e0 = elapsed_ms();
	usleep(600000);
	int c1 = semihost(SYS_CLOCK, NULL);
	uint64_t e1 = elapsed_ms();
	check("SYS_ELAPSED counts the sleep (ms)", e1 - e0 >= 600, (long)(e1 - e0));
	check("SYS_CLOCK does not count it (cs)", c0 >= 0 && c1 - c0 < 30, (long)(c1 - c0));

	volatile unsigned spin = 0;
	uint64_t start = elapsed_ms();
	while (semihost(SYS_CLOCK, NULL) < c1 + 2 && elapsed_ms() - start < 20000)
		spin++;
	int c2 = semihost(SYS_CLOCK, NULL);
	check("SYS_CLOCK counts CPU work (cs)", c2 >= c1 + 2, (long)(c2 - c1));
	return failures;
}
