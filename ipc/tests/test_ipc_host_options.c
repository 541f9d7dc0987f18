/* The CPU host's option values: sizes, milliseconds, trace lists and
 * environment names, as outboard-cpu and the launcher both parse them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "outboard/host_options.h"

static void test_size(void **state)
{
	static const struct {
		const char *s;
		uint32_t v;
	} good[] = {
		{"1", 1}, {"4096", 4096}, {"512k", 512u << 10}, {"512K", 512u << 10},
		{"64M", 64u << 20}, {"64m", 64u << 20}, {"1G", 1u << 30}, {"0x1000", 0x1000},
		{"2147483647", 0x7fffffffu}, {"2097151k", 2097151u << 10},
	};
	static const char *const bad[] = {
		"", "0", "0M", "-1", " 1", "1 ", "64MB", "2G", "2048M", "2147483648",
		"99999999999999999999", "M", "1T", "lots", "+5",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint32_t v = 0;
		assert_int_equal(ob_size_parse(good[i].s, &v), 0);
		assert_int_equal(v, good[i].v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t v = 77;
		assert_int_equal(ob_size_parse(bad[i], &v), -EINVAL);
		assert_int_equal(v, 77); /* untouched */
	}
}

static void test_ms(void **state)
{
	static const char *const bad[] = { "", "-1", "3600001", "1.5", "10ms", " 5", "x" };
	int v;
	(void)state;
	assert_int_equal(ob_ms_parse("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ob_ms_parse("3600000", &v), 0);
	assert_int_equal(v, 3600000);
	assert_int_equal(ob_ms_parse("250", &v), 0);
	assert_int_equal(v, 250);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 9;
		assert_int_equal(ob_ms_parse(bad[i], &v), -EINVAL);
		assert_int_equal(v, 9);
	}
}

static void test_env_name(void **state)
{
	(void)state;
	assert_int_equal(ob_env_name_check("HOME", 4), 0);
	assert_int_equal(ob_env_name_check("A=B", 1), 0); /* only the first len bytes */
	assert_int_equal(ob_env_name_check("A=B", 3), -EINVAL);
	assert_int_equal(ob_env_name_check("", 0), -EINVAL);
	assert_int_equal(ob_env_name_check("=X", 2), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_ms),
		cmocka_unit_test(test_env_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
