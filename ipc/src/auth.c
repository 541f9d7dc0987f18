/*
 * Authenticated connections: the handshake below the envelope, and its
 * state machine (docs/security.md has the protocol and the threat model).
 *
 *   dialer                                   listener
 *   Hello      "OBA1" Nc             ->
 *                                    <-      "OBA2" Nc Ns       Challenge
 *   Proof      "OBA3" MAC(c, Nc, Ns) ->      checks it; on failure sends
 *                                            "OBAF" and drops the peer
 *                                    <-      "OBA4" MAC(s, Nc, Ns)  Accept
 *   checks it; both derive session keys from the key and Nc, Ns;
 *   from here every frame is "OBAD" counter sealed(envelope).
 *
 * The dialer proves itself first, so a peer without the key never gets a
 * value computed from the key: only a random nonce, and after its failed
 * proof the 4-byte refusal "OBAF" (the same bytes whatever went wrong, and
 * nothing its silence would not tell). Replaying a captured Hello and
 * Proof fails because the listener's nonce is new each time.
 *
 * nanomsg hides connections, so the state machine infers them:
 * - A listener learns of a new peer from its Hello (a PAIR socket has one
 *   peer at a time; a Hello on an established session means the peer
 *   started over, and replaces the session).
 * - A dialer notices a new connection from nanomsg's count of established
 *   connections (NN_STAT_ESTABLISHED_CONNECTIONS) and authenticates again;
 *   also when the heartbeat declares the peer down.
 * - A listener cannot drop one peer: it re-binds (auth_listener.c).
 *
 * This file: sending handshake frames, the outcomes shared by both roles,
 * the dialer's side, the receive path and the timers. auth_listener.c: the
 * listener's side.
 *
 * Frames of an old session that arrive without a session (a listener that
 * restarted, a dialer's last Pings) are dropped quietly: the peer is about
 * to authenticate again. Anything else out of place is a failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nanomsg/nn.h>
#include <sodium.h>

#include "ipc_impl.h"

#define OBI_BACKOFF_MIN_MS 250   /* dialer: first retry after a failure */
#define OBI_BACKOFF_MAX_MS 8000

/* ---------------------------------------------------------------- sending */

void obi_auth_put_tag(uint8_t *frame, char type)
{
	memcpy(frame, "OBA", 3);
	frame[3] = (uint8_t)type;
}

static void drop_pending(struct ob_conn *c)
{
	if (c->auth.pending)
		nn_freemsg(c->auth.pending);
	c->auth.pending = NULL;
	c->auth.arm_on_send = false;
}

/* 0 when nanomsg took *msg (it owns it now), else a negated errno. */
static int hand_over(struct ob_conn *c, void **msg)
{
	for (;;) {
		if (nn_send(c->sock, msg, NN_MSG, NN_DONTWAIT) >= 0) {
			c->st.sent++;
			return 0;
		}
		if (errno != EINTR)
			return -errno;
	}
}

/* Send a handshake frame now, or keep it (replacing an older one) until
 * nanomsg has room: before a connection exists it has none. True when it
 * went now. */
bool obi_auth_send_handshake(struct ob_conn *c, const uint8_t *frame, size_t len)
{
	void *msg;

	drop_pending(c);
	msg = nn_allocmsg(len, 0);
	if (!msg) {
		OB_ERROR(OBI_LOG, "%s: out of memory for a handshake frame", c->name);
		return false; /* the state's deadline recovers */
	}
	memcpy(msg, frame, len);
	if (hand_over(c, &msg) == 0)
		return true;
	c->auth.pending = msg;
	c->auth.pending_len = len;
	return false;
}

/* A tag-only notice (refused, no key): best effort, never queued. */
void obi_auth_send_notice(struct ob_conn *c, char type)
{
	void *msg = nn_allocmsg(OBI_TAG_LEN, 0);

	if (!msg)
		return;
	obi_auth_put_tag(msg, type);
	if (hand_over(c, &msg) < 0)
		nn_freemsg(msg);
}

