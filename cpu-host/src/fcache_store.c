/*
 * The file cache's store (see fcache_store.h).
 */
#include "fcache_store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define HASH_SIZE 4096u

int obh_fc_store_init(struct obh_fc_store *s, uint64_t limit)
{
	memset(s, 0, sizeof(*s));
	s->hash = calloc(HASH_SIZE, sizeof(*s->hash));
	if (!s->hash)
		return -ENOMEM;
	s->hash_size = HASH_SIZE;
	s->limit = limit;
	s->lru.lnext = s->lru.lprev = &s->lru;
	s->once.lnext = s->once.lprev = &s->once;
	s->next_id = 1;
	obh_fc_arena_init(&s->arena, limit);
	return 0;
}

static unsigned slot(const struct obh_fc_store *s, const struct obh_fc_file *f, int64_t index)
{
	uint64_t k = (uint64_t)index * 0x9e3779b97f4a7c15ull ^ f->id * 0xc2b2ae3d27d4eb4full;
	return (unsigned)(k >> 32) % s->hash_size;
}

static bool on_lru(const struct obh_fc_block *b)
{
	return b->lnext != NULL;
}

/* Off whichever list b is on. */
static void lru_remove(struct obh_fc_store *s, struct obh_fc_block *b)
{
	if (!on_lru(b))
		return;
	b->lprev->lnext = b->lnext;
	b->lnext->lprev = b->lprev;
	b->lnext = b->lprev = NULL;
	if (b->once) {
		b->once = false;
		s->once_n--;
	}
}

static void list_push(struct obh_fc_block *head, struct obh_fc_block *b)
{
	b->lprev = head->lprev;
	b->lnext = head;
	head->lprev->lnext = b;
	head->lprev = b;
}

static void lru_push(struct obh_fc_store *s, struct obh_fc_block *b)
{
	list_push(&s->lru, b);
}

static void unhash(struct obh_fc_store *s, struct obh_fc_block *b)
{
	struct obh_fc_block **pp = &s->hash[slot(s, b->file, b->index)];
	while (*pp && *pp != b)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = b->hnext;
}

/* Remove b from every list; its buffer stays the caller's. */
static void unlink_block(struct obh_fc_store *s, struct obh_fc_block *b)
{
	lru_remove(s, b);
	unhash(s, b);
	if (b->dlo != b->dhi)
		b->file->dirty_blocks--;
	b->file->nblocks--;
	if (b->ahead)
		s->st.ra_wasted += b->valid;
}

void obh_fc_block_drop(struct obh_fc_store *s, struct obh_fc_block *b)
{
	unlink_block(s, b);
	obh_fc_release_buffer(s, b->data);
	struct obh_fc_file *f = b->file;
	free(b);
	obh_fc_file_put(s, f);
}

uint8_t *obh_fc_block_detach(struct obh_fc_store *s, struct obh_fc_block *b)
{
	uint8_t *data = b->data;
	b->ahead = false;
	unlink_block(s, b);
	free(b);
	return data; /* the file stays referenced by the write that holds it */
}

void obh_fc_release_buffer(struct obh_fc_store *s, uint8_t *buf)
{
	if (!buf)
		return;
	obh_fc_arena_put(&s->arena, buf);
	s->used -= OBH_FC_BLOCK;
}

void obh_fc_store_fini(struct obh_fc_store *s)
{
	for (unsigned i = 0; s->hash && i < s->hash_size; i++) {
		while (s->hash[i]) {
			struct obh_fc_block *b = s->hash[i];
			s->hash[i] = b->hnext;
			free(b);
		}
	}
	while (s->files) {
		struct obh_fc_file *f = s->files;
		s->files = f->next;
		free(f->path);
		free(f);
	}
	free(s->hash);
	s->hash = NULL;
	obh_fc_arena_fini(&s->arena); /* every buffer, the blocks' and the writes' */
}

struct obh_fc_file *obh_fc_file_find(struct obh_fc_store *s, const char *path)
{
	for (struct obh_fc_file *f = s->files; f; f = f->next)
		if (f->path && strcmp(f->path, path) == 0)
			return f;
	return NULL;
}

struct obh_fc_file *obh_fc_file_get(struct obh_fc_store *s, const char *path)
{
	struct obh_fc_file *f = obh_fc_file_find(s, path);
	if (f)
		return f;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path))) {
		free(f);
		return NULL;
	}
	f->eof_hint = -1;
	f->id = s->next_id++;
	f->next = s->files;
	s->files = f;
	return f;
}

void obh_fc_file_unkey(struct obh_fc_file *f)
{
	free(f->path);
	f->path = NULL;
}

void obh_fc_file_put(struct obh_fc_store *s, struct obh_fc_file *f)
{
	if (f->refs || f->nblocks || f->writes_in_flight || f->replay || f->replay_armed)
		return;
	struct obh_fc_file **pp = &s->files;
	while (*pp && *pp != f)
		pp = &(*pp)->next;
	if (*pp)
		*pp = f->next;
	free(f->path);
	free(f);
}

