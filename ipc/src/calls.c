/*
 * The table of outstanding calls on one connection.
 *
 * Replies arrive in any order and thousands of calls may be in flight, so
 * matching by id is a hash lookup: open addressing with linear probing,
 * kept at most 3/4 full, with backward-shift deletion (no tombstones, so a
 * long-lived connection never degrades). Ids are sequential; a
 * multiplicative hash spreads them anyway.
 *
 * Calls with a deadline also sit in a binary min-heap ordered by deadline.
 * Each call records its heap position, so removing a call that was answered
 * or cancelled is O(log n), and the next deadline is the heap's top.
 */
#include <errno.h>
#include <stdlib.h>

#include "ipc_impl.h"

#define MIN_CAP 64u

void obi_calls_init(struct obi_calls *t)
{
	*t = (struct obi_calls){0};
}

void obi_calls_fini(struct obi_calls *t)
{
	struct obi_call *c = obi_calls_drain(t);

	while (c) {
		struct obi_call *next = c->next;

		free(c);
		c = next;
	}
	free(t->slots);
	free(t->heap);
	*t = (struct obi_calls){0};
}

static uint32_t home_slot(uint64_t id, uint32_t cap)
{
	return (uint32_t)((id * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

/* ---- deadline heap ---- */

static bool heap_before(const struct obi_call *a, const struct obi_call *b)
{
	return a->deadline < b->deadline;
}

static void heap_set(struct obi_calls *t, uint32_t pos, struct obi_call *c)
{
	t->heap[pos] = c;
	c->heap_pos = pos;
}

static void heap_sift_up(struct obi_calls *t, uint32_t pos)
{
	struct obi_call *c = t->heap[pos];

	while (pos > 0) {
		uint32_t parent = (pos - 1) / 2;

		if (!heap_before(c, t->heap[parent]))
			break;
		heap_set(t, pos, t->heap[parent]);
		pos = parent;
	}
	heap_set(t, pos, c);
}

static void heap_sift_down(struct obi_calls *t, uint32_t pos)
{
	struct obi_call *c = t->heap[pos];

	for (;;) {
		uint32_t child = 2 * pos + 1;

		if (child >= t->heap_len)
			break;
		if (child + 1 < t->heap_len && heap_before(t->heap[child + 1], t->heap[child]))
			child++;
		if (!heap_before(t->heap[child], c))
			break;
		heap_set(t, pos, t->heap[child]);
		pos = child;
	}
	heap_set(t, pos, c);
}

static int heap_push(struct obi_calls *t, struct obi_call *c)
{
	if (t->heap_len == t->heap_cap) {
		uint32_t cap = t->heap_cap ? t->heap_cap * 2 : MIN_CAP;
		struct obi_call **heap = realloc(t->heap, cap * sizeof(*heap));

		if (!heap)
			return -ENOMEM;
		t->heap = heap;
		t->heap_cap = cap;
	}
	heap_set(t, t->heap_len++, c);
	heap_sift_up(t, c->heap_pos);
	return 0;
}

static void heap_remove(struct obi_calls *t, struct obi_call *c)
{
	uint32_t pos = c->heap_pos;
	struct obi_call *last;

	if (pos == OBI_NO_HEAP)
		return;
	c->heap_pos = OBI_NO_HEAP;
	last = t->heap[--t->heap_len];
	if (pos == t->heap_len)
		return;
	heap_set(t, pos, last);
	heap_sift_up(t, pos);
	heap_sift_down(t, last->heap_pos);
}

/* ---- hash table ---- */

static void slots_insert(struct obi_call **slots, uint32_t cap, struct obi_call *c)
{
	uint32_t i = home_slot(c->id, cap);

	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = c;
}

static int slots_grow(struct obi_calls *t)
{
	uint32_t cap = t->cap ? t->cap * 2 : MIN_CAP;
	struct obi_call **slots;

	if (t->cap > (1u << 30))
		return -ENOMEM;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->cap; i++) {
		if (t->slots[i])
			slots_insert(slots, cap, t->slots[i]);
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

static int64_t slots_find(const struct obi_calls *t, uint64_t id)
{
	if (t->cap == 0)
		return -1;
	for (uint32_t i = home_slot(id, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (!t->slots[i])
			return -1;
		if (t->slots[i]->id == id)
			return i;
	}
}

/*
 * Empty slot i and shift later entries of its probe run back, so every
 * entry stays reachable from its home slot without tombstones.
 */
static void slots_remove_at(struct obi_calls *t, uint32_t i)
{
	uint32_t mask = t->cap - 1;
	uint32_t j = i;

	for (;;) {
		t->slots[i] = NULL;
		for (;;) {
			uint32_t home;

			j = (j + 1) & mask;
			if (!t->slots[j])
				return;
			home = home_slot(t->slots[j]->id, t->cap);
			/* The entry at j may move to i only if its home is not
			 * cyclically inside (i, j]. */
			if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
				continue;
			break;
		}
		t->slots[i] = t->slots[j];
		i = j;
	}
}

int obi_calls_add(struct obi_calls *t, uint64_t id, int64_t deadline, ob_reply_fn fn,
		  void *arg)
{
	struct obi_call *c;

	if ((uint64_t)(t->count + 1) * 4 > (uint64_t)t->cap * 3) {
		int rc = slots_grow(t);

		if (rc < 0)
			return rc;
	}
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = (struct obi_call){.id = id, .deadline = deadline, .fn = fn, .arg = arg,
			       .heap_pos = OBI_NO_HEAP};
	if (deadline != INT64_MAX && heap_push(t, c) < 0) {
		free(c);
		return -ENOMEM;
	}
	slots_insert(t->slots, t->cap, c);
	t->count++;
	return 0;
}

struct obi_call *obi_calls_take(struct obi_calls *t, uint64_t id)
{
	int64_t i = slots_find(t, id);
	struct obi_call *c;

	if (i < 0)
		return NULL;
	c = t->slots[i];
	slots_remove_at(t, (uint32_t)i);
	heap_remove(t, c);
	t->count--;
	return c;
}

struct obi_call *obi_calls_take_expired(struct obi_calls *t, int64_t now)
{
	if (t->heap_len == 0 || t->heap[0]->deadline > now)
		return NULL;
	return obi_calls_take(t, t->heap[0]->id);
}

int64_t obi_calls_next_deadline(const struct obi_calls *t)
{
	return t->heap_len ? t->heap[0]->deadline : INT64_MAX;
}

void obi_calls_shift(struct obi_calls *t, int64_t ms)
{
	for (uint32_t i = 0; i < t->heap_len; i++)
		if (t->heap[i]->deadline < INT64_MAX - ms)
			t->heap[i]->deadline += ms;
}

struct obi_call *obi_calls_drain(struct obi_calls *t)
{
	struct obi_call *list = NULL;

	for (uint32_t i = 0; i < t->cap; i++) {
		struct obi_call *c = t->slots[i];

		if (!c)
			continue;
		t->slots[i] = NULL;
		c->heap_pos = OBI_NO_HEAP;
		c->next = list;
		list = c;
	}
	t->count = 0;
	t->heap_len = 0;
	return list;
}
