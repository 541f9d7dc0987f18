/*
 * Unit tests of the guest kernel's objects and waits (src/kernel/,
 * src/scheduler.c) without running guest code: the kernel calls are
 * invoked directly on threads that exist only as saved contexts, and the
 * test plays the run loop (who is running, what time it is). This reaches
 * what a guest cannot pin down: deadlines at an exact instant, the order of
 * wait and ready queues, mutexes left behind by an exiting thread, and
 * handle exhaustion. tests/cpu/ runs the same calls from real guests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "engine.h"
#include "events.h"
#include "kernel/kcalls.h"
#include "kernel/kobjs.h"
#include "kernel/thread.h"
#include "mem.h"
#include "outboard/errno.h"
#include "scheduler_priv.h"

#define DATA 0x20000u /* a read+write page for out pointers */

static int setup(void **state)
{
	struct obh_host *h = calloc(1, sizeof(*h));
	assert_non_null(h);
	assert_int_equal(obh_engine_open(h), 0);
	assert_int_equal(obh_mem_create(h->uc, &h->mem), 0);
	assert_int_equal(obh_mem_map(h->mem, DATA, 0x1000, OBH_PROT_R | OBH_PROT_W, "data"), 0);
	assert_int_equal(obh_sched_create(h, &h->sched), 0);
	assert_int_equal(obh_kobjs_create(&h->kobjs), 0);
	assert_int_equal(obh_events_create(&h->events), 0);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct obh_host *h = *state;
	obh_events_destroy(h->events);
	obh_kobjs_destroy(h->kobjs);
	obh_sched_destroy(h->sched);
	obh_mem_destroy(h->mem);
	obh_engine_close(h);
	free(h);
	return 0;
}

/* A thread that is "running": created, then taken off the ready queue as
 * the run loop would before making a call on its behalf. */
static struct obh_thread *running_thread(struct obh_host *h, int prio)
{
	int err = 0;
	struct obh_thread *t = obh_thread_new(h, 0x10000, 0, DATA + 0x800, prio, &err);
	assert_non_null(t);
	struct obh_thread *popped = obhs_ready_pop(h->sched);
	assert_ptr_equal(popped, t);
	t->state = OBH_T_RUNNING;
	return t;
}

static int64_t call(struct obh_host *h, struct obh_thread *t, obh_local_fn fn, uint32_t a0,
		    uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
	struct obh_args a = { .v = { a0, a1, a2, a3, a4 } };
	return fn(h, t, &a);
}

static int32_t r0_of(struct obh_host *h, struct obh_thread *t)
{
	return (int32_t)obh_thread_reg(h, t, UC_ARM_REG_R0);
}

static uint32_t guest_u32(struct obh_host *h, uint32_t addr)
{
	uint32_t v;
	assert_int_equal(obh_mem_read(h->mem, addr, &v, 4), 0);
	return v;
}

/* ---- deadlines ---- */

static void test_timeout_at_its_deadline(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *owner = running_thread(h, 16), *w = running_thread(h, 16);
	int32_t m = (int32_t)call(h, owner, k_mutex_create, 0, 0, 0, 0, 0);
	assert_true(m > 0);
	assert_int_equal(call(h, owner, k_mutex_lock, (uint32_t)m, (uint32_t)-1, 0, 0, 0), 0);

	int64_t before = obh_now_ns();
	assert_true(call(h, w, k_mutex_lock, (uint32_t)m, 50, 0, 0, 0) == OBH_BLOCKED);
	assert_int_equal(w->state, OBH_T_WAITING);
	assert_true(w->deadline_ns >= before + 50 * 1000000);
	assert_true(obhs_next_deadline(h->sched) == w->deadline_ns);

	/* One nanosecond early: still waiting. At the deadline: ETIMEDOUT. */
	obhs_expire_deadlines(h, w->deadline_ns - 1);
	assert_int_equal(w->state, OBH_T_WAITING);
	obhs_expire_deadlines(h, w->deadline_ns);
	assert_int_equal(w->state, OBH_T_READY);
	assert_int_equal(r0_of(h, w), -OB_ABI_ETIMEDOUT);
	assert_true(obhs_next_deadline(h->sched) == INT64_MAX);
	/* It left the mutex's queue: the unlock finds nobody to hand it to. */
	assert_int_equal(call(h, owner, k_mutex_unlock, (uint32_t)m, 0, 0, 0, 0), 0);
	struct obh_kobj *o = obh_kobj_peek(h->kobjs, m);
	assert_null(o->u.mutex.owner);
	assert_true(obh_waitq_empty(&o->u.mutex.waiters));
}

