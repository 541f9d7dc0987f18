/*
 * uc_svc: the reference for figure 2 of bench/run. What does one guest
 * `svc #0` cost when Unicorn catches it with UC_HOOK_INTR and the hook
 * returns at once, in this process? That is the floor under every
 * host-handled syscall of outboard-cpu.
 *
 *   uc_svc [COUNT [REPEATS]]     (defaults 2000000 and 5)
 *
 * Runs a three-instruction ARM loop COUNT times with `svc #0` in it, and
 * the same loop with a `mov r1, r1` in its place, each REPEATS times after
 * one warm-up run, and prints the medians:
 *
 *   uc_svc: calls=<COUNT> svc_loop_ns=<per iteration> nop_loop_ns=<per
 *   iteration> ns_per_svc=<difference>
 *
 * The engine is set up as outboard-cpu sets up its own (ARM926, user mode)
 * and linked the same way (the ob_unicorn target). Exits with 0, 1 when
 * Unicorn fails, 2 on bad arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicorn/unicorn.h>

#define CODE_BASE 0x10000u
#define CODE_SIZE 0x1000u
#define MAX_REPEATS 101

#define ARM_SVC_0 0xef000000u /* svc #0 */
#define ARM_NOP 0xe1a01001u /* mov r1, r1 */
#define ARM_SUBS_R0_1 0xe2500001u /* subs r0, r0, #1 */
#define ARM_BNE_MINUS_8 0x1afffffcu /* bne to two instructions back */

struct loop {
	uc_engine *uc;
	uint64_t hooked; /* svc seen by the hook, to prove it ran */
};

static void on_intr(uc_engine *uc, uint32_t intno, void *user)
{
	(void)uc;
	(void)intno;
	((struct loop *)user)->hooked++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int fail(const char *what, uc_err e)
{
	fprintf(stderr, "uc_svc: %s: %s\n", what, uc_strerror(e));
	return -1;
}

/* An engine with the loop at CODE_BASE, its first instruction `first`.
 * 0, or -1 with a message (l->uc may then need closing). */
static int loop_open(struct loop *l, uint32_t first)
{
	const uint32_t code[3] = { first, ARM_SUBS_R0_1, ARM_BNE_MINUS_8 };
	uc_hook hh;
	uc_err e = uc_open(UC_ARCH_ARM, UC_MODE_ARM, &l->uc);
	if (e != UC_ERR_OK)
		return fail("uc_open", e);
	if ((e = uc_ctl_set_cpu_model(l->uc, UC_CPU_ARM_926)) != UC_ERR_OK)
		return fail("ARM926 model", e);
	uint32_t cpsr = 0x10; /* user mode, ARM state, as outboard-cpu */
	if ((e = uc_reg_write(l->uc, UC_ARM_REG_CPSR, &cpsr)) != UC_ERR_OK)
		return fail("cpsr", e);
	if ((e = uc_mem_map(l->uc, CODE_BASE, CODE_SIZE, UC_PROT_READ | UC_PROT_EXEC)) !=
	    UC_ERR_OK)
		return fail("uc_mem_map", e);
	if ((e = uc_mem_write(l->uc, CODE_BASE, code, sizeof(code))) != UC_ERR_OK)
		return fail("uc_mem_write", e);
	if ((e = uc_hook_add(l->uc, &hh, UC_HOOK_INTR, (void *)on_intr, l, 1, 0)) != UC_ERR_OK)
		return fail("uc_hook_add", e);
	return 0;
}

/* One run of count iterations: its wall time in ns, or -1. */
static int64_t loop_run(struct loop *l, uint32_t count)
{
	uc_err e = uc_reg_write(l->uc, UC_ARM_REG_R0, &count);
	if (e != UC_ERR_OK)
		return fail("r0", e);
	uint64_t t0 = now_ns();
	e = uc_emu_start(l->uc, CODE_BASE, CODE_BASE + 12, 0, 0);
	uint64_t t1 = now_ns();
	if (e != UC_ERR_OK)
		return fail("uc_emu_start", e);
	return (int64_t)(t1 - t0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median ns per iteration over repeats runs after one warm-up run (which
 * translates the loop); -1 on failure. */
static double measure(uint32_t first, uint32_t count, unsigned repeats, uint64_t *hooked)
{
	struct loop l = { 0 };
	double per_iter[MAX_REPEATS];
	double result = -1;
	if (loop_open(&l, first) || loop_run(&l, count) < 0)
		goto out;
	for (unsigned i = 0; i < repeats; i++) {
		int64_t ns = loop_run(&l, count);
		if (ns < 0)
			goto out;
		per_iter[i] = (double)ns / count;
	}
	result = median(per_iter, repeats);
	*hooked = l.hooked;
out:
	if (l.uc)
		uc_close(l.uc);
	return result;
}

static int parse_arg(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || *end || *s == '-' || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long count = 2000000, repeats = 5;
	if (argc > 3 || (argc > 1 && parse_arg(argv[1], UINT32_MAX, &count)) ||
	    (argc > 2 && parse_arg(argv[2], MAX_REPEATS, &repeats))) {
		fprintf(stderr, "usage: uc_svc [COUNT [REPEATS]]  (COUNT >= 1, REPEATS 1-%d)\n",
			MAX_REPEATS);
		return 2;
	}
	uint64_t svc_hooked = 0, nop_hooked = 0;
	double svc = measure(ARM_SVC_0, (uint32_t)count, (unsigned)repeats, &svc_hooked);
	double nop = measure(ARM_NOP, (uint32_t)count, (unsigned)repeats, &nop_hooked);
	if (svc < 0 || nop < 0)
		return 1;
	if (svc_hooked != (uint64_t)count * (repeats + 1) || nop_hooked != 0) {
		fprintf(stderr, "uc_svc: the hook saw %llu svc, expected %llu\n",
			(unsigned long long)svc_hooked,
			(unsigned long long)count * (repeats + 1));
		return 1;
	}
	printf("uc_svc: calls=%lu svc_loop_ns=%.2f nop_loop_ns=%.2f ns_per_svc=%.2f\n", count,
	       svc, nop, svc - nop);
	return 0;
}
