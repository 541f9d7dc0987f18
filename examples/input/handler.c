/*
 * input_handler: upcalls (an input handler, a periodic timer, or both)
 * interrupt a thread that spins without system calls, and must leave it
 * exactly as it was.
 *
 * The main thread registers the upcalls, then runs spin_check
 * (handler_asm.S): a loop that keeps known values in r4-r12 and lr, checks
 * them, the flags, sp and its own progress (a loop counter that only ever
 * advances by one, and a count of the blocks run in each iteration that
 * proves each resume came back to where the thread was) on every
 * iteration, until the upcalls have seen what they wait for. The upcalls clobber every register but sp, flags
 * included, after recording what they were given.
 *
 * Usage:
 *   input_handler events N    the handler must see N events, the last a QUIT
 *   input_handler timer N     the timer must run N times
 *   input_handler both N M    N events and M timer runs, on the same thread
 *
 * Prints (stdout, the same on every run):
 *   each event the handler saw, as input_echo does:
 *     <kind> key=<code> x=<x> y=<y> time_ms=<time>
 *   events: <N> seen by the handler, stats: queued=0 delivered=<N> dropped=0
 *   timer: at least <M> runs
 *   upcalls: registers, flags and progress intact
 * and the loop's iteration count on stderr. On any failure, `FAIL: ...`
 * naming what went wrong, and exit status 1.
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds a run whose upcalls never come (some 20 s of spinning); a working
 * run needs the first second or two of it. */
#define MAX_ITERATIONS 100000000u
#define MAX_EVENTS 128

/* Shared with handler_asm.S (offsets there). */
struct spin_state {
	uint32_t iterations;
	uint32_t max_iterations;
	uint32_t sp;
	volatile uint32_t done;
};
struct spin_state spin_state;

uint32_t spin_check(void);
void event_handler(const struct ob_input_event *ev, void *arg);
void timer_handler(void *arg);
void record_event(const struct ob_input_event *ev, void *arg);
void record_timer(void *arg);

static uint32_t want_events, want_timer;
static volatile uint32_t events_seen, timer_runs, bad_args;
/* Upcalls that came once the loop had started (the rest came before). */
static volatile uint32_t events_in_spin, timer_runs_in_spin;
static struct ob_input_event seen[MAX_EVENTS];
static int event_cookie, timer_cookie;

static void update_done(void)
{
	if (events_seen >= want_events && timer_runs >= want_timer)
		spin_state.done = 1;
}

/* Called from event_handler, on the spinning thread. */
void record_event(const struct ob_input_event *ev, void *arg)
{
	if (arg != &event_cookie)
		bad_args++;
	if (events_seen < MAX_EVENTS)
		seen[events_seen] = *ev;
	events_seen++;
	if (spin_state.iterations)
		events_in_spin++;
	update_done();
}

/* Called from timer_handler, on the spinning thread. */
void record_timer(void *arg)
{
	if (arg != &timer_cookie)
		bad_args++;
	timer_runs++;
	if (spin_state.iterations)
		timer_runs_in_spin++;
	update_done();
}

static const char *what_failed(uint32_t code)
{
	static const char *const regs[] = { "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11",
					    "r12" };
	if (code >= 4 && code <= 12)
		return regs[code - 4];
	switch (code) {
	case 1: return "r0";
	case 2: return "the loop counter (the thread did not resume where it was)";
	case 3: return "the step count (the thread did not resume where it was)";
	case 14: return "lr";
	case 20: return "the flags (N C set)";
	case 21: return "the flags (Z V set)";
	case 22: return "sp";
	case 99: return "nothing: the upcalls did not come often enough";
	default: return "?";
	}
}

static const char *kind_name(int32_t kind)
{
	static const char *const names[] = { "none", "key_down", "key_up", "pointer_down",
					     "pointer_move", "pointer_up", "quit", "expose",
					     "vsync" };
	if (kind >= 0 && (size_t)kind < sizeof(names) / sizeof(names[0]))
		return names[kind];
	return "unknown";
}

