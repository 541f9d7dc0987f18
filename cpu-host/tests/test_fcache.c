/*
 * Unit tests of the file cache's store (src/fcache_store.c) and of the
 * read-ahead ceiling (obhf_max_window): the memory limit, which blocks may
 * be evicted and in what order, invalidation, and file lifetimes. The
 * cache's behaviour with real guests and plugins is in tests/cpu
 * (fcache_*).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fcache_priv.h"

#define B OBH_FC_BLOCK

static struct obh_fc_block *loaded(struct obh_fc_store *s, struct obh_fc_file *f, int64_t i,
				   uint32_t valid)
{
	struct obh_fc_block *b = obh_fc_block_new(s, f, i);
	assert_non_null(b);
	memset(b->data, (int)i, B);
	b->valid = valid;
	obh_fc_block_settle(s, b);
	return b;
}

/* Clean blocks go oldest first; a touched block counts as new. */
static void limit_evicts_lru(void **state)
{
	struct obh_fc_store s;
	(void)state;
	assert_int_equal(obh_fc_store_init(&s, 3 * B), 0);
	struct obh_fc_file *f = obh_fc_file_get(&s, "a");
	f->refs++;
	struct obh_fc_block *b0 = loaded(&s, f, 0, B);
	loaded(&s, f, 1, B);
	loaded(&s, f, 2, B);
	obh_fc_block_touch(&s, b0);
	loaded(&s, f, 3, B); /* evicts block 1, the least recently used */
	assert_true(s.used <= s.limit);
	assert_non_null(obh_fc_block_find(&s, f, 0));
	assert_null(obh_fc_block_find(&s, f, 1));
	assert_non_null(obh_fc_block_find(&s, f, 3));
	assert_int_equal(s.st.evictions, 1);
	assert_int_equal(s.st.peak_bytes, 3 * B);
	obh_fc_store_fini(&s);
}

/* Dirty, loading and partial blocks stay: block_new says no instead. */
static void dirty_blocks_stay(void **state)
{
	struct obh_fc_store s;
	(void)state;
	assert_int_equal(obh_fc_store_init(&s, 2 * B), 0);
	struct obh_fc_file *f = obh_fc_file_get(&s, "a");
	f->refs++;
	struct obh_fc_block *d = loaded(&s, f, 0, B);
	obh_fc_block_dirty(&s, d, 10, 20);
	struct obh_fc_block *l = obh_fc_block_new(&s, f, 1);
	l->loading = true;
	obh_fc_block_settle(&s, l);
	assert_null(obh_fc_block_new(&s, f, 2));
	assert_int_equal(f->dirty_blocks, 1);
	assert_int_equal(f->nblocks, 2);
	/* Once clean and loaded, they may go. */
	obh_fc_block_clean(&s, d);
	assert_int_equal(f->dirty_blocks, 0);
	assert_non_null(obh_fc_block_new(&s, f, 2));
	assert_null(obh_fc_block_find(&s, f, 0));
	obh_fc_store_fini(&s);
}

/* A write past a loaded block's end leaves zeros in the hole. */
static void write_past_end_zero_fills(void **state)
{
	struct obh_fc_store s;
	(void)state;
	assert_int_equal(obh_fc_store_init(&s, 4 * B), 0);
	struct obh_fc_file *f = obh_fc_file_get(&s, "a");
	f->refs++;
	struct obh_fc_block *b = loaded(&s, f, 0, 100);
	obh_fc_block_dirty(&s, b, 200, 300);
	assert_int_equal(b->valid, 300);
	assert_int_equal(b->dlo, 200);
	for (int i = 100; i < 200; i++)
		assert_int_equal(b->data[i], 0);
	/* Contiguous and overlapping ranges merge into one. */
	obh_fc_block_dirty(&s, b, 150, 250);
	assert_int_equal(b->dlo, 150);
	assert_int_equal(b->dhi, 300);
	obh_fc_store_fini(&s);
}

/* Invalidation drops clean blocks and voids loads in flight. */
static void invalidate_keeps_dirty(void **state)
{
	struct obh_fc_store s;
	(void)state;
	assert_int_equal(obh_fc_store_init(&s, 8 * B), 0);
	struct obh_fc_file *f = obh_fc_file_get(&s, "a");
	f->refs++;
	loaded(&s, f, 0, B);
	struct obh_fc_block *d = loaded(&s, f, 1, B);
	obh_fc_block_dirty(&s, d, 0, 1);
	struct obh_fc_block *l = obh_fc_block_new(&s, f, 2);
	l->loading = true;
	uint32_t gen = f->gen;
	f->eof_hint = 5;
	obh_fc_file_invalidate(&s, f);
	assert_null(obh_fc_block_find(&s, f, 0));
	assert_non_null(obh_fc_block_find(&s, f, 1));
	assert_non_null(obh_fc_block_find(&s, f, 2));
	assert_int_not_equal(f->gen, gen);
	assert_int_equal(f->eof_hint, -1);
	obh_fc_store_fini(&s);
}

