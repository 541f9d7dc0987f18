/*
 * kobjs checks of mutexes, semaphores and handle_close (see kobjs.c for
 * the list). Helper threads report what their calls returned through their
 * exit status, and the main thread checks and prints.
 */
#include "kobjs.h"

#include <errno.h>
#include <stdint.h>

/* ---- helpers that run one call on another thread ---- */

static int shared_handle;

/* Try to lock shared_handle with the timeout in arg; unlock again if it
 * worked. Returns the lock's result. */
static int lock_with_timeout(void *arg)
{
	int r = ob_mutex_lock(shared_handle, (int32_t)(intptr_t)arg);
	if (r == 0)
		ob_mutex_unlock(shared_handle);
	return r;
}

static int unlock_other(void *arg)
{
	(void)arg;
	return ob_mutex_unlock(shared_handle);
}

/* ---- mutexes ---- */

static void mutex_recursive(void)
{
	int m = ob_mutex_create(OB_MUTEX_RECURSIVE);
	shared_handle = m;
	int l1 = ob_mutex_lock(m, OB_FOREVER), l2 = ob_mutex_lock(m, OB_FOREVER);
	int u1 = ob_mutex_unlock(m);
	/* Locked once more than unlocked: still ours. */
	int32_t other_while_held = join(spawn(lock_with_timeout, (void *)0, MAIN_PRIO));
	int u2 = ob_mutex_unlock(m);
	int32_t other_after = join(spawn(lock_with_timeout, (void *)0, MAIN_PRIO));
	int u3 = ob_mutex_unlock(m);
	check("mutex_recursive",
	      m > 0 && l1 == 0 && l2 == 0 && u1 == 0 && u2 == 0 && other_while_held == -EAGAIN &&
		      other_after == 0 && u3 == -EPERM,
	      "create %d, lock %d %d, unlock %d %d %d, other thread %s then %s", m, l1, l2, u1,
	      u2, u3, errname(other_while_held), errname(other_after));
	ob_handle_close(m);
}

static void mutex_deadlk(void)
{
	int m = ob_mutex_create(0);
	int l1 = ob_mutex_lock(m, OB_FOREVER);
	int l2 = ob_mutex_lock(m, OB_FOREVER); /* must not wait forever */
	int l3 = ob_mutex_lock(m, 0);
	int u1 = ob_mutex_unlock(m);
	int bad = ob_mutex_create(2);
	check("mutex_deadlk",
	      m > 0 && l1 == 0 && l2 == -EDEADLK && l3 == -EDEADLK && u1 == 0 && bad == -EINVAL,
	      "lock %d, again %s, try %s, unlock %d, create(2) %s", l1, errname(l2), errname(l3),
	      u1, errname(bad));
	ob_handle_close(m);
}

static void mutex_not_owner(void)
{
	int m = ob_mutex_create(0);
	shared_handle = m;
	int l = ob_mutex_lock(m, OB_FOREVER);
	int32_t by_other = join(spawn(unlock_other, NULL, MAIN_PRIO));
	int u1 = ob_mutex_unlock(m);
	int u2 = ob_mutex_unlock(m); /* no longer held by anyone */
	check("mutex_not_owner", l == 0 && by_other == -EPERM && u1 == 0 && u2 == -EPERM,
	      "unlock by another thread %s, by the owner %d, when free %s", errname(by_other), u1,
	      errname(u2));
	ob_handle_close(m);
}

static void mutex_timeout_and_try(void)
{
	int m = ob_mutex_create(0);
	shared_handle = m;
	ob_mutex_lock(m, OB_FOREVER);
	int32_t timed = join(spawn(lock_with_timeout, (void *)30, MAIN_PRIO));
	int32_t tried = join(spawn(lock_with_timeout, (void *)0, MAIN_PRIO));
	ob_mutex_unlock(m);
	/* The timed-out waiter left the queue: the free mutex is simply taken. */
	int32_t after = join(spawn(lock_with_timeout, (void *)0, MAIN_PRIO));
	check("mutex_timeout", timed == -ETIMEDOUT && after == 0,
	      "waiting 30 ms on a held mutex gave %s, then locking it free gave %s",
	      errname(timed), errname(after));
	check("mutex_try", tried == -EAGAIN, "timeout 0 on a held mutex gave %s", errname(tried));
	ob_handle_close(m);
}

#define ORDER_MAX 8
static int order_log[ORDER_MAX], order_n;

/* Lock, note the tag, unlock. */
static int order_waiter(void *arg)
{
	if (ob_mutex_lock(shared_handle, OB_FOREVER) != 0)
		return 1;
	if (order_n < ORDER_MAX)
		order_log[order_n++] = (int)(intptr_t)arg;
	ob_mutex_unlock(shared_handle);
	return 0;
}

static void mutex_priority_order(void)
{
	int m = ob_mutex_create(0);
	shared_handle = m;
	order_n = 0;
	ob_mutex_lock(m, OB_FOREVER);
	/* Below every waiter: each runs at once when created and queues. */
	int old = ob_thread_set_priority(0, 30);
	/* tag = priority * 10 + arrival among equals */
	static const int prio[5] = { 20, 10, 15, 15, 25 };
	static const int tag[5] = { 200, 100, 150, 151, 250 };
	int tids[5];
	for (int i = 0; i < 5; i++)
		tids[i] = spawn(order_waiter, (void *)(intptr_t)tag[i], prio[i]);
	int queued_before_unlock = order_n;
	ob_mutex_unlock(m);
	ob_thread_set_priority(0, old);
	int ok = old == MAIN_PRIO && queued_before_unlock == 0;
	for (int i = 0; i < 5; i++)
		ok = join(tids[i]) == 0 && ok;
	static const int want[5] = { 100, 150, 151, 200, 250 };
	for (int i = 0; i < 5; i++)
		ok = ok && order_n == 5 && order_log[i] == want[i];
	check("mutex_priority_order", ok, "got the mutex in the order %d %d %d %d %d (%d threads)",
	      order_log[0], order_log[1], order_log[2], order_log[3], order_log[4], order_n);
	ob_handle_close(m);
}

