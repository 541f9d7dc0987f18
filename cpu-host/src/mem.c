/*
 * The guest address space (see mem.h).
 *
 * The region table is an array sorted by start address with no overlaps.
 * Every region owns exactly the host pages of its range (munmap of a part
 * of an mmap is legal, so splitting a region splits ownership), except the
 * heap region, whose pages belong to the heap's reservation.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, madvise */
#include "mem.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

_Static_assert(OBH_PROT_R == UC_PROT_READ && OBH_PROT_W == UC_PROT_WRITE &&
		       OBH_PROT_X == UC_PROT_EXEC,
	       "OBH_PROT_* are passed to Unicorn unchanged");

#define ADDR_SPACE_END ((uint64_t)1 << 32)
#define NO_REGION SIZE_MAX

struct obh_heap {
	bool on;
	uint32_t start;
	uint32_t brk;
	uint32_t mapped_end; /* [start, mapped_end) is mapped */
	uint32_t limit;      /* start + max: the break never passes it */
	uint8_t *reserve;    /* host pages for [start, limit) */
};

struct obh_mem {
	uc_engine *uc;
	struct obh_region *regions; /* sorted by start, disjoint */
	size_t count;
	size_t cap;
	struct obh_heap heap;
	uint32_t guard_end; /* the NULL guard: [0, guard_end) is never mapped */
};

static uint64_t page_up(uint64_t v)
{
	return (v + OBH_PAGE_SIZE - 1) & ~(uint64_t)(OBH_PAGE_SIZE - 1);
}

static bool page_aligned(uint64_t v)
{
	return (v & (OBH_PAGE_SIZE - 1)) == 0;
}

static void set_name(struct obh_region *r, const char *name)
{
	size_t n = strnlen(name, OBH_REGION_NAME_MAX - 1);

	memcpy(r->name, name, n);
	r->name[n] = '\0';
}

static void *host_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int obh_mem_create(uc_engine *uc, struct obh_mem **out)
{
	struct obh_mem *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->uc = uc;
	m->guard_end = OBH_NULL_PAGE_END;
	*out = m;
	return 0;
}

void obh_mem_destroy(struct obh_mem *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->count; i++) {
		struct obh_region *r = &m->regions[i];

		if (m->uc)
			uc_mem_unmap(m->uc, r->start, r->size);
		if (r->kind != OBH_REGION_HEAP)
			munmap(r->host, r->size);
	}
	if (m->heap.on)
		munmap(m->heap.reserve, (size_t)m->heap.limit - m->heap.start);
	free(m->regions);
	free(m);
}

void obh_mem_forget_engine(struct obh_mem *m)
{
	if (m)
		m->uc = NULL;
}

/* ---- region table ---- */