uint64_t obi_nn_stat(const struct ob_conn *c, int stat)
{
	uint64_t v = nn_get_statistic(c->sock, stat);

	return v == UINT64_MAX ? 0 : v;
}

/* The state's deadline starts now (when its frame went out). */
static void arm(struct ob_conn *c, int64_t now)
{
	c->auth.due = now + c->opts.auth_timeout_ms;
	c->auth.arm_on_send = false;
	if (!c->listening)
		c->auth.pipes = obi_nn_stat(c, NN_STAT_ESTABLISHED_CONNECTIONS);
}

static void send_and_arm(struct ob_conn *c, const uint8_t *frame, size_t len, int64_t now)
{
	if (obi_auth_send_handshake(c, frame, len)) {
		arm(c, now);
	} else {
		c->auth.due = INT64_MAX;
		c->auth.arm_on_send = c->auth.pending != NULL;
	}
}

int obi_auth_flush(struct ob_conn *c)
{
	int rc;

	if (!c->auth.pending)
		return 0;
	rc = hand_over(c, &c->auth.pending);
	if (rc == -EAGAIN)
		return 0;
	if (rc < 0) {
		OB_ERROR(OBI_LOG, "%s: sending a handshake frame failed: %s", c->name,
			 nn_strerror(-rc));
		return rc;
	}
	c->auth.pending = NULL;
	if (c->auth.arm_on_send)
		arm(c, ob_now_ms());
	return 0;
}

int obi_auth_seal(struct ob_conn *c, const void *plain, size_t len, void **out, size_t *out_len)
{
	void *msg = nn_allocmsg(len + OBI_SEAL_OVERHEAD, 0);
	int rc;

	if (!msg)
		return -ENOMEM;
	rc = obi_seal(&c->auth.sess, plain, len, msg);
	if (rc < 0) {
		nn_freemsg(msg);
		return rc;
	}
	*out = msg;
	*out_len = len + OBI_SEAL_OVERHEAD;
	return 0;
}

/* --------------------------------------------------------------- outcomes */

/* Forget the handshake and the session. */
void obi_auth_forget(struct ob_conn *c)
{
	drop_pending(c);
	sodium_memzero(&c->auth.sess, sizeof(c->auth.sess));
	sodium_memzero(c->auth.client_nonce, OBI_NONCE_LEN);
	sodium_memzero(c->auth.server_nonce, OBI_NONCE_LEN);
}

/* Log (rate-limited: a peer may fail on purpose, over and over), tell the
 * owner, and fail a waiting ob_conn_handshake when the keys are at fault. */
void obi_auth_report(struct ob_conn *c, enum ob_log_level level, int err, const char *what)
{
	if (obi_worth_logging(++c->auth.logged))
		ob_log(level, OBI_LOG, "%s: %s", c->name, what);
	if (err == EACCES)
		obi_hello_abort(c, -EACCES);
	if (err && c->cbs.on_error)
		c->cbs.on_error(c->arg, c, err, what);
}

/* Dialer: this attempt failed; try again after a growing delay. */
static void dialer_fail(struct ob_conn *c, int err, const char *what)
{
	bool had_session = c->auth.state == OBI_AUTH_READY;
	uint32_t b = c->auth.backoff_ms;

	if (err)
		c->st.auth_failures++;
	obi_auth_forget(c);
	b = b ? (b >= OBI_BACKOFF_MAX_MS / 2 ? OBI_BACKOFF_MAX_MS : 2 * b) : OBI_BACKOFF_MIN_MS;
	c->auth.backoff_ms = b;
	c->auth.state = OBI_AUTH_BACKOFF;
	c->auth.due = ob_now_ms() + b;
	obi_auth_report(c, err ? OB_LOG_ERROR : OB_LOG_WARN, err, what);
	if (had_session)
		obi_hb_session_lost(c, "the session ended: the peer no longer authenticates");
}

