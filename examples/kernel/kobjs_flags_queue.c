/*
 * kobjs checks of event flags and message queues (see kobjs.c for the
 * list). Waiters run above the main thread's priority, so each runs as
 * soon as it is created or woken, and the main thread sees the effect of
 * a set or a send right after the call.
 */
#include "kobjs.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* ---- event flags ---- */

#define WAITERS 3

static int evf;
static volatile int released;
static int release_order[WAITERS];
static uint32_t got_bits[WAITERS];

struct evf_wait_args {
	int index;
	uint32_t mask, mode;
};

static int evf_waiter(void *arg)
{
	const struct evf_wait_args *w = arg;
	int r = ob_evf_wait(evf, w->mask, w->mode, OB_FOREVER, &got_bits[w->index]);
	if (released < WAITERS)
		release_order[released] = w->index;
	released++;
	return r;
}

static void evf_manual_reset(void)
{
	evf = ob_evf_create(0, 0);
	released = 0;
	struct evf_wait_args args[WAITERS];
	int tids[WAITERS];
	for (int i = 0; i < WAITERS; i++) {
		args[i] = (struct evf_wait_args){ i, 0x1, OB_EVF_ANY };
		got_bits[i] = 0;
		tids[i] = spawn(evf_waiter, &args[i], HIGH_PRIO);
	}
	int before = released;
	int set = ob_evf_set(evf, 0x1);
	int after = released; /* every waiter outranks us and ran */
	uint32_t still = 0;
	int poll = ob_evf_wait(evf, 0x1, OB_EVF_ANY, 0, &still);
	int ok = before == 0 && set == 0 && after == WAITERS && poll == 0 && still == 0x1;
	for (int i = 0; i < WAITERS; i++)
		ok = join(tids[i]) == 0 && got_bits[i] == 0x1 && ok;
	check("evf_manual_reset", ok,
	      "released %d before and %d after one set, bits then %s (0x%lx), got 0x%lx 0x%lx 0x%lx",
	      before, after, errname(poll), (unsigned long)still, (unsigned long)got_bits[0],
	      (unsigned long)got_bits[1], (unsigned long)got_bits[2]);
	ob_handle_close(evf);
}

static void evf_auto_reset(void)
{
	evf = ob_evf_create(OB_EVF_AUTO_RESET, 0);
	released = 0;
	struct evf_wait_args args[WAITERS];
	int tids[WAITERS];
	/* Priorities 11, 10, 12: the set releases the highest first. */
	static const int prio[WAITERS] = { HIGH_PRIO + 1, HIGH_PRIO, HIGH_PRIO + 2 };
	for (int i = 0; i < WAITERS; i++) {
		args[i] = (struct evf_wait_args){ i, 0x1, OB_EVF_ANY };
		tids[i] = spawn(evf_waiter, &args[i], prio[i]);
	}
	int after[WAITERS], poll[WAITERS];
	for (int i = 0; i < WAITERS; i++) {
		ob_evf_set(evf, 0x1);
		after[i] = released;
		/* The released waiter consumed the bit. */
		poll[i] = ob_evf_wait(evf, 0x1, OB_EVF_ANY, 0, NULL);
	}
	int ok = 1;
	for (int i = 0; i < WAITERS; i++)
		ok = join(tids[i]) == 0 && after[i] == i + 1 && poll[i] == -EAGAIN && ok;
	ok = ok && release_order[0] == 1 && release_order[1] == 0 && release_order[2] == 2;
	check("evf_auto_reset", ok,
	      "released %d, %d, %d after each set; bit left set: %s %s %s; order %d %d %d",
	      after[0], after[1], after[2], errname(poll[0]), errname(poll[1]), errname(poll[2]),
	      release_order[0], release_order[1], release_order[2]);
	ob_handle_close(evf);
}

