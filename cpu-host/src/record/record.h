/*
 * Recording (--record FILE) and replaying (--replay FILE) a run's device
 * traffic: every request, reply, posted call and event between the CPU
 * host and its plugins, with the guest thread, its pc, the guest clock and
 * the route (domain or fs mount). The file format is recfile.h; the router
 * (router.c) is the one place messages pass, and calls these hooks.
 *
 * Recording never disturbs the run: a write error (a full disk) is
 * reported once, the recording stops, and the guest goes on.
 *
 * Replay (replay.c) stands in for every plugin: the router hands it each
 * request instead of sending it, and it answers from the recording.
 */
#ifndef OBH_RECORD_H
#define OBH_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "host.h"
#include "outboard.pb-c.h"

/* Open h->opts.record_file and write its header (the program's hash from
 * image, the arguments, the routes the router opened). Call once the
 * router is up. 0, or -errno with the reason logged (the run should not
 * start: the user asked for a recording). */
int obh_record_start(struct obh_host *h, const uint8_t *image, size_t len);

/* A request sent on route (id: its id on the connection; restore: sent by
 * the host itself to restore a restarted plugin). */
void obh_record_request(struct obh_host *h, unsigned route, const Ob__Request *req, uint64_t id,
			bool restore);
/* The reply to request id of thread, or its transport failure (rep NULL,
 * status a host errno). */
void obh_record_reply(struct obh_host *h, unsigned route, uint32_t thread, uint64_t id,
		      int status, const Ob__Reply *rep);
/* An event a plugin sent on route. */
void obh_record_event(struct obh_host *h, unsigned route, const Ob__Event *ev);

/* Close the recording; a failed write is reported here if not before.
 * 0, or -errno when the recording is incomplete. Accepts none open. */
int obh_record_finish(struct obh_host *h);

/* The guest clock records carry: ns since the program started (0 before). */
uint64_t obh_record_clock(const struct obh_host *h);

#endif /* OBH_RECORD_H */
