/*
 * input_echo: prints every input event it receives, until QUIT.
 *
 * Takes events with ob_input_wait (with a timeout, so that a source that
 * stops sending ends the run with a FAIL rather than a hang) and prints one
 * line per event:
 *
 *   <kind> key=<code> x=<x> y=<y> time_ms=<time>
 *
 * with kind one of key_down, key_up, pointer_down, pointer_move,
 * pointer_up, quit, expose, vsync. After QUIT it prints the queue's figures:
 *
 *   stats: queued=<n> capacity=<n> delivered=<n> dropped=<n>
 *
 * It also checks two facts about each event, printing `FAIL: ...` when one
 * does not hold: event times never go backwards, and an event never
 * arrives before its own time (the guest's monotonic clock counts from the
 * program's start, and a script's clock starts after it). The second needs
 * that clock to count from the start as docs/abi.md says: so first it
 * checks that the clock reads less than a minute at the start of main
 * (this program runs under a one-minute limit in the tests).
 *
 * Usage: input_echo [TIMEOUT_MS]   (default 10000 per wait)
 * Exit status: 0 when QUIT came and no check failed, else 1.
 */
#include <outboard.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The monotonic clock at the start of main: well under this. */
#define START_MS_MAX 60000u

static const char *kind_name(int32_t kind)
{
	static const char *const names[] = { "none", "key_down", "key_up", "pointer_down",
					     "pointer_move", "pointer_up", "quit", "expose",
					     "vsync" };
	if (kind >= 0 && (size_t)kind < sizeof(names) / sizeof(names[0]))
		return names[kind];
	return "unknown";
}

int main(int argc, char **argv)
{
	int32_t timeout_ms = argc > 1 ? (int32_t)strtol(argv[1], NULL, 10) : 10000;
	struct ob_input_event ev;
	struct ob_input_stats st;
	uint64_t last_time = 0;
	int failures = 0;

	uint64_t start_ms = ob_monotonic_ns() / 1000000u;
	if (start_ms > START_MS_MAX) {
		printf("FAIL: OB_CLOCK_MONOTONIC reads %llu ms at the start of main: it does not "
		       "count from the program's start\n", (unsigned long long)start_ms);
		failures++;
	}

	for (;;) {
		int r = ob_input_wait(&ev, timeout_ms);
		uint64_t now_ms = ob_monotonic_ns() / 1000000u;
		if (r != 1) {
			printf("FAIL: input_wait returned %d%s\n", r,
			       r == -ETIMEDOUT ? " (no event and no QUIT in time)" : "");
			return 1;
		}
		printf("%s key=0x%lx x=%ld y=%ld time_ms=%llu\n", kind_name(ev.kind),
		       (unsigned long)ev.key, (long)ev.x, (long)ev.y,
		       (unsigned long long)ev.time_ms);
		if (ev.time_ms < last_time) {
			printf("FAIL: time went back from %llu to %llu ms\n",
			       (unsigned long long)last_time, (unsigned long long)ev.time_ms);
			failures++;
		}
		if (now_ms < ev.time_ms) {
			printf("FAIL: received at %llu ms, before its time %llu ms\n",
			       (unsigned long long)now_ms, (unsigned long long)ev.time_ms);
			failures++;
		}
		last_time = ev.time_ms;
		if (ev.kind == OB_EV_QUIT)
			break;
	}
	int r = ob_input_stats(&st);
	if (r != 0) {
		printf("FAIL: input_stats returned %d\n", r);
		return 1;
	}
	printf("stats: queued=%lu capacity=%lu delivered=%llu dropped=%llu\n",
	       (unsigned long)st.queued, (unsigned long)st.capacity,
	       (unsigned long long)st.delivered, (unsigned long long)st.dropped);
	return failures ? 1 : 0;
}
