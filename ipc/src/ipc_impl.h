/*
 * Private to ipc/src: the connection object and the obi_ helpers that the
 * files of the IPC runtime share. Nothing outside ipc/src includes this.
 *
 * Files, one concept each:
 *   conn.c       open, close, getters, stats, inject
 *   requests.c   the public send API and the completion of calls
 *   calls.c      the table of outstanding calls (hash by id + deadline heap)
 *   sendq.c      packing, non-blocking sends and the queue behind nanomsg
 *   dispatch.c   the receive path: size check, unpack, one dispatch switch
 *   heartbeat.c  pings, the dead-peer timer and up/down transitions
 *   hello.c      the Hello handshake and the version check
 *   loop.c       poll integration: pollfds, timeout, process, run, flush
 *   log.c, errno_map.c, clock.c  process-wide helpers
 */
#ifndef OBI_IPC_IMPL_H
#define OBI_IPC_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outboard/errno.h"
#include "outboard/ipc.h"
#include "outboard/log.h"

#define OBI_LOG "ipc"

/* ------------------------------------------------------------------ calls.c */

/* One outstanding ob_conn_call. Owned by the table while in it; whoever takes
 * it out completes it and frees it with free(). */
struct obi_call {
	uint64_t id;
	int64_t deadline;         /* ob_now_ms() value; INT64_MAX = none */
	ob_reply_fn fn;
	void *arg;
	uint32_t heap_pos;        /* index in the deadline heap, or OBI_NO_HEAP */
	struct obi_call *next;    /* links the list obi_calls_drain returns */
};

#define OBI_NO_HEAP UINT32_MAX

/*
 * Open-addressing hash table (linear probing, backward-shift deletion) from
 * id to call, plus a binary min-heap of the calls that have a deadline, so
 * add, match, cancel and expiry are O(1) or O(log n) with thousands in
 * flight.
 */
struct obi_calls {
	struct obi_call **slots;  /* cap entries, NULL = empty */
	uint32_t cap;             /* power of two, or 0 before the first add */
	uint32_t count;
	struct obi_call **heap;
	uint32_t heap_len, heap_cap;
};

void obi_calls_init(struct obi_calls *t);
/* Frees every call without calling its fn. */
void obi_calls_fini(struct obi_calls *t);
/* 0, or -ENOMEM. The table keeps id unique: the caller never reuses one. */
int obi_calls_add(struct obi_calls *t, uint64_t id, int64_t deadline, ob_reply_fn fn,
		  void *arg);
/* Removes and returns the call with this id (caller frees), or NULL. */
struct obi_call *obi_calls_take(struct obi_calls *t, uint64_t id);
/* Removes and returns one call whose deadline is <= now, or NULL. */
struct obi_call *obi_calls_take_expired(struct obi_calls *t, int64_t now);
/* The earliest deadline, or INT64_MAX. */
int64_t obi_calls_next_deadline(const struct obi_calls *t);
/* Empties the table and returns its calls as a list linked by next. */
struct obi_call *obi_calls_drain(struct obi_calls *t);

/* ------------------------------------------------------------------ sendq.c */

/* A packed frame in nanomsg's own buffer (nn_allocmsg), so that a send
 * hands it over without a copy. */
struct obi_frame {
	void *msg;
	size_t len;
};

/* FIFO ring of frames nanomsg refused with EAGAIN. */
struct obi_sendq {
	struct obi_frame *ring;
	uint32_t cap, head, len, max;
};

enum obi_send_mode {
	OBI_SEND_QUEUE,     /* queue when nanomsg is full (keeps order) */
	OBI_SEND_DROPPABLE, /* heartbeat: not worth queueing; -EAGAIN instead */
};

struct ob_conn;
/* Pack env and send or queue it. 0 or a negated errno (-EMSGSIZE,
 * -ENOBUFS, -ENOMEM, -ENOTCONN, -EAGAIN for droppable frames). */
int obi_send_env(struct ob_conn *c, const Ob__Envelope *env, enum obi_send_mode mode);
/* Hand queued frames to nanomsg until it refuses. 0 or a negated errno. */
int obi_sendq_flush(struct ob_conn *c);
/* Free every queued frame; returns how many were dropped. */
uint32_t obi_sendq_clear(struct obi_sendq *q);