static void test_forever_has_no_deadline(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *t = running_thread(h, 16);
	int32_t s = (int32_t)call(h, t, k_sem_create, 0, 1, 0, 0, 0);
	assert_true(call(h, t, k_sem_wait, (uint32_t)s, (uint32_t)-1, 0, 0, 0) == OBH_BLOCKED);
	assert_true(t->deadline_ns == INT64_MAX);
	obhs_expire_deadlines(h, INT64_MAX - 1);
	assert_int_equal(t->state, OBH_T_WAITING);
	/* Any negative timeout is forever, not a deadline in the past. */
	struct obh_thread *u = running_thread(h, 16);
	assert_true(call(h, u, k_sem_wait, (uint32_t)s, (uint32_t)-7, 0, 0, 0) == OBH_BLOCKED);
	assert_true(u->deadline_ns == INT64_MAX);
	/* A post wakes the first waiter with 0 and keeps no count. */
	assert_int_equal(call(h, u, k_sem_post, (uint32_t)s, 0, 0, 0, 0), 0);
	assert_int_equal(t->state, OBH_T_READY);
	assert_int_equal(r0_of(h, t), 0);
	assert_int_equal(obh_kobj_peek(h->kobjs, s)->u.sem.count, 0);
}

/* ---- queue order ---- */

static void test_wait_queue_priority_then_fifo(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *owner = running_thread(h, 16);
	int32_t m = (int32_t)call(h, owner, k_mutex_create, 0, 0, 0, 0, 0);
	call(h, owner, k_mutex_lock, (uint32_t)m, (uint32_t)-1, 0, 0, 0);
	static const int prio[5] = { 5, 3, 5, 1, 3 };
	struct obh_thread *w[5];
	for (int i = 0; i < 5; i++) {
		w[i] = running_thread(h, prio[i]);
		assert_true(call(h, w[i], k_mutex_lock, (uint32_t)m, (uint32_t)-1, 0, 0, 0) ==
			    OBH_BLOCKED);
	}
	/* Ownership passes by priority, first come first served among equals. */
	static const int order[5] = { 3, 1, 4, 0, 2 };
	struct obh_thread *cur = owner;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(call(h, cur, k_mutex_unlock, (uint32_t)m, 0, 0, 0, 0), 0);
		cur = w[order[i]];
		assert_ptr_equal(obh_kobj_peek(h->kobjs, m)->u.mutex.owner, cur);
		assert_int_equal(cur->state, OBH_T_READY);
		assert_int_equal(r0_of(h, cur), 0);
	}
}

static void test_priority_change_requeues_waiter(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *t = running_thread(h, 16);
	int32_t s = (int32_t)call(h, t, k_sem_create, 0, 5, 0, 0, 0);
	struct obh_thread *a = running_thread(h, 10), *b = running_thread(h, 20);
	call(h, a, k_sem_wait, (uint32_t)s, (uint32_t)-1, 0, 0, 0);
	call(h, b, k_sem_wait, (uint32_t)s, (uint32_t)-1, 0, 0, 0);
	/* b raised above a: the next post is b's. */
	assert_int_equal(call(h, t, k_thread_set_priority, b->id, 5, 0, 0, 0), 20);
	call(h, t, k_sem_post, (uint32_t)s, 0, 0, 0, 0);
	assert_int_equal(b->state, OBH_T_READY);
	assert_int_equal(a->state, OBH_T_WAITING);
	/* Woken threads go to the ready queue of their priority. */
	assert_ptr_equal(obhs_ready_pop(h->sched), b);
	assert_null(obhs_ready_pop(h->sched));
}

/* ---- event flags ---- */

