/*
 * outboard IPC runtime: one connection to one peer, carrying Envelope
 * messages (proto/outboard.proto) over a nanomsg PAIR socket.
 *
 * Names: ob_ is the public API (CPU host, launcher, plugin SDK, plugin
 * authors); obi_ is private to ipc/src.
 *
 * Error convention: functions that can fail return 0 (or a non-negative
 * value) on success and a negated errno on failure. They never abort on bad
 * input from the peer: a malformed or oversize frame is dropped, counted in
 * the stats and logged.
 *
 * Threading: a connection belongs to one thread. Nothing here blocks unless
 * its name says so (ob_conn_run, ob_conn_flush, ob_conn_close), and those
 * take a timeout.
 *
 * nanomsg hazards handled here (DESIGN.md):
 * - PAIR, never REQ: REQ re-sends on reconnect and allows one request in
 *   flight. Here any number of requests are in flight, matched by id.
 * - nn_close drops unsent messages: ob_conn_close flushes first, with a
 *   Ping/Pong barrier that proves the peer has received everything.
 * - NN_RCVMAXSIZE is raised on both ends to twice max_message, so frames up
 *   to that size reach our own check, which logs and drops them; nanomsg
 *   silently drops anything bigger. ob_conn_send refuses to send a frame
 *   larger than max_message (-EMSGSIZE) instead of letting it vanish.
 * - No disconnect notification: a peer is declared down when nothing has
 *   arrived for dead_ms, while heartbeats (Ping when idle) keep a live
 *   peer's traffic flowing.
 */
#ifndef OUTBOARD_IPC_H
#define OUTBOARD_IPC_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outboard.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Protocol version this build speaks (Hello.protocol_version). */
#define OB_PROTOCOL_VERSION 1u

/* Defaults for struct ob_conn_opts fields left 0. */
#define OB_DEFAULT_MAX_MESSAGE (4u << 20)  /* 4 MiB */
#define OB_DEFAULT_HEARTBEAT_MS 500u
#define OB_DEFAULT_DEAD_MS 3000u
#define OB_DEFAULT_SENDQ_MAX 4096u         /* frames queued while nanomsg is full */

typedef struct ob_conn ob_conn;

/*
 * Called with each reply to a request sent with ob_conn_call, exactly once:
 * - status 0 or a positive errno from the peer, and reply non-NULL;
 * - or status ETIMEDOUT (deadline passed), EIO (peer declared down) or
 *   ECANCELED (connection closed), and reply NULL.
 * reply is owned by the connection and valid only during the call.
 */
typedef void (*ob_reply_fn)(void *arg, int status, const Ob__Reply *reply);

struct ob_conn_callbacks {
	/*
	 * Every received envelope the connection does not consume itself.
	 * The connection consumes Ping (answers Pong), Pong, and each Reply
	 * that matches an outstanding ob_conn_call (those go to its
	 * ob_reply_fn). A Hello arrives here after its version was checked;
	 * a Hello with a version we do not speak is answered with EPROTO by
	 * the connection and reported through on_error instead.
	 * env is owned by the connection and valid only during the call.
	 * May be NULL: such envelopes are dropped.
	 */
	void (*on_message)(void *arg, ob_conn *conn, const Ob__Envelope *env);

	/*
	 * The peer went down (no traffic for dead_ms) or came back up (a frame
	 * arrived after it was down). Outstanding calls have already completed
	 * with EIO when up is false. May be NULL.
	 */
	void (*on_state)(void *arg, ob_conn *conn, bool up);

	/* A protocol error worth reporting (version mismatch). May be NULL. */
	void (*on_error)(void *arg, ob_conn *conn, int err, const char *what);
};

struct ob_conn_opts {
	const char *name;          /* for logs: "fs", "plugin:fs-hostdir" */
	uint32_t max_message;      /* bytes; 0 = OB_DEFAULT_MAX_MESSAGE */
	uint32_t heartbeat_ms;     /* Ping after this much send silence; 0 = default */
	uint32_t dead_ms;          /* down after this much receive silence; 0 = default */
	bool no_heartbeat;         /* never ping, never declare the peer down */
	uint32_t sendq_max;        /* 0 = OB_DEFAULT_SENDQ_MAX */
};

/*
 * Open a connection that binds (listen) or dials (dial) url: "ipc:///path"
 * or "tcp://host:port". A dialer reconnects by itself when the peer comes
 * back. On success *out owns the connection; free it with ob_conn_close.
 * cbs is copied; arg is passed to every callback.
 * Errors: -EINVAL (bad url or opts), or the errno nanomsg reports.
 */
int ob_conn_listen(const char *url, const struct ob_conn_opts *opts,
		   const struct ob_conn_callbacks *cbs, void *arg, ob_conn **out);
