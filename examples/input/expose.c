/*
 * input_expose: the display's expose event and the program's clock.
 *
 * Presents one frame, so that the display plugin, at its first request
 * from this host, sends expose; then waits for events until that expose
 * (vsync is off by default) and checks its time: the program's monotonic
 * clock when the host received it, so it must not be later than what the
 * clock reads when the event is taken, nor earlier than the start.
 *
 * Prints `expose time_ms=<t> now_ms=<n>` and exits 0, or `FAIL: ...` and
 * exits 1. Usage: input_expose [TIMEOUT_MS]   (default 10000)
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int32_t timeout_ms = argc > 1 ? (int32_t)strtol(argv[1], NULL, 10) : 10000;
	uint64_t start_ms = ob_monotonic_ns() / 1000000u;
	struct ob_input_event ev;
	int r = ob_display_present();

	if (r < 0) {
		printf("FAIL: display_present returned %d\n", r);
		return 1;
	}
	do {
		r = ob_input_wait(&ev, timeout_ms);
		if (r != 1) {
			printf("FAIL: input_wait returned %d (no expose in time)\n", r);
			return 1;
		}
	} while (ev.kind != OB_EV_EXPOSE);
	uint64_t now_ms = ob_monotonic_ns() / 1000000u;
	printf("expose time_ms=%llu now_ms=%llu\n", (unsigned long long)ev.time_ms,
	       (unsigned long long)now_ms);
	if (ev.time_ms > now_ms || ev.time_ms < start_ms) {
		printf("FAIL: expose stamped %llu ms, outside the program's clock [%llu, %llu]\n",
		       (unsigned long long)ev.time_ms, (unsigned long long)start_ms,
		       (unsigned long long)now_ms);
		return 1;
	}
	return 0;
}