static void test_evf_auto_reset_shares_bits(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *setter = running_thread(h, 16);
	int32_t e = (int32_t)call(h, setter, k_evf_create, 1 /* auto */, 0, 0, 0, 0);
	struct obh_thread *a = running_thread(h, 10), *b = running_thread(h, 11),
			  *c = running_thread(h, 12);
	/* a wants bit 0, b bit 1, c bit 0 too. */
	call(h, a, k_evf_wait, (uint32_t)e, 0x1, 0, (uint32_t)-1, DATA);
	call(h, b, k_evf_wait, (uint32_t)e, 0x2, 0, (uint32_t)-1, DATA + 4);
	call(h, c, k_evf_wait, (uint32_t)e, 0x1, 0, (uint32_t)-1, DATA + 8);
	assert_int_equal(call(h, setter, k_evf_set, (uint32_t)e, 0x3, 0, 0, 0), 0);
	/* a consumed bit 0 before c was considered; b took bit 1. */
	assert_int_equal(a->state, OBH_T_READY);
	assert_int_equal(b->state, OBH_T_READY);
	assert_int_equal(c->state, OBH_T_WAITING);
	assert_int_equal(guest_u32(h, DATA), 0x1);
	assert_int_equal(guest_u32(h, DATA + 4), 0x2);
	assert_int_equal(obh_kobj_peek(h->kobjs, e)->u.evf.bits, 0);
	/* handle_close refuses while c waits. */
	assert_int_equal(call(h, setter, k_handle_close, (uint32_t)e, 0, 0, 0, 0), -OB_ABI_EBUSY);
	call(h, setter, k_evf_set, (uint32_t)e, 0x1, 0, 0, 0);
	assert_int_equal(c->state, OBH_T_READY);
	assert_int_equal(call(h, setter, k_handle_close, (uint32_t)e, 0, 0, 0, 0), 0);
}

static void test_evf_got_unwritable(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *t = running_thread(h, 16);
	int32_t e = (int32_t)call(h, t, k_evf_create, 0, 0x1, 0, 0, 0);
	/* Satisfied at once, but got points nowhere: EFAULT, never a crash. */
	assert_int_equal(call(h, t, k_evf_wait, (uint32_t)e, 0x1, 0, 0, 0x50000),
			 -OB_ABI_EFAULT);
	/* And when the wait is satisfied later, the waker reports it to the waiter. */
	struct obh_thread *w = running_thread(h, 16);
	call(h, t, k_evf_clear, (uint32_t)e, 0x1, 0, 0, 0);
	assert_true(call(h, w, k_evf_wait, (uint32_t)e, 0x1, 0, (uint32_t)-1, 0x50000) ==
		    OBH_BLOCKED);
	call(h, t, k_evf_set, (uint32_t)e, 0x1, 0, 0, 0);
	assert_int_equal(w->state, OBH_T_READY);
	assert_int_equal(r0_of(h, w), -OB_ABI_EFAULT);
}

/* ---- threads ending ---- */

static void test_exit_hands_held_mutex_on(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *holder = running_thread(h, 16);
	int32_t m = (int32_t)call(h, holder, k_mutex_create, 1 /* recursive */, 0, 0, 0, 0);
	call(h, holder, k_mutex_lock, (uint32_t)m, (uint32_t)-1, 0, 0, 0);
	call(h, holder, k_mutex_lock, (uint32_t)m, (uint32_t)-1, 0, 0, 0);
	struct obh_thread *lo = running_thread(h, 20), *hi = running_thread(h, 10);
	call(h, lo, k_mutex_lock, (uint32_t)m, (uint32_t)-1, 0, 0, 0);
	call(h, hi, k_mutex_lock, (uint32_t)m, (uint32_t)-1, 0, 0, 0);

	obh_thread_finish(h, holder, 3);
	struct obh_mutex *mx = &obh_kobj_peek(h->kobjs, m)->u.mutex;
	assert_ptr_equal(mx->owner, hi);
	assert_int_equal(mx->depth, 1); /* the holder's depth 2 is not inherited */
	assert_int_equal(hi->state, OBH_T_READY);
	assert_int_equal(r0_of(h, hi), 0);
	assert_int_equal(lo->state, OBH_T_WAITING);
	assert_int_equal(holder->state, OBH_T_DEAD);
}

