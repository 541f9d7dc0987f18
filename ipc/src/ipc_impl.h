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
 *   auth.c       the authentication handshake: its state machine, the
 *                dialer's side, the receive path below the envelope
 *   auth_listener.c  the listener's side, and dropping a peer (re-bind)
 *   seal.c       the cryptography of it: proofs, session keys, sealed frames
 *   lane.c       the request lane: frames over a unix stream socket, local
 *                and keyless, in place of nanomsg
 *   key.c        key files (outboard/key.h)
 *   log.c, errno_map.c, clock.c  process-wide helpers
 *
 * Layers, bottom up: nanomsg frames -> auth.c (only with a key: handshake
 * frames, and sealed frames opened by seal.c) -> dispatch.c (envelopes).
 */
#ifndef OBI_IPC_IMPL_H
#define OBI_IPC_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outboard/errno.h"
#include "outboard/ipc.h"
#include "outboard/key.h"
#include "outboard/log.h"

#define OBI_LOG "ipc"

/* A dialer's reconnect interval: first retry, and the back-off's cap. */
#define OBI_RECONNECT_FIRST_MS 10
#define OBI_RECONNECT_MAX_MS 1000
/* The same for ipc://, where a retry is one connect(2) to a file that is
 * not there yet (microseconds, in nanomsg's worker thread): a local plugin
 * is found within 2 ms of binding. Doubling from 10 ms found one that bound
 * at 31 ms at 70; backing off from 2 to 10 ms still cost the launcher's
 * probe 6-9 ms after the bind, all of it on `outboard run`'s start-up. */
#define OBI_RECONNECT_LOCAL_FIRST_MS 1
#define OBI_RECONNECT_LOCAL_MAX_MS 2

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
/* Push every deadline back by ms (the heap order is unchanged). */
void obi_calls_shift(struct obi_calls *t, int64_t ms);
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
/* The same for c's queue, keeping its request lane's stream whole. */
uint32_t obi_sendq_discard(struct ob_conn *c);

/* ------------------------------------------------------------------ lane.c */

/* A request lane (ob_conn_attach_lane). */
struct obi_lane {
	int fd;                   /* connected unix stream socket, -1 = none */
	size_t head_sent;         /* bytes of the send queue's head frame (its
				   * length included) already written */
	uint8_t *rbuf;            /* bytes received, not yet dispatched; kept
				   * across lanes, freed at close */
	size_t rlen, rcap;
	uint64_t gen;             /* bumped whenever the lane closes or changes */
	bool quiet;               /* ob_conn_lane_quiet: skip the next read */
};

void obi_lane_init(struct obi_lane *ln);
/* Close the lane and free its buffer (ob_conn_close). */
void obi_lane_fini(struct ob_conn *c);
/* The lane ended or failed: close it (logged with why); nanomsg again. */
void obi_lane_drop(struct ob_conn *c, const char *why);
/* Write the send queue's head frame f (or a frame about to become it) from
 * head_sent on. 0 when all of it went, -EAGAIN when the socket is full
 * (head_sent says how far it got: the frame must stay at the head), or
 * -ECONNRESET when the lane ended (dropped; send f whole over nanomsg). */
int obi_lane_write(struct ob_conn *c, const struct obi_frame *f);
/* Receive and dispatch up to about budget frames from the lane. The
 * number dispatched. */
int obi_lane_receive(struct ob_conn *c, int budget);

/* ------------------------------------------------------------------ seal.c */

/*
 * Wire format below the envelope, used only with a key (docs/security.md).
 * Every frame starts with a 4-byte tag "OBA" + type. No Envelope can start
 * with 'O' (0x4f would be field 9 with wire type 7, which does not exist),
 * so a side without a key recognises these frames too.
 */