int ob_conn_dial(const char *url, const struct ob_conn_opts *opts,
		 const struct ob_conn_callbacks *cbs, void *arg, ob_conn **out);

/*
 * Flush (bounded by flush_ms, 0 = don't wait) and close. Outstanding calls
 * complete with ECANCELED. Accepts NULL.
 */
void ob_conn_close(ob_conn *conn, int flush_ms);

/*
 * Send one envelope. It is packed at once: the caller keeps ownership of env
 * and may free it on return. When nanomsg cannot take the frame now it is
 * queued (up to sendq_max frames) and sent by ob_conn_process.
 * Errors: -EMSGSIZE (larger than max_message), -ENOBUFS (queue full),
 * -ENOTCONN (closed).
 */
int ob_conn_send(ob_conn *conn, const Ob__Envelope *env);

/*
 * Send a request and have fn called with its reply. The connection assigns
 * req->id (written back into req and *id_out if not NULL). deadline_ms in
 * req (0 = none) bounds the wait locally too. With req->posted set, no reply
 * is expected and fn must be NULL. The caller keeps ownership of req.
 * Errors as ob_conn_send, and -EINVAL.
 */
int ob_conn_call(ob_conn *conn, Ob__Request *req, ob_reply_fn fn, void *arg,
		 uint64_t *id_out);

/* Forget an outstanding call: its fn will not be called. 0 or -ENOENT. */
int ob_conn_cancel(ob_conn *conn, uint64_t id);

/* Server side: send a reply (caller keeps ownership of reply). */
int ob_conn_reply(ob_conn *conn, const Ob__Reply *reply);

/* Send an unsolicited event (caller keeps ownership of ev). */
int ob_conn_event(ob_conn *conn, const Ob__Event *ev);

/*
 * Poll integration. ob_conn_pollfds fills up to n pollfds (the receive fd,
 * and the send fd while frames are queued) and returns how many it filled.
 * ob_conn_timeout returns the ms until the connection needs
 * ob_conn_process for a deadline or heartbeat, or -1 for none.
 * ob_conn_process never blocks: it receives and dispatches every frame
 * available, sends queued frames, expires deadlines and sends heartbeats.
 * It returns the number of frames dispatched, or a negated errno.
 */
int ob_conn_pollfds(ob_conn *conn, struct pollfd *pfds, int n);
int ob_conn_timeout(ob_conn *conn);
int ob_conn_process(ob_conn *conn);

/*
 * Blocking helper for simple loops (tests, launcher): poll and process for
 * up to timeout_ms (-1: forever) or until *stop becomes true (stop may be
 * NULL). Returns 0, or a negated errno.
 */
int ob_conn_run(ob_conn *conn, int timeout_ms, const volatile bool *stop);

/*
 * Barrier: send a Ping and wait (processing other traffic) until its Pong
 * arrives, which proves the peer received everything sent before.
 * 0, -ETIMEDOUT, or -ENOTCONN.
 */
int ob_conn_flush(ob_conn *conn, int timeout_ms);

/* Feed one raw frame as if it had arrived (fuzzers, stdin transport). */
int ob_conn_inject(ob_conn *conn, const void *frame, size_t len);

/*
 * Handshake helpers. ob_conn_hello sends our Hello (protocol_version is
 * filled in if 0). The peer's Hello arrives through on_message.
 */
int ob_conn_hello(ob_conn *conn, Ob__Hello *hello);

/*
 * Blocking client handshake: send hello and wait up to timeout_ms for the
 * peer's answer. On success *answer owns an unpacked copy (free it with
 * ob__hello__free_unpacked(answer, NULL)). Other envelopes that arrive
 * meanwhile go to on_message. Errors: -ETIMEDOUT, -EPROTO (version
 * mismatch or the peer refused us; the reason is logged).
 */
int ob_conn_handshake(ob_conn *conn, Ob__Hello *hello, int timeout_ms,
		      Ob__Hello **answer);

struct ob_conn_stats {
	uint64_t sent, received;        /* frames */
	uint64_t requests, replies, posted, events;
	uint64_t dropped;               /* malformed or oversize frames */
	uint64_t timeouts, unmatched;   /* replies that matched nothing */
	uint32_t in_flight, max_in_flight;
	uint32_t queued;                /* frames waiting for nanomsg */
	bool up;
};
void ob_conn_get_stats(const ob_conn *conn, struct ob_conn_stats *st);
const char *ob_conn_name(const ob_conn *conn);
const char *ob_conn_url(const ob_conn *conn);

/* Monotonic milliseconds, the clock every deadline here uses. */
int64_t ob_now_ms(void);

#ifdef __cplusplus
}
#endif

#endif /* OUTBOARD_IPC_H */
