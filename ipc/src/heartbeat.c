/*
 * Liveness. nanomsg never says when a peer goes away, so the connection
 * watches traffic instead:
 *
 * - It pings when it has sent nothing for heartbeat_ms, so the peer sees
 *   traffic from a live but idle side. It also pings when it has received
 *   nothing for heartbeat_ms, so a peer that only receives (a plugin fed
 *   posted calls) still answers with something: a Pong. At most one Ping
 *   per heartbeat_ms either way.
 * - It declares the peer down after dead_ms without a valid frame: calls in
 *   flight complete with EIO, queued frames are discarded (they were meant
 *   for a peer that is gone; a restarted one would not know their ids), and
 *   on_state(false) runs. Any valid frame afterwards brings it back up
 *   (on_state(true)).
 * - It keeps pinging while the peer is down, so a peer that comes back (a
 *   dialer reconnects by itself) answers and is noticed even if it has
 *   nothing of its own to say.
 *
 * - A Goodbye takes the peer down at once, as silence would after dead_ms;
 *   its closing Pings do not bring it back, only real traffic does.
 *
 * A connection starts up, as if a frame had just arrived: a peer that never
 * shows up is declared down after dead_ms like one that died.
 *
 * With a key, a session that ends (a new handshake replaces it) takes the
 * peer down like silence does: what was in flight went to a connection
 * that is gone. A dialer whose peer goes down authenticates again.
 *
 * Heartbeat Pings are droppable: when nanomsg has no room (peer slow or not
 * connected, or no session yet) a Ping is not queued, since the queue itself means the peer is
 * not taking frames and a pile of stale Pings would only delay real ones.
 * Pongs are queued, because a flush barrier waits for them.
 */
#include <errno.h>

#include <nanomsg/nn.h>

#include "ipc_impl.h"

void obi_hb_start(struct ob_conn *c, int64_t now)
{
	c->up = true;
	c->seen = false;
	c->last_rx = now;
	c->last_tx = now;
	c->last_ping = now;
}

void obi_hb_frame_received(struct ob_conn *c, const Ob__Envelope *env, int64_t now)
{
	c->last_rx = now;
	c->seen = true;
	if (c->up)
		return;
	/* A peer that said Goodbye still pings for its closing barrier: only
	 * real traffic (a new peer's Hello, a request...) brings it back. */
	if (c->left && (env->body_case == OB__ENVELOPE__BODY_PING ||
			env->body_case == OB__ENVELOPE__BODY_PONG))
		return;
	c->left = false;
	c->up = true;
	OB_INFO(OBI_LOG, "%s: peer is up again", c->name);
	if (c->cbs.on_state)
		c->cbs.on_state(c->arg, c, true);
}

/* why: the reason when the session ended (auth.c), else NULL. */
static void peer_down(struct ob_conn *c, int64_t now, bool said_goodbye, const char *why)
{
	uint32_t in_flight = c->calls.count;
	uint32_t discarded = obi_sendq_discard(c);

	c->up = false;
	c->left = said_goodbye;
	c->st.discarded += discarded;
	/* Before the callbacks, so they see the connection as it will be. */
	obi_auth_peer_down(c, said_goodbye);
	if (why) /* an idle session replaced (the launcher's check, then the
		  * host) loses nothing: no warning for that */
		ob_log(in_flight || discarded ? OB_LOG_WARN : OB_LOG_INFO, OBI_LOG,
		       "%s: %s (%u calls fail with EIO, %u queued frames discarded)", c->name,
		       why, in_flight, discarded);
	else if (said_goodbye)
		OB_INFO(OBI_LOG, "%s: peer said goodbye (%u calls fail with EIO)", c->name,
			in_flight);
	else if (c->seen)
		OB_WARN(OBI_LOG, "%s: peer silent for %lld ms, declaring it down "
			"(%u calls fail with EIO, %u queued frames discarded)",
			c->name, (long long)(now - c->last_rx), in_flight, discarded);
	else
		OB_INFO(OBI_LOG, "%s: no peer on %s after %lld ms (%u calls fail with EIO)",
			c->name, c->url, (long long)(now - c->last_rx), in_flight);
	obi_calls_fail_all(c, EIO);
	if (c->cbs.on_state)
		c->cbs.on_state(c->arg, c, false);
}

static int64_t ping_due(const struct ob_conn *c)
{
	int64_t quiet_since = c->last_tx < c->last_rx ? c->last_tx : c->last_rx;
	int64_t from = quiet_since > c->last_ping ? quiet_since : c->last_ping;

	return from + c->opts.heartbeat_ms;
}

static void send_ping(struct ob_conn *c, int64_t now)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Ping ping = OB__PING__INIT;
	int rc;

	c->last_ping = now;
	ping.seq = ++c->ping_seq;
	env.body_case = OB__ENVELOPE__BODY_PING;
	env.ping = &ping;
	rc = obi_send_env(c, &env, OBI_SEND_DROPPABLE);
	if (rc < 0 && rc != -EAGAIN)
		OB_WARN(OBI_LOG, "%s: heartbeat ping failed: %s", c->name, nn_strerror(-rc));
}

void obi_hb_tick(struct ob_conn *c, int64_t now)
{
	if (c->opts.no_heartbeat || !obi_usable(c))
		return;
	if (c->up && now - c->last_rx >= c->opts.dead_ms)
		peer_down(c, now, false, NULL);
	if (now >= ping_due(c))
		send_ping(c, now);
}

int64_t obi_hb_next_due(const struct ob_conn *c)
{
	int64_t due;

	if (c->opts.no_heartbeat)
		return INT64_MAX;
	due = ping_due(c);
	if (c->up && c->last_rx + c->opts.dead_ms < due)
		due = c->last_rx + c->opts.dead_ms;
	return due;
}

void obi_hb_ping_now(struct ob_conn *c)
{
	send_ping(c, ob_now_ms());
}

void obi_hb_session_lost(struct ob_conn *c, const char *why)
{
	if (c->up)
		peer_down(c, ob_now_ms(), false, why);
}

void obi_hb_goodbye_received(struct ob_conn *c)
{
	if (c->up)
		peer_down(c, ob_now_ms(), true, NULL);
}

void obi_hb_ping_received(struct ob_conn *c, const Ob__Ping *ping)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Pong pong = OB__PONG__INIT;
	int rc;

	pong.seq = ping->seq;
	env.body_case = OB__ENVELOPE__BODY_PONG;
	env.pong = &pong;
	rc = obi_send_env(c, &env, OBI_SEND_QUEUE);
	if (rc < 0)
		OB_WARN(OBI_LOG, "%s: could not answer ping %llu: %s", c->name,
			(unsigned long long)ping->seq, nn_strerror(-rc));
}
