/*
 * Unit tests of slicing.c: when the time-slicing block hook is needed, and
 * the hold time that keeps a hook no longer needed from being removed and
 * installed again at every flip. Threads exist only as saved contexts; the
 * test plays the run loop (which thread is about to run, what time it is).
 * tests/cpu/preempt_stress.sh runs real guests through both states.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "events.h"
#include "kernel/kcalls.h"
#include "mem.h"
#include "preempt.h"
#include "scheduler_priv.h"
#include "slicing.h"
#include "upcall.h"

#define CODE 0x10000u
#define MS (1000 * 1000)

static int setup(void **state)
{
	struct obh_host *h = calloc(1, sizeof(*h));
	assert_non_null(h);
	assert_int_equal(obh_engine_open(h), 0);
	assert_int_equal(obh_mem_create(h->uc, &h->mem), 0);
	assert_int_equal(obh_mem_map(h->mem, CODE, 0x1000, OBH_PROT_R | OBH_PROT_X, "code"), 0);
	assert_int_equal(obh_sched_create(h, &h->sched), 0);
	assert_int_equal(obh_events_create(&h->events), 0);
	assert_int_equal(obh_preempt_create(h->uc, &h->preempt), 0);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct obh_host *h = *state;
	obh_preempt_destroy(h->preempt);
	obh_events_destroy(h->events);
	obh_sched_destroy(h->sched);
	obh_mem_destroy(h->mem);
	obh_engine_close(h);
	free(h);
	return 0;
}

/* A new thread, taken off the ready queue as the run loop would. */
static struct obh_thread *picked(struct obh_host *h)
{
	int err = 0;
	struct obh_thread *t = obh_thread_new(h, CODE, 0, CODE + 0x800, OBH_PRIO_DEFAULT, &err);
	assert_non_null(t);
	assert_ptr_equal(obhs_ready_pop(h->sched), t);
	return t;
}

static void alone_needs_nothing(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *t = picked(h);
	assert_false(obh_slicing_needed(h, t));
	assert_false(obh_slicing_urgent(h));
	int64_t deadline = INT64_MAX;
	obh_slicing_update(h, t, 1 * MS, &deadline);
	assert_false(h->slicing);
	assert_int_equal(h->slice.installs, 0);
	assert_true(deadline == INT64_MAX);
}

static void a_ready_thread_needs_it(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *t = picked(h);
	int err = 0;
	assert_non_null(obh_thread_new(h, CODE, 0, CODE + 0x400, OBH_PRIO_DEFAULT, &err));
	assert_true(obh_slicing_urgent(h));
	assert_true(obh_slicing_needed(h, t));
	int64_t deadline = INT64_MAX;
	obh_slicing_update(h, t, 1 * MS, &deadline);
	assert_true(h->slicing);
	assert_int_equal(h->slice.installs, 1);
}

/* Waits only the running thread's calls can end need no hook; waits a
 * deadline or a plugin can end do. */
static void which_waits_need_it(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *t = picked(h), *u = picked(h);
	struct obh_waitq q = { 0 };
	obh_sched_block(h, u, OBH_W_OBJECT, &q, -1, "a semaphore");
	assert_false(obh_slicing_needed(h, t));
	obh_sched_wake(h, u, 0);
	assert_ptr_equal(obhs_ready_pop(h->sched), u);

	obh_sched_block(h, u, OBH_W_OBJECT, &q, 50, "a semaphore");
	assert_true(obh_slicing_needed(h, t));
	obh_sched_wake(h, u, 0);
	assert_ptr_equal(obhs_ready_pop(h->sched), u);

	obh_sched_block(h, u, OBH_W_REPLY, NULL, -1, "fs read");
	assert_true(obh_slicing_needed(h, t));
	obh_sched_wake(h, u, 0);
	assert_ptr_equal(obhs_ready_pop(h->sched), u);

	obh_sched_sleep(h, u, 100 * MS);
	assert_true(obh_slicing_needed(h, t));
	/* The thread about to run does not count its own wait. */
	assert_false(obh_slicing_needed(h, u));
}

static void a_handler_or_a_time_limit_needs_it(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *t = picked(h);
	struct obh_args a = { .v = { CODE | 1, 0 } };
	assert_int_equal(k_input_set_handler(h, t, &a), 0);
	assert_true(obh_slicing_urgent(h));
	a.v[0] = 0;
	assert_int_equal(k_input_set_handler(h, t, &a), 0);
	assert_false(obh_slicing_urgent(h));
	h->opts.time_limit_ms = 1000;
	assert_true(obh_slicing_urgent(h));
}

