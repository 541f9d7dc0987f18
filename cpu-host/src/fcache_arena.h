/*
 * Where the file cache's block buffers live: OBH_FC_BLOCK-byte buffers cut
 * from 2 MiB chunks the kernel may back with transparent huge pages, handed
 * out warmest first.
 *
 * Why not malloc: the cache fills with data the guest has never seen, so
 * every block it loads would land in memory never touched before, and a
 * first touch costs a page fault per 4 KiB. On the virtual machines we
 * measure on that is about 2.7 us a page, 43 ms for 16 MiB, which made
 * the fresh memory cost more than the guest's reads themselves
 * (docs/performance.md, "The cache's memory"). A huge page faults once per
 * 2 MiB (2 ms for the same 16 MiB), and a buffer given back is handed out
 * again before any untouched one, so a cache that recycles stays in
 * memory that is already mapped.
 *
 * Lifecycle: init, then get/put in any order, then fini, which unmaps
 * every chunk: buffers still out are void after it. Not thread-safe (the
 * cache runs on the host's main thread).
 */
#ifndef OBH_FCACHE_ARENA_H
#define OBH_FCACHE_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct obh_fc_arena {
	bool huge;         /* advise huge pages (a cache of a few chunks or more) */
	uint8_t **chunks;  /* each OBH_FC_CHUNK bytes, aligned to it (owned) */
	unsigned nchunks;
	unsigned fresh;    /* buffers of the newest chunk never handed out */
	uint8_t **free;    /* given back, the warmest last; room for every buffer */
	size_t nfree;
};

/* A cache block's size: the unit of loads, eviction and buffers. */
#define OBH_FC_BLOCK (64u << 10)
#define OBH_FC_CHUNK ((size_t)2 << 20)
#define OBH_FC_HUGE_MIN ((uint64_t)8 << 20)

/* limit: the cache's, in bytes. Below OBH_FC_HUGE_MIN the chunks are not
 * advised huge pages: a huge page is 2 MiB of memory at its first touch,
 * more than a small cache is allowed to hold. */
void obh_fc_arena_init(struct obh_fc_arena *a, uint64_t limit);
/* A buffer of OBH_FC_BLOCK bytes, or NULL when no memory can be mapped.
 * Its content is whatever it held before: the caller writes before it
 * reads. */
uint8_t *obh_fc_arena_get(struct obh_fc_arena *a);
/* Give buf back (NULL: nothing). Never fails. */
void obh_fc_arena_put(struct obh_fc_arena *a, uint8_t *buf);
/* Bytes mapped, for the stats. */
uint64_t obh_fc_arena_mapped(const struct obh_fc_arena *a);
void obh_fc_arena_fini(struct obh_fc_arena *a);

#endif /* OBH_FCACHE_ARENA_H */
