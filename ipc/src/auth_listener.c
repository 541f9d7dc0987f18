/*
 * The listener's side of authentication (auth.c has the protocol and the
 * dialer's side): answering Hellos with a challenge, checking proofs, and
 * dropping a peer that fails or squats.
 *
 * A listener cannot drop one peer of a PAIR socket. After a failure it
 * sends the refusal, gives it OBI_REFUSE_GRACE_MS to leave (nn_close drops
 * unsent frames), ignores the peer meanwhile, then closes its socket and
 * binds a new one to the same URL (obi_conn_rebind). It does the same when
 * a connected peer has had no live session for auth_timeout_ms
 * (NN_STAT_CURRENT_CONNECTIONS), so that a silent squatter cannot hold the
 * only place.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <nanomsg/nn.h>
#include <sodium.h>

#include "ipc_impl.h"

#define OBI_REFUSE_GRACE_MS 100  /* the refusal's head start before nn_close drops it */
#define OBI_REBIND_RETRY_MS 1000

/* Listener: the peer failed. It gets the refusal and, after a grace period
 * for that to leave, its connection is dropped by re-binding. */
void obi_auth_refuse(struct ob_conn *c, const char *why)
{
	char what[256];
	bool had_session = c->auth.state == OBI_AUTH_READY;

	c->st.auth_failures++;
	obi_auth_forget(c);
	obi_auth_send_notice(c, OBI_TAG_REFUSED);
	c->auth.state = OBI_AUTH_REFUSING;
	c->auth.due = ob_now_ms() + OBI_REFUSE_GRACE_MS;
	c->auth.unauth_since = 0;
	/* nanomsg does not tell a peer's address. */
	/* The dialer's message tells its user to compare key ids: give ours. */
	snprintf(what, sizeof(what), "refused an unauthenticated peer on %s: %s%s%s%s", c->url, why,
		 c->auth.key_id[0] ? " (key id " : "", c->auth.key_id,
		 c->auth.key_id[0] ? " here)" : "");
	obi_auth_report(c, OB_LOG_ERROR, EACCES, what);
	if (had_session)
		obi_hb_session_lost(c, "the session ended: its peer failed authentication");
}


static void listener_hello(struct ob_conn *c, const uint8_t *f, size_t len)
{
	uint8_t frame[OBI_CHALLENGE_LEN];

	if (len != OBI_HELLO_LEN) {
		obi_auth_refuse(c, "a malformed authentication request");
		return;
	}
	if (c->auth.state == OBI_AUTH_READY) {
		/* One peer at a time: this one started over, or replaced a
		 * peer that is gone. */
		obi_auth_forget(c);
		c->auth.state = OBI_AUTH_LISTENING;
		OB_INFO(OBI_LOG, "%s: a new authentication on %s ends the session", c->name,
			c->url);
		obi_hb_session_lost(c, "a new authentication ended the session");
	}
	memcpy(c->auth.client_nonce, f + OBI_TAG_LEN, OBI_NONCE_LEN);
	randombytes_buf(c->auth.server_nonce, OBI_NONCE_LEN);
	obi_auth_put_tag(frame, OBI_TAG_CHALLENGE);
	memcpy(frame + OBI_TAG_LEN, c->auth.client_nonce, OBI_NONCE_LEN);
	memcpy(frame + OBI_TAG_LEN + OBI_NONCE_LEN, c->auth.server_nonce, OBI_NONCE_LEN);
	c->auth.state = OBI_AUTH_CHALLENGED;
	obi_auth_send_handshake(c, frame, sizeof(frame));
	c->auth.due = ob_now_ms() + c->opts.auth_timeout_ms;
}

static void listener_proof(struct ob_conn *c, const uint8_t *f, size_t len)
{
	uint8_t frame[OBI_PROOF_LEN];

	if (c->auth.state != OBI_AUTH_CHALLENGED) {
		obi_auth_refuse(c, "a proof without a challenge (a replayed handshake?)");
		return;
	}
	if (len != OBI_PROOF_LEN) {
		obi_auth_refuse(c, "a malformed proof");
		return;
	}
	if (!obi_proof_ok(&c->auth.keys, OBI_ROLE_DIALER, c->auth.client_nonce,
			  c->auth.server_nonce, f + OBI_TAG_LEN)) {
		obi_auth_refuse(c, "its proof does not verify: it does not hold this side's key, or "
		       "replays an old handshake");
		return;
	}
	obi_auth_put_tag(frame, OBI_TAG_ACCEPT);
	obi_proof(&c->auth.keys, OBI_ROLE_LISTENER, c->auth.client_nonce, c->auth.server_nonce,
		  frame + OBI_TAG_LEN);
	obi_auth_session_ready(c, OBI_ROLE_LISTENER);
	obi_auth_send_handshake(c, frame, sizeof(frame));
}

void obi_auth_listener_frame(struct ob_conn *c, const uint8_t *f, size_t len)
{
	if (c->auth.state == OBI_AUTH_REFUSING) {
		c->st.dropped++; /* the refused peer, until it is dropped */
		return;
	}
	switch (f[3]) {
	case OBI_TAG_HELLO:
		listener_hello(c, f, len);
		break;
	case OBI_TAG_PROOF:
		listener_proof(c, f, len);
		break;
	default:
		obi_auth_refuse(c, "a handshake frame a dialer never sends");
		break;
	}
}

/* Drop a peer that holds the connection without a live session. */
static void listener_watch(struct ob_conn *c, int64_t now)
{
	char why[128];

	if ((c->auth.state == OBI_AUTH_READY && c->up) ||
	    obi_nn_stat(c, NN_STAT_CURRENT_CONNECTIONS) == 0) {
		c->auth.unauth_since = 0;
		return;
	}
	if (!c->auth.unauth_since) {
		c->auth.unauth_since = now;
		return;
	}
	if (now - c->auth.unauth_since < c->opts.auth_timeout_ms)
		return;
	snprintf(why, sizeof(why), "it stayed connected for %u ms without %s",
		 c->opts.auth_timeout_ms,
		 c->auth.state == OBI_AUTH_READY ? "a sign of life" : "authenticating");
	obi_auth_refuse(c, why);
}

static void listener_rebind(struct ob_conn *c, int64_t now)
{
	obi_auth_forget(c);
	if (obi_conn_rebind(c) < 0) {
		c->auth.due = now + OBI_REBIND_RETRY_MS;
		return;
	}
	c->auth.state = OBI_AUTH_LISTENING;
	c->auth.due = INT64_MAX;
	c->auth.unauth_since = 0;
}

void obi_auth_listener_tick(struct ob_conn *c, int64_t now)
{
	switch (c->auth.state) {
	case OBI_AUTH_REFUSING:
		if (now >= c->auth.due)
			listener_rebind(c, now);
		return;
	case OBI_AUTH_CHALLENGED:
		if (now >= c->auth.due) {
			obi_auth_refuse(c, "it did not answer the challenge in time");
			return;
		}
		break;
	default:
		break;
	}
	listener_watch(c, now);
}
