/*
 * Unit tests of the guest address space (src/mem.c) on a real Unicorn
 * engine: mapping rules, permission-checked copies across regions, the
 * 4 GiB wrap, strings, splitting unmap/protect, heap and stacks, and that
 * the engine sees what the table says.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "mem.h"

#define R OBH_PROT_R
#define W OBH_PROT_W
#define X OBH_PROT_X
#define RW (OBH_PROT_R | OBH_PROT_W)
#define MiB 0x100000u

struct fx {
	uc_engine *uc;
	struct obh_mem *m;
};

static int setup(void **state)
{
	static struct fx f;

	assert_int_equal(uc_open(UC_ARCH_ARM, UC_MODE_ARM, &f.uc), UC_ERR_OK);
	assert_int_equal(obh_mem_create(f.uc, &f.m), 0);
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

static struct obh_mem *M(void **state)
{
	return ((struct fx *)*state)->m;
}

static uint32_t uc_region_count(void **state)
{
	uc_mem_region *r;
	uint32_t n;

	assert_int_equal(uc_mem_regions(((struct fx *)*state)->uc, &r, &n), UC_ERR_OK);
	uc_free(r);
	return n;
}

static void test_map_and_find(void **state)
{
	struct obh_mem *m = M(state);
	uint8_t buf[4] = { 1, 2, 3, 4 }, out[4];

	assert_int_equal(obh_mem_map(m, 0x10000, 0x2000, RW, "data"), 0);
	const struct obh_region *r = obh_mem_find(m, 0x11fff);
	assert_non_null(r);
	assert_int_equal(r->start, 0x10000);
	assert_int_equal(r->size, 0x2000);
	assert_int_equal(r->prot, RW);
	assert_string_equal(r->name, "data");
	assert_null(obh_mem_find(m, 0x12000));
	assert_null(obh_mem_find(m, 0xffff));
	assert_int_equal(obh_mem_region_count(m), 1);
	assert_ptr_equal(obh_mem_region(m, 0), r);
	assert_null(obh_mem_region(m, 1));
	/* zero-filled, and the host view is the engine's memory */
	assert_int_equal(obh_mem_read(m, 0x10100, out, 4), 0);
	assert_memory_equal(out, "\0\0\0\0", 4);
	assert_int_equal(obh_mem_write(m, 0x10100, buf, 4), 0);
	assert_int_equal(uc_mem_read(((struct fx *)*state)->uc, 0x10100, out, 4), UC_ERR_OK);
	assert_memory_equal(out, buf, 4);
	/* long names are truncated */
	assert_int_equal(obh_mem_map(m, 0x20000, 0x1000, R, "a-very-long-region-name-indeed"), 0);
	assert_int_equal(strlen(obh_mem_find(m, 0x20000)->name), OBH_REGION_NAME_MAX - 1);
}

static void test_map_invalid(void **state)
{
	struct obh_mem *m = M(state);

	assert_int_equal(obh_mem_map(m, 0x10001, 0x1000, R, "x"), -EINVAL);
	assert_int_equal(obh_mem_map(m, 0x10000, 0x800, R, "x"), -EINVAL);
	assert_int_equal(obh_mem_map(m, 0x10000, 0, R, "x"), -EINVAL);
	assert_int_equal(obh_mem_map(m, 0x0, 0x1000, R, "x"), -EINVAL);
	assert_int_equal(obh_mem_map(m, 0xfffff000, 0x2000, R, "x"), -EINVAL);
	assert_int_equal(obh_mem_map(m, 0x10000, 0x1000, 8, "x"), -EINVAL);
	assert_int_equal(obh_mem_map(m, 0x10000, 0x1000, R, NULL), -EINVAL);
	assert_int_equal(obh_mem_region_count(m), 0);
	/* the last page of the address space is fine */
	assert_int_equal(obh_mem_map(m, 0xfffff000, 0x1000, R, "top"), 0);
	assert_int_equal(obh_region_end(obh_mem_find(m, 0xffffffff)), (uint64_t)1 << 32);
}

/* Page 0 is always the guard; the loader's caller raises it up to the
 * image, at most 64 KiB, and nothing is mapped there afterwards. */