static int usage(void)
{
	printf("FAIL: usage: input_handler events N | timer N | both N M\n");
	return 1;
}

/* After the spin: what the handler saw, and the queue's figures. */
static int report_events(void)
{
	struct ob_input_stats st;
	int failures = 0;
	uint32_t n = events_seen;

	for (uint32_t i = 0; i < n && i < MAX_EVENTS; i++)
		printf("%s key=0x%lx x=%ld y=%ld time_ms=%llu\n", kind_name(seen[i].kind),
		       (unsigned long)seen[i].key, (long)seen[i].x, (long)seen[i].y,
		       (unsigned long long)seen[i].time_ms);
	if (n != want_events || seen[n - 1].kind != OB_EV_QUIT) {
		printf("FAIL: the handler saw %lu events, expected %lu ending with QUIT\n",
		       (unsigned long)n, (unsigned long)want_events);
		failures++;
	}
	int r = ob_input_stats(&st);
	printf("events: %lu seen by the handler, stats: queued=%lu delivered=%llu dropped=%llu\n",
	       (unsigned long)n, (unsigned long)st.queued, (unsigned long long)st.delivered,
	       (unsigned long long)st.dropped);
	if (r != 0 || st.queued != 0 || st.delivered != n || st.dropped != 0) {
		printf("FAIL: input_stats %d: every event must have gone to the handler\n", r);
		failures++;
	}
	return failures;
}

int main(int argc, char **argv)
{
	int timer = -1, failures = 0;

	if (argc < 3)
		return usage();
	if (strcmp(argv[1], "events") == 0) {
		want_events = (uint32_t)strtoul(argv[2], NULL, 10);
	} else if (strcmp(argv[1], "timer") == 0) {
		want_timer = (uint32_t)strtoul(argv[2], NULL, 10);
	} else if (strcmp(argv[1], "both") == 0 && argc >= 4) {
		want_events = (uint32_t)strtoul(argv[2], NULL, 10);
		want_timer = (uint32_t)strtoul(argv[3], NULL, 10);
	} else {
		return usage();
	}
	if (want_events > MAX_EVENTS || (!want_events && !want_timer))
		return usage();
	spin_state.max_iterations = MAX_ITERATIONS;

	if (want_events) {
		int r = ob_input_set_handler(event_handler, &event_cookie);
		if (r != 0) {
			printf("FAIL: input_set_handler: %d\n", r);
			return 1;
		}
	}
	if (want_timer) {
		timer = ob_timer_start(1, timer_handler, &timer_cookie);
		if (timer < 0) {
			printf("FAIL: timer_start: %d\n", timer);
			return 1;
		}
	}
	uint32_t code = spin_check();
	/* Stop the upcalls before printing: the figures below are final. */
	if (want_events && ob_input_set_handler(NULL, NULL) != 0)
		failures++;
	if (timer >= 0 && ob_timer_stop(timer) != 0)
		failures++;
	fprintf(stderr, "input_handler: %lu iterations; %lu events (%lu in the loop), %lu timer "
		"runs (%lu in the loop)\n", (unsigned long)spin_state.iterations,
		(unsigned long)events_seen, (unsigned long)events_in_spin,
		(unsigned long)timer_runs, (unsigned long)timer_runs_in_spin);
	if (code != 0) {
		printf("FAIL: after %lu iterations, %lu events and %lu timer runs: %s corrupted "
		       "(code %lu)\n", (unsigned long)spin_state.iterations,
		       (unsigned long)events_seen, (unsigned long)timer_runs, what_failed(code),
		       (unsigned long)code);
		return 1;
	}
	if (bad_args) {
		printf("FAIL: %lu upcalls got the wrong argument\n", (unsigned long)bad_args);
		failures++;
	}
	if (want_events)
		failures += report_events();
	if (want_timer)
		printf("timer: at least %lu runs\n", (unsigned long)want_timer);
	if (failures) {
		printf("FAIL: %d checks failed\n", failures);
		return 1;
	}
	printf("upcalls: registers, flags and progress intact\n");
	return 0;
}
