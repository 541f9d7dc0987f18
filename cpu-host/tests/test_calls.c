/*
 * Unit tests of the call table (src/calls_table.c): the invariants the
 * dispatcher, the marshaller, the SDK generator and the trace printer rely
 * on, the lookups, and obh_arg_len's arithmetic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "calls.h"
#include "outboard/host_options.h"

static const struct obh_call *by_name_or_fail(const char *name)
{
	const struct obh_call *c = obh_call_by_name(name);
	if (!c)
		fail_msg("no call named %s", name);
	return c;
}

static void test_table_not_empty(void **state)
{
	(void)state;
	assert_true(obh_ncalls > 0);
	/* Each domain the ABI documents has calls. */
	unsigned per_domain[OBH_DOMAIN_COUNT] = { 0 };
	for (unsigned i = 0; i < obh_ncalls; i++) {
		assert_true((unsigned)obh_calls[i].domain < OBH_DOMAIN_COUNT);
		per_domain[obh_calls[i].domain]++;
	}
	assert_true(per_domain[OBH_DOMAIN_KERNEL] > 0);
	assert_true(per_domain[OBH_DOMAIN_FS] > 0);
	assert_true(per_domain[OBH_DOMAIN_DISPLAY] > 0);
	assert_true(per_domain[OBH_DOMAIN_SOUND] > 0);
}

static void test_kernel_entries_have_handlers(void **state)
{
	(void)state;
	for (unsigned i = 0; i < obh_ncalls; i++) {
		const struct obh_call *c = &obh_calls[i];
		if (c->domain == OBH_DOMAIN_KERNEL) {
			if (!c->local)
				fail_msg("kernel call %s (%u) has no local handler", c->name, c->num);
			assert_int_equal(c->mode, OBH_LOCAL);
			assert_int_equal(c->entry, OBH_SYSCALL);
		} else {
			/* A domain call goes to a plugin; a handler would never run. */
			if (c->local)
				fail_msg("%s call %s has a local handler", obh_domain_name(c->domain),
					 c->name);
			assert_int_not_equal(c->mode, OBH_LOCAL);
		}
	}
}

static void test_numbers_and_names_unique(void **state)
{
	(void)state;
	for (unsigned i = 0; i < obh_ncalls; i++) {
		const struct obh_call *c = &obh_calls[i];
		if (c->num >= 256)
			fail_msg("call %s has number %u >= 256", c->name, c->num);
		assert_non_null(c->name);
		assert_true(c->name[0] != '\0');
		assert_non_null(c->doc);
		assert_true(c->doc[0] != '\0');
		for (unsigned j = i + 1; j < obh_ncalls; j++) {
			if (obh_calls[j].num == c->num)
				fail_msg("calls %s and %s share number %u", c->name, obh_calls[j].name,
					 c->num);
			if (strcmp(obh_calls[j].name, c->name) == 0)
				fail_msg("two calls are named %s", c->name);
		}
	}
}

static void test_argument_counts(void **state)
{
	(void)state;
	for (unsigned i = 0; i < obh_ncalls; i++) {
		const struct obh_call *c = &obh_calls[i];
		unsigned max = c->entry == OBH_SYSCALL ? OBH_MAX_SYSCALL_ARGS : OBH_MAX_ARGS;
		if (c->nargs > max)
			fail_msg("%s takes %u arguments, more than %u", c->name, c->nargs, max);
		for (unsigned a = 0; a < c->nargs; a++) {
			if (c->args[a].kind == OBH_A_NONE || !c->args[a].name)
				fail_msg("%s: argument %u has no kind or name", c->name, a);
		}
		/* The slots past nargs stay empty: nargs is not miscounted. */
		for (unsigned a = c->nargs; a < OBH_MAX_ARGS; a++)
			if (c->args[a].kind != OBH_A_NONE)
				fail_msg("%s: argument %u lies past nargs %u", c->name, a, c->nargs);
	}
}

static bool is_count(enum obh_arg_kind k)
{
	return k == OBH_A_INT || k == OBH_A_UINT;
}

static void test_length_indexes(void **state)
{
	(void)state;
	unsigned buffers = 0;
	for (unsigned i = 0; i < obh_ncalls; i++) {
		const struct obh_call *c = &obh_calls[i];
		for (unsigned a = 0; a < c->nargs; a++) {
			const struct obh_arg *arg = &c->args[a];
			if (arg->kind == OBH_A_OUT_STRUCT && !arg->msg)
				fail_msg("%s: OUT_STRUCT %s has no layout", c->name, arg->name);
			if (arg->kind != OBH_A_IN_BUF && arg->kind != OBH_A_OUT_BUF &&
			    arg->kind != OBH_A_OUT_STR) {
				if (arg->len_times)
					fail_msg("%s: %s has len_times but no buffer", c->name, arg->name);
				continue;
			}
			buffers++;
			if (arg->len >= c->nargs || arg->len == a || !is_count(c->args[arg->len].kind))
				fail_msg("%s: buffer %s's length index %u is not an INT/UINT argument",
					 c->name, arg->name, arg->len);
			if (arg->len_times) {
				unsigned t = arg->len_times - 1u;
				if (arg->kind != OBH_A_IN_BUF)
					fail_msg("%s: only IN_BUF may have len_times", c->name);
				if (t >= c->nargs || t == a || !is_count(c->args[t].kind))
					fail_msg("%s: buffer %s's row count %u is not an INT/UINT argument",
						 c->name, arg->name, t);
			}
		}
	}
	assert_true(buffers > 0);
}

