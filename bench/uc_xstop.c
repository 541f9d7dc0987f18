/*
 * uc_xstop: is a uc_emu_stop from another thread exact on this Unicorn?
 * (docs/performance.md, "A patched engine".) The CPU host could drop its
 * time-slicing block hook if the watcher thread could stop the engine
 * itself; on Unicorn 2.1.1 such a stop can land after a guest load or
 * store, and the engine then reports the PC of the block's start although
 * the instructions before the access have run, so they run twice.
 *
 *   uc_xstop [ITERATIONS [MICROSECONDS [RUNS]]]   (defaults 20000000 50 10)
 *
 * Runs a loop of loads, stores and register updates (ARM, then Thumb) once
 * without stops, then RUNS times while a watcher thread calls uc_emu_stop
 * every MICROSECONDS; each time the engine stops, it is resumed at the PC
 * it reports. A run is wrong when its registers and memory differ from
 * the unpreempted run's. As the CPU host would, the watcher stops the
 * engine only while an "in engine" flag is set (a stop issued while the
 * engine is idle is dropped, not remembered). Prints, per instruction set:
 *
 *   uc_xstop: arm unpreempted_ms=<ms> runs=<RUNS> stops=<n> wrong=<n>
 *
 * Exits with 0 when no run was wrong, 1 when some were or Unicorn failed,
 * 2 on bad arguments. Link it against the engine to judge (bench/
 * CMakeLists.txt links the one outboard-cpu uses).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <unicorn/unicorn.h>

#define CODE 0x10000u
#define DATA 0x20000u
#define WORDS 0x800u /* 8 KiB: the loop walks the first 4 KiB and reads one word past */

/* r0 hash, r1 iterations left, r5 byte offset, r6 the data. */
static const uint32_t arm_loop[] = {
	0xe3a05000u, /* 00 mov r5, #0 */
	0xe7963005u, /* 04 loop: ldr r3, [r6, r5] */
	0xe0830de0u, /* 08 add r0, r3, r0, ror #27 */
	0xe0833000u, /* 0c add r3, r3, r0 */
	0xe7863005u, /* 10 str r3, [r6, r5] */
	0xe2855004u, /* 14 add r5, r5, #4 */
	0xe7964005u, /* 18 ldr r4, [r6, r5] */
	0xe0200004u, /* 1c eor r0, r0, r4 */
	0xe3c55a01u, /* 20 bic r5, r5, #0x1000 */
	0xe2511001u, /* 24 subs r1, r1, #1 */
	0x1afffff5u, /* 28 bne loop */
	0xeafffffeu, /* 2c done: b done */
};

/* The same loop in Thumb (two halfwords a word, little-endian). */
static const uint16_t thumb_loop[] = {
	0x2500, /* 00 movs r5, #0 */
	0x5973, /* 02 loop: ldr r3, [r6, r5] */
	0x221b, /* 04 movs r2, #27 */
	0x41d0, /* 06 rors r0, r2 */
	0x18c0, /* 08 adds r0, r0, r3 */
	0x181b, /* 0a adds r3, r3, r0 */
	0x5173, /* 0c str r3, [r6, r5] */
	0x3504, /* 0e adds r5, #4 */
	0x5974, /* 10 ldr r4, [r6, r5] */
	0x4060, /* 12 eors r0, r4 */
	0x052d, /* 14 lsls r5, r5, #20 */
	0x0d2d, /* 16 lsrs r5, r5, #20 */
	0x3901, /* 18 subs r1, #1 */
	0xd1f2, /* 1a bne loop */
	0xe7fe, /* 1c done: b done */
};

static uc_engine *uc;
static atomic_int in_engine, quit;
static unsigned period_us;

static void *watcher(void *arg)
{
	(void)arg;
	struct timespec period = { .tv_sec = period_us / 1000000,
				   .tv_nsec = (long)(period_us % 1000000) * 1000 };
	while (!atomic_load(&quit)) {
		nanosleep(&period, NULL);
		if (atomic_load(&in_engine))
			uc_emu_stop(uc);
	}
	return NULL;
}

static int set(int reg, uint32_t v)
{
	return uc_reg_write(uc, reg, &v) == UC_ERR_OK ? 0 : -1;
}

/* One run from start to done: 0, or -1 when Unicorn failed. *hash: the
 * registers and memory at the end; *stops: how often the watcher stopped it. */