/* An unneeded hook stays for the hold time (the slice ends when it is up),
 * then goes; needed again soon after, the hold doubles. */
static void the_hold_time(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *t = picked(h);
	int err = 0;
	struct obh_thread *u = obh_thread_new(h, CODE, 0, CODE + 0x400, OBH_PRIO_DEFAULT, &err);
	int64_t deadline = INT64_MAX;
	obh_slicing_update(h, t, 1 * MS, &deadline);
	assert_true(h->slicing);
	int64_t hold = h->slice.hold_ns;
	assert_true(hold == OBH_SLICING_HOLD_MIN_NS);

	/* u goes to wait on a kernel object: no longer needed. */
	assert_ptr_equal(obhs_ready_pop(h->sched), u);
	struct obh_waitq q = { 0 };
	obh_sched_block(h, u, OBH_W_OBJECT, &q, -1, "a semaphore");
	deadline = INT64_MAX;
	obh_slicing_update(h, t, 2 * MS, &deadline);
	assert_true(h->slicing);
	assert_true(deadline == 2 * MS + hold);
	deadline = INT64_MAX;
	obh_slicing_update(h, t, 2 * MS + hold - 1, &deadline);
	assert_true(h->slicing);
	obh_slicing_update(h, t, 2 * MS + hold, &deadline);
	assert_false(h->slicing);
	assert_int_equal(h->slice.removals, 1);

	/* Needed again right away: the removal was not worth it. */
	obh_sched_wake(h, u, 0);
	obh_slicing_update(h, t, 3 * MS + hold, &deadline);
	assert_true(h->slicing);
	assert_int_equal(h->slice.installs, 2);
	assert_true(h->slice.hold_ns == 2 * hold);
}

static void sleep_ns(long ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };
	while (nanosleep(&ts, &ts) != 0)
		;
}

static int64_t coarse_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sleep past the poll interval (and a tick of the coarse clock, up to
 * 4 ms), then ask twice; again until both answers came within one tick,
 * where the second must not poll again. *stops: the count of stops the
 * first answer added. */
static void ask_twice_in_one_tick(struct obh_preempt *p, bool *first, bool *second,
				  uint64_t *stops)
{
	for (int i = 0; i < 100; i++) {
		sleep_ns(10 * MS);
		int64_t tick = coarse_ns();
		uint64_t before = obh_preempt_count(p);
		*first = obh_preempt_trap_due(p);
		*stops = obh_preempt_count(p) - before;
		*second = obh_preempt_trap_due(p);
		if (coarse_ns() == tick)
			return;
	}
	fail_msg("the coarse clock moved between two calls 100 times in a row");
}

/* Without the hook the trap hook watches the plugin fds itself: a frame
 * waiting ends the slice, at most one poll per interval, and nothing is
 * reported when nothing waits or nothing is watched. */
static void traps_see_waiting_frames(void **state)
{
	struct obh_host *h = *state;
	int fds[2];
	bool first, second;
	uint64_t stops;
	assert_int_equal(pipe(fds), 0);
	struct pollfd pfd = { .fd = fds[0], .events = POLLIN };

	obh_preempt_trap_watch(h->preempt, &pfd, 1);
	ask_twice_in_one_tick(h->preempt, &first, &second, &stops);
	assert_false(first); /* nothing waits */
	assert_false(second);
	assert_int_equal(write(fds[1], "f", 1), 1);
	ask_twice_in_one_tick(h->preempt, &first, &second, &stops);
	assert_true(first);
	assert_true(stops == 1);
	assert_false(second); /* once per interval */

	obh_preempt_trap_watch(h->preempt, &pfd, 0); /* a slice with the hook */
	ask_twice_in_one_tick(h->preempt, &first, &second, &stops);
	assert_false(first);
	assert_false(second);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(alone_needs_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(a_ready_thread_needs_it, setup, teardown),
		cmocka_unit_test_setup_teardown(which_waits_need_it, setup, teardown),
		cmocka_unit_test_setup_teardown(a_handler_or_a_time_limit_needs_it, setup, teardown),
		cmocka_unit_test_setup_teardown(the_hold_time, setup, teardown),
		cmocka_unit_test_setup_teardown(traps_see_waiting_frames, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
