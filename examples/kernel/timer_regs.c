/*
 * timer_regs: a periodic timer's handler must not disturb the thread it
 * interrupts. The main thread starts a 1 ms timer whose handler
 * (clobber_handler, timer_regs_asm.S) counts its runs and overwrites every
 * register it can, flags included, and returns. Meanwhile the same thread
 * spins in spin_check (timer_regs_asm.S), a loop without system calls that
 * loads known values into r0-r12, lr and the flags, and checks all of them
 * (and sp) after every iteration, until the handler has run WANT_RUNS
 * times during the loop. Prints
 *
 *   timer_regs: handler ran <n> times during <m> iterations, registers intact
 *
 * and exits with 0; or `FAIL: ...` naming the register found corrupted (or
 * saying the handler never ran enough) and exits with 1.
 *
 * `timer_regs yield` calls ob_thread_yield once between ob_timer_start and
 * the loop. Without it the loop follows timer_start with no system call at
 * all, so the handler runs only if the host can interrupt a thread that
 * never traps once a timer exists.
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WANT_RUNS 50
/* About 60 times what 50 ms of spinning takes here (some 7 million
 * iterations a second): the bound only ends, within seconds, a run whose
 * handler never comes. */
#define MAX_ITERATIONS 20000000u

volatile uint32_t handler_runs;
/* Filled by spin_check: iterations done. */
volatile uint32_t spin_iterations;

/* Spins until handler_runs reaches until_runs (or max_iterations pass). */
uint32_t spin_check(uint32_t max_iterations, uint32_t until_runs);
void clobber_handler(void *arg);

static const char *register_name(uint32_t code)
{
	static const char *const regs[] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
					    "r8", "r9", "r10", "r11", "r12", "lr" };
	if (code >= 1 && code <= 14)
		return regs[code - 1];
	switch (code) {
	case 20: return "the flags (N C set)";
	case 21: return "the flags (Z V set)";
	case 22: return "sp";
	default: return "?";
	}
}

int main(int argc, char **argv)
{
	int tm = ob_timer_start(1, clobber_handler, NULL);
	if (tm < 0) {
		printf("FAIL: timer_start: %d\n", tm);
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "yield") == 0)
		ob_thread_yield();
	/* Expirations that piled up before the loop are delivered before the
	 * thread gets back here: count only the runs that interrupt the loop. */
	uint32_t before = handler_runs;
	uint32_t code = spin_check(MAX_ITERATIONS, before + WANT_RUNS);
	uint32_t runs = handler_runs - before, iterations = spin_iterations;
	int stopped = ob_timer_stop(tm);
	if (code == 99) {
		printf("FAIL: the handler ran %lu times in %lu iterations of the loop, not %d\n",
		       (unsigned long)runs, (unsigned long)iterations, WANT_RUNS);
		return 1;
	}
	if (code != 0 || stopped != 0) {
		printf("FAIL: after %lu iterations and %lu handler runs: %s corrupted (code %lu), "
		       "timer_stop %d\n",
		       (unsigned long)iterations, (unsigned long)runs, register_name(code),
		       (unsigned long)code, stopped);
		return 1;
	}
	printf("timer_regs: handler ran %lu times during %lu iterations, registers intact\n",
	       (unsigned long)runs, (unsigned long)iterations);
	return 0;
}