#define OBI_TAG_LEN 4
#define OBI_NONCE_LEN 32u
#define OBI_MAC_LEN 32u
#define OBI_TAG_HELLO '1'      /* dialer:   tag, client nonce */
#define OBI_TAG_CHALLENGE '2'  /* listener: tag, client nonce (echo), server nonce */
#define OBI_TAG_PROOF '3'      /* dialer:   tag, client proof */
#define OBI_TAG_ACCEPT '4'     /* listener: tag, server proof */
#define OBI_TAG_SEALED 'D'     /* either:   tag, counter (u64 LE), AEAD ciphertext */
#define OBI_TAG_REFUSED 'F'    /* listener: tag only: handshake refused */
#define OBI_TAG_NO_KEY '0'     /* side without a key: tag only */

#define OBI_HELLO_LEN (OBI_TAG_LEN + OBI_NONCE_LEN)
#define OBI_CHALLENGE_LEN (OBI_TAG_LEN + 2 * OBI_NONCE_LEN)
#define OBI_PROOF_LEN (OBI_TAG_LEN + OBI_MAC_LEN)
#define OBI_SEAL_HEADER (OBI_TAG_LEN + 8)
#define OBI_SEAL_OVERHEAD (OBI_SEAL_HEADER + 16) /* header + Poly1305 tag */

enum obi_role { OBI_ROLE_DIALER, OBI_ROLE_LISTENER };

/* Keys derived from the shared key at open; the shared key itself is not
 * kept. */
struct obi_keys {
	uint8_t proof[32];        /* MAC key of the handshake proofs */
	uint8_t session_root[32]; /* key of the session key derivation */
};

/* One established session: a key and a counter per direction. */
struct obi_session {
	uint8_t tx_key[32], rx_key[32];
	uint64_t tx_counter;      /* last counter sealed */
	uint64_t rx_counter;      /* highest counter opened */
};

/* libsodium's start-up (idempotent, thread-safe). 0 or -EIO (logged). */
int obi_sodium_init(void);
void obi_keys_derive(struct obi_keys *k, const uint8_t key[OB_KEY_BYTES]);
/* The proof of role `prover` for the nonces of one handshake. */
void obi_proof(const struct obi_keys *k, enum obi_role prover,
	       const uint8_t client_nonce[OBI_NONCE_LEN],
	       const uint8_t server_nonce[OBI_NONCE_LEN], uint8_t mac[OBI_MAC_LEN]);
/* Constant-time check of a proof. */
bool obi_proof_ok(const struct obi_keys *k, enum obi_role prover,
		  const uint8_t client_nonce[OBI_NONCE_LEN],
		  const uint8_t server_nonce[OBI_NONCE_LEN], const uint8_t mac[OBI_MAC_LEN]);
/* Session keys for side `self` from both nonces; counters start at 0. */
void obi_session_derive(struct obi_session *s, const struct obi_keys *k, enum obi_role self,
			const uint8_t client_nonce[OBI_NONCE_LEN],
			const uint8_t server_nonce[OBI_NONCE_LEN]);
/* Seal len bytes of plain into out (len + OBI_SEAL_OVERHEAD bytes) with
 * the next counter. 0, or -EOVERFLOW when the counter is used up. */
int obi_seal(struct obi_session *s, const void *plain, size_t len, uint8_t *out);
/* Open a sealed frame of len bytes (>= OBI_SEAL_OVERHEAD, tag checked by
 * the caller) into out (len - OBI_SEAL_OVERHEAD bytes). 0, -ESTALE (counter
 * not above the last one: replayed or reordered), or -EBADMSG (forged or
 * corrupted). The counter only advances on success. */
int obi_open(struct obi_session *s, const uint8_t *sealed, size_t len, uint8_t *out);

/* ------------------------------------------------------------------ auth.c */

