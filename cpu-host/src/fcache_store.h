/*
 * The file cache's store (fcache.h has the whole story): files by path,
 * their blocks by number, one LRU over every clean block, and the memory
 * they take against the --fs-cache limit. Pure data: no guest, no plugin,
 * so the unit tests drive it directly.
 *
 * A block is OBH_FC_BLOCK bytes of one file at a multiple of OBH_FC_BLOCK.
 * Either it was loaded from the plugin (valid bytes [0, valid) are the
 * file's content; valid < OBH_FC_BLOCK means the file ended there when it
 * was read), or it was made by writes alone ("partial": only [dlo, dhi) is
 * known). Either kind may hold dirty bytes [dlo, dhi) not yet sent to the
 * plugin; a dirty or loading block is never evicted.
 *
 * A clean idle block sits on one of two lists. The LRU holds what may be
 * read again. The use-once list holds blocks whose reads have taken as
 * many bytes as they hold (a stream, or a program loading the pieces of a
 * data file, leaves them behind) and that were not read since. They are
 * evicted first, and once more than OBH_FC_ONCE_KEEP of them wait, a new
 * block takes the oldest one's place instead of growing the cache
 * ("drop-behind"), so that streaming a large file reuses a few warm
 * buffers rather than filling the cache with memory never touched before
 * (fcache_arena.h says what that costs). A block read again is moved to
 * the LRU for good: it is worth keeping. Bytes are counted, not which
 * ones, so a block read piecemeal in any order qualifies, and so may one
 * whose first bytes were read many times: the first read after that
 * saves it.
 */
#ifndef OBH_FCACHE_STORE_H
#define OBH_FCACHE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "fcache_arena.h" /* OBH_FC_BLOCK */
/* Use-once blocks kept behind a stream, for a reader that steps back a
 * little (1 MiB). */
#define OBH_FC_ONCE_KEEP 16u

struct obh_fc_file;

struct obh_fc_block {
	struct obh_fc_file *file;
	int64_t index;              /* file offset / OBH_FC_BLOCK */
	uint8_t *data;              /* OBH_FC_BLOCK bytes (owned) */
	uint32_t valid;             /* loaded: bytes of content from 0 */
	uint32_t dlo, dhi;          /* dirty range; dlo == dhi: clean */
	bool loading;               /* a read from the plugin will fill it */
	bool partial;               /* made by writes: only [dlo, dhi) known */
	bool ahead;                 /* read ahead and not used yet */
	bool once;                  /* on the use-once list, not the LRU */
	uint32_t read_bytes;        /* what the guest's reads took from it */
	bool reused;                /* read again after it went use-once */
	uint64_t load_seq;          /* when it was loaded (obh_fc_store.load_seq) */
	struct obh_fc_block *hnext; /* hash chain */
	struct obh_fc_block *lprev, *lnext; /* LRU or use-once list, clean idle blocks only */
};

/* Guest-visible state shared by every fd open on one file. */
struct obh_fc_file {
	char *path;                 /* the key; NULL once unlinked/renamed (owned) */
	unsigned refs;              /* guest fds attached */
	unsigned nblocks;
	unsigned dirty_blocks;
	int64_t eof_hint;           /* end of file seen by the last short read; -1 none */
	uint64_t eof_seq;           /* the load_seq of the load that saw it */
	int err;                    /* write-behind error (host errno) not yet reported */
	int close_err;              /* the first one: every close reports it */
	int sync_err;               /* one since the last fsync: the next fsync reports
				     * it, even when a write already did */
	uint64_t unreported;        /* bytes failed while err waits for a call */
	unsigned writes_in_flight;
	uint64_t bytes_in_flight;
	struct obh_fc_wreq *replay; /* failed writes waiting for the restarted plugin */
	bool replay_armed;
	int rerr;                   /* a failed read (host errno) for the reader */
	uint32_t gen;               /* bumped by invalidation: loads in flight are void */
	struct obh_fc_file *next;
	uint32_t id;                /* for logs */
	unsigned route;             /* the mount serving it (mounts.h): its requests go there */
};