static void test_null_guard(void **state)
{
	struct obh_mem *m = M(state);
	char buf[96];

	assert_int_equal(obh_mem_null_guard_end(m), 0x1000);
	assert_string_equal(obh_mem_describe(m, 0xfff, buf, sizeof(buf)), "NULL guard");
	assert_int_equal(obh_mem_map(m, 0x1000, 0x1000, R, "low"), 0);
	assert_int_equal(obh_mem_set_null_guard(m, 0x8000), -EINVAL); /* "low" is below */
	assert_int_equal(obh_mem_unmap(m, 0x1000, 0x1000), 0);
	assert_int_equal(obh_mem_map(m, 0x8000, 0x1000, R | X, "text"), 0);
	assert_int_equal(obh_mem_set_null_guard(m, 0x8800), -EINVAL);  /* not a page */
	assert_int_equal(obh_mem_set_null_guard(m, 0x0), -EINVAL);     /* below page 0's end */
	assert_int_equal(obh_mem_set_null_guard(m, 0x20000), -EINVAL); /* past 64 KiB */
	assert_int_equal(obh_mem_set_null_guard(m, 0x9000), -EINVAL);  /* text is below */
	assert_int_equal(obh_mem_set_null_guard(m, 0x8000), 0);
	assert_int_equal(obh_mem_null_guard_end(m), 0x8000);
	assert_string_equal(obh_mem_describe(m, 0x7ffc, buf, sizeof(buf)), "NULL guard");
	assert_string_equal(obh_mem_describe(m, 0x8004, buf, sizeof(buf)), "text+0x4");
	assert_int_equal(obh_mem_map(m, 0x7000, 0x1000, RW, "x"), -EINVAL);
	assert_int_equal(obh_mem_map(m, 0x0, 0x1000, RW, "x"), -EINVAL);
	assert_int_equal(obh_mem_region_count(m), 1);
}

static void test_map_overlap(void **state)
{
	struct obh_mem *m = M(state);

	assert_int_equal(obh_mem_map(m, 0x20000, 0x2000, RW, "a"), 0);
	assert_int_equal(obh_mem_map(m, 0x21000, 0x2000, RW, "b"), -EEXIST);
	assert_int_equal(obh_mem_map(m, 0x1f000, 0x2000, RW, "b"), -EEXIST);
	assert_int_equal(obh_mem_map(m, 0x10000, 0x20000, RW, "b"), -EEXIST);
	assert_int_equal(obh_mem_map(m, 0x22000, 0x1000, RW, "b"), 0);
	assert_int_equal(obh_mem_map(m, 0x1f000, 0x1000, RW, "c"), 0);
	assert_int_equal(obh_mem_region_count(m), 3);
	assert_int_equal(uc_region_count(state), 3);
	assert_string_equal(obh_mem_region(m, 0)->name, "c");
	assert_string_equal(obh_mem_region(m, 2)->name, "b");
}

static void test_permissions(void **state)
{
	struct obh_mem *m = M(state);
	uint32_t v = 0xdeadbeef, out = 0;

	assert_int_equal(obh_mem_map(m, 0x30000, 0x1000, R, "ro"), 0);
	assert_int_equal(obh_mem_map(m, 0x31000, 0x1000, W, "wo"), 0);
	assert_int_equal(obh_mem_map(m, 0x32000, 0x1000, 0, "none"), 0);
	assert_int_equal(obh_mem_write(m, 0x30000, &v, 4), -EFAULT);
	assert_int_equal(obh_mem_read(m, 0x30000, &out, 4), 0);
	assert_int_equal(obh_mem_read(m, 0x31000, &out, 4), -EFAULT);
	assert_int_equal(obh_mem_write(m, 0x31000, &v, 4), 0);
	assert_int_equal(obh_mem_check(m, 0x30000, 4, R), 0);
	assert_int_equal(obh_mem_check(m, 0x30000, 4, RW), -EFAULT);
	assert_int_equal(obh_mem_check(m, 0x31000, 4, W), 0);
	/* poke and peek ignore permissions, not mappings */
	assert_int_equal(obh_mem_poke(m, 0x30010, &v, 4), 0);
	assert_int_equal(obh_mem_peek(m, 0x32000, &out, 4), 0);
	assert_int_equal(obh_mem_poke(m, 0x32000, &v, 4), 0);
	assert_int_equal(obh_mem_peek(m, 0x32000, &out, 4), 0);
	assert_int_equal(out, 0xdeadbeef);
	assert_int_equal(obh_mem_read(m, 0x30010, &out, 4), 0);
	assert_int_equal(out, 0xdeadbeef);
	assert_int_equal(obh_mem_poke(m, 0x33000, &v, 4), -EFAULT);
	assert_int_equal(obh_mem_peek(m, 0x2fffe, &out, 4), -EFAULT);
}

