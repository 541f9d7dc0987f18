/*
 * input_overflow: more events arrive than the host's queue holds while the
 * program reads none; the oldest are dropped and counted, the newest kept.
 *
 * The source (tests/input/) sends N pointer moves numbered i = 0..N-1
 * (x = i, y = 2i) and then a QUIT, N + 1 events in all. This program first
 * only watches ob_input_stats, sleeping between looks, until every event
 * is accounted for (queued + dropped == N + 1). With a queue of capacity C
 * that drops the oldest, exactly N + 1 - C are dropped and the C kept are
 * moves N + 1 - C .. N - 1 followed by the QUIT. It then reads them all
 * with ob_input_poll and checks exactly that, and the figures after.
 *
 * Usage: input_overflow N
 * Prints
 *   overflow: sent <N+1>, capacity <C>, dropped <D>, read <C>: moves <D>..<N-1> then quit
 *   stats: queued=0 capacity=<C> delivered=<C> dropped=<D>
 * or `FAIL: ...` lines; exit status 0 only when every check held.
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LOOK_EVERY_MS 10
/* Bounds the wait for a source that never sends them all (10 s). */
#define MAX_LOOKS 1000

static int failures;

#define CHECK(cond, ...)                                                                  \
	do {                                                                              \
		if (!(cond)) {                                                            \
			printf("FAIL: " __VA_ARGS__);                                     \
			printf("\n");                                                     \
			failures++;                                                       \
		}                                                                         \
	} while (0)

/* Wait, without taking any event, until all `total` have arrived. */
static int wait_for_all(uint32_t total, struct ob_input_stats *st)
{
	for (int i = 0; i < MAX_LOOKS; i++) {
		if (ob_input_stats(st) != 0)
			return -1;
		if (st->queued + st->dropped >= total)
			return 0;
		ob_thread_sleep(LOOK_EVERY_MS);
	}
	return -1;
}

/* Read everything queued; check it is moves first..n-1, then the QUIT. */
static uint32_t read_all(uint32_t first, uint32_t n)
{
	struct ob_input_event ev;
	uint32_t got = 0;

	while (ob_input_poll(&ev) == 1) {
		uint32_t i = first + got;
		if (i < n) {
			CHECK(ev.kind == OB_EV_POINTER_MOVE && ev.x == (int32_t)i &&
				      ev.y == 2 * (int32_t)i,
			      "event %lu: kind %ld x %ld y %ld, expected move %lu", (unsigned long)got,
			      (long)ev.kind, (long)ev.x, (long)ev.y, (unsigned long)i);
		} else {
			CHECK(i == n && ev.kind == OB_EV_QUIT, "event %lu: kind %ld, expected %s",
			      (unsigned long)got, (long)ev.kind, i == n ? "quit" : "nothing");
		}
		got++;
	}
	return got;
}

int main(int argc, char **argv)
{
	struct ob_input_stats st;

	if (argc < 2) {
		printf("FAIL: usage: input_overflow N\n");
		return 1;
	}
	uint32_t n = (uint32_t)strtoul(argv[1], NULL, 10), total = n + 1;
	if (wait_for_all(total, &st) != 0) {
		printf("FAIL: only %lu of %lu events arrived (queued %lu, dropped %llu)\n",
		       (unsigned long)(st.queued + st.dropped), (unsigned long)total,
		       (unsigned long)st.queued, (unsigned long long)st.dropped);
		return 1;
	}
	uint32_t cap = st.capacity;
	CHECK(total > cap, "the test needs more than %lu events", (unsigned long)cap);
	CHECK(st.queued == cap, "queued %lu, expected the capacity %lu", (unsigned long)st.queued,
	      (unsigned long)cap);
	CHECK(st.dropped == total - cap, "dropped %llu, expected %lu",
	      (unsigned long long)st.dropped, (unsigned long)(total - cap));
	CHECK(st.delivered == 0, "delivered %llu before any read", (unsigned long long)st.delivered);

	uint32_t dropped = (uint32_t)st.dropped;
	uint32_t got = read_all(dropped, n);
	CHECK(got == cap, "read %lu events, expected %lu", (unsigned long)got, (unsigned long)cap);
	printf("overflow: sent %lu, capacity %lu, dropped %lu, read %lu: moves %lu..%lu then quit\n",
	       (unsigned long)total, (unsigned long)cap, (unsigned long)dropped,
	       (unsigned long)got, (unsigned long)dropped, (unsigned long)(n - 1));

	CHECK(ob_input_stats(&st) == 0, "input_stats failed");
	printf("stats: queued=%lu capacity=%lu delivered=%llu dropped=%llu\n",
	       (unsigned long)st.queued, (unsigned long)st.capacity,
	       (unsigned long long)st.delivered, (unsigned long long)st.dropped);
	CHECK(st.queued == 0 && st.delivered == cap && st.dropped == dropped,
	      "the figures after reading are wrong");
	return failures ? 1 : 0;
}
