/*
 * uc_fib: a second reference for figure 1 of bench/run. Is a gap between
 * outboard-cpu and qemu-arm on CPU-bound code outboard's or Unicorn's?
 * This runs the very fib() of examples/cpu_bound/cpu_bound.c on a bare
 * Unicorn engine, with no loader, kernel, hooks or host around it.
 *
 *   uc_fib [N [REPEATS]]       (defaults 35 and 3)
 *   uc_fib --print-code        the words of fib(), one per line in hex
 *
 * Prints the median over REPEATS runs (after one warm-up run that
 * translates the code) of the time uc_emu_start takes for fib(N):
 *
 *   uc_fib: n=<N> result=<fib(N)> ms=<median>
 *
 * --print-code lets bench/run check that the copy of fib() below is still
 * what the guest toolchain makes of cpu_bound.c. Exits with 0, 1 when
 * Unicorn fails or the result is wrong, 2 on bad arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicorn/unicorn.h>

#define CODE_BASE 0x10000u
#define CODE_SIZE 0x1000u
#define STACK_BASE 0x100000u
#define STACK_SIZE 0x100000u /* fib(n) needs 24 bytes a level */
#define MAX_REPEATS 101
#define MAX_N 47 /* fib(47) is the last that fits 32 bits */

/*
 * `bl fib; b .` and then fib() exactly as arm-none-eabi-gcc 12 builds
 * cpu_bound.c for the guests (-O2 -mcpu=arm926ej-s, ARM state): compare
 * with `arm-none-eabi-objdump -d build/examples/cpu_bound_rdimon.elf`. The
 * code is position-independent, so it runs at CODE_BASE.
 */
static const uint32_t code[] = {
	0xeb000000, /* _start: bl fib */
	0xeafffffe, /* done:   b done */
	0xe3500001, /* fib:    cmp r0, #1 */
	0xe92d41f0, /*         push {r4, r5, r6, r7, r8, lr} */
	0xe1a05000, /*         mov r5, r0 */
	0x98bd81f0, /*         popls {r4, r5, r6, r7, r8, pc} */
	0xe2403002, /*         sub r3, r0, #2 */
	0xe2407003, /*         sub r7, r0, #3 */
	0xe3c33001, /*         bic r3, r3, #1 */
	0xe2404001, /*         sub r4, r0, #1 */
	0xe0477003, /*         sub r7, r7, r3 */
	0xe3a06000, /*         mov r6, #0 */
	0xe1a00004, /* loop:   mov r0, r4 */
	0xebfffff3, /*         bl fib */
	0xe2444002, /*         sub r4, r4, #2 */
	0xe1570004, /*         cmp r7, r4 */
	0xe0866000, /*         add r6, r6, r0 */
	0x1afffff9, /*         bne loop */
	0xe2055001, /*         and r5, r5, #1 */
	0xe0850006, /*         add r0, r5, r6 */
	0xe8bd81f0, /*         pop {r4, r5, r6, r7, r8, pc} */
};
#define DONE_PC (CODE_BASE + 4)
#define FIB_FIRST_WORD 2

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int fail(const char *what, uc_err e)
{
	fprintf(stderr, "uc_fib: %s: %s\n", what, uc_strerror(e));
	return -1;
}

/* The engine as outboard-cpu sets up its own, with the code and a stack
 * mapped. 0, or -1 with a message (*uc may then need closing). */
static int engine_open(uc_engine **uc)
{
	uc_err e = uc_open(UC_ARCH_ARM, UC_MODE_ARM, uc);
	if (e != UC_ERR_OK)
		return fail("uc_open", e);
	if ((e = uc_ctl_set_cpu_model(*uc, UC_CPU_ARM_926)) != UC_ERR_OK)
		return fail("ARM926 model", e);
	uint32_t cpsr = 0x10; /* user mode, ARM state */
	if ((e = uc_reg_write(*uc, UC_ARM_REG_CPSR, &cpsr)) != UC_ERR_OK)
		return fail("cpsr", e);
	if ((e = uc_mem_map(*uc, CODE_BASE, CODE_SIZE, UC_PROT_READ | UC_PROT_EXEC)) !=
		    UC_ERR_OK ||
	    (e = uc_mem_map(*uc, STACK_BASE, STACK_SIZE, UC_PROT_READ | UC_PROT_WRITE)) !=
		    UC_ERR_OK)
		return fail("uc_mem_map", e);
	if ((e = uc_mem_write(*uc, CODE_BASE, code, sizeof(code))) != UC_ERR_OK)
		return fail("uc_mem_write", e);
	return 0;
}

/* fib(n) once: its wall time in ns and the result in *result; -1 on failure. */
static int64_t run_fib(uc_engine *uc, uint32_t n, uint32_t *result)
{
	uint32_t sp = STACK_BASE + STACK_SIZE;
	uc_err e;
	if ((e = uc_reg_write(uc, UC_ARM_REG_SP, &sp)) != UC_ERR_OK ||
	    (e = uc_reg_write(uc, UC_ARM_REG_R0, &n)) != UC_ERR_OK)
		return fail("registers", e);
	uint64_t t0 = now_ns();
	e = uc_emu_start(uc, CODE_BASE, DONE_PC, 0, 0);
	uint64_t t1 = now_ns();
	if (e != UC_ERR_OK)
		return fail("uc_emu_start", e);
	if ((e = uc_reg_read(uc, UC_ARM_REG_R0, result)) != UC_ERR_OK)
		return fail("r0", e);
	return (int64_t)(t1 - t0);
}

static uint32_t fib_host(uint32_t n)
{
	uint32_t a = 0, b = 1;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t t = a + b;
		a = b;
		b = t;
	}
	return a;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int parse_arg(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || *end || *s == '-' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int print_code(void)
{
	for (size_t i = FIB_FIRST_WORD; i < sizeof(code) / sizeof(code[0]); i++)
		printf("%08lx\n", (unsigned long)code[i]);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n = 35, repeats = 3;
	if (argc == 2 && strcmp(argv[1], "--print-code") == 0)
		return print_code();
	if (argc > 3 || (argc > 1 && parse_arg(argv[1], 0, MAX_N, &n)) ||
	    (argc > 2 && parse_arg(argv[2], 1, MAX_REPEATS, &repeats))) {
		fprintf(stderr, "usage: uc_fib [N [REPEATS]]  (N 0-%d, REPEATS 1-%d)\n", MAX_N,
			MAX_REPEATS);
		return 2;
	}
	uc_engine *uc = NULL;
	int64_t ns[MAX_REPEATS];
	uint32_t result = 0;
	int rc = 1;
	if (engine_open(&uc) || run_fib(uc, (uint32_t)n, &result) < 0)
		goto out;
	for (unsigned long i = 0; i < repeats; i++)
		if ((ns[i] = run_fib(uc, (uint32_t)n, &result)) < 0)
			goto out;
	if (result != fib_host((uint32_t)n)) {
		fprintf(stderr, "uc_fib: fib(%lu) came out as %lu\n", n, (unsigned long)result);
		goto out;
	}
	qsort(ns, repeats, sizeof(ns[0]), cmp_i64);
	double median = repeats % 2 ? (double)ns[repeats / 2]
				    : ((double)ns[repeats / 2 - 1] + (double)ns[repeats / 2]) / 2;
	printf("uc_fib: n=%lu result=%lu ms=%.2f\n", n, (unsigned long)result, median / 1e6);
	rc = 0;
out:
	if (uc)
		uc_close(uc);
	return rc;
}
