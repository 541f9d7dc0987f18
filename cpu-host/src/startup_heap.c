/*
 * The host's malloc heap, grown once at start-up and backed by huge pages.
 *
 * Unicorn's initialisation (the ARM CPU's coprocessor register tables,
 * glib hash tables, TCG's context) makes tens of thousands of small
 * allocations: 2-4 MiB of heap, grown 128 KiB at a time by glibc and
 * touched 4 KiB page by page. On the VMs outboard is measured on a first
 * touch costs about 2.7 us; the host took 700-870 page faults to start,
 * and the engine's faults were about half of its start-up
 * (docs/performance.md, "The host's heap"). Growing
 * the heap by OBH_HEAP_PAD at the first allocation and asking for
 * transparent huge pages on it (as glibc's glibc.malloc.hugetlb=1 tunable
 * does, which a program cannot set for itself once running) turns those
 * into a handful of 2 MiB faults: the engine opens in half the CPU time
 * for about 2 MiB more resident memory.
 *
 * Nothing here is needed for correctness: under a malloc that is not
 * glibc's brk heap (ASan, valgrind) the break does not move and nothing
 * is advised; where THP is off ("never") the advice is ignored.
 */
#define _DEFAULT_SOURCE /* sbrk, madvise */
#include "startup_heap.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "outboard/sanitizer.h"

#define OBH_HUGE_PAGE ((uintptr_t)2 << 20)
#define OBH_HEAP_PROBE (96u << 10)
#define OBH_HEAP_PROBES 8

static uintptr_t align_up(uintptr_t v)
{
	return (v + OBH_HUGE_PAGE - 1) & ~(OBH_HUGE_PAGE - 1);
}

/* The heap below the first 2 MiB boundary cannot have huge pages (the
 * aligned 2 MiB around it is not all heap), yet malloc would fill it
 * first, a 4 KiB fault at a time. Ballast takes it (the gap is up to 2 MiB
 * plus what the probes found free below the old top): allocated, never
 * touched past its header, never freed (address space, not memory);
 * volatile, or the compiler drops allocations nothing reads. */
static void *volatile ballast[(OBH_HUGE_PAGE + OBH_HEAP_PROBES * OBH_HEAP_PROBE) / OBH_HEAP_PROBE + 2];

static void fill_below(uintptr_t boundary)
{
	for (size_t i = 0; i + 1 < sizeof(ballast) / sizeof(ballast[0]); i++) {
		void *p = malloc(OBH_HEAP_PROBE);
		if (!p)
			return;
		if ((uintptr_t)p + OBH_HEAP_PROBE <= boundary) {
			ballast[i] = p;
			continue;
		}
		/* p is where the top of the heap began: one block that ends at
		 * the boundary (glibc's chunk header is one size_t, rounded
		 * to 16 bytes), so that what comes next starts there. */
		free(p);
		if ((uintptr_t)p < boundary)
			ballast[i] = malloc(boundary - (uintptr_t)p + sizeof(size_t));
		return;
	}
}

size_t obh_startup_heap(size_t pad)
{
#if OB_SANITIZER
	(void)pad;
	return 0;
#else
	if (pad < OBH_HUGE_PAGE)
		return 0;
	/* M_TOP_PAD stays: later growth comes in the same large steps
	 * (unadvised), and trimming keeps that much, so a heap that breathes
	 * does not fault its pages back in one by one. */
	if (!mallopt(M_TOP_PAD, (int)pad))
		return 0;
	/* Constructors (glib's, in Unicorn) have made the heap already; the
	 * first allocation the top of it cannot hold grows it by pad. Probes
	 * stay under the mmap threshold (128 KiB), which malloc would serve
	 * from mmap instead. */
	uintptr_t before = (uintptr_t)sbrk(0), after = before;
	void *probe[OBH_HEAP_PROBES] = { 0 };
	for (int i = 0; i < OBH_HEAP_PROBES && after == before; i++) {
		probe[i] = malloc(OBH_HEAP_PROBE);
		after = (uintptr_t)sbrk(0);
	}
	for (int i = 0; i < OBH_HEAP_PROBES; i++)
		free(probe[i]);
	if (after != before) /* the frees may trim the heap back to the pad */
		after = (uintptr_t)sbrk(0);
	if (before == (uintptr_t)-1 || after == (uintptr_t)-1 || after <= before)
		return 0;
	uintptr_t lo = align_up(before), hi = after & ~(OBH_HUGE_PAGE - 1);
	if (hi <= lo || madvise((void *)lo, hi - lo, MADV_HUGEPAGE) != 0)
		return 0;
	fill_below(lo);
	return hi - lo;
#endif
}
