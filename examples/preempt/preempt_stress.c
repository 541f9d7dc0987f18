/*
 * preempt_stress: preempts a checksummed computation tens of thousands of
 * times, in ARM and in Thumb code, and compares the results with an
 * unpreempted run of the same computation.
 *
 *   preempt_stress FILE CALLS
 *
 * Two threads compute rounds of mix_kernel.h, one in ARM code and one in
 * Thumb code, each with a 1 ms timer whose handler runs as an upcall in the
 * middle of its computation. Meanwhile the main thread makes CALLS blocking
 * one-byte ob_pread calls on FILE (opened through the fs plugin): each reply
 * arrives while a computing thread runs, and the CPU host stops that thread
 * at a block boundary to give the main thread (of higher priority) the
 * CPU (outboard-cpu --stats counts these stops). When the calls are done
 * the computing threads finish their current round and exit. Then the main
 * thread, alone and making no call (no other thread and no upcall can
 * interrupt it), runs the same number of rounds of each from the same
 * start and compares hashes and buffers.
 *
 * Prints
 *   preempt_stress: calls=C arm_rounds=A thumb_rounds=T upcalls=U: preempted
 *   results equal the unpreempted ones
 * (one line),
 * and exits with 0; or prints "FAIL ..." lines and exits with 1.
 */
#include <outboard.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mix.h"

#define TICK_MS 1

struct worker {
	const char *name;
	uint32_t (*round)(uint32_t *buf, uint32_t h);
	uint32_t seed;
	uint32_t buf[MIX_WORDS];
	uint32_t h;
	unsigned rounds;
	volatile unsigned ticks;
	int tid;
};

static volatile int stop;

static void fill(uint32_t *buf, uint32_t seed)
{
	for (unsigned i = 0; i < MIX_WORDS; i++) {
		seed = seed * 69069u + 1u;
		buf[i] = seed;
	}
}

/* The upcall: it only counts, but runs with the computation's registers
 * saved around it, on the computing thread's stack. */
static void tick(void *arg)
{
	struct worker *w = arg;
	w->ticks++;
}

static int compute(void *arg)
{
	struct worker *w = arg;
	int timer = ob_timer_start(TICK_MS, tick, w);
	if (timer < 0)
		return 2;
	fill(w->buf, w->seed);
	w->h = w->seed;
	while (!stop) {
		w->h = w->round(w->buf, w->h);
		w->rounds++;
	}
	return ob_timer_stop(timer) != 0;
}

/* The same rounds again, unpreempted: 1 when they agree. */
static int check(const struct worker *w)
{
	static uint32_t buf[MIX_WORDS];
	fill(buf, w->seed);
	uint32_t h = w->seed;
	for (unsigned r = 0; r < w->rounds; r++)
		h = w->round(buf, h);
	if (h != w->h || memcmp(buf, w->buf, sizeof(buf)) != 0) {
		printf("FAIL %s: after %u rounds the hash is 0x%08x, unpreempted 0x%08x%s\n", w->name,
		       w->rounds, (unsigned)w->h, (unsigned)h,
		       memcmp(buf, w->buf, sizeof(buf)) ? " (and the buffers differ)" : "");
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		printf("usage: preempt_stress FILE CALLS\n");
		return 1;
	}
	unsigned calls = (unsigned)strtoul(argv[2], NULL, 10);
	int fd = ob_open(argv[1], O_RDONLY, 0);
	if (fd < 0) {
		printf("FAIL open %s: %d\n", argv[1], fd);
		return 1;
	}
	static struct worker w[2] = {
		{ .name = "ARM", .round = mix_arm_round, .seed = 12345 },
		{ .name = "Thumb", .round = mix_thumb_round, .seed = 777 },
	};
	/* Below the main thread's priority, so that each reply hands it the CPU
	 * at once, wherever the computing thread happens to be. */
	for (int i = 0; i < 2; i++) {
		w[i].tid = ob_thread_spawn(compute, &w[i], OB_PRIO_DEFAULT + 1, 0);
		if (w[i].tid < 0) {
			printf("FAIL cannot start the %s thread: %d\n", w[i].name, w[i].tid);
			return 1;
		}
	}
	int ok = 1;
	for (unsigned i = 0; i < calls && ok; i++) {
		char byte;
		int r = ob_pread(fd, &byte, 1, 0);
		if (r != 1) {
			printf("FAIL pread %u: %d\n", i, r);
			ok = 0;
		}
	}
	stop = 1;
	for (int i = 0; i < 2; i++) {
		uint32_t status = 1;
		if (ob_thread_join(w[i].tid, &status, OB_FOREVER) != 0 || status != 0) {
			printf("FAIL the %s thread ended with status %u\n", w[i].name, (unsigned)status);
			ok = 0;
		}
	}
	ob_close(fd);
	for (int i = 0; i < 2 && ok; i++) {
		if (w[i].rounds == 0) {
			printf("FAIL the %s thread never completed a round\n", w[i].name);
			ok = 0;
		}
		ok &= check(&w[i]);
	}
	if (!ok)
		return 1;
	printf("preempt_stress: calls=%u arm_rounds=%u thumb_rounds=%u upcalls=%u: preempted "
	       "results equal the unpreempted ones\n",
	       calls, w[0].rounds, w[1].rounds, w[0].ticks + w[1].ticks);
	return 0;
}