enum obi_auth_state {
	OBI_AUTH_OFF,         /* no key: frames are plain envelopes */
	OBI_AUTH_START,       /* dialer: a Hello is due now */
	OBI_AUTH_HELLO_SENT,  /* dialer: waiting for the challenge */
	OBI_AUTH_PROOF_SENT,  /* dialer: waiting for the listener's proof */
	OBI_AUTH_BACKOFF,     /* dialer: failed; the next attempt is at due */
	OBI_AUTH_LISTENING,   /* listener: no session, no handshake under way */
	OBI_AUTH_CHALLENGED,  /* listener: challenge sent, waiting for the proof */
	OBI_AUTH_REFUSING,    /* listener: a peer failed; re-bind at due */
	OBI_AUTH_READY,       /* session established */
};

struct obi_auth {
	enum obi_auth_state state;
	struct obi_keys keys;
	struct obi_session sess;
	uint8_t client_nonce[OBI_NONCE_LEN], server_nonce[OBI_NONCE_LEN];
	int64_t due;              /* deadline of the state; INT64_MAX = none */
	uint32_t backoff_ms;      /* dialer: delay after the last failure */
	void *pending;            /* a handshake frame nanomsg had no room for
				   * (nn_allocmsg); sent before anything else */
	size_t pending_len;
	bool arm_on_send;         /* the state's deadline starts when pending goes */
	uint64_t pipes;           /* dialer: nanomsg's count of established
				   * connections when our Hello went out */
	int64_t unauth_since;     /* listener: a peer is connected without a live
				   * session since then; 0 = none */
	uint64_t logged;          /* failures logged (rate limit) */
	char key_id[OB_KEY_ID_LEN];
};

struct ob_conn;
/* Set up from opts.key (then wiped from opts). 0 or -EIO. */
int obi_auth_init(struct ob_conn *c, const uint8_t *key);
/* Wipe secrets, free the pending frame. */
void obi_auth_fini(struct ob_conn *c);
/* A frame from nanomsg or ob_conn_inject, on a connection with or without
 * a key. data is borrowed. 1 when an envelope was dispatched, else 0. */
int obi_auth_receive(struct ob_conn *c, const void *data, size_t len);
/* Seal a packed envelope for sending into a new nn_allocmsg buffer
 * (*out, *out_len). 0 or a negated errno. */
int obi_auth_seal(struct ob_conn *c, const void *plain, size_t len, void **out,
		  size_t *out_len);
/* Send a pending handshake frame. 0 or a negated errno (socket failure). */
int obi_auth_flush(struct ob_conn *c);
/* Timers: handshake deadlines, back-off, re-binding, watching for a peer
 * that holds the connection without authenticating, reconnections. */
void obi_auth_tick(struct ob_conn *c, int64_t now);
int64_t obi_auth_next_due(const struct ob_conn *c);
/* The heartbeat declared the peer down (said_goodbye: it said so). */
void obi_auth_peer_down(struct ob_conn *c, bool said_goodbye);

/* Shared by auth.c and auth_listener.c. */
#define OBI_WATCH_MS 250 /* listener without a live session: look for squatters */
void obi_auth_put_tag(uint8_t *frame, char type);
/* Send a handshake frame now, or keep it (replacing an older one) until
 * nanomsg has room. True when it went now. */
bool obi_auth_send_handshake(struct ob_conn *c, const uint8_t *frame, size_t len);
/* A tag-only notice (refused, no key): best effort, never kept. */
void obi_auth_send_notice(struct ob_conn *c, char type);
/* A nanomsg statistic of the socket (0 when nanomsg fails). */
uint64_t obi_nn_stat(const struct ob_conn *c, int stat);
/* Forget the handshake under way and the session. */
void obi_auth_forget(struct ob_conn *c);
/* Log (rate-limited), tell on_error (when err != 0), and fail a waiting
 * ob_conn_handshake when err is EACCES. */
void obi_auth_report(struct ob_conn *c, enum ob_log_level level, int err, const char *what);
/* Derive the session from the nonces (then wiped): the state is READY. */
void obi_auth_session_ready(struct ob_conn *c, enum obi_role self);
/* auth_listener.c: the peer failed; refuse it and drop it. */
void obi_auth_refuse(struct ob_conn *c, const char *why);
/* auth_listener.c: a handshake frame (not sealed) for a listener. */
void obi_auth_listener_frame(struct ob_conn *c, const uint8_t *f, size_t len);
void obi_auth_listener_tick(struct ob_conn *c, int64_t now);

