/*
 * The host's malloc heap at start-up (startup_heap.c says why).
 */
#ifndef OBH_STARTUP_HEAP_H
#define OBH_STARTUP_HEAP_H

#include <stddef.h>

/* The heap the engine's start-up allocates from: 16 MiB, of which
 * Unicorn's initialisation uses 2-4 MiB; the rest is address space until
 * the run needs it. */
#define OBH_HEAP_PAD ((size_t)16 << 20)

/* Grows glibc's heap by pad (at least 2 MiB) at once and advises huge
 * pages on it. Call first thing in main, before anything allocates.
 * Returns the bytes advised; 0 when nothing was (a sanitizer's or
 * valgrind's malloc, a heap that did not grow, madvise refused), which
 * changes only the speed. */
size_t obh_startup_heap(size_t pad);

#endif /* OBH_STARTUP_HEAP_H */
