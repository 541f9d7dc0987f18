/*
 * Unit tests: the restart policy (restart.h): back-off doubling to its
 * cap, giving up after max crashes within the window, crashes leaving the
 * window, max 0 and the array's bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "restart.h"

static struct obl_restart_policy policy(int max, int64_t window_ms)
{
	struct obl_restart_policy p = obl_restart_policy_default();
	p.max = max;
	p.window_ms = window_ms;
	return p;
}

static void test_restart_defaults(void **state)
{
	(void)state;
	struct obl_restart_policy p = obl_restart_policy_default();
	assert_int_equal(p.max, 5);
	assert_int_equal(p.window_ms, 30000);
	assert_int_equal(p.first_ms, 100);
	assert_int_equal(p.cap_ms, 5000);
}

/* 100, 200, 400 ... and the fifth crash within the window gives up. */
static void test_restart_backoff_then_give_up(void **state)
{
	(void)state;
	struct obl_restart_policy p = policy(5, 30000);
	struct obl_crashes c;
	memset(&c, 0, sizeof(c));
	assert_int_equal(obl_crash_record(&c, &p, 1000), 100);
	assert_int_equal(obl_crash_record(&c, &p, 1200), 200);
	assert_int_equal(obl_crash_record(&c, &p, 1500), 400);
	assert_int_equal(obl_crash_record(&c, &p, 2000), 800);
	assert_int_equal(obl_crash_record(&c, &p, 3000), -1);
	assert_int_equal(c.n, 5);
}

static void test_restart_cap(void **state)
{
	(void)state;
	struct obl_restart_policy p = policy(OBL_RESTART_MAX_LIMIT, 1000000);
	struct obl_crashes c;
	memset(&c, 0, sizeof(c));
	int expect[] = { 100, 200, 400, 800, 1600, 3200, 5000, 5000 };
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		assert_int_equal(obl_crash_record(&c, &p, (int64_t)i), expect[i]);
	/* Many more: still capped, no overflow, until the limit gives up. */
	int last = 0;
	for (int i = 8; i < OBL_RESTART_MAX_LIMIT - 1; i++)
		last = obl_crash_record(&c, &p, i);
	assert_int_equal(last, 5000);
	assert_int_equal(obl_crash_record(&c, &p, 500), -1);
}

/* A cap below the doubling still holds, and odd values do not overflow. */
static void test_restart_odd_cap(void **state)
{
	(void)state;
	struct obl_restart_policy p = policy(50, 1000000);
	p.first_ms = 300;
	p.cap_ms = 1000;
	struct obl_crashes c;
	memset(&c, 0, sizeof(c));
	assert_int_equal(obl_crash_record(&c, &p, 0), 300);
	assert_int_equal(obl_crash_record(&c, &p, 1), 600);
	assert_int_equal(obl_crash_record(&c, &p, 2), 1000);
	assert_int_equal(obl_crash_record(&c, &p, 3), 1000);
}

/* Crashes older than the window are forgotten: the back-off starts over
 * and they do not count towards max. */
static void test_restart_window_forgets(void **state)
{
	(void)state;
	struct obl_restart_policy p = policy(3, 10000);
	struct obl_crashes c;
	memset(&c, 0, sizeof(c));
	assert_int_equal(obl_crash_record(&c, &p, 0), 100);
	assert_int_equal(obl_crash_record(&c, &p, 5000), 200);
	/* 0 is exactly one window before 10000: out. 5000 stays. */
	assert_int_equal(obl_crash_record(&c, &p, 10000), 200);
	assert_int_equal(c.n, 2);
	/* Long after both: like the first crash. */
	assert_int_equal(obl_crash_record(&c, &p, 100000), 100);
	assert_int_equal(c.n, 1);
	/* Three within 10 s of each other give up. */
	assert_int_equal(obl_crash_record(&c, &p, 100001), 200);
	assert_int_equal(obl_crash_record(&c, &p, 109999), -1);
}

static void test_restart_off(void **state)
{
	(void)state;
	struct obl_restart_policy p = policy(0, 30000);
	struct obl_crashes c;
	memset(&c, 0, sizeof(c));
	assert_int_equal(obl_crash_record(&c, &p, 0), -1);
	/* max 1: the first crash gives up as well. */
	p.max = 1;
	memset(&c, 0, sizeof(c));
	assert_int_equal(obl_crash_record(&c, &p, 0), -1);
	/* max 2: one restart. */
	p.max = 2;
	memset(&c, 0, sizeof(c));
	assert_int_equal(obl_crash_record(&c, &p, 0), 100);
	assert_int_equal(obl_crash_record(&c, &p, 1), -1);
}

/* Recording past a give-up (the caller should not, but a full array must
 * stay in bounds). */
static void test_restart_full_array(void **state)
{
	(void)state;
	struct obl_restart_policy p = policy(OBL_RESTART_MAX_LIMIT, 1000000);
	struct obl_crashes c;
	memset(&c, 0, sizeof(c));
	for (int i = 0; i < 3 * OBL_RESTART_MAX_LIMIT; i++)
		obl_crash_record(&c, &p, i);
	assert_true(c.n <= OBL_RESTART_MAX_LIMIT + 1);
	assert_int_equal(c.at[c.n - 1], 3 * OBL_RESTART_MAX_LIMIT - 1);
	assert_int_equal(obl_crash_record(&c, &p, 1000), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restart_defaults),
		cmocka_unit_test(test_restart_backoff_then_give_up),
		cmocka_unit_test(test_restart_cap),
		cmocka_unit_test(test_restart_odd_cap),
		cmocka_unit_test(test_restart_window_forgets),
		cmocka_unit_test(test_restart_off),
		cmocka_unit_test(test_restart_full_array),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
