/*
 * deadlock: two threads each hold a mutex and wait forever on the one the
 * other holds, while main waits forever to join them. The host must see
 * that nothing can ever run again and end the run with status 124 and a
 * report naming every waiting thread and what it waits on.
 *
 * Before it deadlocks it prints, for the test to match against the report:
 *
 *   deadlock: thread <a> holds mutex <m1> and waits on mutex <m2>
 *   deadlock: thread <b> holds mutex <m2> and waits on mutex <m1>
 *
 * If the host lets any wait return, it prints `FAIL: ...` and exits with 1.
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>

static int m1, m2, both_hold; /* event flags: bit 0 a holds, bit 1 b holds */

struct grab {
	int first, second;
	uint32_t bit;
};

static int grab_two(void *arg)
{
	const struct grab *g = arg;
	ob_mutex_lock(g->first, OB_FOREVER);
	/* Both hold their first mutex before either asks for the second. */
	ob_evf_set(both_hold, g->bit);
	ob_evf_wait(both_hold, 0x3, OB_EVF_ALL, OB_FOREVER, NULL);
	int r = ob_mutex_lock(g->second, OB_FOREVER);
	printf("FAIL: thread %d got mutex %d (%d)\n", ob_thread_self(), g->second, r);
	return 1;
}

int main(void)
{
	m1 = ob_mutex_create(0);
	m2 = ob_mutex_create(0);
	both_hold = ob_evf_create(0, 0);
	static struct grab ga, gb;
	ga = (struct grab){ m1, m2, 0x1 };
	gb = (struct grab){ m2, m1, 0x2 };
	int a = ob_thread_spawn(grab_two, &ga, OB_PRIO_DEFAULT, 0);
	int b = ob_thread_spawn(grab_two, &gb, OB_PRIO_DEFAULT, 0);
	if (m1 < 0 || m2 < 0 || both_hold < 0 || a < 0 || b < 0) {
		printf("FAIL: setup: mutexes %d %d, event flags %d, threads %d %d\n", m1, m2,
		       both_hold, a, b);
		return 1;
	}
	printf("deadlock: thread %d holds mutex %d and waits on mutex %d\n", a, m1, m2);
	printf("deadlock: thread %d holds mutex %d and waits on mutex %d\n", b, m2, m1);
	fflush(stdout);
	int r = ob_thread_join(a, NULL, OB_FOREVER);
	printf("FAIL: main joined thread %d (%d)\n", a, r);
	return 1;
}