/* Index of the last region starting at or below addr, or NO_REGION. */
static size_t floor_index(const struct obh_mem *m, uint64_t addr)
{
	size_t lo = 0, hi = m->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->regions[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? NO_REGION : lo - 1;
}

/* Index of the region containing addr, or NO_REGION. */
static size_t find_index(const struct obh_mem *m, uint64_t addr)
{
	size_t i = floor_index(m, addr);

	if (i == NO_REGION || addr >= obh_region_end(&m->regions[i]))
		return NO_REGION;
	return i;
}

static int reserve_slots(struct obh_mem *m, size_t extra)
{
	if (m->count + extra <= m->cap)
		return 0;
	size_t cap = m->cap ? m->cap * 2 : 16;
	while (cap < m->count + extra)
		cap *= 2;
	struct obh_region *r = realloc(m->regions, cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	m->regions = r;
	m->cap = cap;
	return 0;
}

/* Inserts r in order. The caller has reserved a slot. */
static void insert_region(struct obh_mem *m, const struct obh_region *r)
{
	size_t at = floor_index(m, r->start);

	at = at == NO_REGION ? 0 : at + 1;
	memmove(&m->regions[at + 1], &m->regions[at], (m->count - at) * sizeof(*r));
	m->regions[at] = *r;
	m->count++;
}

static void remove_region(struct obh_mem *m, size_t i)
{
	memmove(&m->regions[i], &m->regions[i + 1], (m->count - i - 1) * sizeof(m->regions[0]));
	m->count--;
}

/* The lowest address a region claims: stacks claim their guard too. */
static uint64_t claim_start(const struct obh_region *r)
{
	return r->kind == OBH_REGION_STACK ? (uint64_t)r->start - OBH_STACK_GUARD : r->start;
}

/* True if [addr, end) meets a region, a stack guard or the heap reserve. */
static bool range_claimed(const struct obh_mem *m, uint64_t addr, uint64_t end)
{
	if (m->heap.on && addr < m->heap.limit && end > m->heap.start)
		return true;
	for (size_t i = 0; i < m->count; i++) {
		const struct obh_region *r = &m->regions[i];

		if (addr < obh_region_end(r) && end > claim_start(r))
			return true;
	}
	return false;
}

/* Maps fresh zeroed host memory at [addr, addr + size) in the engine and
 * the table. The caller has checked the range is free. */
static int map_region(struct obh_mem *m, uint32_t addr, uint32_t size, unsigned prot,
		      enum obh_region_kind kind, const char *name)
{
	struct obh_region r = { .start = addr, .size = size, .prot = prot, .kind = kind };

	if (reserve_slots(m, 1))
		return -ENOMEM;
	r.host = host_alloc(size);
	if (!r.host)
		return -ENOMEM;
	if (uc_mem_map_ptr(m->uc, addr, size, prot, r.host) != UC_ERR_OK) {
		munmap(r.host, size);
		return -ENOMEM;
	}
	set_name(&r, name);
	insert_region(m, &r);
	return 0;
}

int obh_mem_map(struct obh_mem *m, uint32_t addr, uint32_t size, unsigned prot,
		const char *name)
{
	uint64_t end = (uint64_t)addr + size;

	if (!name || size == 0 || !page_aligned(addr) || !page_aligned(size) ||
	    end > ADDR_SPACE_END || addr < m->guard_end || (prot & ~OBH_PROT_RWX))
		return -EINVAL;
	if (range_claimed(m, addr, end))
		return -EEXIST;
	return map_region(m, addr, size, prot, OBH_REGION_PLAIN, name);
}

int obh_mem_set_null_guard(struct obh_mem *m, uint32_t end)
{
	if (!page_aligned(end) || end < OBH_NULL_PAGE_END || end > OBH_NULL_GUARD_MAX ||
	    (m->count && m->regions[0].start < end) || (m->heap.on && m->heap.start < end))
		return -EINVAL;
	m->guard_end = end;
	return 0;
}

uint32_t obh_mem_null_guard_end(const struct obh_mem *m)
{
	return m->guard_end;
}

/* ---- spans: ranges over adjacent regions ---- */

/* If every byte of [addr, addr + len) (len > 0) is mapped with all bits of
 * need, the index of the region holding addr; else NO_REGION. */
static size_t span_first(const struct obh_mem *m, uint32_t addr, uint64_t len, unsigned need)
{
	uint64_t end = (uint64_t)addr + len;

	if (end > ADDR_SPACE_END)
		return NO_REGION;
	size_t first = find_index(m, addr);
	if (first == NO_REGION)
		return NO_REGION;
	for (size_t i = first;; i++) {
		const struct obh_region *r = &m->regions[i];

		if ((r->prot & need) != need)
			return NO_REGION;
		if (obh_region_end(r) >= end)
			return first;
		if (i + 1 >= m->count || m->regions[i + 1].start != obh_region_end(r))
			return NO_REGION;
	}
}

/* Copies between buf and a span already checked by span_first. */
static void copy_span(const struct obh_mem *m, size_t i, uint32_t addr, uint8_t *buf,
		      uint32_t len, bool to_guest)
{
	uint64_t at = addr;

	while (len) {
		const struct obh_region *r = &m->regions[i++];
		uint32_t off = (uint32_t)(at - r->start);
		uint32_t n = r->size - off < len ? r->size - off : len;

		if (to_guest)
			memcpy(r->host + off, buf, n);
		else
			memcpy(buf, r->host + off, n);
		buf += n;
		len -= n;
		at += n;
	}
}

static int span_read(const struct obh_mem *m, uint32_t addr, void *dst, uint32_t len,
		     unsigned need)
{
	if (len == 0)
		return 0;
	size_t i = span_first(m, addr, len, need);
	if (i == NO_REGION)
		return -EFAULT;
	copy_span(m, i, addr, dst, len, false);
	return 0;
}

static int span_write(struct obh_mem *m, uint32_t addr, const void *src, uint32_t len,
		      unsigned need)
{
	if (len == 0)
		return 0;
	size_t i = span_first(m, addr, len, need);
	if (i == NO_REGION)
		return -EFAULT;
	copy_span(m, i, addr, (uint8_t *)(uintptr_t)src, len, true);

	/* Unicorn caches translated code: drop it where code was rewritten. */
	uint64_t end = (uint64_t)addr + len;
	for (size_t k = i; k < m->count && m->regions[k].start < end; k++) {
		if (m->regions[k].prot & OBH_PROT_X) {
			uc_ctl_remove_cache(m->uc, (uint64_t)addr, end);
			break;
		}
	}
	return 0;
}

int obh_mem_read(const struct obh_mem *m, uint32_t addr, void *dst, uint32_t len)
{
	return span_read(m, addr, dst, len, OBH_PROT_R);
}

int obh_mem_write(struct obh_mem *m, uint32_t addr, const void *src, uint32_t len)
{
	return span_write(m, addr, src, len, OBH_PROT_W);
}

int obh_mem_peek(const struct obh_mem *m, uint32_t addr, void *dst, uint32_t len)
{
	return span_read(m, addr, dst, len, 0);
}

int obh_mem_poke(struct obh_mem *m, uint32_t addr, const void *src, uint32_t len)
{
	return span_write(m, addr, src, len, 0);
}

int obh_mem_check(const struct obh_mem *m, uint32_t addr, uint32_t len, unsigned prot)
{
	if (len == 0)
		return 0;
	return span_first(m, addr, len, prot) == NO_REGION ? -EFAULT : 0;
}

int obh_mem_read_str(const struct obh_mem *m, uint32_t addr, char *dst, size_t cap)
{
	if (cap == 0)
		return -ENAMETOOLONG;
	if (cap > INT_MAX)
		cap = INT_MAX;
	dst[0] = '\0';
	size_t i = find_index(m, addr);
	size_t got = 0;
	uint64_t at = addr;

	while (i != NO_REGION && (m->regions[i].prot & OBH_PROT_R)) {
		const struct obh_region *r = &m->regions[i];
		const uint8_t *src = r->host + (at - r->start);
		size_t avail = (size_t)(obh_region_end(r) - at);
		if (avail > cap - got)
			avail = cap - got;
		const uint8_t *nul = memchr(src, 0, avail);
		size_t n = nul ? (size_t)(nul - src) + 1 : avail;

		memcpy(dst + got, src, n);
		got += n;
		if (nul)
			return (int)(got - 1);
		if (got == cap) {
			dst[0] = '\0';
			return -ENAMETOOLONG;
		}
		at = obh_region_end(r);
		i = (i + 1 < m->count && m->regions[i + 1].start == at) ? i + 1 : NO_REGION;
	}
	dst[0] = '\0';
	return -EFAULT;
}

void *obh_mem_host_ptr(struct obh_mem *m, uint32_t addr, uint32_t len, unsigned prot)
{
	size_t i = find_index(m, addr);
	uint64_t end = (uint64_t)addr + (len ? len : 1);

	if (i == NO_REGION)
		return NULL;
	struct obh_region *r = &m->regions[i];
	if ((r->prot & prot) != prot || end > obh_region_end(r))
		return NULL;
	return r->host + (addr - r->start);
}

/* ---- lookups for reports ---- */

const struct obh_region *obh_mem_find(const struct obh_mem *m, uint32_t addr)
{
	size_t i = find_index(m, addr);

	return i == NO_REGION ? NULL : &m->regions[i];
}

void obh_mem_find_near(const struct obh_mem *m, uint32_t addr,
		       const struct obh_region **below, const struct obh_region **above)
{
	size_t i = floor_index(m, addr);
	size_t next = i == NO_REGION ? 0 : i + 1;

	if (i != NO_REGION && addr < obh_region_end(&m->regions[i]))
		i = i == 0 ? NO_REGION : i - 1; /* addr is inside regions[i] */
	*below = i == NO_REGION ? NULL : &m->regions[i];
	*above = next < m->count ? &m->regions[next] : NULL;
}

char *obh_mem_describe(const struct obh_mem *m, uint32_t addr, char *buf, size_t cap)
{
	const struct obh_region *r = obh_mem_find(m, addr), *below, *above;

	if (cap == 0)
		return buf;
	if (r) {
		snprintf(buf, cap, "%s+0x%x", r->name, (unsigned)(addr - r->start));
		return buf;
	}
	if (addr < m->guard_end) {
		snprintf(buf, cap, "NULL guard");
		return buf;
	}
	obh_mem_find_near(m, addr, &below, &above);
	uint64_t to_above = above ? above->start - (uint64_t)addr : UINT64_MAX;
	uint64_t past_below = below ? addr - obh_region_end(below) + 1 : UINT64_MAX;

	if (above && above->kind == OBH_REGION_STACK && to_above <= OBH_STACK_GUARD)
		snprintf(buf, cap, "guard page, %llu bytes below %s",
			 (unsigned long long)to_above, above->name);
	else if (above && to_above <= past_below)
		snprintf(buf, cap, "unmapped, %llu bytes below %s",
			 (unsigned long long)to_above, above->name);
	else if (below)
		snprintf(buf, cap, "unmapped, %llu bytes past the end of %s",
			 (unsigned long long)past_below, below->name);
	else
		snprintf(buf, cap, "unmapped");
	return buf;
}

size_t obh_mem_region_count(const struct obh_mem *m)
{
	return m->count;
}

const struct obh_region *obh_mem_region(const struct obh_mem *m, size_t i)
{
	return i < m->count ? &m->regions[i] : NULL;
}

/* ---- unmap and protect, with splitting ---- */

/* Makes x a region boundary if it falls inside a region. */
static int split_at(struct obh_mem *m, uint64_t x)
{
	size_t i = find_index(m, x);

	if (i == NO_REGION || m->regions[i].start == x)
		return 0;
	if (reserve_slots(m, 1))
		return -ENOMEM;
	struct obh_region *r = &m->regions[i];
	struct obh_region tail = *r;
	uint32_t off = (uint32_t)(x - r->start);

	tail.start = (uint32_t)x;
	tail.size = r->size - off;
	tail.host = r->host + off;
	r->size = off;
	insert_region(m, &tail);
	return 0;
}

/* Checks a range for unmap/protect and splits regions at its ends. */
static int prepare_plain_range(struct obh_mem *m, uint32_t addr, uint32_t size)
{
	uint64_t end = (uint64_t)addr + size;

	if (size == 0 || !page_aligned(addr) || !page_aligned(size) || end > ADDR_SPACE_END)
		return -EINVAL;
	size_t i = span_first(m, addr, size, 0);
	if (i == NO_REGION)
		return -EFAULT;
	for (; i < m->count && m->regions[i].start < end; i++)
		if (m->regions[i].kind != OBH_REGION_PLAIN)
			return -EINVAL;
	int rc = split_at(m, addr);
	if (rc == 0)
		rc = split_at(m, end);
	return rc;
}

int obh_mem_unmap(struct obh_mem *m, uint32_t addr, uint32_t size)
{
	int rc = prepare_plain_range(m, addr, size);

	if (rc)
		return rc;
	if (uc_mem_unmap(m->uc, addr, size) != UC_ERR_OK)
		return -EFAULT;
	size_t i = find_index(m, addr);
	uint64_t end = (uint64_t)addr + size;
	while (i < m->count && m->regions[i].start < end) {
		munmap(m->regions[i].host, m->regions[i].size);
		remove_region(m, i);
	}
	return 0;
}

int obh_mem_protect(struct obh_mem *m, uint32_t addr, uint32_t size, unsigned prot)
{
	if (prot & ~OBH_PROT_RWX)
		return -EINVAL;
	int rc = prepare_plain_range(m, addr, size);
	if (rc)
		return rc;
	if (uc_mem_protect(m->uc, addr, size, prot) != UC_ERR_OK)
		return -EFAULT;
	uint64_t end = (uint64_t)addr + size;
	for (size_t i = find_index(m, addr); i < m->count && m->regions[i].start < end; i++)
		m->regions[i].prot = prot;
	return 0;
}

/* ---- heap ---- */

int obh_mem_heap_init(struct obh_mem *m, uint32_t start, uint32_t max_bytes)
{
	uint64_t max = page_up(max_bytes);
	uint64_t limit = (uint64_t)start + max;

	if (m->heap.on)
		return -EEXIST;
	if (!page_aligned(start) || max == 0 || start < m->guard_end + OBH_HEAP_GAP ||
	    limit > OBH_STACK_AREA_LO)
		return -EINVAL;
	if (range_claimed(m, (uint64_t)start - OBH_HEAP_GAP, limit))
		return -EEXIST;
	uint8_t *reserve = host_alloc((size_t)max);
	if (!reserve)
		return -ENOMEM;
	m->heap = (struct obh_heap){ .on = true, .start = start, .brk = start,
				     .mapped_end = start, .limit = (uint32_t)limit,
				     .reserve = reserve };
	return 0;
}

/* The heap region's index; it exists while mapped_end > start. */
static size_t heap_index(const struct obh_mem *m)
{
	return find_index(m, m->heap.start);
}

/* Maps [mapped_end, want) and more, up to the next OBH_HEAP_STEP. */
static int heap_grow(struct obh_mem *m, uint32_t want)
{
	struct obh_heap *h = &m->heap;
	uint64_t target = (uint64_t)h->start +
			  ((want - h->start + OBH_HEAP_STEP - 1) / OBH_HEAP_STEP) * OBH_HEAP_STEP;

	if (target > h->limit)
		target = h->limit;
	if (reserve_slots(m, 1))
		return -ENOMEM;
	if (uc_mem_map_ptr(m->uc, h->mapped_end, target - h->mapped_end,
			   UC_PROT_READ | UC_PROT_WRITE,
			   h->reserve + (h->mapped_end - h->start)) != UC_ERR_OK)
		return -ENOMEM;
	uint32_t size = (uint32_t)(target - h->start);
	if (h->mapped_end == h->start) {
		struct obh_region r = { .start = h->start, .size = size,
					.prot = OBH_PROT_R | OBH_PROT_W,
					.kind = OBH_REGION_HEAP, .host = h->reserve };
		set_name(&r, "heap");
		insert_region(m, &r);
	} else {
		m->regions[heap_index(m)].size = size;
	}
	h->mapped_end = (uint32_t)target;
	return 0;
}

/* Unmaps [want, mapped_end); those pages read as zero when mapped again. */
static int heap_shrink(struct obh_mem *m, uint32_t want)
{
	struct obh_heap *h = &m->heap;
	size_t i = heap_index(m);

	if (uc_mem_unmap(m->uc, want, h->mapped_end - want) != UC_ERR_OK)
		return -ENOMEM;
	madvise(h->reserve + (want - h->start), h->mapped_end - want, MADV_DONTNEED);
	h->mapped_end = want;
	if (want == h->start)
		remove_region(m, i);
	else
		m->regions[i].size = want - h->start;
	return 0;
}

int64_t obh_mem_sbrk(struct obh_mem *m, int32_t increment)
{
	struct obh_heap *h = &m->heap;
	int64_t next = (int64_t)h->brk + increment;
	int rc = 0;

	if (!h->on || next < h->start || next > h->limit)
		return -ENOMEM;
	/* Only a decrement unmaps: the rest of a growth step stays mapped. */
	uint32_t want = (uint32_t)page_up((uint64_t)next);
	if (want > h->mapped_end)
		rc = heap_grow(m, want);
	else if (increment < 0 && want < h->mapped_end)
		rc = heap_shrink(m, want);
	if (rc)
		return rc;
	uint32_t old = h->brk;
	h->brk = (uint32_t)next;
	return old;
}

void obh_mem_heap_info(const struct obh_mem *m, uint32_t *start, uint32_t *brk,
		       uint32_t *limit)
{
	if (start)
		*start = m->heap.on ? m->heap.start : 0;
	if (brk)
		*brk = m->heap.on ? m->heap.brk : 0;
	if (limit)
		*limit = m->heap.on ? m->heap.limit : 0;
}

/* ---- stacks ---- */

/* The highest lo such that [lo - guard, lo + size) is free in the stack
 * area, or 0 if there is none. Claimed intervals (regions, with stacks
 * extended by their guard) are disjoint, so walking regions by descending
 * start walks them by descending claim. */
static uint32_t stack_place(const struct obh_mem *m, uint64_t size)
{
	uint64_t top = OBH_STACK_AREA_HI;
	uint64_t need = size + OBH_STACK_GUARD;

	for (size_t k = m->count; k-- > 0;) {
		const struct obh_region *r = &m->regions[k];
		uint64_t lo = claim_start(r), hi = obh_region_end(r);

		if (lo >= top)
			continue;
		uint64_t floor = hi > OBH_STACK_AREA_LO ? hi : OBH_STACK_AREA_LO;
		if (floor < top && top - floor >= need)
			break;
		top = lo;
		if (top <= OBH_STACK_AREA_LO)
			return 0;
	}
	if (top - OBH_STACK_AREA_LO < need)
		return 0;
	return (uint32_t)(top - size);
}

int obh_mem_alloc_stack(struct obh_mem *m, uint32_t size, const char *name,
			uint32_t *lo, uint32_t *hi)
{
	uint64_t bytes = page_up(size);

	if (size == 0 || !name || bytes + OBH_STACK_GUARD > OBH_STACK_AREA_HI - OBH_STACK_AREA_LO)
		return -EINVAL;
	uint32_t base = stack_place(m, bytes);
	if (base == 0)
		return -ENOMEM;
	int rc = map_region(m, base, (uint32_t)bytes, OBH_PROT_R | OBH_PROT_W,
			    OBH_REGION_STACK, name);
	if (rc)
		return rc;
	*lo = base;
	*hi = (uint32_t)(base + bytes);
	return 0;
}

int obh_mem_free_stack(struct obh_mem *m, uint32_t lo)
{
	size_t i = find_index(m, lo);

	if (i == NO_REGION || m->regions[i].start != lo || m->regions[i].kind != OBH_REGION_STACK)
		return -EINVAL;
	struct obh_region *r = &m->regions[i];
	if (uc_mem_unmap(m->uc, r->start, r->size) != UC_ERR_OK)
		return -EINVAL;
	munmap(r->host, r->size);
	remove_region(m, i);
	return 0;
}