/* ------------------------------------------------------------ the connection */

struct obi_handshake {
	bool active;         /* ob_conn_handshake is waiting */
	bool done;
	int result;          /* 0 or -EPROTO once done */
	Ob__Hello *answer;   /* detached from its envelope; owned here */
};

struct ob_conn {
	int sock;                 /* nanomsg socket, -1 before it exists */
	int rcvfd, sndfd;         /* NN_RCVFD / NN_SNDFD, both poll for POLLIN */
	bool listening;           /* bound (plugin side) rather than dialed */
	bool closed;              /* ob_conn_close has started */
	char *url, *name;
	struct ob_conn_opts opts; /* defaults resolved; opts.name points at name */
	struct ob_conn_callbacks cbs;
	void *arg;

	struct obi_calls calls;
	struct obi_call *failing; /* taken by obi_calls_fail_all, not completed yet */
	struct obi_sendq sendq;
	uint64_t next_id;

	/* heartbeat.c */
	bool up;                  /* not declared down */
	bool seen;                /* a valid frame has ever arrived */
	bool left;                /* down because the peer said Goodbye */
	int64_t last_rx, last_tx, last_ping;
	uint64_t ping_seq;        /* last Ping seq we sent */
	uint64_t pong_seq;        /* highest Pong seq received */

	/* hello.c */
	uint32_t hello_version;   /* the version we speak (last Hello we sent) */
	struct obi_handshake hs;

	struct ob_conn_stats st;
};

/* ---------------------------------------------------------------- dispatch.c */

/* The receive path for one frame (from nanomsg or ob_conn_inject). data is
 * borrowed. Returns 1 when the frame was dispatched, 0 when dropped. */
int obi_receive_frame(struct ob_conn *c, const void *data, size_t len);

/* -------------------------------------------------------------- requests.c */

/* Complete and free a call taken out of the table. status is a host errno. */
void obi_call_complete(struct obi_call *call, int status, const Ob__Reply *reply);
/* Complete every outstanding call with status (EIO, ECANCELED). */
void obi_calls_fail_all(struct ob_conn *c, int status);
/* Complete calls whose deadline passed with ETIMEDOUT. */
void obi_calls_expire(struct ob_conn *c, int64_t now);
/* A Reply arrived: complete its call, or count it as unmatched. */
void obi_reply_received(struct ob_conn *c, const Ob__Reply *reply);

/* ------------------------------------------------------------- heartbeat.c */

void obi_hb_start(struct ob_conn *c, int64_t now);
/* A valid envelope arrived: refresh the timer, come back up if down. */
void obi_hb_frame_received(struct ob_conn *c, const Ob__Envelope *env, int64_t now);
/* Declare the peer down when silent too long; ping when due. */
void obi_hb_tick(struct ob_conn *c, int64_t now);
/* When obi_hb_tick next has work, or INT64_MAX. */
int64_t obi_hb_next_due(const struct ob_conn *c);
/* Answer a Ping with a Pong carrying its seq. */
/* The peer closed its end (Goodbye): down now, calls fail with EIO. */
void obi_hb_goodbye_received(struct ob_conn *c);
void obi_hb_ping_received(struct ob_conn *c, const Ob__Ping *ping);

/* ----------------------------------------------------------------- hello.c */

/* A Hello arrived. May detach env->hello for a waiting handshake. */
void obi_hello_received(struct ob_conn *c, Ob__Envelope *env);

/* ------------------------------------------------------------------ loop.c */

/* Poll and process until done(c, arg) is true or timeout_ms passes
 * (-1 = forever). 0 (done or timed out: the caller checks which), or a
 * negated errno from processing. */
int obi_run_until(struct ob_conn *c, int timeout_ms,
		  bool (*done)(const struct ob_conn *c, const void *arg), const void *arg);

/* ------------------------------------------------------------------- misc */

/* True while the connection may still send: not closed, socket open. */
static inline bool obi_usable(const struct ob_conn *c)
{
	return c && !c->closed && c->sock >= 0;
}

#endif /* OBI_IPC_IMPL_H */