static void test_spanning(void **state)
{
	struct obh_mem *m = M(state);
	uint8_t in[16], out[16], big[0x3000];

	for (int i = 0; i < 16; i++)
		in[i] = (uint8_t)(0xa0 + i);
	assert_int_equal(obh_mem_map(m, 0x40000, 0x1000, RW, "a"), 0);
	assert_int_equal(obh_mem_map(m, 0x41000, 0x1000, RW, "b"), 0);
	assert_int_equal(obh_mem_map(m, 0x42000, 0x1000, R, "c"), 0);
	assert_int_equal(obh_mem_write(m, 0x40ff8, in, 16), 0);
	assert_int_equal(obh_mem_read(m, 0x40ff8, out, 16), 0);
	assert_memory_equal(in, out, 16);
	assert_int_equal(obh_mem_find(m, 0x41000)->host[0], 0xa8);
	assert_int_equal(obh_mem_read(m, 0x40000, big, sizeof(big)), 0);
	assert_int_equal(obh_mem_check(m, 0x40000, 0x3000, R), 0);
	/* a write reaching the read-only region fails and writes nothing */
	memset(in, 0x55, sizeof(in));
	assert_int_equal(obh_mem_write(m, 0x41ff8, in, 16), -EFAULT);
	assert_int_equal(obh_mem_read(m, 0x41ff8, out, 8), 0);
	assert_memory_equal(out, "\0\0\0\0\0\0\0\0", 8);
	/* a hole between regions */
	assert_int_equal(obh_mem_map(m, 0x44000, 0x1000, RW, "d"), 0);
	assert_int_equal(obh_mem_read(m, 0x42ff8, out, 16), -EFAULT);
	assert_int_equal(obh_mem_read(m, 0x43ff8, out, 16), -EFAULT);
	assert_int_equal(obh_mem_check(m, 0x40000, 0x5000, R), -EFAULT);
}

static void test_unmapped_and_wrap(void **state)
{
	struct obh_mem *m = M(state);
	uint8_t buf[0x40] = { 0 };

	assert_int_equal(obh_mem_read(m, 0, buf, 4), -EFAULT);
	assert_int_equal(obh_mem_read(m, 0, buf, 0), 0);
	assert_int_equal(obh_mem_write(m, 0x12345678, buf, 0), 0);
	assert_int_equal(obh_mem_map(m, 0xfffff000, 0x1000, RW, "top"), 0);
	assert_int_equal(obh_mem_map(m, 0x10000, 0x1000, RW, "bottom"), 0);
	assert_int_equal(obh_mem_read(m, 0xfffffff0, buf, 0x10), 0);
	assert_int_equal(obh_mem_read(m, 0xfffffff0, buf, 0x11), -EFAULT);
	assert_int_equal(obh_mem_write(m, 0xfffffff0, buf, 0x20), -EFAULT);
	assert_int_equal(obh_mem_read(m, 0xffffffff, buf, 0xffffffffu), -EFAULT);
	assert_int_equal(obh_mem_check(m, 0xfffffffc, 8, R), -EFAULT);
	assert_null(obh_mem_host_ptr(m, 0xfffffff0, 0x20, R));
	assert_non_null(obh_mem_host_ptr(m, 0xfffffff0, 0x10, R));
}

