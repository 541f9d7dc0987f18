/*
 * Playing a parsed script against a clock: which events are due, how long
 * until the next one, and sending them in order. No I/O of its own: the
 * caller gives the time (a monotonic clock in ns) and a send function, so
 * the plugin and the unit tests drive the same code.
 *
 * Nothing is sent before obis_player_start. After it, an event is due once
 * now >= start + its time; every due event goes out at once, in script
 * order, each with its own scripted time (late ones are not re-timed).
 *
 * A send that fails for a reason that may pass (the connection's queue is
 * full, the host is reconnecting: -ENOBUFS, -EAGAIN, -ENOTCONN, -ENOMEM)
 * keeps the event and everything after it for a retry OBIS_RETRY_MS later,
 * so order is kept and nothing is lost. Any other failure drops that one
 * event (logged and counted) and goes on.
 */
#ifndef OBIS_PLAYER_H
#define OBIS_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "script.h"

#define OBIS_RETRY_MS 10

/* Send one event: 0 or a negated errno. ev is only read. */
typedef int (*obis_send_fn)(void *arg, const struct obis_event *ev);

struct obis_player {
	const struct obis_script *script;   /* borrowed; must outlive the player */
	size_t next;                        /* the first event not yet sent */
	bool started;
	int64_t start_ns;                   /* the script clock's zero */
	int64_t retry_ns;                   /* after a failed send: not before then */
	uint64_t sent, dropped;
};

void obis_player_init(struct obis_player *pl, const struct obis_script *script);

/* Start the script's clock at now_ns. Returns false (and changes nothing)
 * when it was already started: the clock starts once. */
bool obis_player_start(struct obis_player *pl, int64_t now_ns);

/* Milliseconds until obis_player_run has work, rounded up (0: now), or -1
 * when it never will (not started, or every event sent). */
int obis_player_timeout(const struct obis_player *pl, int64_t now_ns);

/* Send every event due at now_ns, in order. Returns how many were sent. */
size_t obis_player_run(struct obis_player *pl, int64_t now_ns, obis_send_fn send, void *arg);

/* Every event has been sent (or dropped). */
bool obis_player_done(const struct obis_player *pl);

#endif /* OBIS_PLAYER_H */