/* A file lives while an fd, a block or a write refers to it; a path is
 * forgotten at unlink, so a new open gets a new file. */
static void file_lifetime(void **state)
{
	struct obh_fc_store s;
	(void)state;
	assert_int_equal(obh_fc_store_init(&s, 8 * B), 0);
	struct obh_fc_file *f = obh_fc_file_get(&s, "dir/a");
	assert_ptr_equal(obh_fc_file_get(&s, "dir/a"), f);
	assert_null(obh_fc_file_find(&s, "dir/b"));
	f->refs++;
	struct obh_fc_block *b = loaded(&s, f, 7, B);
	obh_fc_block_dirty(&s, b, 0, 4);
	f->refs--;
	obh_fc_file_put(&s, f); /* a dirty block holds it */
	assert_ptr_equal(obh_fc_file_find(&s, "dir/a"), f);
	/* The block leaves for a write in flight: the buffer stays charged. */
	f->writes_in_flight++;
	uint8_t *buf = obh_fc_block_detach(&s, b);
	assert_int_equal(f->nblocks, 0);
	assert_int_equal(f->dirty_blocks, 0);
	assert_int_equal(s.used, B);
	obh_fc_file_unkey(f);
	assert_null(obh_fc_file_find(&s, "dir/a"));
	struct obh_fc_file *g = obh_fc_file_get(&s, "dir/a");
	assert_ptr_not_equal(g, f);
	obh_fc_release_buffer(&s, buf);
	assert_int_equal(s.used, 0);
	f->writes_in_flight--;
	obh_fc_file_put(&s, f); /* freed now */
	obh_fc_file_put(&s, g);
	assert_null(s.files);
	obh_fc_store_fini(&s);
}

/* Read-ahead wasted: blocks fetched ahead and evicted unread. */
static void wasted_read_ahead_counted(void **state)
{
	struct obh_fc_store s;
	(void)state;
	assert_int_equal(obh_fc_store_init(&s, 2 * B), 0);
	struct obh_fc_file *f = obh_fc_file_get(&s, "a");
	f->refs++;
	struct obh_fc_block *a = loaded(&s, f, 0, 1000);
	a->ahead = true;
	loaded(&s, f, 1, B);
	loaded(&s, f, 2, B);
	assert_int_equal(s.st.ra_wasted, 1000);
	obh_fc_store_fini(&s);
}

/* The arena hands out whole, distinct buffers from 2 MiB-aligned chunks,
 * and a buffer given back is the next one out (the warmest). */
static void arena_reuses_warmest(void **state)
{
	struct obh_fc_arena a;
	enum { N = 40 }; /* more than one chunk */
	uint8_t *bufs[N];
	(void)state;
	obh_fc_arena_init(&a, 64u << 20);
	assert_true(a.huge);
	for (int i = 0; i < N; i++) {
		bufs[i] = obh_fc_arena_get(&a);
		assert_non_null(bufs[i]);
		memset(bufs[i], i, B);
		for (int j = 0; j < i; j++)
			assert_true(bufs[i] >= bufs[j] + B || bufs[j] >= bufs[i] + B);
	}
	assert_int_equal((uintptr_t)bufs[0] % OBH_FC_CHUNK, 0);
	assert_int_equal(obh_fc_arena_mapped(&a), 2 * OBH_FC_CHUNK);
	for (int i = 0; i < N; i++)
		assert_int_equal(bufs[i][B - 1], i); /* nothing overlapped */
	obh_fc_arena_put(&a, bufs[3]);
	obh_fc_arena_put(&a, bufs[7]);
	assert_ptr_equal(obh_fc_arena_get(&a), bufs[7]);
	assert_ptr_equal(obh_fc_arena_get(&a), bufs[3]);
	assert_int_equal(obh_fc_arena_mapped(&a), 2 * OBH_FC_CHUNK); /* no growth */
	obh_fc_arena_fini(&a);
	assert_int_equal(obh_fc_arena_mapped(&a), 0);
	/* A small cache gets no huge pages: 2 MiB at once is more than it may hold. */
	obh_fc_arena_init(&a, 256u << 10);
	assert_false(a.huge);
	uint8_t *one = obh_fc_arena_get(&a);
	assert_non_null(one);
	memset(one, 1, B);
	obh_fc_arena_fini(&a);
}

/* Blocks whose bytes were all read go before the LRU's, and past
 * OBH_FC_ONCE_KEEP of them a new block takes the oldest one's buffer. */