static void test_read_str(void **state)
{
	struct obh_mem *m = M(state);
	char s[16];

	assert_int_equal(obh_mem_map(m, 0x50000, 0x1000, RW, "a"), 0);
	assert_int_equal(obh_mem_map(m, 0x51000, 0x1000, RW, "b"), 0);
	assert_int_equal(obh_mem_map(m, 0x52000, 0x1000, W, "wo"), 0);
	assert_int_equal(obh_mem_poke(m, 0x50000, "hello", 6), 0);
	assert_int_equal(obh_mem_read_str(m, 0x50000, s, sizeof(s)), 5);
	assert_string_equal(s, "hello");
	assert_int_equal(obh_mem_read_str(m, 0x50005, s, sizeof(s)), 0);
	assert_string_equal(s, "");
	/* exactly fits; one byte short */
	assert_int_equal(obh_mem_read_str(m, 0x50000, s, 6), 5);
	assert_int_equal(obh_mem_read_str(m, 0x50000, s, 5), -ENAMETOOLONG);
	assert_string_equal(s, "");
	assert_int_equal(obh_mem_read_str(m, 0x50000, s, 0), -ENAMETOOLONG);
	/* across two regions */
	assert_int_equal(obh_mem_poke(m, 0x50ffc, "abcdefg", 8), 0);
	assert_int_equal(obh_mem_read_str(m, 0x50ffc, s, sizeof(s)), 7);
	assert_string_equal(s, "abcdefg");
	/* runs into the write-only region before its NUL */
	memset(obh_mem_find(m, 0x51000)->host, 'x', 0x1000);
	assert_int_equal(obh_mem_read_str(m, 0x51ffc, s, sizeof(s)), -EFAULT);
	assert_string_equal(s, "");
	assert_int_equal(obh_mem_read_str(m, 0x51ffc, s, 4), -ENAMETOOLONG);
	/* starts unreadable or unmapped */
	assert_int_equal(obh_mem_read_str(m, 0x52000, s, sizeof(s)), -EFAULT);
	assert_int_equal(obh_mem_read_str(m, 0x60000, s, sizeof(s)), -EFAULT);
	/* runs off the end of the address space */
	assert_int_equal(obh_mem_map(m, 0xfffff000, 0x1000, R, "top"), 0);
	memset(obh_mem_find(m, 0xfffff000)->host, 'y', 0x1000);
	assert_int_equal(obh_mem_read_str(m, 0xfffffffa, s, sizeof(s)), -EFAULT);
	/* runs into an unmapped gap */
	assert_int_equal(obh_mem_map(m, 0x54000, 0x1000, R, "c"), 0);
	memset(obh_mem_find(m, 0x54000)->host, 'z', 0x1000);
	assert_int_equal(obh_mem_read_str(m, 0x54ffe, s, sizeof(s)), -EFAULT);
}

static void test_host_ptr(void **state)
{
	struct obh_mem *m = M(state);

	assert_int_equal(obh_mem_map(m, 0x60000, 0x1000, RW, "a"), 0);
	assert_int_equal(obh_mem_map(m, 0x61000, 0x1000, R, "b"), 0);
	uint8_t *p = obh_mem_host_ptr(m, 0x60010, 0x100, RW);
	assert_ptr_equal(p, obh_mem_find(m, 0x60000)->host + 0x10);
	assert_null(obh_mem_host_ptr(m, 0x60ff0, 0x20, R)); /* two regions */
	assert_null(obh_mem_host_ptr(m, 0x61000, 4, W));
	assert_non_null(obh_mem_host_ptr(m, 0x61000, 4, R));
	assert_null(obh_mem_host_ptr(m, 0x62000, 1, 0));
	assert_non_null(obh_mem_host_ptr(m, 0x61fff, 0, R));
}

