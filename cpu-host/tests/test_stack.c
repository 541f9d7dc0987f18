/*
 * Unit tests of the initial stack (src/stack.c): the docs/abi.md "Entry"
 * layout checked word by word, alignment, the size limit and errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "mem.h"
#include "stack.h"

struct fx {
	uc_engine *uc;
	struct obh_mem *m;
	uint32_t lo, hi;
};

static int setup(void **state)
{
	static struct fx f;

	assert_int_equal(uc_open(UC_ARCH_ARM, UC_MODE_ARM, &f.uc), UC_ERR_OK);
	assert_int_equal(obh_mem_create(f.uc, &f.m), 0);
	assert_int_equal(obh_mem_alloc_stack(f.m, 0x100000, "stack:0", &f.lo, &f.hi), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	obh_mem_destroy(f->m);
	uc_close(f->uc);
	return 0;
}

static uint32_t word(struct obh_mem *m, uint32_t addr)
{
	uint32_t v;

	assert_int_equal(obh_mem_read(m, addr, &v, 4), 0);
	return v;
}

/* Checks a NULL-terminated vector of guest pointers against strs, and that
 * each string follows the previous one; returns the address after the last
 * string (or `next` when the vector is empty). */
static uint32_t check_vector(struct obh_mem *m, uint32_t at, const char *const *strs, uint32_t next)
{
	char buf[256];
	size_t i = 0;

	for (; strs && strs[i]; i++) {
		uint32_t p = word(m, at + 4 * (uint32_t)i);

		assert_int_equal(p, next);
		assert_int_equal(obh_mem_read_str(m, p, buf, sizeof(buf)), (int)strlen(strs[i]));
		assert_string_equal(buf, strs[i]);
		next = p + (uint32_t)strlen(strs[i]) + 1;
	}
	assert_int_equal(word(m, at + 4 * (uint32_t)i), 0);
	return next;
}

static void test_layout(void **state)
{
	struct fx *f = *state;
	const char *argv[] = { "/bin/prog", "a b", "", NULL };
	const char *envp[] = { "HOME=/", "X=1", NULL };
	struct obh_entry_stack e;
	size_t strings = 0;

	for (int i = 0; argv[i]; i++)
		strings += strlen(argv[i]) + 1;
	for (int i = 0; envp[i]; i++)
		strings += strlen(envp[i]) + 1;
	assert_int_equal(obh_stack_build(f->m, f->lo, f->hi, argv, envp, &e), 0);
	assert_int_equal(e.sp % 8, 0);
	assert_int_equal(e.argc, 3);
	assert_int_equal(word(f->m, e.sp), 3);
	assert_int_equal(e.argv, e.sp + 4);
	assert_int_equal(e.envp, e.sp + 4 * (3 + 2));
	/* strings start right after the padding and end at the top */
	uint32_t first = f->hi - (uint32_t)strings;
	assert_true(e.envp + 4 * 3 <= first);
	assert_true(first - (e.envp + 4 * 3) < 8);
	uint32_t next = check_vector(f->m, e.argv, argv, first);
	next = check_vector(f->m, e.envp, envp, next);
	assert_int_equal(next, f->hi);
}

static void test_empty(void **state)
{
	struct fx *f = *state;
	struct obh_entry_stack e;

	assert_int_equal(obh_stack_build(f->m, f->lo, f->hi, NULL, NULL, &e), 0);
	assert_int_equal(e.argc, 0);
	assert_int_equal(e.sp % 8, 0);
	assert_true(e.sp + 12 <= f->hi && f->hi - e.sp < 12 + 8);
	assert_int_equal(word(f->m, e.sp), 0);
	assert_int_equal(e.argv, e.sp + 4);
	assert_int_equal(word(f->m, e.sp + 4), 0);
	assert_int_equal(e.envp, e.sp + 8);
	assert_int_equal(word(f->m, e.sp + 8), 0);
}

static void test_alignment(void **state)
{
	struct fx *f = *state;
	char name[32];
	const char *argv[] = { name, NULL };
	struct obh_entry_stack e;

	for (int len = 0; len < 24; len++) {
		memset(name, 'p', (size_t)len);
		name[len] = '\0';
		assert_int_equal(obh_stack_build(f->m, f->lo, f->hi, argv, NULL, &e), 0);
		assert_int_equal(e.sp % 8, 0);
		assert_int_equal(check_vector(f->m, e.argv, argv, f->hi - (uint32_t)len - 1), f->hi);
		assert_int_equal(word(f->m, e.envp), 0);
		assert_true(e.envp + 4 <= f->hi - (uint32_t)len - 1);
	}
}

static void test_too_big(void **state)
{
	struct fx *f = *state;
	static char arg[1100];
	const char *argv[] = { arg, NULL };
	struct obh_entry_stack e;
	uint32_t v = 0x11111111;

	/* a one-page stack: arguments may take 1024 bytes, 16 + 7 of them for
	 * the pointers and the worst-case padding */
	assert_int_equal(obh_mem_map(f->m, 0x100000, 0x1000, OBH_PROT_R | OBH_PROT_W, "small"), 0);
	memset(arg, 'a', 1000);
	assert_int_equal(obh_stack_build(f->m, 0x100000, 0x101000, argv, NULL, &e), 0);
	memset(arg, 'a', 1001);
	assert_int_equal(obh_mem_write(f->m, 0x100ff0, &v, 4), 0);
	assert_int_equal(obh_stack_build(f->m, 0x100000, 0x101000, argv, NULL, &e), -E2BIG);
	assert_int_equal(word(f->m, 0x100ff0), 0x11111111); /* nothing written */
	assert_int_equal(obh_stack_build(f->m, 0x101000, 0x101000, argv, NULL, &e), -EINVAL);
}

static void test_not_writable(void **state)
{
	struct fx *f = *state;
	const char *argv[] = { "x", NULL };
	struct obh_entry_stack e;

	assert_int_equal(obh_mem_map(f->m, 0x100000, 0x1000, OBH_PROT_R, "ro"), 0);
	assert_int_equal(obh_stack_build(f->m, 0x100000, 0x101000, argv, NULL, &e), -EFAULT);
	assert_int_equal(obh_stack_build(f->m, 0x200000, 0x201000, argv, NULL, &e), -EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_writable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