/* Both sides: the session is established. */
void obi_auth_session_ready(struct ob_conn *c, enum obi_role self)
{
	obi_session_derive(&c->auth.sess, &c->auth.keys, self, c->auth.client_nonce,
			   c->auth.server_nonce);
	sodium_memzero(c->auth.client_nonce, OBI_NONCE_LEN);
	sodium_memzero(c->auth.server_nonce, OBI_NONCE_LEN);
	c->auth.state = OBI_AUTH_READY;
	c->auth.due = INT64_MAX;
	c->auth.unauth_since = 0; /* the peer now has auth_timeout_ms to speak */
	c->st.sessions++;
	OB_INFO(OBI_LOG, "%s: %s on %s authenticated (key id %s)", c->name,
		self == OBI_ROLE_LISTENER ? "a peer" : "the peer", c->url, c->auth.key_id);
}

/* ----------------------------------------------------------------- dialer */

static void dialer_start(struct ob_conn *c, int64_t now)
{
	uint8_t frame[OBI_HELLO_LEN];

	obi_auth_forget(c);
	randombytes_buf(c->auth.client_nonce, OBI_NONCE_LEN);
	obi_auth_put_tag(frame, OBI_TAG_HELLO);
	memcpy(frame + OBI_TAG_LEN, c->auth.client_nonce, OBI_NONCE_LEN);
	c->auth.state = OBI_AUTH_HELLO_SENT;
	send_and_arm(c, frame, sizeof(frame), now);
}

static void dialer_challenged(struct ob_conn *c, const uint8_t *f, size_t len)
{
	uint8_t frame[OBI_PROOF_LEN];

	/* A challenge for an earlier Hello of ours is stale, not hostile. */
	if (c->auth.state != OBI_AUTH_HELLO_SENT || len != OBI_CHALLENGE_LEN ||
	    sodium_memcmp(f + OBI_TAG_LEN, c->auth.client_nonce, OBI_NONCE_LEN) != 0) {
		c->st.dropped++;
		return;
	}
	memcpy(c->auth.server_nonce, f + OBI_TAG_LEN + OBI_NONCE_LEN, OBI_NONCE_LEN);
	obi_auth_put_tag(frame, OBI_TAG_PROOF);
	obi_proof(&c->auth.keys, OBI_ROLE_DIALER, c->auth.client_nonce, c->auth.server_nonce,
		  frame + OBI_TAG_LEN);
	c->auth.state = OBI_AUTH_PROOF_SENT;
	send_and_arm(c, frame, sizeof(frame), ob_now_ms());
}

static void dialer_accepted(struct ob_conn *c, const uint8_t *f, size_t len)
{
	if (c->auth.state != OBI_AUTH_PROOF_SENT || len != OBI_PROOF_LEN) {
		c->st.dropped++;
		return;
	}
	if (!obi_proof_ok(&c->auth.keys, OBI_ROLE_LISTENER, c->auth.client_nonce,
			  c->auth.server_nonce, f + OBI_TAG_LEN)) {
		dialer_fail(c, EACCES, "the peer's proof does not verify: it does not hold "
			    "this side's key (an impostor?)");
		return;
	}
	obi_auth_session_ready(c, OBI_ROLE_DIALER);
	c->auth.backoff_ms = 0;
	/* After a lost session the peer is down until it hears from us. */
	if (!c->up)
		obi_hb_ping_now(c);
}

static void dialer_frame(struct ob_conn *c, const uint8_t *f, size_t len)
{
	enum obi_auth_state s = c->auth.state;

	switch (f[3]) {
	case OBI_TAG_CHALLENGE:
		dialer_challenged(c, f, len);
		return;
	case OBI_TAG_ACCEPT:
		dialer_accepted(c, f, len);
		return;
	case OBI_TAG_REFUSED:
		if (s == OBI_AUTH_HELLO_SENT || s == OBI_AUTH_PROOF_SENT) {
			char what[192];

			/* The peer logs its own key id with its refusal. */
			snprintf(what, sizeof(what), "the peer refused the handshake: its key is "
				 "not this side's key (key id %s here; the peer logs its own)",
				 c->auth.key_id);
			dialer_fail(c, EACCES, what);
			return;
		}
		break;
	case OBI_TAG_NO_KEY:
		if (s != OBI_AUTH_BACKOFF) {
			dialer_fail(c, EACCES, "the peer has no key, so it cannot authenticate; "
				    "this side has one and will not talk to it unauthenticated");
			return;
		}
		break;
	default:
		obi_drop(c, "a handshake frame of type 0x%02x, which a listener never sends",
			 f[3]);
		return;
	}
	c->st.dropped++;
}

