/*
 * load: many guest threads calling every plugin at once, for a while
 * (bench/load runs it; docs/performance.md "Load" has the figures).
 *
 *   load [THREADS [SECONDS [REPORT]]]    defaults 64, 60 and 10
 *
 * Each of THREADS workers loops for SECONDS over a mix of calls (steps.c):
 * - fs: its own file opened, written, read back, checked and closed, then
 *   stat'ed; a pread of a shared file checked by checksum; every few rounds
 *   the directory listed and checked;
 * - display: a posted fill_rect and draw_text in its own tile, a blocking
 *   display_info now and then; worker 0 also presents a frame each round;
 * - sound: now and then a short posted beep;
 * - kernel: a mutex around a pair of counters, a message through a queue.
 *
 * Every REPORT seconds main prints
 *
 *   load: 10 s: 123456 calls (fs 1, display 2 + 3 posted, sound 4 posted, kernel 5), 0 errors
 *
 * and at the end, after the workers have finished and the files are
 * removed,
 *
 *   load: threads=64 seconds=60.004 rounds=12345
 *   load: fs=1 display=2 display_posted=3 sound_posted=4 kernel=5
 *   load: 15 calls, 0 errors
 *
 * Every call the program makes is counted, main's set-up and clean-up
 * too, so fs and display (blocking) equal the requests the CPU host sends
 * those plugins, and display_posted and sound_posted its posted calls
 * (`outboard run --stats`). Exits 0
 * when nothing failed, 1 when a check failed (each of the first 20 is
 * printed), 2 on bad arguments.
 */
#include "load.h"

#include <stdio.h>
#include <stdlib.h>

static struct load_worker workers[LOAD_MAX_THREADS];
static struct load_shared shared;
static uint64_t end_ns;

static int worker_main(void *arg)
{
	struct load_worker *w = arg;
	load_worker_start(w);
	while (ob_monotonic_ns() < end_ns)
		load_round(w, &shared);
	load_worker_finish(w);
	return 0;
}

struct totals {
	unsigned long calls[LOAD_KINDS];
	unsigned long all, errors, rounds;
};

static void add_up(int threads, struct totals *t)
{
	*t = (struct totals){ 0 };
	for (int k = 0; k < LOAD_KINDS; k++) {
		t->calls[k] = shared.calls[k];
		t->all += shared.calls[k];
	}
	for (int i = 0; i < threads; i++) {
		for (int k = 0; k < LOAD_KINDS; k++) {
			t->calls[k] += workers[i].calls[k];
			t->all += workers[i].calls[k];
		}
		t->errors += workers[i].errors;
		t->rounds += workers[i].round;
	}
}

static void progress(int threads, unsigned long seconds)
{
	struct totals t;
	add_up(threads, &t);
	printf("load: %lu s: %lu calls (fs %lu, display %lu + %lu posted, sound %lu posted, "
	       "kernel %lu), %lu errors\n",
	       seconds, t.all, t.calls[LOAD_FS], t.calls[LOAD_DISPLAY], t.calls[LOAD_DISPLAY_POST],
	       t.calls[LOAD_SOUND_POST], t.calls[LOAD_KERNEL], t.errors);
	fflush(stdout);
}

/* A whole number in [lo, hi] from argv[i], or def without it; -1 if bad. */
static long argument(int argc, char **argv, int i, long def, long lo, long hi)
{
	if (argc <= i)
		return def;
	char *end;
	long v = strtol(argv[i], &end, 10);
	return *end == '\0' && end != argv[i] && v >= lo && v <= hi ? v : -1;
}

/* Main sleeps between progress lines, at a higher priority than the
 * workers, so the lines come on time. */
static void report_until_end(int threads, uint64_t start, long report)
{
	for (unsigned long k = 1;; k++) {
		uint64_t at = start + (uint64_t)k * (uint64_t)report * 1000000000ull;
		if (at > end_ns)
			at = end_ns;
		uint64_t now = ob_monotonic_ns();
		if (at > now)
			ob_thread_sleep((uint32_t)((at - now + 999999) / 1000000));
		if (at >= end_ns)
			return;
		progress(threads, (unsigned long)((at - start) / 1000000000ull));
	}
}

int main(int argc, char **argv)
{
	long threads = argument(argc, argv, 1, 64, 1, LOAD_MAX_THREADS);
	long seconds = argument(argc, argv, 2, 60, 1, 86400);
	long report = argument(argc, argv, 3, 10, 1, 86400);
	if (threads < 0 || seconds < 0 || report < 0 || argc > 4) {
		printf("usage: load [THREADS (1-%d) [SECONDS [REPORT]]]\n", LOAD_MAX_THREADS);
		return 2;
	}
	ob_thread_set_priority(0, OB_PRIO_DEFAULT - 4);
	if (load_setup(&shared, (int)threads) != 0)
		return 1;

	uint64_t start = ob_monotonic_ns();
	end_ns = start + (uint64_t)seconds * 1000000000ull;
	int tids[LOAD_MAX_THREADS];
	unsigned long spawn_errors = 0;
	for (int i = 0; i < threads; i++) {
		workers[i].id = i;
		tids[i] = ob_thread_spawn(worker_main, &workers[i], OB_PRIO_DEFAULT, 0);
		if (tids[i] < 0) {
			printf("load: thread %d not started: %d\n", i, tids[i]);
			spawn_errors++;
		}
	}
	report_until_end((int)threads, start, report);
	for (int i = 0; i < threads; i++) {
		if (tids[i] >= 0 && ob_thread_join(tids[i], NULL, OB_FOREVER) != 0) {
			printf("load: thread %d not joined\n", i);
			spawn_errors++;
		}
	}
	uint64_t elapsed = ob_monotonic_ns() - start;

	uint32_t cleanup_errors = load_cleanup(&shared);
	struct totals t;
	add_up((int)threads, &t);
	t.errors += cleanup_errors + spawn_errors;
	printf("load: threads=%ld seconds=%lu.%03lu rounds=%lu\n", threads,
	       (unsigned long)(elapsed / 1000000000ull),
	       (unsigned long)(elapsed / 1000000ull % 1000), t.rounds);
	printf("load: fs=%lu display=%lu display_posted=%lu sound_posted=%lu kernel=%lu\n",
	       t.calls[LOAD_FS], t.calls[LOAD_DISPLAY], t.calls[LOAD_DISPLAY_POST],
	       t.calls[LOAD_SOUND_POST], t.calls[LOAD_KERNEL]);
	printf("load: %lu calls, %lu errors\n", t.all, t.errors);
	return t.errors ? 1 : 0;
}