static void test_describe(void **state)
{
	struct obh_mem *m = M(state);
	const struct obh_region *below, *above;
	uint32_t lo, hi;
	char buf[96];

	assert_int_equal(obh_mem_map(m, 0x10000, 0x1000, R | X, "text"), 0);
	assert_int_equal(obh_mem_map(m, 0x20000, 0x1000, RW, "heap"), 0);
	assert_int_equal(obh_mem_alloc_stack(m, 0x10000, "stack:2", &lo, &hi), 0);
	assert_string_equal(obh_mem_describe(m, 0x10024, buf, sizeof(buf)), "text+0x24");
	assert_string_equal(obh_mem_describe(m, 0x8, buf, sizeof(buf)), "NULL guard");
	assert_string_equal(obh_mem_describe(m, lo - 8, buf, sizeof(buf)),
			    "guard page, 8 bytes below stack:2");
	assert_string_equal(obh_mem_describe(m, 0x21000, buf, sizeof(buf)),
			    "unmapped, 1 bytes past the end of heap");
	assert_string_equal(obh_mem_describe(m, 0x1fff0, buf, sizeof(buf)),
			    "unmapped, 16 bytes below heap");
	assert_string_equal(obh_mem_describe(m, 0xfffffff0, buf, sizeof(buf)),
			    "unmapped, 2147549169 bytes past the end of stack:2");
	obh_mem_find_near(m, 0x18000, &below, &above);
	assert_string_equal(below->name, "text");
	assert_string_equal(above->name, "heap");
	obh_mem_find_near(m, 0x10000, &below, &above); /* inside text */
	assert_null(below);
	assert_string_equal(above->name, "heap");
	obh_mem_find_near(m, 0xffff0000, &below, &above);
	assert_string_equal(below->name, "stack:2");
	assert_null(above);
	/* small buffers are truncated, never overrun */
	char tiny[6] = "zzzzz";
	obh_mem_describe(m, 0x10024, tiny, 4);
	assert_string_equal(tiny, "tex");
	assert_int_equal(tiny[4], 'z');
}

static void test_unmap_split(void **state)
{
	struct obh_mem *m = M(state);
	struct fx *f = *state;
	uint8_t b = 0;

	assert_int_equal(obh_mem_map(m, 0x40000, 0x4000, RW, "blk"), 0);
	for (uint32_t a = 0x40000; a < 0x44000; a += 0x1000) {
		uint8_t v = (uint8_t)(a >> 12);
		assert_int_equal(obh_mem_write(m, a, &v, 1), 0);
	}
	assert_int_equal(obh_mem_unmap(m, 0x41000, 0x1000), 0);
	assert_int_equal(obh_mem_region_count(m), 2);
	assert_int_equal(obh_mem_read(m, 0x41000, &b, 1), -EFAULT);
	assert_int_not_equal(uc_mem_read(f->uc, 0x41000, &b, 1), UC_ERR_OK);
	assert_int_equal(obh_mem_read(m, 0x42000, &b, 1), 0);
	assert_int_equal(b, 0x42);
	assert_int_equal(uc_mem_read(f->uc, 0x43000, &b, 1), UC_ERR_OK);
	assert_int_equal(b, 0x43);
	assert_string_equal(obh_mem_find(m, 0x43000)->name, "blk");
	/* across the remaining pieces, and errors */
	assert_int_equal(obh_mem_unmap(m, 0x40000, 0x4000), -EFAULT);
	assert_int_equal(obh_mem_unmap(m, 0x42800, 0x1000), -EINVAL);
	assert_int_equal(obh_mem_unmap(m, 0x42000, 0), -EINVAL);
	assert_int_equal(obh_mem_map(m, 0x41000, 0x1000, R, "mid"), 0);
	assert_int_equal(obh_mem_unmap(m, 0x40000, 0x4000), 0);
	assert_int_equal(obh_mem_region_count(m), 0);
	assert_int_equal(uc_region_count(state), 0);
}