static int run(uint32_t start, uint32_t done, uint32_t iters, int preempt, uint64_t *hash,
	       unsigned long *stops)
{
	static uint32_t data[WORDS];
	for (uint32_t i = 0; i < WORDS; i++)
		data[i] = i * 2654435761u;
	if (uc_mem_write(uc, DATA, data, sizeof(data)) != UC_ERR_OK ||
	    set(UC_ARM_REG_R0, 1) || set(UC_ARM_REG_R1, iters) || set(UC_ARM_REG_R6, DATA))
		return -1;
	pthread_t th;
	atomic_store(&quit, 0);
	if (preempt && pthread_create(&th, NULL, watcher, NULL) != 0)
		return -1;
	int err = 0;
	uint32_t pc = start;
	*stops = 0;
	for (;;) {
		atomic_store(&in_engine, 1);
		uc_err e = uc_emu_start(uc, pc, done, 0, 0);
		atomic_store(&in_engine, 0);
		uint32_t cpsr = 0;
		if (e != UC_ERR_OK || uc_reg_read(uc, UC_ARM_REG_PC, &pc) != UC_ERR_OK ||
		    uc_reg_read(uc, UC_ARM_REG_CPSR, &cpsr) != UC_ERR_OK) {
			fprintf(stderr, "uc_xstop: %s\n", uc_strerror(e));
			err = -1;
			break;
		}
		if (pc == (done & ~1u))
			break;
		pc |= (cpsr >> 5) & 1u; /* resume in Thumb state if stopped there */
		(*stops)++;
	}
	if (preempt) {
		atomic_store(&quit, 1);
		pthread_join(th, NULL);
	}
	uint64_t h = 14695981039346656037u;
	for (int r = UC_ARM_REG_R0; r <= UC_ARM_REG_R6 && !err; r++) {
		uint32_t v = 0;
		uc_reg_read(uc, r, &v);
		h = (h ^ v) * 1099511628211u;
	}
	if (!err && uc_mem_read(uc, DATA, data, sizeof(data)) != UC_ERR_OK)
		err = -1;
	for (uint32_t i = 0; i < WORDS && !err; i++)
		h = (h ^ data[i]) * 1099511628211u;
	*hash = h;
	return err;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The unpreempted run, then runs preempted ones: the number of wrong runs,
 * or -1 when Unicorn failed. */
static int check(const char *name, uint32_t start, uint32_t done, uint32_t iters, int runs)
{
	uint64_t ref, h;
	unsigned long stops, total = 0;
	double t0 = now_ms();
	if (run(start, done, iters, 0, &ref, &stops))
		return -1;
	double ms = now_ms() - t0;
	int wrong = 0;
	for (int i = 0; i < runs; i++) {
		if (run(start, done, iters, 1, &h, &stops))
			return -1;
		total += stops;
		wrong += h != ref;
	}
	printf("uc_xstop: %s unpreempted_ms=%.1f runs=%d stops=%lu wrong=%d\n", name, ms, runs,
	       total, wrong);
	return wrong;
}

/* argv[i] as a number in [1, max], def when absent, 0 when malformed. */
static unsigned long arg(int argc, char **argv, int i, unsigned long def, unsigned long max)
{
	if (i >= argc)
		return def;
	char *end;
	unsigned long v = strtoul(argv[i], &end, 10);
	return *argv[i] && !*end && argv[i][0] != '-' && v <= max ? v : 0;
}

int main(int argc, char **argv)
{
	unsigned long iters = arg(argc, argv, 1, 20000000, UINT32_MAX);
	unsigned long us = arg(argc, argv, 2, 50, 1000000);
	unsigned long runs = arg(argc, argv, 3, 10, 100000);
	if (argc > 4 || !iters || !us || !runs) {
		fprintf(stderr, "usage: uc_xstop [ITERATIONS [MICROSECONDS [RUNS]]]\n");
		return 2;
	}
	period_us = (unsigned)us;
	if (uc_open(UC_ARCH_ARM, UC_MODE_ARM, &uc) != UC_ERR_OK ||
	    uc_mem_map(uc, CODE, 0x1000, UC_PROT_READ | UC_PROT_EXEC) != UC_ERR_OK ||
	    uc_mem_map(uc, DATA, WORDS * 4, UC_PROT_READ | UC_PROT_WRITE) != UC_ERR_OK ||
	    uc_mem_write(uc, CODE, arm_loop, sizeof(arm_loop)) != UC_ERR_OK ||
	    uc_mem_write(uc, CODE + 0x100, thumb_loop, sizeof(thumb_loop)) != UC_ERR_OK) {
		fprintf(stderr, "uc_xstop: cannot set up the engine\n");
		return 1;
	}
	unsigned major, minor;
	unsigned v = uc_version(&major, &minor);
	printf("uc_xstop: unicorn %u.%u.%u, a stop every %lu us\n", major, minor, (v >> 8) & 0xffu,
	       us);
	int a = check("arm", CODE, CODE + 0x2c, (uint32_t)iters, (int)runs);
	int t = check("thumb", (CODE + 0x100) | 1u, CODE + 0x11c, (uint32_t)iters, (int)runs);
	uc_close(uc);
	return a == 0 && t == 0 ? 0 : 1;
}