struct obh_fc_stats {
	uint64_t hits, misses;          /* guest reads served from memory / that waited */
	uint64_t ra_bytes, ra_used, ra_wasted; /* read ahead, then read / evicted unread */
	uint64_t wb_bytes, wb_writes;   /* guest bytes written behind; pwrites sent */
	uint64_t wb_replayed, wb_errors; /* writes replayed after a restart; failed */
	uint64_t evictions;
	uint64_t dropped_behind;        /* use-once blocks recycled for new ones */
	uint64_t served;                /* guest calls answered without going to the plugin */
	uint64_t sent;                  /* requests the cache itself sent (loads, writes, closes) */
	uint64_t peak_bytes;            /* most memory held at once */
};

struct obh_fc_store {
	uint64_t limit;             /* bytes of blocks + writes in flight */
	uint64_t used;
	struct obh_fc_block **hash;
	unsigned hash_size;
	struct obh_fc_block lru;    /* sentinel: lnext is the oldest */
	struct obh_fc_block once;   /* sentinel of the use-once list, oldest first */
	unsigned once_n;
	struct obh_fc_file *files;
	uint32_t next_id;
	uint64_t load_seq;          /* loads completed */
	struct obh_fc_arena arena;  /* every block's and write's buffer */
	struct obh_fc_stats st;
};

/* 0 or -ENOMEM. limit > 0. */
int obh_fc_store_init(struct obh_fc_store *s, uint64_t limit);
/* Frees every file and block (even dirty ones: the caller flushed). */
void obh_fc_store_fini(struct obh_fc_store *s);

/* The file for path, made with refs 0 if missing (NULL: -ENOMEM). */
struct obh_fc_file *obh_fc_file_get(struct obh_fc_store *s, const char *path);
/* The file for path, or NULL. */
struct obh_fc_file *obh_fc_file_find(struct obh_fc_store *s, const char *path);
/* Forget the path (unlink, rename): later opens get a new file. */
void obh_fc_file_unkey(struct obh_fc_file *f);
/* Free f if nothing refers to it any more (no fd, block, write or waiter). */
void obh_fc_file_put(struct obh_fc_store *s, struct obh_fc_file *f);

struct obh_fc_block *obh_fc_block_find(struct obh_fc_store *s, struct obh_fc_file *f,
				       int64_t index);
/* A new empty block (not loaded, clean), or NULL when memory is short even
 * after evicting clean blocks (the caller flushes dirty ones and waits). */
struct obh_fc_block *obh_fc_block_new(struct obh_fc_store *s, struct obh_fc_file *f,
				      int64_t index);
void obh_fc_block_drop(struct obh_fc_store *s, struct obh_fc_block *b);
/* Drop every clean, idle block of f (coherence after truncate, unlink...). */
void obh_fc_file_invalidate(struct obh_fc_store *s, struct obh_fc_file *f);

/* The block was used: most recently used, if it is on the LRU or the
 * use-once list (a use-once block read again moves to the LRU). */
void obh_fc_block_touch(struct obh_fc_store *s, struct obh_fc_block *b);
/* The guest read n bytes of b: the read that brings the bytes read to
 * the block's size puts it on the use-once list (if it is clean and
 * idle); a read of a block already there moves it to the LRU for good. */
void obh_fc_block_read(struct obh_fc_store *s, struct obh_fc_block *b, uint32_t n);
/* After its state changed: on the LRU iff clean, loaded and idle. */
void obh_fc_block_settle(struct obh_fc_store *s, struct obh_fc_block *b);
/* Mark [lo, hi) of b dirty (the bytes are already in b->data). */
void obh_fc_block_dirty(struct obh_fc_store *s, struct obh_fc_block *b, uint32_t lo,
			uint32_t hi);
/* b's dirty bytes were taken for sending: clean now. */
void obh_fc_block_clean(struct obh_fc_store *s, struct obh_fc_block *b);

/* Take b's buffer out of the store for a write in flight (b is freed; the
 * buffer stays charged until obh_fc_release_buffer). */
uint8_t *obh_fc_block_detach(struct obh_fc_store *s, struct obh_fc_block *b);
void obh_fc_release_buffer(struct obh_fc_store *s, uint8_t *buf);
/* Evict clean blocks (use-once first, then oldest first) until need more
 * bytes fit. */
bool obh_fc_make_room(struct obh_fc_store *s, uint64_t need);

#endif /* OBH_FCACHE_STORE_H */