/* Nanomsg connected again since our Hello or session: what we sent may be
 * lost and the listener may be a new process. Start over. */
static bool dialer_reconnected(struct ob_conn *c, int64_t now)
{
	bool had_session = c->auth.state == OBI_AUTH_READY;

	if (c->auth.arm_on_send ||
	    obi_nn_stat(c, NN_STAT_ESTABLISHED_CONNECTIONS) == c->auth.pipes)
		return false;
	OB_INFO(OBI_LOG, "%s: reconnected to %s; authenticating again", c->name, c->url);
	dialer_start(c, now);
	if (had_session)
		obi_hb_session_lost(c, "the connection was re-established");
	return true;
}

static void dialer_tick(struct ob_conn *c, int64_t now)
{
	char what[160];

	switch (c->auth.state) {
	case OBI_AUTH_START:
		dialer_start(c, now);
		break;
	case OBI_AUTH_BACKOFF:
		if (now >= c->auth.due)
			dialer_start(c, now);
		break;
	case OBI_AUTH_HELLO_SENT:
		if (dialer_reconnected(c, now) || now < c->auth.due)
			break;
		snprintf(what, sizeof(what), "no answer to our authentication request from %s "
			 "within %u ms; trying again", c->url, c->opts.auth_timeout_ms);
		dialer_fail(c, 0, what);
		break;
	case OBI_AUTH_PROOF_SENT:
		if (dialer_reconnected(c, now) || now < c->auth.due)
			break;
		snprintf(what, sizeof(what), "%s did not accept our proof within %u ms: its key "
			 "is not this side's key, or it refused us", c->url,
			 c->opts.auth_timeout_ms);
		dialer_fail(c, EACCES, what);
		break;
	case OBI_AUTH_READY:
		dialer_reconnected(c, now);
		break;
	default:
		break;
	}
}

/* ---------------------------------------------------------------- receive */

/* This side has no key, and the peer speaks the authenticated protocol. */
static void keyless_tagged(struct ob_conn *c, uint8_t type)
{
	const char *what;

	c->st.dropped++;
	c->st.auth_failures++;
	if (c->listening && type == OBI_TAG_HELLO) {
		obi_auth_send_notice(c, OBI_TAG_NO_KEY);
		what = "a peer asks to authenticate (it has a key), but this side has no key; "
		       "give both sides the same key (--key FILE)";
	} else {
		what = "the peer requires authentication (it has a key), but this side has no "
		       "key; give both sides the same key (--key FILE)";
	}
	obi_auth_report(c, OB_LOG_ERROR, EACCES, what);
}

/* A frame without our tag, on a side with a key. */
static void untagged(struct ob_conn *c)
{
	if (c->listening) {
		if (c->auth.state == OBI_AUTH_REFUSING) {
			c->st.dropped++;
			return;
		}
		obi_auth_refuse(c, "it sent a frame outside the authentication protocol (a peer without "
		       "a key, or not an outboard peer)");
		return;
	}
	if (c->auth.state == OBI_AUTH_BACKOFF) {
		c->st.dropped++;
		return;
	}
	dialer_fail(c, EACCES, "the peer sent an unauthenticated frame: it has no key, and "
		    "this side has one and will not talk to it unauthenticated");
}

