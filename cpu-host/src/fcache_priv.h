/*
 * File cache internals shared by fcache.c (the guest's calls) and
 * fcache_io.c (requests to the plugin: loads, write-behind, replays).
 * Nothing else includes this.
 */
#ifndef OBH_FCACHE_PRIV_H
#define OBH_FCACHE_PRIV_H

#include "fcache.h"
#include "fcache_store.h"
#include "mounts.h"
#include "fdtable.h"

#define OBHF_LOG "fcache"
/* Read-ahead: the first window of a sequential reader, its ceiling on a
 * fast link, and blocks per pread. The ceiling is small because every
 * byte in flight is a page of the shared region and of the cache that a
 * run must fault in once: with 4 MiB, 8a's 32 MiB read took 164.5 ms,
 * with 1 MiB 154.1 and with 512 KiB 153.1 (docs/performance.md); a slow
 * link gets more (obhf_max_window). */
#define OBHF_RA_START (128u << 10)
#define OBHF_RA_MAX (1u << 20)
#define OBHF_RUN_BLOCKS 4u
/* Full blocks are sent in runs of contiguous ones, back to back: a send
 * to an idle plugin wakes it, and on this VM the wake-up (an interrupt to
 * the other CPU) is most of what a send costs the host. Runs of 4 took
 * 8b from 195 to 185 ms, runs of 16 to 178 (docs/performance.md,
 * "Write-behind in runs"); obhf_wb_run keeps a small cache's runs short. */
#define OBHF_WB_RUN_MAX 16u
/* Writes in flight per file before its writers wait: at least this much,
 * more on a link whose round trip calls for it (obhf_wb_window). */
#define OBHF_WB_MIN_WINDOW (8u << 20)

/* A guest fd's view: its file, and how it has been reading. */
struct obhf_fd {
	struct obh_fc_file *file;   /* NULL: not attached yet */
	bool direct;                /* O_APPEND: calls go to the plugin */
	int64_t next;               /* where a sequential read would start */
	uint32_t window;            /* read-ahead bytes; 0: not sequential */
};

/* A guest call parked in the cache until a load or write completes. */
struct obhf_op {
	struct obh_thread *t;
	const struct obh_call *c;
	uint32_t v[OBH_MAX_ARGS];
	char *str[OBH_MAX_ARGS];
	obh_result_fn result;
	void *result_arg;
	bool free_result_arg;
	uint64_t load_seq;          /* loads completed when the call came */
	int64_t start_ns;
	struct obhf_op *next;
};

/* A write-behind in flight: the bytes [lo, lo + len) of a detached block. */
struct obh_fc_wreq {
	struct obh_fcache *fc;
	struct obh_fc_file *file;
	int64_t offset;
	uint32_t lo, len;
	uint8_t *buf;               /* OBH_FC_BLOCK bytes, charged to the store */
	uint64_t seq;               /* replays go in the order writes were made */
	int64_t sent_ns;            /* sent with none other of its file in flight:
				     * its reply times the link; else 0 */
	struct obh_fc_wreq *next;
};

struct obh_fcache {
	struct obh_host *h;
	struct obh_fc_store s;
	struct obhf_fd fds[OBH_MAX_FDS];
	struct obhf_op *waiting;    /* parked calls, retried on every completion */
	/* Waiting for a mount's plugin to come back: one slot per route, each
	 * the argument of its obh_router_when_up callback. */
	struct obhf_up {
		struct obh_fcache *fc;
		unsigned route;
		bool armed;
	} up[OBH_MAX_ROUTES];
	bool closing;               /* drained: the router is being closed */
	uint64_t write_seq;
	int64_t rtt_ns;             /* smoothed round trip of loads */
	uint64_t rtt_samples;
};

/* fcache_io.c */
/* The plugin handle to use for f: an open, non-stale guest fd that can
 * read (want_write false) or write. -1 if none. */
int64_t obhf_handle(struct obh_fcache *fc, struct obh_fc_file *f, bool want_write);
/* Load count blocks from first (read-ahead when ahead). 0, or -errno when
 * nothing could be sent (-EAGAIN: no memory now; -EIO, -ENODEV). */
int obhf_load(struct obh_fcache *fc, struct obh_fc_file *f, int64_t first, unsigned count,
	      bool ahead);
/* Send b's dirty bytes (b is consumed). */
void obhf_flush_block(struct obh_fcache *fc, struct obh_fc_block *b);
/* Block i of f was just filled: send it with the full dirty blocks around
 * it once they make a run of obhf_wb_run; until then they wait like a
 * partial block (for the run, memory pressure, fsync, close...). */
void obhf_flush_full_run(struct obh_fcache *fc, struct obh_fc_file *f, int64_t i);
/* Blocks in a write-behind run: OBHF_WB_RUN_MAX, fewer when that would be
 * more than a quarter of the cache (1 for the smallest). */
unsigned obhf_wb_run(const struct obh_fcache *fc);
/* Send every dirty block of f (NULL: of every file). Returns how many. */
unsigned obhf_flush_file(struct obh_fcache *fc, struct obh_fc_file *f);
/* Close plugin handle fd for a guest close the cache answers itself. */
void obhf_send_close(struct obh_fcache *fc, unsigned route, uint32_t fd);
/* Whether f's writes are all confirmed (none dirty, in flight, replaying). */
bool obhf_settled(const struct obh_fc_file *f);
/* Wait for the fs domain to be up, then retry parked calls. */
void obhf_arm_up(struct obh_fcache *fc, unsigned route);
/* Largest read-ahead window, from the measured round trip. */
uint32_t obhf_max_window(const struct obh_fcache *fc);
/* Bytes of writes a file may have in flight, from the measured round trip. */
uint64_t obhf_wb_window(const struct obh_fcache *fc);

/* fcache.c */
/* Something completed: retry every parked call. */
void obhf_retry(struct obh_fcache *fc);

#endif /* OBH_FCACHE_PRIV_H */