/* ---- semaphores ---- */

static volatile int sem_woken;

static int sem_waiter(void *arg)
{
	(void)arg;
	int r = ob_sem_wait(shared_handle, OB_FOREVER);
	sem_woken = 1;
	return r;
}

static void sem_max(void)
{
	int s = ob_sem_create(2, 3);
	int w1 = ob_sem_wait(s, 0), w2 = ob_sem_wait(s, 0), w3 = ob_sem_wait(s, 0);
	int p[4];
	for (int i = 0; i < 4; i++)
		p[i] = ob_sem_post(s);
	int over_initial = ob_sem_create(4, 3), zero_max = ob_sem_create(0, 0);
	check("sem_max",
	      s > 0 && w1 == 0 && w2 == 0 && w3 == -EAGAIN && p[0] == 0 && p[1] == 0 &&
		      p[2] == 0 && p[3] == -EOVERFLOW && over_initial == -EINVAL &&
		      zero_max == -EINVAL,
	      "waits %d %d %s, posts %d %d %d %s, create(4,3) %s, create(0,0) %s", w1, w2,
	      errname(w3), p[0], p[1], p[2], errname(p[3]), errname(over_initial),
	      errname(zero_max));
	ob_handle_close(s);
}

static void sem_timeout(void)
{
	int s = ob_sem_create(0, 1);
	int timed = ob_sem_wait(s, 20);
	int polled = ob_sem_wait(s, 0);
	/* A post that finds a waiter hands its count over: none is left. */
	shared_handle = s;
	sem_woken = 0;
	int tid = spawn(sem_waiter, NULL, HIGH_PRIO);
	int blocked = sem_woken == 0;
	int post = ob_sem_post(s);
	int woke_at_once = sem_woken == 1; /* the waiter outranks us */
	int32_t waiter = join(tid);
	int left = ob_sem_wait(s, 0);
	check("sem_timeout", timed == -ETIMEDOUT && polled == -EAGAIN,
	      "wait 20 ms gave %s, wait 0 gave %s", errname(timed), errname(polled));
	check("sem_handoff", blocked && post == 0 && woke_at_once && waiter == 0 && left == -EAGAIN,
	      "blocked %d, post %d, woke %d, waiter got %s, count left: %s", blocked, post,
	      woke_at_once, errname(waiter), errname(left));
	ob_handle_close(s);
}

/* ---- handle_close ---- */

static void close_busy(void)
{
	int m = ob_mutex_create(0);
	ob_mutex_lock(m, OB_FOREVER);
	int held = ob_handle_close(m);
	ob_mutex_unlock(m);
	int freed = ob_handle_close(m);

	int s = ob_sem_create(0, 1);
	shared_handle = s;
	int tid = spawn(sem_waiter, NULL, HIGH_PRIO);
	int waited_on = ob_handle_close(s);
	ob_sem_post(s);
	int32_t waiter = join(tid);
	int after = ob_handle_close(s);
	check("close_busy",
	      held == -EBUSY && freed == 0 && waited_on == -EBUSY && waiter == 0 && after == 0,
	      "close of a held mutex %s, of the free one %d, of a waited-on semaphore %s, "
	      "after the wait %d",
	      errname(held), freed, errname(waited_on), after);
}

static void close_stale(void)
{
	int m = ob_mutex_create(0);
	int s = ob_sem_create(1, 1);
	int first = ob_handle_close(m);
	int again = ob_handle_close(m);
	int lock = ob_mutex_lock(m, 0);
	int unlock = ob_mutex_unlock(m);
	int m2 = ob_mutex_create(0);
	int wrong_kind = ob_sem_post(m2); /* a mutex is not a semaphore */
	int wrong_kind2 = ob_mutex_lock(s, 0);
	int zero = ob_handle_close(0), minus = ob_handle_close(-1);
	int huge = ob_handle_close(100000);
	check("close_stale",
	      first == 0 && again == -EBADF && lock == -EBADF && unlock == -EBADF &&
		      wrong_kind == -EBADF && wrong_kind2 == -EBADF && zero == -EBADF &&
		      minus == -EBADF && huge == -EBADF,
	      "close %d then %s; lock %s, unlock %s of the closed handle; wrong kind %s %s; "
	      "handles 0, -1, 100000: %s %s %s",
	      first, errname(again), errname(lock), errname(unlock), errname(wrong_kind),
	      errname(wrong_kind2), errname(zero), errname(minus), errname(huge));
	ob_handle_close(s);
	ob_handle_close(m2);
}

void kobjs_sync_checks(void)
{
	mutex_recursive();
	mutex_deadlk();
	mutex_not_owner();
	mutex_timeout_and_try();
	mutex_priority_order();
	sem_max();
	sem_timeout();
	close_busy();
	close_stale();
}
