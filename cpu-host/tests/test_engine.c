/*
 * Unit tests of engine.c's set-up: the engine's softmmu page size (4 KiB,
 * like qemu-arm's user mode, whatever the Unicorn version's way of asking
 * for it) and guest code that crosses the old 1 KiB page boundaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "engine.h"
#include "mem.h"

static int setup(void **state)
{
	struct obh_host *h = calloc(1, sizeof(*h));
	assert_non_null(h);
	assert_int_equal(obh_engine_open(h), 0);
	assert_int_equal(obh_mem_create(h->uc, &h->mem), 0);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct obh_host *h = *state;
	obh_mem_destroy(h->mem);
	obh_engine_close(h);
	free(h);
	return 0;
}

static void pages_are_4k(void **state)
{
	struct obh_host *h = *state;
	uint32_t size = 0;
	assert_int_equal(obh_engine_page_size(h->uc, &size), UC_ERR_OK);
	assert_int_equal(size, OBH_PAGE_SIZE);
	/* 4 KiB-aligned but not 8 KiB-aligned: refused by an engine whose pages
	 * came out larger (Unicorn 2.1.1's off-by-one). */
	assert_int_equal(obh_mem_map(h->mem, 0x11000, 0x1000, OBH_PROT_R | OBH_PROT_W, "odd"), 0);
}

/* A loop whose body straddles 0x10400 (a 1 KiB boundary, the engine's
 * page boundary before 4 KiB pages): sum 1..100 with a backward branch. */
static void code_across_1k_boundaries(void **state)
{
	struct obh_host *h = *state;
	const uint32_t code[] = {
		0xe3a00000u, /* 0x103f8: mov r0, #0 */
		0xe3a01064u, /* 0x103fc: mov r1, #100 */
		0xe0800001u, /* 0x10400: loop: add r0, r0, r1 */
		0xe2511001u, /* 0x10404: subs r1, r1, #1 */
		0x1afffffcu, /* 0x10408: bne loop */
	};
	assert_int_equal(obh_mem_map(h->mem, 0x10000, 0x1000, OBH_PROT_R | OBH_PROT_X, "code"), 0);
	assert_int_equal(obh_mem_poke(h->mem, 0x103f8, code, sizeof(code)), 0);
	assert_int_equal(uc_emu_start(h->uc, 0x103f8, 0x1040c, 0, 0), UC_ERR_OK);
	uint32_t r0 = 0, pc = 0;
	uc_reg_read(h->uc, UC_ARM_REG_R0, &r0);
	uc_reg_read(h->uc, UC_ARM_REG_PC, &pc);
	assert_int_equal(r0, 5050);
	assert_int_equal(pc, 0x1040c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pages_are_4k, setup, teardown),
		cmocka_unit_test_setup_teardown(code_across_1k_boundaries, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