struct obh_fc_block *obh_fc_block_find(struct obh_fc_store *s, struct obh_fc_file *f,
				       int64_t index)
{
	for (struct obh_fc_block *b = s->hash[slot(s, f, index)]; b; b = b->hnext)
		if (b->file == f && b->index == index)
			return b;
	return NULL;
}

/* The clean block to evict first: the oldest use-once one, else the LRU's
 * oldest; NULL when none is clean and idle. */
static struct obh_fc_block *coldest(struct obh_fc_store *s)
{
	if (s->once.lnext != &s->once)
		return s->once.lnext;
	return s->lru.lnext != &s->lru ? s->lru.lnext : NULL;
}

bool obh_fc_make_room(struct obh_fc_store *s, uint64_t need)
{
	struct obh_fc_block *old;
	while (s->used + need > s->limit && (old = coldest(s))) {
		s->st.evictions++;
		obh_fc_block_drop(s, old);
	}
	return s->used + need <= s->limit;
}

struct obh_fc_block *obh_fc_block_new(struct obh_fc_store *s, struct obh_fc_file *f,
				      int64_t index)
{
	/* Drop-behind: the oldest block a stream left behind gives back its
	 * buffer, which the arena hands out again at once. */
	while (s->once_n > OBH_FC_ONCE_KEEP) {
		s->st.dropped_behind++;
		obh_fc_block_drop(s, s->once.lnext);
	}
	if (!obh_fc_make_room(s, OBH_FC_BLOCK))
		return NULL;
	struct obh_fc_block *b = calloc(1, sizeof(*b));
	if (!b || !(b->data = obh_fc_arena_get(&s->arena))) {
		free(b);
		return NULL;
	}
	b->file = f;
	b->index = index;
	unsigned i = slot(s, f, index);
	b->hnext = s->hash[i];
	s->hash[i] = b;
	f->nblocks++;
	s->used += OBH_FC_BLOCK;
	if (s->used > s->st.peak_bytes)
		s->st.peak_bytes = s->used;
	return b;
}

void obh_fc_file_invalidate(struct obh_fc_store *s, struct obh_fc_file *f)
{
	f->eof_hint = -1;
	f->gen++;
	f->refs++; /* dropping its last block must not free it under us */
	for (unsigned i = 0; i < s->hash_size && f->nblocks; i++) {
		struct obh_fc_block *b = s->hash[i], *next;
		for (; b; b = next) {
			next = b->hnext;
			if (b->file == f && b->dlo == b->dhi && !b->loading)
				obh_fc_block_drop(s, b);
		}
	}
	f->refs--;
}

void obh_fc_block_touch(struct obh_fc_store *s, struct obh_fc_block *b)
{
	if (!on_lru(b))
		return;
	lru_remove(s, b);
	lru_push(s, b);
}

static void used_once(struct obh_fc_store *s, struct obh_fc_block *b)
{
	if (!on_lru(b) || b->once)
		return; /* dirty, loading or partial: not the store's to drop */
	lru_remove(s, b);
	list_push(&s->once, b);
	b->once = true;
	s->once_n++;
}

void obh_fc_block_read(struct obh_fc_store *s, struct obh_fc_block *b, uint32_t n)
{
	if (b->once)
		b->reused = true;
	obh_fc_block_touch(s, b); /* off the use-once list, if it was there */
	if (b->reused)
		return;
	b->read_bytes = n < OBH_FC_BLOCK - b->read_bytes ? b->read_bytes + n : OBH_FC_BLOCK;
	if (!b->partial && b->read_bytes >= b->valid)
		used_once(s, b);
}

void obh_fc_block_settle(struct obh_fc_store *s, struct obh_fc_block *b)
{
	bool idle = b->dlo == b->dhi && !b->loading && !b->partial;
	if (idle && !on_lru(b))
		lru_push(s, b);
	else if (!idle)
		lru_remove(s, b);
}

void obh_fc_block_dirty(struct obh_fc_store *s, struct obh_fc_block *b, uint32_t lo,
			uint32_t hi)
{
	if (!b->partial && lo > b->valid) /* a hole past the old end reads as zeros */
		memset(b->data + b->valid, 0, lo - b->valid);
	if (b->dlo == b->dhi) {
		b->dlo = lo;
		b->dhi = hi;
		b->file->dirty_blocks++;
	} else {
		b->dlo = lo < b->dlo ? lo : b->dlo;
		b->dhi = hi > b->dhi ? hi : b->dhi;
	}
	if (!b->partial && b->dhi > b->valid)
		b->valid = b->dhi; /* a loaded block grows with writes past its end */
	obh_fc_block_settle(s, b);
}

void obh_fc_block_clean(struct obh_fc_store *s, struct obh_fc_block *b)
{
	if (b->dlo != b->dhi)
		b->file->dirty_blocks--;
	b->dlo = b->dhi = 0;
	obh_fc_block_settle(s, b);
}
