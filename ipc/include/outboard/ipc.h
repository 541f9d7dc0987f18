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
 * its name says so (ob_conn_run, ob_conn_flush, ob_conn_close,
 * ob_conn_handshake), and those take a timeout. The logging and errno
 * functions may be called from any thread.
 *
 * Callbacks run inside ob_conn_process (and the blocking helpers built on
 * it, and ob_conn_close for ECANCELED). They may send, call, reply and
 * cancel on the connection, but must not close it.
 *
 * nanomsg hazards handled here (DESIGN.md):
 * - PAIR, never REQ: REQ re-sends on reconnect and allows one request in
 *   flight. Here any number of requests are in flight, matched by id.
 * - nn_close drops unsent messages: ob_conn_close flushes first, with a
 *   Ping/Pong barrier that proves the peer has received everything.
 * - NN_RCVMAXSIZE is raised on both ends to twice max_message, so frames up
 *   to that size reach our own check, which logs and drops them. nanomsg
 *   handles anything bigger by silently dropping the pipe (with whatever
 *   else was in flight on it; a dialer then reconnects). ob_conn_send
 *   refuses to send a frame larger than max_message (-EMSGSIZE) instead of
 *   letting it vanish.
 * - No disconnect notification: a peer is declared down when nothing has
 *   arrived for dead_ms, while heartbeats (Ping when idle) keep a live
 *   peer's traffic flowing.
 *
 * Authentication (opts.key, docs/security.md): with a shared key, each
 * connection starts with a mutual challenge-response below the envelope,
 * and every frame after it is sealed (XChaCha20-Poly1305, a key and a
 * strictly increasing counter per direction). A peer without the key gets
 * nothing; a listener drops it by closing and re-binding its socket, so
 * the fds from ob_conn_pollfds may change across ob_conn_process. After a
 * reconnection both sides authenticate again by themselves; the session
 * that ended takes the peer down (calls in flight fail with EIO) until the
 * new one carries traffic. Key files: outboard/key.h.
 *
 * Error numbering: status values given to an ob_reply_fn and errors given to
 * on_error are host errno values. On the wire (Reply.status, Hello.status)
 * statuses are in the guest ABI numbering (outboard/errno.h); the
 * connection converts replies it matches with ob_errno_from_abi, while
 * ob_conn_reply sends reply->status exactly as given (the plugin SDK
 * converts with ob_errno_to_abi in its reply path).
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
#define OB_DEFAULT_AUTH_TIMEOUT_MS 3000u

/* Size of a shared key (struct ob_conn_opts.key; outboard/key.h). */
#define OB_KEY_BYTES 32u

typedef struct ob_conn ob_conn;

/*
 * Called with each reply to a request sent with ob_conn_call, exactly once
 * (never after ob_conn_cancel). status is a host errno:
 * - 0, or the peer's positive status converted from the ABI numbering
 *   (reply->status keeps the raw wire value), and reply non-NULL;
 * - or ETIMEDOUT (deadline passed), EIO (peer declared down) or ECANCELED
 *   (connection closed), and reply NULL.
 * reply is owned by the connection and valid only during the call.
 */
typedef void (*ob_reply_fn)(void *arg, int status, const Ob__Reply *reply);

struct ob_conn_callbacks {
	/*
	 * Every received envelope the connection does not consume itself.
	 * The connection consumes Ping (answers Pong), Pong, and every Reply
	 * (one that matches an outstanding ob_conn_call goes to its
	 * ob_reply_fn; any other is counted in stats.unmatched and dropped).
	 * A Hello arrives here after its version was checked; a Hello with a
	 * version we do not speak (answered with EPROTO when we listen), or
	 * one refusing us (status != 0), is reported through on_error
	 * instead, and the answer ob_conn_handshake waits for goes to it.
	 * Frames that are malformed or oversize never arrive here, nor does
	 * a Request with id 0.
	 * env is owned by the connection and valid only during the call.
	 * May be NULL: such envelopes are dropped.
	 */
	void (*on_message)(void *arg, ob_conn *conn, const Ob__Envelope *env);

	/*
	 * The peer went down (no valid frame for dead_ms) or came back up (a
	 * valid frame arrived after it was down). A connection starts up, so
	 * a peer that never appears is declared down after dead_ms too. When
	 * up is false, outstanding calls have already completed with EIO and
	 * frames still queued for the peer were discarded. May be NULL.
	 */
	void (*on_state)(void *arg, ob_conn *conn, bool up);