static void use_once_dropped_behind(void **state)
{
	struct obh_fc_store s;
	(void)state;
	assert_int_equal(obh_fc_store_init(&s, 64 * B), 0);
	struct obh_fc_file *f = obh_fc_file_get(&s, "a");
	f->refs++;
	struct obh_fc_block *kept = loaded(&s, f, 1000, B); /* an LRU block */
	unsigned n = OBH_FC_ONCE_KEEP + 8;
	for (unsigned i = 0; i < n; i++) {
		uint8_t *oldest = s.once_n > OBH_FC_ONCE_KEEP ? s.once.lnext->data : NULL;
		struct obh_fc_block *b = loaded(&s, f, i, B);
		if (oldest) /* the new block got the buffer just dropped */
			assert_ptr_equal(b->data, oldest);
		obh_fc_block_read(&s, b, 1000); /* in pieces */
		assert_false(b->once);
		obh_fc_block_read(&s, b, B - 1000);
		assert_true(b->once);
	}
	/* Each new block past the keep dropped one: the keep plus the last. */
	assert_int_equal(s.st.dropped_behind, n - OBH_FC_ONCE_KEEP - 1);
	assert_int_equal(s.once_n, OBH_FC_ONCE_KEEP + 1);
	assert_null(obh_fc_block_find(&s, f, 0));
	assert_non_null(obh_fc_block_find(&s, f, n - 1));
	assert_int_equal(s.used, (uint64_t)(OBH_FC_ONCE_KEEP + 2) * B);
	/* Read again: back on the LRU, never dropped behind. */
	struct obh_fc_block *again = obh_fc_block_find(&s, f, n - 1);
	obh_fc_block_read(&s, again, 10);
	assert_false(again->once);
	obh_fc_block_read(&s, again, B); /* for good */
	assert_false(again->once);
	assert_int_equal(s.once_n, OBH_FC_ONCE_KEEP);
	/* Under the limit, the use-once blocks go first, then the LRU's oldest. */
	obh_fc_make_room(&s, (s.limit - s.used) + 2 * B);
	assert_int_equal(s.st.evictions, 2);
	assert_non_null(obh_fc_block_find(&s, f, 1000));
	assert_non_null(obh_fc_block_find(&s, f, n - 1));
	assert_ptr_equal(obh_fc_block_find(&s, f, 1000), kept);
	/* A dirty block is not the store's to drop: it stays off the list. */
	obh_fc_block_dirty(&s, kept, 0, 10);
	obh_fc_block_read(&s, kept, B);
	assert_false(kept->once);
	/* Less than the block holds: not yet. */
	struct obh_fc_block *r = loaded(&s, f, 2000, B);
	obh_fc_block_read(&s, r, B / 2);
	obh_fc_block_read(&s, r, B / 2 - 1);
	assert_false(r->once);
	/* A short block (the end of the file) is whole at its valid bytes. */
	struct obh_fc_block *e = loaded(&s, f, 2002, 300);
	obh_fc_block_read(&s, e, 300);
	assert_true(e->once);
	obh_fc_store_fini(&s);
}

/* The ceiling follows the round trip, within [OBHF_RA_MAX, limit / 4]. */
static void window_from_rtt(void **state)
{
	struct obh_fcache fc;
	(void)state;
	memset(&fc, 0, sizeof(fc));
	fc.s.limit = 64u << 20;
	fc.rtt_ns = 100000; /* 100 us: a local plugin */
	assert_int_equal(obhf_max_window(&fc), OBHF_RA_MAX);
	fc.rtt_ns = 100000000; /* 100 ms */
	assert_int_equal(obhf_max_window(&fc), 6400000);
	fc.rtt_ns = 1000000000;
	assert_int_equal(obhf_max_window(&fc), 16u << 20);
	fc.s.limit = 256u << 10;
	assert_int_equal(obhf_max_window(&fc), OBH_FC_BLOCK);
}

/* Writes in flight: OBHF_WB_MIN_WINDOW up to a 32 ms round trip, then
 * 256 MB/s times it, within half the cache. */
static void write_window_from_rtt(void **state)
{
	struct obh_fcache fc;
	(void)state;
	memset(&fc, 0, sizeof(fc));
	fc.s.limit = 256u << 20;
	assert_true(obhf_wb_window(&fc) == OBHF_WB_MIN_WINDOW); /* nothing measured */
	fc.rtt_ns = 10000000; /* 10 ms */
	assert_true(obhf_wb_window(&fc) == OBHF_WB_MIN_WINDOW);
	fc.rtt_ns = 100000000; /* 100 ms */
	assert_true(obhf_wb_window(&fc) == 25600000);
	fc.rtt_ns = 2000000000;
	assert_true(obhf_wb_window(&fc) == 128u << 20);
	fc.s.limit = 4u << 20; /* a small cache keeps the minimum */
	assert_true(obhf_wb_window(&fc) == OBHF_WB_MIN_WINDOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limit_evicts_lru),
		cmocka_unit_test(dirty_blocks_stay),
		cmocka_unit_test(write_past_end_zero_fills),
		cmocka_unit_test(invalidate_keeps_dirty),
		cmocka_unit_test(file_lifetime),
		cmocka_unit_test(wasted_read_ahead_counted),
		cmocka_unit_test(arena_reuses_warmest),
		cmocka_unit_test(use_once_dropped_behind),
		cmocka_unit_test(window_from_rtt),
		cmocka_unit_test(write_window_from_rtt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
