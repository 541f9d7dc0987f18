/*
 * Unit tests of the host's start-up heap (src/startup_heap.c): the heap
 * grows by the pad at once, the part of it past the first 2 MiB boundary
 * is advised for huge pages, and the next allocations land there rather
 * than below it. Under a sanitizer's malloc nothing is done.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outboard/sanitizer.h"
#include "startup_heap.h"

struct vma {
	uintptr_t lo, hi;
	bool heap, huge;
};

/* The mapping of /proc/self/smaps that holds addr; false when none does. */
static bool vma_of(uintptr_t addr, struct vma *out)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	assert_non_null(f);
	char line[512];
	struct vma cur = { 0 };
	bool found = false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			if (found)
				break;
			cur = (struct vma){ .lo = lo, .hi = hi, .heap = strstr(line, "[heap]") };
			found = addr >= cur.lo && addr < cur.hi;
		} else if (found && strncmp(line, "VmFlags:", 8) == 0) {
			cur.huge = strstr(line, " hg") != NULL;
		}
	}
	fclose(f);
	*out = cur;
	return found;
}

static void small_pad_does_nothing(void **state)
{
	(void)state;
	assert_int_equal(obh_startup_heap(1u << 20), 0);
}

static void heap_grows_once_with_huge_pages(void **state)
{
	(void)state;
	size_t advised = obh_startup_heap(OBH_HEAP_PAD);
	if (OB_SANITIZER) {
		assert_int_equal(advised, 0);
		return;
	}
	/* All of the pad past the first boundary, in whole huge pages. */
	assert_true(advised >= OBH_HEAP_PAD - ((size_t)4 << 20));
	assert_int_equal(advised % ((size_t)2 << 20), 0);

	/* The next small allocations come from the advised part (the ballast
	 * holds what lies below it), and the heap has not grown again. */
	void *p[64];
	struct vma first = { 0 };
	for (int i = 0; i < 64; i++) {
		p[i] = malloc(32 << 10);
		assert_non_null(p[i]);
		struct vma v;
		assert_true(vma_of((uintptr_t)p[i], &v));
		assert_true(v.heap);
		assert_true(v.huge);
		if (i == 0)
			first = v;
		assert_int_equal(v.lo, first.lo);
		assert_true(v.hi - v.lo >= advised);
	}
	for (int i = 0; i < 64; i++)
		free(p[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_pad_does_nothing),
		cmocka_unit_test(heap_grows_once_with_huge_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