	/* A protocol error worth reporting, already logged: err is EPROTO for
	 * a version mismatch, the peer's refusal status (host errno) from
	 * its Hello, or EACCES when authentication failed (wrong key, a peer
	 * without a key or with one when this side has none, a forged or
	 * replayed handshake, a listener's peer that stayed connected without
	 * authenticating). An authentication request that gets no answer is
	 * only logged and retried. what is valid only during the call. May be
	 * NULL. */
	void (*on_error)(void *arg, ob_conn *conn, int err, const char *what);
};

struct ob_conn_opts {
	const char *name;          /* for logs: "fs", "plugin:fs-hostdir" */
	uint32_t max_message;      /* bytes; 0 = OB_DEFAULT_MAX_MESSAGE */
	uint32_t heartbeat_ms;     /* Ping after this much send (or receive) silence; 0 = default */
	uint32_t dead_ms;          /* down after this much receive silence; 0 = default;
				    * must be > heartbeat_ms */
	bool no_heartbeat;         /* never ping, never declare the peer down */
	uint32_t sendq_max;        /* 0 = OB_DEFAULT_SENDQ_MAX */

	/*
	 * Shared key (OB_KEY_BYTES bytes, e.g. from ob_key_load), or NULL for
	 * none. With a key, every connection to a peer starts with a mutual
	 * challenge-response that proves both sides hold the key, and every
	 * frame after it is encrypted and authenticated, with replayed or
	 * reordered frames dropped (docs/security.md). Nothing passes before
	 * the handshake: frames sent earlier wait in the send queue. A peer
	 * that fails it gets nothing; a listener then drops it by re-binding
	 * its socket (so its poll fds change: take ob_conn_pollfds afresh
	 * after every ob_conn_process, as the loops here do). Both sides must
	 * have the same key: a side with a key refuses a peer without one and
	 * the other way round, reporting EACCES through on_error on each side.
	 * The key is copied; the caller may wipe its buffer on return.
	 */
	const uint8_t *key;
	uint32_t auth_timeout_ms;  /* a handshake must finish within this; also how long
				    * a listener lets a connected peer stay silent without
				    * authenticating; 0 = OB_DEFAULT_AUTH_TIMEOUT_MS */
};

/*
 * Open a connection that binds (listen) or dials (dial) url: "ipc:///path"
 * or "tcp://host:port". A dialer reconnects by itself when the peer comes
 * back. On success *out owns the connection; free it with ob_conn_close.
 * cbs is copied; arg is passed to every callback.
 * opts may be NULL (all defaults); opts->name is copied.
 * Errors: -EINVAL (bad url or opts, out NULL), or the errno nanomsg reports.
 */
int ob_conn_listen(const char *url, const struct ob_conn_opts *opts,
		   const struct ob_conn_callbacks *cbs, void *arg, ob_conn **out);
int ob_conn_dial(const char *url, const struct ob_conn_opts *opts,
		 const struct ob_conn_callbacks *cbs, void *arg, ob_conn **out);

/*
 * Flush (bounded by flush_ms, 0 = don't wait) and close. The flush is
 * ob_conn_flush: the send queue drains, then a Ping/Pong barrier proves the
 * peer has everything, since nn_close drops what nanomsg still holds. Before
 * the barrier a Goodbye tells the peer we are leaving, so it declares us
 * down at once (its calls to us fail with EIO) and does not wait for us when
 * it closes in turn. All of this is skipped while the peer is declared down
 * or when flush_ms is 0. Outstanding calls then complete with ECANCELED.
 * Frees conn. Accepts NULL. Not from a callback.
 */
void ob_conn_close(ob_conn *conn, int flush_ms);

/*
 * Send one envelope. It is packed at once: the caller keeps ownership of env
 * and may free it on return. When nanomsg cannot take the frame now it is
 * queued (up to sendq_max frames) and sent by ob_conn_process.
 * Errors: -EMSGSIZE (larger than max_message), -ENOBUFS (queue full),
 * -ENOTCONN (closed), -EINVAL (env NULL or without a body), -ENOMEM.
 */
int ob_conn_send(ob_conn *conn, const Ob__Envelope *env);

/*
 * Send a request and have fn called with its reply. The connection assigns
 * req->id (written back into req and *id_out if not NULL). deadline_ms in
 * req (0 = none) bounds the wait locally too. With req->posted set, no reply
 * is expected and fn must be NULL (and a call that is not posted needs fn);
 * posted requests get an id too. The caller keeps ownership of req.
 * Errors as ob_conn_send, -EINVAL, and -EIO while the peer is declared
 * down (on_state(false); wait for on_state(true)).
 */
