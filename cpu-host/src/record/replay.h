/*
 * --replay FILE: the program runs with no plugin process; the router hands
 * every request to this module, which answers it from the recording
 * (record.h, docs/debugging.md).
 *
 * - Each request is matched with the next recorded request of the same
 *   guest thread, and must equal it (route, call and every field but the
 *   connection's id and deadline). A request that differs, or one the
 *   recording does not have, stops the run (OBH_EXIT_REPLAY_DIVERGED) with
 *   both messages, the thread and its pc.
 * - Replies come back in the recorded order, as soon as their request was
 *   made. An event is delivered once every request and reply recorded
 *   before it has been (its position in the device traffic), and not
 *   before the guest clock reads what it read when the event arrived (the
 *   guest clock is the host's monotonic clock since the program started);
 *   it carries that recorded clock.
 * - A guest left waiting for a reply the recording does not have, with
 *   nothing else able to run, is reported as a divergence too.
 */
#ifndef OBH_REPLAY_H
#define OBH_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "outboard/ipc.h"
#include "record.pb-c.h"

/* Load h->opts.replay_file into h->replay, and set the options the
 * recording decides: the routes (plugin_url, mounts) and the file cache.
 * The reason of a failure is printed. 0 or -errno (-EINVAL: not a usable
 * recording, or options that contradict it). */
int obh_replay_load(struct obh_host *h);

/* The image must be the recorded one (its hash). 0 or -EINVAL (printed). */
int obh_replay_check_image(struct obh_host *h, const uint8_t *image, size_t len);

const Ob__RecordHeader *obh_replay_header(const struct obh_host *h);

/* The router's send (router.h's ownership: req stays the caller's): 0 with
 * *id the recorded id, or -EIO once the run diverged. */
int obh_replay_call(struct obh_host *h, unsigned route, Ob__Request *req, ob_reply_fn fn,
		    void *arg, uint64_t *id);

/* The router's poll timeout: 0 when a reply or event can be delivered
 * now, the ms until the next event is due, or -1. */
int obh_replay_timeout(struct obh_host *h);

/* Deliver every reply and event that is due (the router's process). */
void obh_replay_deliver(struct obh_host *h);

/* The run ended: warn about recorded requests it did not make; free.
 * Accepts none loaded. */
void obh_replay_finish(struct obh_host *h);

#endif /* OBH_REPLAY_H */