static void test_call_by_num(void **state)
{
	(void)state;
	for (unsigned i = 0; i < obh_ncalls; i++)
		assert_ptr_equal(obh_call_by_num(obh_calls[i].num), &obh_calls[i]);
	/* Numbers nobody uses: 0, the gap after tls_set, and everything >= 256. */
	assert_null(obh_call_by_num(0));
	assert_null(obh_call_by_num(13));
	assert_null(obh_call_by_num(255));
	assert_null(obh_call_by_num(256));
	assert_null(obh_call_by_num(0x10000 + 64)); /* no truncation to 16 or 8 bits */
	assert_null(obh_call_by_num(UINT32_MAX));
	const struct obh_call *open = obh_call_by_num(64);
	assert_non_null(open);
	assert_string_equal(open->name, "open");
	assert_int_equal(open->domain, OBH_DOMAIN_FS);
	assert_int_equal(open->result, OBH_R_FD);
}

static void test_call_by_name(void **state)
{
	(void)state;
	for (unsigned i = 0; i < obh_ncalls; i++)
		assert_ptr_equal(obh_call_by_name(obh_calls[i].name), &obh_calls[i]);
	assert_null(obh_call_by_name(""));
	assert_null(obh_call_by_name("nope"));
	assert_null(obh_call_by_name("OPEN"));    /* case matters */
	assert_null(obh_call_by_name("ob_open")); /* guest names, not C names */
	assert_null(obh_call_by_name("ope"));     /* no prefix matches */
	assert_null(obh_call_by_name("openx"));
	const struct obh_call *c = by_name_or_fail("display_clear");
	assert_int_equal(c->entry, OBH_IMPORT);
	assert_int_equal(c->mode, OBH_POSTED);
	c = by_name_or_fail("mutex_lock");
	assert_int_equal(c->num, 17);
	assert_int_equal(c->args[1].kind, OBH_A_TIMEOUT);
}

static void test_arg_len_plain(void **state)
{
	(void)state;
	const struct obh_call *w = by_name_or_fail("write"); /* fd, buf, count */
	uint32_t v[OBH_MAX_ARGS] = { 3, 0x20000, 100 };
	assert_int_equal(obh_arg_len(w, 1, v), 100);
	v[2] = 0;
	assert_int_equal(obh_arg_len(w, 1, v), 0);
	v[2] = UINT32_MAX; /* the largest length still fits */
	assert_int_equal(obh_arg_len(w, 1, v), (int64_t)UINT32_MAX);

	const struct obh_call *sw = by_name_or_fail("sound_write"); /* buf, len */
	uint32_t s[OBH_MAX_ARGS] = { 0x20000, 4096 };
	assert_int_equal(obh_arg_len(sw, 0, s), 4096);

	const struct obh_call *rd = by_name_or_fail("readdir"); /* dir, name, name_len */
	uint32_t r[OBH_MAX_ARGS] = { 4, 0x20000, 256 };
	assert_int_equal(obh_arg_len(rd, 1, r), 256);
}

static void test_arg_len_rows(void **state)
{
	(void)state;
	/* display_blit(x, y, w, h, format, stride, pixels): h rows of stride. */
	const struct obh_call *b = by_name_or_fail("display_blit");
	assert_int_equal(b->args[6].kind, OBH_A_IN_BUF);
	assert_true(b->args[6].len_times != 0);
	uint32_t v[OBH_MAX_ARGS] = { 0, 0, 10, 7, 1, 40, 0x20000 };
	assert_int_equal(obh_arg_len(b, 6, v), 7 * 40);
	v[3] = 0;
	assert_int_equal(obh_arg_len(b, 6, v), 0);
	v[3] = 0x10000;
	v[5] = 0xffff; /* 0xffff0000: just fits */
	assert_int_equal(obh_arg_len(b, 6, v), (int64_t)0xffff0000u);
	v[5] = 0x10000; /* 2^32: one past */
	assert_int_equal(obh_arg_len(b, 6, v), -1);
	v[3] = UINT32_MAX;
	v[5] = UINT32_MAX;
	assert_int_equal(obh_arg_len(b, 6, v), -1);
}

static void test_domain_names(void **state)
{
	(void)state;
	for (int d = 0; d < OBH_DOMAIN_COUNT; d++) {
		const char *n = obh_domain_name((enum obh_domain)d);
		assert_non_null(n);
		assert_int_equal(obh_domain_from_name(n), d);
	}
	assert_string_equal(obh_domain_name(OBH_DOMAIN_FS), "fs");
	assert_string_equal(obh_domain_name(OBH_DOMAIN_COUNT), "?");
	assert_int_equal(obh_domain_from_name("FS"), -1);
	assert_int_equal(obh_domain_from_name(""), -1);
	assert_int_equal(obh_domain_from_name("network"), -1);
}

/* --trace (outboard/host_options.h) names the domains bit by bit in this
 * table's order: bit d traces domain d. */
static void test_trace_names_are_the_domains(void **state)
{
	(void)state;
	int d = 0;
	for (; ob_trace_names[d]; d++)
		assert_string_equal(ob_trace_names[d], obh_domain_name((enum obh_domain)d));
	assert_int_equal(d, OBH_DOMAIN_COUNT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_not_empty),
		cmocka_unit_test(test_kernel_entries_have_handlers),
		cmocka_unit_test(test_numbers_and_names_unique),
		cmocka_unit_test(test_argument_counts),
		cmocka_unit_test(test_length_indexes),
		cmocka_unit_test(test_call_by_num),
		cmocka_unit_test(test_call_by_name),
		cmocka_unit_test(test_arg_len_plain),
		cmocka_unit_test(test_arg_len_rows),
		cmocka_unit_test(test_domain_names),
		cmocka_unit_test(test_trace_names_are_the_domains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