static void test_join_collects_status(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *joiner = running_thread(h, 16), *target = running_thread(h, 16);
	assert_int_equal(call(h, joiner, k_thread_join, target->id, DATA + 16, (uint32_t)-1, 0, 0),
			 OBH_BLOCKED);
	obh_thread_finish(h, target, -9);
	assert_int_equal(joiner->state, OBH_T_READY);
	assert_int_equal(r0_of(h, joiner), 0);
	assert_int_equal(guest_u32(h, DATA + 16), (uint32_t)-9);
	assert_true(target->joined);
	/* Joined once: a second join is refused. */
	assert_int_equal(call(h, joiner, k_thread_join, target->id, 0, (uint32_t)-1, 0, 0),
			 -OB_ABI_EINVAL);
}

/* ---- handles ---- */

static void test_handle_exhaustion(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *t = running_thread(h, 16);
	int32_t first = 0, last = 0;
	for (int i = 1; i < OBH_MAX_KOBJS; i++) {
		int32_t s = (int32_t)call(h, t, k_sem_create, 0, 1, 0, 0, 0);
		if (s <= 0)
			fail_msg("create %d of %d failed with %d", i, OBH_MAX_KOBJS - 1, s);
		if (i == 1)
			first = s;
		last = s;
	}
	assert_int_equal(call(h, t, k_sem_create, 0, 1, 0, 0, 0), -OB_ABI_ENFILE);
	assert_int_equal(call(h, t, k_mutex_create, 0, 0, 0, 0, 0), -OB_ABI_ENFILE);
	assert_int_equal(call(h, t, k_queue_create, 4, 4, 0, 0, 0), -OB_ABI_ENFILE);
	/* A closed handle is free again. */
	assert_int_equal(call(h, t, k_handle_close, (uint32_t)first, 0, 0, 0, 0), 0);
	assert_int_equal(call(h, t, k_mutex_create, 0, 0, 0, 0, 0), first);
	assert_true(last != first);
}

static void test_queue_create_limits(void **state)
{
	struct obh_host *h = *state;
	struct obh_thread *t = running_thread(h, 16);
	assert_int_equal(call(h, t, k_queue_create, 65537, 1, 0, 0, 0), -OB_ABI_EINVAL);
	/* 16 MiB of ring at most: 4096 x (4 + 4096) is over it. */
	assert_int_equal(call(h, t, k_queue_create, 4096, 4096, 0, 0, 0), -OB_ABI_EINVAL);
	/* A capacity whose byte count would wrap 32 bits. */
	assert_int_equal(call(h, t, k_queue_create, 65536, 0x10000, 0, 0, 0), -OB_ABI_EINVAL);
	int32_t q = (int32_t)call(h, t, k_queue_create, 65536, 2, 0, 0, 0);
	assert_true(q > 0);
	assert_int_equal(call(h, t, k_handle_close, (uint32_t)q, 0, 0, 0, 0), 0);
}

/* The program clock (OB_CLOCK_MONOTONIC): 0 until the program starts (an
 * event can arrive while the host still greets its plugins), then the time
 * since it started, never the time since boot. */
static void test_program_clock_starts_at_zero(void **state)
{
	struct obh_host *h = *state;
	h->start_ns = 0;
	assert_true(obh_program_ns(h) == 0);
	h->start_ns = obh_now_ns() - 5000000;
	uint64_t t = obh_program_ns(h);
	assert_true(t >= 5000000 && t < 5000000000ull);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_timeout_at_its_deadline),
		T(test_forever_has_no_deadline),
		T(test_wait_queue_priority_then_fifo),
		T(test_priority_change_requeues_waiter),
		T(test_evf_auto_reset_shares_bits),
		T(test_evf_got_unwritable),
		T(test_exit_hands_held_mutex_on),
		T(test_join_collects_status),
		T(test_handle_exhaustion),
		T(test_queue_create_limits),
		T(test_program_clock_starts_at_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