static void evf_any_all(void)
{
	int e = ob_evf_create(0, 0);
	uint32_t g1 = 0, g2 = 0, g3 = 0;
	int all_none = ob_evf_wait(e, 0x6, OB_EVF_ALL, 0, NULL);
	ob_evf_set(e, 0x2);
	int all_half = ob_evf_wait(e, 0x6, OB_EVF_ALL, 0, NULL);
	int any_half = ob_evf_wait(e, 0x6, OB_EVF_ANY, 0, &g1);
	ob_evf_set(e, 0xc);
	int all_full = ob_evf_wait(e, 0x6, OB_EVF_ALL, 0, &g2); /* 0x8 is not asked for */
	ob_evf_clear(e, 0x2);
	int cleared = ob_evf_wait(e, 0x2, OB_EVF_ANY, 0, NULL);
	int kept = ob_evf_wait(e, 0x4, OB_EVF_ANY, 0, &g3);
	int zero_mask = ob_evf_wait(e, 0, OB_EVF_ANY, 0, NULL);
	int bad_mode = ob_evf_wait(e, 0x1, 2, 0, NULL);
	int bad_flags = ob_evf_create(2, 0);
	ob_handle_close(e);
	check("evf_any_all",
	      all_none == -EAGAIN && all_half == -EAGAIN && any_half == 0 && g1 == 0x2 &&
		      all_full == 0 && g2 == 0x6 && cleared == -EAGAIN && kept == 0 && g3 == 0x4 &&
		      zero_mask == -EINVAL && bad_mode == -EINVAL && bad_flags == -EINVAL,
	      "ALL of none %s, ALL of half %s, ANY of half %d got 0x%lx, ALL %d got 0x%lx, "
	      "cleared bit %s, kept bit %d got 0x%lx, mask 0 %s, mode 2 %s, create(2) %s",
	      errname(all_none), errname(all_half), any_half, (unsigned long)g1, all_full,
	      (unsigned long)g2, errname(cleared), kept, (unsigned long)g3, errname(zero_mask),
	      errname(bad_mode), errname(bad_flags));

	/* A waiter for ALL of 0x3 stays blocked on half of it. */
	evf = ob_evf_create(0, 0);
	released = 0;
	struct evf_wait_args arg = { 0, 0x3, OB_EVF_ALL };
	got_bits[0] = 0;
	int tid = spawn(evf_waiter, &arg, HIGH_PRIO);
	ob_evf_set(evf, 0x1);
	int after_half = released;
	ob_evf_set(evf, 0x2);
	int after_all = released;
	int32_t r = join(tid);
	/* Auto reset consumes only the bits a wait saw. */
	int a = ob_evf_create(OB_EVF_AUTO_RESET, 0x5);
	uint32_t s1 = 0, s2 = 0;
	int w1 = ob_evf_wait(a, 0x1, OB_EVF_ANY, 0, &s1);
	int w2 = ob_evf_wait(a, 0x4, OB_EVF_ANY, 0, &s2);
	int w3 = ob_evf_wait(a, 0x5, OB_EVF_ANY, 0, NULL);
	check("evf_all_waiter",
	      after_half == 0 && after_all == 1 && r == 0 && got_bits[0] == 0x3 && w1 == 0 &&
		      s1 == 0x1 && w2 == 0 && s2 == 0x4 && w3 == -EAGAIN,
	      "released %d after 0x1, %d after 0x2 (got 0x%lx); auto reset: %d 0x%lx, %d 0x%lx, %s",
	      after_half, after_all, (unsigned long)got_bits[0], w1, (unsigned long)s1, w2,
	      (unsigned long)s2, errname(w3));
	ob_handle_close(evf);
	ob_handle_close(a);
}

static void evf_timeout(void)
{
	int e = ob_evf_create(0, 0x2);
	uint32_t got = 0xdead;
	int timed = ob_evf_wait(e, 0x1, OB_EVF_ANY, 20, &got);
	int polled = ob_evf_wait(e, 0x3, OB_EVF_ALL, 0, &got);
	check("evf_timeout", timed == -ETIMEDOUT && polled == -EAGAIN && got == 0xdead,
	      "wait 20 ms gave %s, wait 0 gave %s, got 0x%lx", errname(timed), errname(polled),
	      (unsigned long)got);
	ob_handle_close(e);
}

/* ---- message queues ---- */

static int queue;
static volatile int sender_done;

static int blocked_sender(void *arg)
{
	uint32_t v = (uint32_t)(uintptr_t)arg;
	int r = ob_queue_send(queue, &v, sizeof(v), OB_FOREVER);
	sender_done = 1;
	return r;
}

static volatile uint32_t received;

static int blocked_receiver(void *arg)
{
	(void)arg;
	uint32_t v = 0;
	int r = ob_queue_recv(queue, &v, sizeof(v), OB_FOREVER);
	received = v;
	return r;
}

static void queue_fifo(void)
{
	int q = ob_queue_create(8, 4);
	int sent[4], got_len[4];
	uint32_t got[4][2];
	for (uint32_t i = 0; i < 4; i++) {
		uint32_t msg[2] = { i + 1, 100 + i };
		sent[i] = ob_queue_send(q, msg, sizeof(msg), 0);
	}
	for (int i = 0; i < 4; i++)
		got_len[i] = ob_queue_recv(q, got[i], 8, 0);
	int ok = q > 0;
	for (uint32_t i = 0; i < 4; i++)
		ok = ok && sent[i] == 0 && got_len[i] == 8 && got[i][0] == i + 1 &&
		     got[i][1] == 100 + i;
	/* Shorter messages keep their length. */
	char three[8] = "abc", back[8] = { 0 };
	int s3 = ob_queue_send(q, three, 3, 0);
	int r3 = ob_queue_recv(q, back, sizeof(back), 0);
	ok = ok && s3 == 0 && r3 == 3 && memcmp(back, "abc", 3) == 0;
	check("queue_fifo", ok, "sends %d %d %d %d, received %lu %lu %lu %lu (lengths %d..%d), "
	      "short message %d/%d",
	      sent[0], sent[1], sent[2], sent[3], (unsigned long)got[0][0],
	      (unsigned long)got[1][0], (unsigned long)got[2][0], (unsigned long)got[3][0],
	      got_len[0], got_len[3], s3, r3);
	ob_handle_close(q);
}