int ob_conn_call(ob_conn *conn, Ob__Request *req, ob_reply_fn fn, void *arg,
		 uint64_t *id_out);

/* Forget an outstanding call: its fn will not be called (a reply that still
 * arrives counts as unmatched). 0, -ENOENT, or -EINVAL (conn NULL). */
int ob_conn_cancel(ob_conn *conn, uint64_t id);

/* Server side: send a reply (caller keeps ownership of reply). Its status
 * must already be in the ABI numbering: it is sent as given. */
int ob_conn_reply(ob_conn *conn, const Ob__Reply *reply);

/* Send an unsolicited event (caller keeps ownership of ev). */
int ob_conn_event(ob_conn *conn, const Ob__Event *ev);

/*
 * Poll integration. ob_conn_pollfds fills up to n pollfds (the receive fd,
 * and the send fd while frames are queued) and returns how many it filled.
 * Call it again after every ob_conn_process: a listener with a key replaces
 * its socket (and so its fds) when it drops an unauthenticated peer.
 * ob_conn_timeout returns the ms until the connection needs
 * ob_conn_process for a deadline or heartbeat, or -1 for none.
 * Both fds are polled for POLLIN (nanomsg's convention for NN_SNDFD too).
 * ob_conn_process never blocks: it receives and dispatches the frames
 * available (up to a batch of 1024, so timers are never starved; the fd
 * stays readable for the rest), sends queued frames, expires deadlines and
 * sends heartbeats. It returns the number of frames dispatched (dropped
 * ones not counted), or a negated errno (-ENOTCONN, or a socket failure).
 */
int ob_conn_pollfds(ob_conn *conn, struct pollfd *pfds, int n);

/* Most pollfds ob_conn_pollfds fills for one connection. */
#define OB_CONN_MAX_POLLFDS 2
int ob_conn_timeout(ob_conn *conn);
int ob_conn_process(ob_conn *conn);

/*
 * The request lane (docs/performance.md, figure 3): a connected unix
 * stream socket to the same peer, which carries this connection's frames
 * in place of nanomsg. A nanomsg round trip crosses a worker thread on each
 * side; the lane is written and polled by the owner's thread itself, for
 * about the cost of a raw unix socket round trip. The CPU host and the
 * plugin SDK set one up for local keyless plugins, on the side socket that
 * passes the shared-memory region (outboard/shm.h).
 *
 * ob_conn_attach_lane takes fd (closing it on failure) and, from now on,
 * sends every frame through it; frames are received from nanomsg and the
 * lane both, since the peer switches when it is ready. A lane replaces an
 * earlier one. When the lane ends (the peer closed it or died) the
 * connection goes back to nanomsg by itself; what it had sent there is as
 * lost as frames sent to a nanomsg peer that died. -EPERM on a connection
 * with a key (a lane is not authenticated), -ENOTCONN, -EBADF.
 * ob_conn_detach_lane closes it (nothing happens without one).
 */
int ob_conn_attach_lane(ob_conn *conn, int fd);
void ob_conn_detach_lane(ob_conn *conn);
bool ob_conn_has_lane(const ob_conn *conn);
/* Whether ob_conn_attach_lane would take a lane now (open, no key). */
bool ob_conn_lane_possible(const ob_conn *conn);
/* The lane's fd, or -1. An owner with several lanes may poll them all with
 * one system call and, for each that had nothing, call ob_conn_lane_quiet:
 * the next ob_conn_process then does not try to read it (a read of an empty
 * socket is a system call too). */
int ob_conn_lane_fd(const ob_conn *conn);
void ob_conn_lane_quiet(ob_conn *conn);

/*
 * Hold (hold true) or release a connection. While held, ob_conn_process
 * still receives, answers Pings and sends heartbeats, but replies,
 * requests and events wait in arrival order and call deadlines stand
 * still; releasing delivers what waited, in order (from this call), and
 * pushes every deadline back by the time held. The CPU host holds its
 * plugins while a debugger has the guest stopped. 0, -EINVAL or
 * -ENOTCONN.
 */
int ob_conn_hold(ob_conn *conn, bool hold);

/*
 * Blocking helper for simple loops (tests, launcher): poll and process for
 * up to timeout_ms (-1: forever) or until *stop becomes true (stop may be
 * NULL; checked at least every 100 ms, so another thread may set it).
 * Returns 0, or a negated errno.
 */
