/*
 * The router: an IPC connection to each plugin the launcher named
 * (--plugin DOMAIN=URL; domains with the same URL share one connection to
 * the process serving both), plus the launcher's control connection
 * (--control URL).
 *
 * At start it dials every plugin and waits for its Hello: the answer says
 * which calls the plugin serves, and a call it does not serve is answered
 * -ENOSYS by the host without a round trip.
 *
 * When a plugin dies (the launcher's Supervise DIED) or stops answering
 * (the heartbeat), its domain goes down: the connection to a dead plugin
 * is closed, its calls in flight fail, and remote.c decides which are
 * retried on the restarted plugin (idempotent ones) and which get -EIO.
 * Calls made meanwhile wait (obh_router_when_up) until the plugin is back
 * and restored (recovery.c), or fail with -EIO when it does not come back,
 * -ENODEV when the launcher gives up on it (docs/faults.md).
 *
 * Routes: calls are routed by route number, which is the domain's number
 * for every domain, and another number for each fs mount besides "/"
 * (mounts.h); a domain's enum value passes as its route.
 */
#ifndef OBH_ROUTER_H
#define OBH_ROUTER_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "host.h"
#include "scheduler.h"
#include "outboard/ipc.h"

struct obh_router;

/* Dial every plugin in h->opts and do the handshakes (bounded by
 * opts.plugin_timeout_ms). On failure the reason is logged. 0 or -errno. */
int obh_router_create(struct obh_host *h, struct obh_router **out);

/* Close every connection; calls in flight complete with ECANCELED.
 * Accepts NULL. */
void obh_router_destroy(struct obh_router *r);

/* Poll integration, as ob_conn_pollfds/ob_conn_timeout/ob_conn_process,
 * over every connection. */
int obh_router_pollfds(struct obh_router *r, struct pollfd *pfds, int n);
int obh_router_timeout(struct obh_router *r);
void obh_router_process(struct obh_router *r);
/* The caller just polled pfds (n of them, revents filled) including the
 * router's: the next obh_router_process need not look at the request lanes
 * that had nothing (ob_conn_lane_quiet), nor poll them itself. */
void obh_router_polled(struct obh_router *r, const struct pollfd *pfds, int n);

enum obh_domain_state {
	OBH_DOMAIN_ABSENT,  /* no plugin configured */
	OBH_DOMAIN_UP,
	OBH_DOMAIN_DOWN,    /* died or hung, coming back: calls wait (remote.h) */
	OBH_DOMAIN_LOST,    /* down and no restart came in time: calls fail with EIO */
	OBH_DOMAIN_FAILED,  /* the launcher gave up restarting it: calls fail with ENODEV */
};

/* Restarts: how long calls wait for a plugin to come back before the
 * domain is declared lost (counted from its death, or from its last frame
 * when it went silent), for a remote plugin and for any plugin when no
 * launcher supervises it (a local one's UP or FAILED always follows). */
#define OBH_RECOVERY_TIMEOUT_MS 15000

/*
 * Whether a call that failed with the plugin's death may wait for its
 * restart: the domain is down (or its plugin just stopped answering) and
 * something will bring it back (the launcher restarts local plugins; a tcp
 * dialer reconnects to a remote one).
 */
bool obh_router_recovering(const struct obh_router *r, unsigned route);

/* Run fn(arg, 0) once the domain is up again (after its restore), or
 * fn(arg, errno) when it is lost (EIO) or failed (ENODEV). */
void obh_router_when_up(struct obh_router *r, unsigned route,
			void (*fn)(void *arg, int err), void *arg);

/* A domain whose plugin starts on demand (--on-demand) and has not
 * started yet: ask the launcher to start it (once; its UP restores the
 * route as after a restart). Whether the domain was such a one. For what
 * needs the plugin without a call to wait on: a thread that starts
 * waiting for input (events.c). */
bool obh_router_want(struct obh_router *r, unsigned route);

/* Send a request to a domain's plugin while it is being restored (before
 * guest calls may reach it); fn NULL posts it. 0 or -errno. */
int obh_router_send_restore(struct obh_router *r, unsigned route, Ob__Request *req,
			    ob_reply_fn fn, void *arg);

enum obh_domain_state obh_router_state(const struct obh_router *r, unsigned route);

/* Whether the domain's plugin said in its Hello that it serves call num;
 * true for every call of a plugin started on demand and not started yet. */
bool obh_router_serves(const struct obh_router *r, unsigned route, uint32_t num);

/* Whether the route's plugin starts on demand and has not started yet:
 * its calls, posted ones too, wait for it (they are not lost). */
bool obh_router_dormant(const struct obh_router *r, unsigned route);

/* The backend name the plugin gave in its Hello ("fs-hostdir"), or NULL. */
const char *obh_router_backend(const struct obh_router *r, unsigned route);
/* The URL of route's plugin, or NULL when the route has none. */
const char *obh_router_url(const struct obh_router *r, unsigned route);

/* --replay: an event from the recording, delivered as if route's plugin
 * had sent it when the guest clock read clock_ns (record/replay.h). */
void obh_router_replay_event(struct obh_router *r, unsigned route, const Ob__Event *ev,
			     uint64_t clock_ns);

/*
 * Send a request to the domain's plugin (ownership as ob_conn_call: the
 * caller keeps req). fn gets the reply or a transport error.
 * Errors: -EIO (domain down), -ENOSYS (absent), or ob_conn_call's.
 */
int obh_router_call(struct obh_router *r, unsigned route, Ob__Request *req,
		    ob_reply_fn fn, void *arg, uint64_t *id);

/*
 * Send a posted call (no reply; req->posted is set here). Flow control:
 * when the domain's plugin has too many posted calls unanswered (its Credit
 * events say how far it got), *full is set to the wait queue the caller
 * should park on; its threads are woken with 0 as credit arrives, or with
 * -EIO if the plugin dies. Errors as obh_router_call.
 */
int obh_router_post(struct obh_router *r, unsigned route, Ob__Request *req,
		    struct obh_waitq **full);

/* Hold (true) or release every connection (ob_conn_hold): while a debugger
 * has the guest stopped, replies and events wait and heartbeats go on.
 * Releasing delivers what waited, in order. */
void obh_router_hold(struct obh_router *r, bool hold);

/* Tell the input plugin that the program starts (its script clock starts);
 * nothing for one started on demand and not asked for yet. */
void obh_router_start_input(struct obh_router *r);

/* Whether any plugin (or the launcher) is connected. */
bool obh_router_has_plugins(const struct obh_router *r);

/* Calls in flight over every connection (blocking ones only). */
unsigned obh_router_in_flight(const struct obh_router *r);

/* Per-domain IPC statistics, one line each. */
void obh_router_print_stats(const struct obh_router *r, FILE *out);

/* Largest number of calls in flight at once on a domain's connection. */
uint32_t obh_router_max_in_flight(const struct obh_router *r, unsigned route);
/* A posted call (a blit, a beep) for route found its plugin down, lost
 * or given up, and was dropped: counted in --stats (lost_posted=). */
void obh_router_note_lost_posted(struct obh_router *r, unsigned route);

#endif /* OBH_ROUTER_H */
