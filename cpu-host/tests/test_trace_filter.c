/*
 * Unit tests: the trace's call filter (trace_filter.h), which the CPU host
 * and the launcher share: domains, "all", call names, and the errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calls.h"
#include "trace_filter.h"

static bool has_call(const uint8_t calls[32], const char *name)
{
	const struct obh_call *c = obh_call_by_name(name);
	assert_non_null(c);
	return calls[c->num / 8] & (1u << (c->num % 8));
}

static void test_domains_and_names(void **state)
{
	(void)state;
	uint32_t mask;
	uint8_t calls[32];
	char bad[200];
	assert_int_equal(obh_trace_parse_filter("fs,kernel", &mask, calls, bad, sizeof(bad)), 0);
	assert_int_equal(mask, (1u << OBH_DOMAIN_FS) | (1u << OBH_DOMAIN_KERNEL));
	assert_false(obh_trace_any_call(calls));

	assert_int_equal(obh_trace_parse_filter("open,read,display_present", &mask, calls, bad,
						sizeof(bad)), 0);
	assert_int_equal(mask, 0);
	assert_true(obh_trace_any_call(calls));
	assert_true(has_call(calls, "open"));
	assert_true(has_call(calls, "read"));
	assert_true(has_call(calls, "display_present"));
	assert_false(has_call(calls, "write"));
	assert_false(has_call(calls, "display_clear"));

	/* Mixed, and all. */
	assert_int_equal(obh_trace_parse_filter("sound,sem_wait", &mask, calls, bad, sizeof(bad)), 0);
	assert_int_equal(mask, 1u << OBH_DOMAIN_SOUND);
	assert_true(has_call(calls, "sem_wait"));
	assert_int_equal(obh_trace_parse_filter("all", &mask, calls, bad, sizeof(bad)), 0);
	assert_int_equal(mask, (1u << OBH_DOMAIN_COUNT) - 1);
}

static void test_errors(void **state)
{
	(void)state;
	uint32_t mask;
	uint8_t calls[32];
	char bad[200];
	assert_int_equal(obh_trace_parse_filter("fs,opne", &mask, calls, bad, sizeof(bad)),
			 -EINVAL);
	assert_non_null(strstr(bad, "'opne' is neither a domain"));
	assert_int_equal(obh_trace_parse_filter("", &mask, calls, bad, sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "the list is empty");
	assert_int_equal(obh_trace_parse_filter(",,", &mask, calls, bad, sizeof(bad)), -EINVAL);
	assert_int_equal(obh_trace_parse_filter("fs,,kernel", &mask, calls, bad, sizeof(bad)),
			 -EINVAL);
	assert_string_equal(bad, "an empty name in the list; got 'fs,,kernel'");
	assert_int_equal(obh_trace_parse_filter("fs,", &mask, calls, bad, sizeof(bad)), -EINVAL);
	char longlist[2000];
	memset(longlist, 'a', sizeof(longlist) - 1);
	longlist[sizeof(longlist) - 1] = '\0';
	assert_int_equal(obh_trace_parse_filter(longlist, &mask, calls, bad, sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "the list is too long");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domains_and_names),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