static void test_protect_split(void **state)
{
	struct obh_mem *m = M(state);
	struct fx *f = *state;
	uint32_t v = 1;
	uc_mem_region *r;
	uint32_t n;

	assert_int_equal(obh_mem_map(m, 0x40000, 0x3000, RW, "blk"), 0);
	assert_int_equal(obh_mem_protect(m, 0x41000, 0x1000, R), 0);
	assert_int_equal(obh_mem_region_count(m), 3);
	assert_int_equal(obh_mem_write(m, 0x41000, &v, 4), -EFAULT);
	assert_int_equal(obh_mem_write(m, 0x40ffc, &v, 4), 0);
	assert_int_equal(obh_mem_write(m, 0x42000, &v, 4), 0);
	assert_int_equal(uc_mem_regions(f->uc, &r, &n), UC_ERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(r[1].begin, 0x41000);
	assert_int_equal(r[1].perms, UC_PROT_READ);
	uc_free(r);
	assert_int_equal(obh_mem_protect(m, 0x40000, 0x3000, R | X), 0);
	assert_int_equal(obh_mem_check(m, 0x40000, 0x3000, R | X), 0);
	assert_int_equal(obh_mem_protect(m, 0x40000, 0x3000, 16), -EINVAL);
	assert_int_equal(obh_mem_protect(m, 0x40000, 0x4000, R), -EFAULT);
}

/* Runs one ARM instruction at 0x10000 with r1 = addr; returns the error. */
static uc_err run_one(struct fx *f, uint32_t insn, uint32_t r0, uint32_t r1)
{
	int reg0 = (int)r0, reg1 = (int)r1;

	assert_int_equal(obh_mem_poke(f->m, 0x10000, &insn, 4), 0);
	uc_reg_write(f->uc, UC_ARM_REG_R0, &reg0);
	uc_reg_write(f->uc, UC_ARM_REG_R1, &reg1);
	return uc_emu_start(f->uc, 0x10000, 0x10004, 0, 0);
}

static void test_guest_sees_table(void **state)
{
	struct fx *f = *state;
	uint32_t v = 0, r0 = 0;
	const uint32_t str_r0_r1 = 0xe5810000, mov_r0_1 = 0xe3a00001, mov_r0_2 = 0xe3a00002;

	assert_int_equal(obh_mem_map(f->m, 0x10000, 0x1000, R | X, "text"), 0);
	assert_int_equal(obh_mem_map(f->m, 0x20000, 0x1000, R, "ro"), 0);
	assert_int_equal(run_one(f, str_r0_r1, 0x1234, 0x20000), UC_ERR_WRITE_PROT);
	assert_int_equal(obh_mem_protect(f->m, 0x20000, 0x1000, RW), 0);
	assert_int_equal(run_one(f, str_r0_r1, 0x1234, 0x20000), UC_ERR_OK);
	assert_int_equal(obh_mem_read(f->m, 0x20000, &v, 4), 0);
	assert_int_equal(v, 0x1234);
	assert_int_equal(run_one(f, str_r0_r1, 1, 0x30000), UC_ERR_WRITE_UNMAPPED);
	/* rewriting code through poke drops Unicorn's translation of it */
	assert_int_equal(run_one(f, mov_r0_1, 0, 0), UC_ERR_OK);
	uc_reg_read(f->uc, UC_ARM_REG_R0, &r0);
	assert_int_equal(r0, 1);
	assert_int_equal(run_one(f, mov_r0_2, 0, 0), UC_ERR_OK);
	uc_reg_read(f->uc, UC_ARM_REG_R0, &r0);
	assert_int_equal(r0, 2);
}

static void test_heap(void **state)
{
	struct obh_mem *m = M(state);
	const uint32_t start = 0x100000, max = 0x40000;
	uint32_t s, b, l, v = 0xabcd;

	assert_int_equal(obh_mem_sbrk(m, 0), -ENOMEM);
	assert_int_equal(obh_mem_heap_init(m, start + 1, max), -EINVAL);
	assert_int_equal(obh_mem_heap_init(m, 0x10000, max), -EINVAL);
	assert_int_equal(obh_mem_heap_init(m, 0x6fff0000, 0x20000), -EINVAL);
	assert_int_equal(obh_mem_map(m, start - 0x1000, 0x1000, RW, "image"), 0);
	assert_int_equal(obh_mem_heap_init(m, start, max), -EEXIST); /* no gap */
	assert_int_equal(obh_mem_unmap(m, start - 0x1000, 0x1000), 0);
	assert_int_equal(obh_mem_heap_init(m, start, max), 0);
	assert_int_equal(obh_mem_heap_init(m, start, max), -EEXIST);
	assert_int_equal(obh_mem_map(m, start + max - 0x1000, 0x1000, RW, "x"), -EEXIST);

	assert_int_equal(obh_mem_sbrk(m, 0), start);
	assert_null(obh_mem_find(m, start));
	assert_int_equal(obh_mem_sbrk(m, 100), start);
	assert_int_equal(obh_mem_sbrk(m, 0), start + 100);
	assert_string_equal(obh_mem_find(m, start)->name, "heap");
	assert_int_equal(obh_mem_write(m, start + 96, &v, 4), 0);
	/* mapped in steps; beyond the step nothing is mapped */
	assert_int_equal(obh_mem_check(m, start, OBH_HEAP_STEP, RW), 0);
	assert_int_equal(obh_mem_check(m, start + OBH_HEAP_STEP, 1, R), -EFAULT);
	obh_mem_heap_info(m, &s, &b, &l);
	assert_int_equal(s, start);
	assert_int_equal(b, start + 100);
	assert_int_equal(l, start + max);

	/* to the limit and not past it */
	assert_int_equal(obh_mem_sbrk(m, (int32_t)max), -ENOMEM);
	assert_int_equal(obh_mem_sbrk(m, (int32_t)max - 100), start + 100);
	assert_int_equal(obh_mem_check(m, start, max, RW), 0);
	assert_int_equal(obh_mem_sbrk(m, 1), -ENOMEM);
	assert_int_equal(obh_mem_region_count(m), 1);

	/* shrink: pages above the break go; below start is refused */
	assert_int_equal(obh_mem_sbrk(m, -(int32_t)max + 0x1000), start + max);
	assert_int_equal(obh_mem_check(m, start, 0x1000, RW), 0);
	assert_int_equal(obh_mem_check(m, start + 0x1000, 1, R), -EFAULT);
	assert_int_equal(obh_mem_sbrk(m, -0x1001), -ENOMEM);
	assert_int_equal(obh_mem_sbrk(m, INT32_MIN), -ENOMEM);
	assert_int_equal(obh_mem_unmap(m, start, 0x1000), -EINVAL);
	assert_int_equal(obh_mem_protect(m, start, 0x1000, R), -EINVAL);
	memset(obh_mem_find(m, start)->host, 0x77, 0x1000);
	assert_int_equal(obh_mem_sbrk(m, -0x1000), start + 0x1000);
	assert_null(obh_mem_find(m, start));
	assert_int_equal(uc_region_count(state), 0);
	/* pages mapped again read as zero */
	assert_int_equal(obh_mem_sbrk(m, 0x2000), start);
	assert_int_equal(obh_mem_read(m, start, &v, 4), 0);
	assert_int_equal(v, 0);
}

static void test_heap_limit_step(void **state)
{
	struct obh_mem *m = M(state);

	/* a limit that is not a multiple of the step: growth stops at it */
	assert_int_equal(obh_mem_heap_init(m, 0x200000, 0x1800), 0);
	assert_int_equal(obh_mem_sbrk(m, 0x10), 0x200000);
	assert_int_equal(obh_mem_check(m, 0x200000, 0x2000, RW), 0);
	assert_int_equal(obh_mem_check(m, 0x202000, 1, R), -EFAULT);
	assert_int_equal(obh_mem_sbrk(m, 0x2000 - 0x10), 0x200010);
	assert_int_equal(obh_mem_sbrk(m, 1), -ENOMEM);
}

static void test_stacks(void **state)
{
	struct obh_mem *m = M(state);
	uint32_t lo0, hi0, lo1, hi1, lo2, hi2, v = 7;

	assert_int_equal(obh_mem_alloc_stack(m, MiB, "stack:0", &lo0, &hi0), 0);
	assert_int_equal(hi0, OBH_STACK_AREA_HI);
	assert_int_equal(lo0, OBH_STACK_AREA_HI - MiB);
	assert_int_equal(obh_mem_write(m, hi0 - 4, &v, 4), 0);
	assert_int_equal(obh_mem_check(m, lo0, MiB, RW), 0);
	/* the next one sits below the first one's guard */
	assert_int_equal(obh_mem_alloc_stack(m, 0x8001, "stack:1", &lo1, &hi1), 0);
	assert_int_equal(hi1, lo0 - OBH_STACK_GUARD);
	assert_int_equal(hi1 - lo1, 0x9000);
	assert_int_equal(obh_mem_check(m, lo0 - OBH_STACK_GUARD, OBH_STACK_GUARD, 0), -EFAULT);
	assert_int_equal(obh_mem_map(m, lo0 - 0x1000, 0x1000, RW, "x"), -EEXIST);
	assert_int_equal(obh_mem_map(m, hi1, 0x1000, RW, "x"), -EEXIST);
	assert_int_equal(obh_mem_unmap(m, lo0, 0x1000), -EINVAL);
	/* freeing reuses the range */
	assert_int_equal(obh_mem_free_stack(m, lo0 + 0x1000), -EINVAL);
	assert_int_equal(obh_mem_free_stack(m, lo0), 0);
	assert_null(obh_mem_find(m, lo0));
	assert_int_equal(obh_mem_alloc_stack(m, MiB / 2, "stack:2", &lo2, &hi2), 0);
	assert_int_equal(hi2, OBH_STACK_AREA_HI);
	/* a hole too small for size + guard is skipped */
	assert_int_equal(obh_mem_alloc_stack(m, MiB / 2, "stack:3", &lo0, &hi0), 0);
	assert_true(hi0 <= lo1 - OBH_STACK_GUARD);
	assert_int_equal(obh_mem_alloc_stack(m, 0, "s", &lo0, &hi0), -EINVAL);
	assert_int_equal(obh_mem_alloc_stack(m, 0x10000000, "s", &lo0, &hi0), -EINVAL);
	assert_int_equal(obh_mem_free_stack(m, 0x100000), -EINVAL);
}

static void test_stack_area_full(void **state)
{
	struct obh_mem *m = M(state);
	const uint32_t area = OBH_STACK_AREA_HI - OBH_STACK_AREA_LO;
	uint32_t lo, hi;

	/* a plain region in the stack area is avoided */
	assert_int_equal(obh_mem_map(m, OBH_STACK_AREA_HI - 0x1000, 0x1000, RW, "x"), 0);
	assert_int_equal(obh_mem_alloc_stack(m, 0x1000, "a", &lo, &hi), 0);
	assert_int_equal(hi, OBH_STACK_AREA_HI - 0x1000);
	assert_int_equal(obh_mem_free_stack(m, lo), 0);
	assert_int_equal(obh_mem_unmap(m, OBH_STACK_AREA_HI - 0x1000, 0x1000), 0);
	/* the whole area takes exactly one stack of area - guard */
	assert_int_equal(obh_mem_alloc_stack(m, area - OBH_STACK_GUARD, "big", &lo, &hi), 0);
	assert_int_equal(lo, OBH_STACK_AREA_LO + OBH_STACK_GUARD);
	assert_int_equal(obh_mem_alloc_stack(m, 0x1000, "more", &lo, &hi), -ENOMEM);
	assert_int_equal(obh_mem_free_stack(m, OBH_STACK_AREA_LO + OBH_STACK_GUARD), 0);
	assert_int_equal(obh_mem_alloc_stack(m, area - OBH_STACK_GUARD + 1, "big", &lo, &hi), -EINVAL);
}

static void test_destroy_unmaps(void **state)
{
	struct fx *f = *state;
	uint32_t lo, hi;

	assert_int_equal(obh_mem_map(f->m, 0x10000, 0x1000, R, "a"), 0);
	assert_int_equal(obh_mem_heap_init(f->m, 0x100000, 0x10000), 0);
	assert_int_equal(obh_mem_sbrk(f->m, 16), 0x100000);
	assert_int_equal(obh_mem_alloc_stack(f->m, 0x1000, "s", &lo, &hi), 0);
	assert_int_equal(uc_region_count(state), 3);
	obh_mem_destroy(f->m);
	assert_int_equal(uc_region_count(state), 0);
	obh_mem_destroy(NULL);
	assert_int_equal(obh_mem_create(f->uc, &f->m), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_map_and_find),
		T(test_map_invalid),
		T(test_null_guard),
		T(test_map_overlap),
		T(test_permissions),
		T(test_spanning),
		T(test_unmapped_and_wrap),
		T(test_read_str),
		T(test_host_ptr),
		T(test_describe),
		T(test_unmap_split),
		T(test_protect_split),
		T(test_guest_sees_table),
		T(test_heap),
		T(test_heap_limit_step),
		T(test_stacks),
		T(test_stack_area_full),
		T(test_destroy_unmaps),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
