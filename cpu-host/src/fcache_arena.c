/*
 * The file cache's buffer arena (see fcache_arena.h).
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS, madvise, MADV_HUGEPAGE */
#include "fcache_arena.h"

#include <assert.h>
#include <stdlib.h>
#include <sys/mman.h>


#include "outboard/sanitizer.h"

#if OB_ASAN
#include <sanitizer/asan_interface.h>
/* A buffer given back is poisoned, so a use after put is still reported
 * as it was when the buffers came from malloc. */
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define PER_CHUNK ((unsigned)(OBH_FC_CHUNK / OBH_FC_BLOCK))

static_assert(OBH_FC_CHUNK % OBH_FC_BLOCK == 0, "a chunk holds whole blocks");

void obh_fc_arena_init(struct obh_fc_arena *a, uint64_t limit)
{
	*a = (struct obh_fc_arena){ .huge = limit >= OBH_FC_HUGE_MIN };
}

/* OBH_FC_CHUNK bytes aligned to their size, so that the kernel can back
 * them with one huge page: map twice the size and trim both ends. */
static uint8_t *map_chunk(bool huge)
{
	size_t span = 2 * OBH_FC_CHUNK;
	uint8_t *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	uintptr_t at = ((uintptr_t)p + OBH_FC_CHUNK - 1) & ~(uintptr_t)(OBH_FC_CHUNK - 1);
	uint8_t *chunk = (uint8_t *)at;
	if (chunk > p)
		munmap(p, (size_t)(chunk - p));
	if (chunk + OBH_FC_CHUNK < p + span)
		munmap(chunk + OBH_FC_CHUNK, (size_t)(p + span - (chunk + OBH_FC_CHUNK)));
	/* Advice only: without transparent huge pages this fails or does
	 * nothing, and the chunk is faulted in 4 KiB pages as before. */
	if (huge)
		(void)madvise(chunk, OBH_FC_CHUNK, MADV_HUGEPAGE);
	POISON(chunk, OBH_FC_CHUNK);
	return chunk;
}

/* One more chunk, with room on the free stack for all of its buffers so
 * that put never has to allocate. */
static int grow(struct obh_fc_arena *a)
{
	size_t room = ((size_t)a->nchunks + 1) * PER_CHUNK;
	uint8_t **free_stack = realloc(a->free, room * sizeof(*free_stack));
	if (!free_stack)
		return -1;
	a->free = free_stack;
	uint8_t **chunks = realloc(a->chunks, ((size_t)a->nchunks + 1) * sizeof(*chunks));
	if (!chunks)
		return -1;
	a->chunks = chunks;
	uint8_t *chunk = map_chunk(a->huge);
	if (!chunk)
		return -1;
	a->chunks[a->nchunks++] = chunk;
	a->fresh = PER_CHUNK;
	return 0;
}

uint8_t *obh_fc_arena_get(struct obh_fc_arena *a)
{
	uint8_t *buf;
	if (a->nfree) {
		buf = a->free[--a->nfree];
	} else {
		if (!a->fresh && grow(a))
			return NULL;
		buf = a->chunks[a->nchunks - 1] + (size_t)(PER_CHUNK - a->fresh) * OBH_FC_BLOCK;
		a->fresh--;
	}
	UNPOISON(buf, OBH_FC_BLOCK);
	return buf;
}

void obh_fc_arena_put(struct obh_fc_arena *a, uint8_t *buf)
{
	if (!buf)
		return;
	POISON(buf, OBH_FC_BLOCK);
	a->free[a->nfree++] = buf;
}

uint64_t obh_fc_arena_mapped(const struct obh_fc_arena *a)
{
	return (uint64_t)a->nchunks * OBH_FC_CHUNK;
}

void obh_fc_arena_fini(struct obh_fc_arena *a)
{
	for (unsigned i = 0; i < a->nchunks; i++) {
		UNPOISON(a->chunks[i], OBH_FC_CHUNK);
		munmap(a->chunks[i], OBH_FC_CHUNK);
	}
	free(a->chunks);
	free(a->free);
	*a = (struct obh_fc_arena){ .huge = a->huge };
}