static void queue_timeouts(void)
{
	int q = ob_queue_create(4, 1);
	uint32_t v = 7, w = 0;
	int first = ob_queue_send(q, &v, 4, 0);
	int full_poll = ob_queue_send(q, &v, 4, 0);
	int full_timed = ob_queue_send(q, &v, 4, 20);
	int take = ob_queue_recv(q, &w, 4, 0);
	int empty_poll = ob_queue_recv(q, &w, 4, 0);
	int empty_timed = ob_queue_recv(q, &w, 4, 20);
	check("queue_timeouts",
	      first == 0 && full_poll == -EAGAIN && full_timed == -ETIMEDOUT && take == 4 &&
		      w == 7 && empty_poll == -EAGAIN && empty_timed == -ETIMEDOUT,
	      "send %d, full: %s %s; recv %d, empty: %s %s", first, errname(full_poll),
	      errname(full_timed), take, errname(empty_poll), errname(empty_timed));
	ob_handle_close(q);
}

static void queue_msgsize(void)
{
	int q = ob_queue_create(8, 2);
	char big[9] = "12345678";
	int too_big = ob_queue_send(q, big, 9, 0);
	int fits = ob_queue_send(q, big, 8, 0);
	char small[4];
	int small_buf = ob_queue_recv(q, small, sizeof(small), 0);
	int bad_size = ob_queue_create(0, 4), bad_cap = ob_queue_create(8, 0);
	check("queue_msgsize",
	      too_big == -EMSGSIZE && fits == 0 && small_buf == -EINVAL && bad_size == -EINVAL &&
		      bad_cap == -EINVAL,
	      "9 bytes into 8: %s, 8 bytes: %d, receive into 4: %s, create(0,4) %s, create(8,0) %s",
	      errname(too_big), fits, errname(small_buf), errname(bad_size), errname(bad_cap));
	ob_handle_close(q);
}

static void queue_full_blocks(void)
{
	queue = ob_queue_create(4, 2);
	uint32_t a = 1, b = 2;
	ob_queue_send(queue, &a, 4, 0);
	ob_queue_send(queue, &b, 4, 0);
	sender_done = 0;
	int tid = spawn(blocked_sender, (void *)3, HIGH_PRIO);
	ob_thread_sleep(10); /* every chance to (wrongly) get through */
	int blocked = sender_done == 0;
	uint32_t v[3] = { 0, 0, 0 };
	int r1 = ob_queue_recv(queue, &v[0], 4, 0);
	int unblocked = sender_done == 1; /* room made: it outranks us and ran */
	int r2 = ob_queue_recv(queue, &v[1], 4, 0);
	int r3 = ob_queue_recv(queue, &v[2], 4, 0);
	int32_t sender = join(tid);
	int empty = ob_queue_recv(queue, &a, 4, 0);
	check("queue_full_blocks",
	      blocked && r1 == 4 && unblocked && r2 == 4 && r3 == 4 && v[0] == 1 && v[1] == 2 &&
		      v[2] == 3 && sender == 0 && empty == -EAGAIN,
	      "sender blocked %d, unblocked by a receive %d, received %lu %lu %lu, sender got %s",
	      blocked, unblocked, (unsigned long)v[0], (unsigned long)v[1], (unsigned long)v[2],
	      errname(sender));

	/* A receiver waiting on an empty queue gets the next message at once. */
	received = 0;
	tid = spawn(blocked_receiver, NULL, HIGH_PRIO);
	uint32_t msg = 42;
	int sent = ob_queue_send(queue, &msg, 4, 0);
	uint32_t seen = received;
	int32_t rr = join(tid);
	check("queue_handoff", sent == 0 && seen == 42 && rr == 4,
	      "send %d, the waiting receiver saw %lu and returned %d", sent, (unsigned long)seen,
	      (int)rr);
	ob_handle_close(queue);
}

void kobjs_flags_queue_checks(void)
{
	evf_manual_reset();
	evf_auto_reset();
	evf_any_all();
	evf_timeout();
	queue_fifo();
	queue_timeouts();
	queue_msgsize();
	queue_full_blocks();
}
