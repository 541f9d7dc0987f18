/*
 * Router internals shared by router.c (links: opening them, what plugins
 * send, calls and their flow control, figures) and router_restart.c (what
 * happens when a plugin dies, hangs, comes back or is given up). Nothing
 * else includes this.
 *
 * A link is one connection to one plugin process; a domain routes to a
 * link. Two domains name the same URL when one process serves both (the
 * SDL plugin serves display and input): they share the link, because a
 * nanomsg PAIR endpoint takes one peer at a time. Flow control of posted
 * calls is per link, since Credit counts the connection's request ids.
 */
#ifndef OBH_ROUTER_PRIV_H
#define OBH_ROUTER_PRIV_H

#include "mounts.h"
#include "router.h"
#include "outboard/key.h"

#define OBHR_LOG "router"
#define OBHR_MAX_CALL_NUM 256
/* How long the host waits, at its end, for the launcher to take its last
 * word (Supervise RELEASED) before closing the control connection. */
#define OBHR_CONTROL_FLUSH_MS 100
/* Posted calls a plugin may have unanswered before posting threads wait:
 * enough to keep a display busy, small enough to bound its backlog. */
#define OBHR_POSTED_WINDOW_CALLS 512
#define OBHR_POSTED_WINDOW_BYTES (16u << 20)

/* A span of a link's shared region lent to one request (router_shm.c). */
struct obhr_span {
	uint32_t off, len;
	uint64_t gen;     /* the region it belongs to */
	bool lent;
};

struct obhr_posted {
	uint64_t id;
	uint32_t bytes;
	struct obhr_span shm; /* its payload's span, given back with Credit */
};

struct obhr_shm;

/* A call waiting for its link to come back. */
struct obhr_waiter {
	void (*fn)(void *arg, int err);
	void *arg;
	struct obhr_waiter *next;
};

struct obh_link {
	struct obh_router *router;
	enum obh_domain_state state;
	ob_conn *conn;
	char *url;
	char *backend;
	char domains[48];                /* "display,input", for messages */
	uint8_t serves[OBHR_MAX_CALL_NUM / 8];
	/* --stats covers the whole run: the counters of the connections closed
	 * when the plugin died, and how many. */
	struct ob_conn_stats closed_stats;
	unsigned deaths;
	uint64_t lost_posted;            /* posted calls dropped while it was not up */
	/* Flow control of posted calls: FIFO of those not yet credited. */
	struct obhr_posted posted[OBHR_POSTED_WINDOW_CALLS];
	unsigned posted_head, posted_count;
	uint64_t posted_bytes;
	struct obh_waitq credit_waiters;
	/* Restarts (router.h, remote.h). */
	struct obhr_waiter *waiters, **waiters_tail;
	int64_t down_since_ns;
	bool reconnecting;               /* our Hello sent to a new instance */
	bool dormant;                    /* on demand, not started: the first call asks the
					  * launcher (Supervise WANTED) */
	bool wanted;                     /* WANTED was sent */
	/* Shared memory (router_shm.c): the region the plugin mapped, and the
	 * one offered in a Hello not answered yet. NULL: payloads go inline. */
	struct obhr_shm *shm, *shm_offered;
	uint64_t shm_calls;              /* requests that lent spans */
	uint64_t shm_inline;             /* payloads sent inline: the region was full */
	uint64_t shm_bad;                /* replies naming a span they were not lent */
	uint64_t shm_quarantined;        /* calls that ended without an answer: their
					  * spans stay lent until the region goes */
	bool failed_reported;
};

struct obh_router {
	struct obh_host *h;
	uint8_t key[OB_KEY_BYTES];
	bool have_key;
	struct obh_link *route[OBH_MAX_ROUTES]; /* NULL: no plugin (mounts.h for routes) */
	struct obh_link *links[OBH_MAX_ROUTES];
	unsigned nlinks;
	ob_conn *control;
	bool launcher_ready;             /* Supervise READY came (--wait-ready) */
	bool held;                       /* obh_router_hold: a debugger stopped the guest */
	bool no_shm;                     /* OB_NO_SHM: every payload inline */
	bool no_lane;                    /* OB_NO_LANE: every frame through nanomsg */
	bool lanes_polled;               /* obh_router_polled: lanes just polled */
};