int ob_conn_run(ob_conn *conn, int timeout_ms, const volatile bool *stop);

/*
 * Barrier: send a Ping and wait (processing other traffic) until its Pong
 * arrives, which proves the peer received everything sent before.
 * 0, -ETIMEDOUT, -ECONNRESET (a listener's peer was connected and hung
 * up: it returns as soon as nanomsg sees that), -ENOTCONN, or a send error
 * (-ENOBUFS).
 */
int ob_conn_flush(ob_conn *conn, int timeout_ms);

/*
 * Feed one raw frame through the real receive path as if it had arrived
 * (fuzzers, stdin transport): with a key, that is the authentication layer
 * (handshake frames and sealed frames), not a plain envelope. frame is
 * borrowed. Returns 1 when it was
 * dispatched, 0 when it was dropped (counted in stats.dropped), -ENOTCONN,
 * or -EINVAL (frame NULL with len > 0).
 */
int ob_conn_inject(ob_conn *conn, const void *frame, size_t len);

/*
 * Handshake helpers. ob_conn_hello sends our Hello (protocol_version is
 * filled in if 0; that version becomes the one this side checks peers'
 * Hellos against). The peer's Hello arrives through on_message. The caller
 * keeps ownership of hello.
 */
int ob_conn_hello(ob_conn *conn, Ob__Hello *hello);

/*
 * Blocking client handshake: send hello and wait up to timeout_ms for the
 * peer's answer. On success *answer owns an unpacked copy (free it with
 * ob__hello__free_unpacked(answer, NULL)). Other envelopes that arrive
 * meanwhile go to on_message. answer may be NULL. Errors: -ETIMEDOUT,
 * -EPROTO (version mismatch or the peer refused us; the reason is logged
 * and given to on_error), -EACCES (authentication failed: the keys differ,
 * or only one side has a key; logged and given to on_error), -EBUSY (a
 * handshake is already waiting), and the errors of ob_conn_send. With a
 * key, the Hello goes out once authentication has succeeded.
 */
int ob_conn_handshake(ob_conn *conn, Ob__Hello *hello, int timeout_ms,
		      Ob__Hello **answer);

/*
 * Counters since the connection opened. requests, replies, posted and events
 * count both directions (sent by this side or received from the peer): a
 * connection is normally one side's client or server, not both.
 */
struct ob_conn_stats {
	uint64_t sent, received;        /* frames handed to / taken from nanomsg
					 * (received includes ob_conn_inject) */
	uint64_t requests, replies, posted, events;
	uint64_t dropped;               /* received frames: malformed or oversize */
	uint64_t timeouts;              /* calls completed with ETIMEDOUT */
	uint64_t failed;                /* calls completed without a reply: the peer
					 * went down (EIO) or the connection closed
					 * (ECANCELED) */
	uint64_t unmatched;             /* replies that matched no outstanding call */
	uint64_t discarded;             /* queued frames thrown away: peer declared down */
	uint32_t in_flight, max_in_flight; /* outstanding ob_conn_call calls */
	uint32_t queued;                /* frames waiting for nanomsg */
	bool up;                        /* peer not declared down */
	/* Authentication: */
	uint64_t sessions;              /* handshakes that succeeded (with a key) */
	uint64_t auth_failures;         /* peers refused or handshakes failed on this
					 * side; without a key: peers that wanted one */
	bool authenticated;             /* a session is established now (with a key) */
	/* The request lane (ob_conn_attach_lane): */
	uint64_t lane_sent, lane_received; /* frames (also counted in sent, received) */
	uint64_t lane_drops;            /* lanes that ended under us: fell back to nanomsg */
	bool lane;                      /* frames go through a lane now */
};
void ob_conn_get_stats(const ob_conn *conn, struct ob_conn_stats *st);
/* Owned by the connection, valid until ob_conn_close. */
const char *ob_conn_name(const ob_conn *conn);
const char *ob_conn_url(const ob_conn *conn);
/* A dialer's failed attempts to connect so far (nanomsg retries them by
 * itself, silently): a peer that refuses is seen here at once. */
uint64_t ob_conn_connect_errors(const ob_conn *conn);

/* Monotonic milliseconds, the clock every deadline here uses. */
int64_t ob_now_ms(void);

#ifdef __cplusplus
}
#endif

#endif /* OUTBOARD_IPC_H */