/* ------------------------------------------------------------ the connection */

struct obi_handshake {
	bool active;         /* ob_conn_handshake is waiting */
	bool done;
	int result;          /* 0, -EPROTO or -EACCES once done */
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

	/* auth.c */
	struct obi_auth auth;

	/* lane.c */
	struct obi_lane lane;

	struct ob_conn_stats st;

	/* hold.c: envelopes held back by ob_conn_hold, in arrival order. */
	bool held;
	struct {
		Ob__Envelope **q;
		uint32_t len, cap;
		int64_t since;    /* ob_now_ms when the hold began */
	} hold;
};

/* ---------------------------------------------------------------- dispatch.c */

/* The receive path for one envelope frame (plain, or opened by auth.c).
 * data is borrowed. Returns 1 when the frame was dispatched, 0 when
 * dropped. */
int obi_receive_frame(struct ob_conn *c, const void *data, size_t len);
/* Count a dropped frame and log why (rate-limited). */
void obi_drop(struct ob_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether the n-th event of a kind is worth a log line: the first ten,
 * then powers of two, so a flood cannot fill the log. */
bool obi_worth_logging(uint64_t n);

/* Dispatch one unpacked envelope; takes ownership of env (dispatch.c). */
void obi_dispatch(struct ob_conn *c, Ob__Envelope *env);

/* ------------------------------------------------------------------ hold.c */

/* While held: keep env (taking ownership) and return true. */
bool obi_hold_keep(struct ob_conn *c, Ob__Envelope *env);
/* Free what is still held (close). */
void obi_hold_fini(struct ob_conn *c);

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
/* The authenticated session ended (a new handshake replaces it): what was
 * in flight is lost, so the peer is down until it speaks again. */
void obi_hb_session_lost(struct ob_conn *c, const char *why);
/* Send a heartbeat Ping now (a new session: let the peer hear from us). */
void obi_hb_ping_now(struct ob_conn *c);
void obi_hb_ping_received(struct ob_conn *c, const Ob__Ping *ping);

/* ----------------------------------------------------------------- hello.c */

/* A Hello arrived. May detach env->hello for a waiting handshake. */
void obi_hello_received(struct ob_conn *c, Ob__Envelope *env);
/* Authentication failed: a waiting ob_conn_handshake returns rc. */
void obi_hello_abort(struct ob_conn *c, int rc);

/* ------------------------------------------------------------------ loop.c */

/* Poll and process until done(c, arg) is true or timeout_ms passes
 * (-1 = forever). 0 (done or timed out: the caller checks which), or a
 * negated errno from processing. */
int obi_run_until(struct ob_conn *c, int timeout_ms,
		  bool (*done)(const struct ob_conn *c, const void *arg), const void *arg);

/* ------------------------------------------------------------------ conn.c */

/* Listener: close the socket (dropping its peer) and bind a fresh one to
 * the same URL. 0, or a negated errno (logged); the connection then keeps
 * an unbound socket, and the caller tries again later. */
int obi_conn_rebind(struct ob_conn *c);

/* ------------------------------------------------------------------- misc */

/* True while the connection may still send: not closed, socket open. */
static inline bool obi_usable(const struct ob_conn *c)
{
	return c && !c->closed && c->sock >= 0;
}

/* True when envelopes may go to nanomsg now: without a key always; with
 * one, once a session is established and its last handshake frame is out. */
static inline bool obi_auth_can_send(const struct ob_conn *c)
{
	return c->auth.state == OBI_AUTH_OFF ||
	       (c->auth.state == OBI_AUTH_READY && !c->auth.pending);
}

#endif /* OBI_IPC_IMPL_H */
