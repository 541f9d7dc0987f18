/*
 * The host's bookkeeping of a shared region (outboard/shm.h): the spans it
 * has lent, sorted by offset, found by first fit. The bookkeeping lives in
 * the host's own memory, never in the region, so nothing a plugin writes
 * there can change it. A handful of spans are lent at a time (a frame's
 * blits, a file's read-ahead), so a linear scan is cheap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "outboard/shm.h"

struct span {
	uint32_t off, len; /* len rounded up to OB_SHM_ALIGN */
};

struct ob_shm_heap {
	uint32_t size;
	unsigned max, n;
	uint64_t used;
	struct span spans[]; /* sorted by off, never overlapping */
};

int ob_shm_heap_new(uint32_t size, unsigned max_spans, struct ob_shm_heap **out)
{
	struct ob_shm_heap *hp;

	if (!out || size == 0 || max_spans == 0 || max_spans > (1u << 20))
		return -EINVAL;
	hp = calloc(1, sizeof(*hp) + (size_t)max_spans * sizeof(hp->spans[0]));
	if (!hp)
		return -ENOMEM;
	hp->size = size;
	hp->max = max_spans;
	*out = hp;
	return 0;
}

void ob_shm_heap_free(struct ob_shm_heap *hp)
{
	free(hp);
}

static uint64_t align_up(uint64_t v)
{
	return (v + OB_SHM_ALIGN - 1) & ~(uint64_t)(OB_SHM_ALIGN - 1);
}

int ob_shm_heap_alloc(struct ob_shm_heap *hp, uint32_t len, uint32_t *off)
{
	uint64_t at = 0, end = 0, need;
	unsigned i;

	if (!hp || !off || len == 0 || len > hp->size)
		return -EINVAL;
	if (hp->n >= hp->max)
		return -ENOBUFS;
	/* The gap before span i is [at, end). Offsets and lengths are
	 * multiples of the alignment (but the region's end need not be), so
	 * a gap that holds len holds it rounded up, short of the end. */
	for (i = 0; i <= hp->n; i++) {
		end = i < hp->n ? hp->spans[i].off : hp->size;
		if (end - at >= len)
			break;
		if (i < hp->n)
			at = hp->spans[i].off + (uint64_t)hp->spans[i].len;
	}
	if (i > hp->n)
		return -ENOSPC;
	need = align_up(len);
	if (need > end - at)
		need = end - at;
	memmove(&hp->spans[i + 1], &hp->spans[i], (hp->n - i) * sizeof(hp->spans[0]));
	hp->spans[i] = (struct span){ .off = (uint32_t)at, .len = (uint32_t)need };
	hp->n++;
	hp->used += need;
	*off = (uint32_t)at;
	return 0;
}

/* Index of the span starting at off, or -1. */
static int find(const struct ob_shm_heap *hp, uint32_t off)
{
	unsigned lo = 0, hi = hp->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (hp->spans[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < hp->n && hp->spans[lo].off == off ? (int)lo : -1;
}

int ob_shm_heap_release(struct ob_shm_heap *hp, uint32_t off)
{
	int i = hp ? find(hp, off) : -1;

	if (i < 0)
		return -ENOENT;
	hp->used -= hp->spans[i].len;
	hp->n--;
	memmove(&hp->spans[i], &hp->spans[i + 1], (hp->n - (unsigned)i) * sizeof(hp->spans[0]));
	return 0;
}

uint32_t ob_shm_heap_span(const struct ob_shm_heap *hp, uint32_t off)
{
	int i = hp ? find(hp, off) : -1;

	return i < 0 ? 0 : hp->spans[i].len;
}

uint64_t ob_shm_heap_used(const struct ob_shm_heap *hp)
{
	return hp ? hp->used : 0;
}

unsigned ob_shm_heap_count(const struct ob_shm_heap *hp)
{
	return hp ? hp->n : 0;
}