/* router.c */
const char *obhr_link_name(const struct obh_link *l);
/* The domain a route belongs to: its own number, or fs for a mount. */
enum obh_domain obhr_route_domain(unsigned route);
/* Wake threads parked on a full posted-call window: all of them with r0
 * (a negative errno) when r0 is set, else as many as the window allows. */
void obhr_wake_credit_waiters(struct obh_host *h, struct obh_link *l, int32_t r0);
/* Whether the plugin's Hello covers every domain routed to the link (the
 * reason is logged when not). */
bool obhr_hello_serves_link(const struct obh_router *r, const struct obh_link *l,
			    const Ob__Hello *answer);
/* Record the calls and the backend name a Hello announces. */
void obhr_take_calls(struct obh_link *l, const Ob__Hello *answer);
/* Dial url (which becomes the link's URL); with the key for tcp://. */
int obhr_link_dial(struct obh_link *l, const char *url);
/* Send req on route's connection, through its shared region when it has
 * one (obhr_shm_call; posted_in as there): recorded with its reply when
 * recording (restore: the host's own), answered by the recording when
 * replaying (posted_in then cleared). As ob_conn_call. */
int obhr_conn_call(struct obh_router *r, unsigned route, Ob__Request *req, ob_reply_fn fn,
		   void *arg, uint64_t *id, bool restore, struct obhr_span *posted_in);
/* sum += st, counter by counter (max_in_flight: the larger). */
void obhr_stats_add(struct ob_conn_stats *sum, const struct ob_conn_stats *st);

/* router_shm.c */
/* OB_NO_SHM set (not "" or "0"): never offer shared memory. */
bool obhr_shm_disabled(void);
/* OB_NO_LANE set: shared memory, but every frame through nanomsg. */
bool obhr_lane_disabled(void);
/* Before a Hello to l's plugin: drop l's region and, for a local plugin,
 * make a fresh one, pass it over the side socket and fill hello's offer. */
void obhr_shm_offer(struct obh_link *l, Ob__Hello *hello);
/* The plugin's answer: use the region offered when it mapped it. */
void obhr_shm_answer(struct obh_link *l, const Ob__Hello *answer);
/* Drop l's regions (its plugin went down, or the router closes). */
void obhr_shm_drop(struct obh_link *l);
bool obhr_shm_active(const struct obh_link *l);
/* ob_conn_call through the region: large payloads go in spans lent to the
 * request. A blocking call's spans come back with its reply; a posted
 * call's span is written to *posted_in (NULL: the call stays inline) for
 * the caller to give back at Credit. Errors as ob_conn_call, -ENOMEM. */
int obhr_shm_call(struct obh_link *l, Ob__Request *req, ob_reply_fn fn, void *arg,
		  uint64_t *id, struct obhr_span *posted_in);
/* Give a span back (nothing when it belongs to a region since dropped). */
void obhr_shm_give_back(struct obh_link *l, const struct obhr_span *sp);
/* Bytes of the region lent now. */
uint64_t obhr_shm_lent_bytes(const struct obh_link *l);

/* router_restart.c */
/* Answer everything waiting for the link: 0 when it is back, else errno. */
void obhr_release_waiters(struct obh_link *l, int err);
/* The connection reports silence: the plugin hung (or its network dropped). */
void obhr_link_hung(struct obh_router *r, struct obh_link *l);
/* A connection that came back up (a remote plugin redialled): restore it. */
void obhr_link_up_again(struct obh_router *r, struct obh_link *l);
/* The plugin's answer to our Hello after a restart. */
void obhr_on_reconnect_hello(struct obh_link *l, const Ob__Hello *answer);
/* Supervise messages from the launcher (DIED, FAILED, UP). */
void obhr_on_control_message(void *arg, ob_conn *conn, const Ob__Envelope *env);
/* Without a launcher: give up on a link down for longer than
 * OBH_RECOVERY_TIMEOUT_MS. */
void obhr_check_recovery(struct obh_router *r, struct obh_link *l, int64_t now);

#endif /* OBH_ROUTER_PRIV_H */
