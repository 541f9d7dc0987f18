/*
 * The host-side file cache (docs/faults.md, "The file cache"): read-ahead
 * and write-behind for the guest's plugin files, between the dispatcher
 * and the fs plugin, so most guest reads and writes complete without a
 * round trip.
 *
 * - Every guest fd on one path shares one cache file: two fds see each
 *   other's writes. Reads and writes become positioned (pread/pwrite) on
 *   the plugin; the guest's offset lives in the fd table (seek is local).
 * - Reads: blocks of OBH_FC_BLOCK bytes. A sequential reader (each read
 *   starts where the last ended; pread too) gets a read-ahead window that
 *   doubles on every hit up to a ceiling sized from the measured round
 *   trip, with several pread requests in flight; a random reader gets only
 *   its own block. A read at or past the last end of file seen asks the
 *   plugin again, so files that grow are seen.
 * - Writes: copied into blocks and acknowledged at once; a run of
 *   contiguous full blocks (16, fewer in a small cache), memory pressure,
 *   fsync, close, a metadata call on the file or the run's end sends them,
 *   one pwrite per block, several in flight. A failed write-behind is reported (then cleared) at
 *   the next call on the file, at fsync and at close. A write in flight
 *   when the plugin dies is sent again, in order, to the restarted plugin
 *   (a positioned write of the host's own bytes: idempotent); when the
 *   plugin does not come back the error is EIO.
 * - Calls that need the plugin's view (fstat, stat, ftruncate, fsync,
 *   unlink, rename, open with O_TRUNC, seek from the end) first wait until
 *   the file's writes are confirmed, then drop its clean blocks (for all
 *   but fstat/stat/fsync) and go to the plugin as before.
 * - O_APPEND fds and directories are not cached (the plugin knows the end);
 *   their calls wait for the file's pending writes first.
 *
 * Memory: blocks and writes in flight together stay under the limit
 * (--fs-cache); 0 turns the cache off and every call goes to the plugin.
 */
#ifndef OBH_FCACHE_H
#define OBH_FCACHE_H

#include <stdint.h>
#include <stdio.h>

#include "calls.h"
#include "dispatch.h"
#include "host.h"
#include "scheduler.h"

#define OBH_FC_DEFAULT_LIMIT (64u << 20)

/* obh_fcache_call's answer: not a cached call, send it as usual. */
#define OBH_FC_PASS (INT64_MIN + 3)

/* Create the cache when h->opts.fs_cache > 0 (h->fcache stays NULL
 * otherwise). 0 or -ENOMEM. */
int obh_fcache_create(struct obh_host *h);

/*
 * An fs call the dispatcher has validated (arguments decoded, handles
 * checked). Returns OBH_FC_PASS (the dispatcher sends it as before), an
 * immediate r0, or OBH_BLOCKED: t waits, and the cache owns the str
 * entries (set to NULL) and result_arg; it completes the call later.
 */
int64_t obh_fcache_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			const uint32_t *v, char **str, obh_result_fn result, void *result_arg,
			bool free_result_arg);

/*
 * The run ended: send every pending write and wait (pumping the router)
 * until each is confirmed, failed, or the plugin is gone for good.
 * Returns the number of bytes that could not be written (logged).
 */
uint64_t obh_fcache_drain(struct obh_host *h);

/* One --stats line. */
void obh_fcache_print_stats(const struct obh_host *h, FILE *out);

void obh_fcache_destroy(struct obh_host *h); /* accepts h->fcache NULL */

#endif /* OBH_FCACHE_H */