static int receive_sealed(struct ob_conn *c, const uint8_t *f, size_t len)
{
	uint8_t *plain;
	size_t plain_len;
	int rc;

	if (c->auth.state != OBI_AUTH_READY) {
		/* From a session that ended; the peer will authenticate anew. */
		c->st.dropped++;
		return 0;
	}
	if (len < OBI_SEAL_OVERHEAD || len - OBI_SEAL_OVERHEAD > c->opts.max_message) {
		obi_drop(c, "a sealed frame of %zu bytes (at most %u bytes of envelope fit)", len,
			 c->opts.max_message);
		return 0;
	}
	plain_len = len - OBI_SEAL_OVERHEAD;
	plain = malloc(plain_len ? plain_len : 1);
	if (!plain) {
		obi_drop(c, "no memory to open a %zu-byte frame", len);
		return 0;
	}
	rc = obi_open(&c->auth.sess, f, len, plain);
	if (rc == -ESTALE)
		obi_drop(c, "a sealed frame replayed or out of order");
	else if (rc < 0)
		obi_drop(c, "a sealed frame that fails authentication (forged or corrupted)");
	else
		rc = obi_receive_frame(c, plain, plain_len);
	free(plain);
	return rc > 0 ? rc : 0;
}

int obi_auth_receive(struct ob_conn *c, const void *data, size_t len)
{
	const uint8_t *f = data;
	bool tagged = len >= OBI_TAG_LEN && memcmp(f, "OBA", 3) == 0;

	c->st.received++;
	if (c->auth.state == OBI_AUTH_OFF) {
		if (!tagged)
			return obi_receive_frame(c, data, len);
		keyless_tagged(c, f[3]);
		return 0;
	}
	if (!tagged) {
		untagged(c);
		return 0;
	}
	if (f[3] == OBI_TAG_SEALED)
		return receive_sealed(c, f, len);
	if (c->listening)
		obi_auth_listener_frame(c, f, len);
	else
		dialer_frame(c, f, len);
	return 0;
}

/* ----------------------------------------------------------------- timers */

void obi_auth_tick(struct ob_conn *c, int64_t now)
{
	if (c->auth.state == OBI_AUTH_OFF || !obi_usable(c))
		return;
	if (c->listening)
		obi_auth_listener_tick(c, now);
	else
		dialer_tick(c, now);
}

int64_t obi_auth_next_due(const struct ob_conn *c)
{
	const struct obi_auth *a = &c->auth;
	int64_t watch;

	switch (a->state) {
	case OBI_AUTH_OFF:
		return INT64_MAX;
	case OBI_AUTH_START:
		return 0;
	case OBI_AUTH_HELLO_SENT:
	case OBI_AUTH_PROOF_SENT:
	case OBI_AUTH_BACKOFF:
	case OBI_AUTH_REFUSING:
		return a->due;
	default:
		break;
	}
	if (!c->listening || (a->state == OBI_AUTH_READY && c->up))
		return a->due;
	watch = a->unauth_since ? a->unauth_since + c->opts.auth_timeout_ms
				: ob_now_ms() + OBI_WATCH_MS;
	return watch < a->due ? watch : a->due;
}

void obi_auth_peer_down(struct ob_conn *c, bool said_goodbye)
{
	if (c->auth.state != OBI_AUTH_READY)
		return;
	if (!c->listening) {
		/* The listener may have restarted behind an intact
		 * connection: authenticate again (the tick starts it). */
		obi_auth_forget(c);
		c->auth.state = OBI_AUTH_START;
	}
	/* A listener keeps the session, of a silent peer (it may come back
	 * with it; listener_watch drops it if it does not) and of one that said
	 * Goodbye (its closing Ping/Pong barrier still runs on that session;
	 * a new peer's handshake replaces it). */
	(void)said_goodbye;
}

/* --------------------------------------------------------------- lifetime */

int obi_auth_init(struct ob_conn *c, const uint8_t *key)
{
	int rc;

	c->auth.state = OBI_AUTH_OFF;
	c->auth.due = INT64_MAX;
	if (!key)
		return 0;
	rc = obi_sodium_init();
	if (rc < 0)
		return rc;
	obi_keys_derive(&c->auth.keys, key);
	ob_key_id(key, c->auth.key_id);
	c->auth.state = c->listening ? OBI_AUTH_LISTENING : OBI_AUTH_START;
	c->auth.due = c->listening ? INT64_MAX : 0;
	return 0;
}

void obi_auth_fini(struct ob_conn *c)
{
	drop_pending(c);
	sodium_memzero(&c->auth, sizeof(c->auth));
}
