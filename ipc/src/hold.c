/*
 * Holding a connection (ob_conn_hold): while the CPU host's guest is
 * stopped in a debugger, replies, requests and events stay queued here in
 * arrival order, and call deadlines stand still, while Pings, Pongs,
 * Hellos and Goodbyes are handled as usual, so neither side declares the
 * other down. Releasing delivers the queue in order and pushes every
 * deadline back by the time held.
 */
#include <errno.h>
#include <stdlib.h>

#include "ipc_impl.h"

/* Queued envelopes beyond this are dropped (counted in stats.dropped): a
 * plugin that floods events while the guest is stopped cannot exhaust
 * memory. Replies are bounded by the calls in flight anyway. */
#define OBI_HOLD_MAX 65536

bool obi_hold_keep(struct ob_conn *c, Ob__Envelope *env)
{
	if (!c->held)
		return false;
	if (c->hold.len == c->hold.cap) {
		if (c->hold.cap == OBI_HOLD_MAX) {
			obi_drop(c, "more than %d frames arrived while held", OBI_HOLD_MAX);
			ob__envelope__free_unpacked(env, NULL);
			return true;
		}
		uint32_t cap = c->hold.cap ? 2 * c->hold.cap : 64;
		Ob__Envelope **q = realloc(c->hold.q, cap * sizeof(*q));
		if (!q) {
			obi_drop(c, "no memory to hold a frame");
			ob__envelope__free_unpacked(env, NULL);
			return true;
		}
		c->hold.q = q;
		c->hold.cap = cap;
	}
	c->hold.q[c->hold.len++] = env;
	return true;
}

static void release(struct ob_conn *c)
{
	int64_t held_ms = ob_now_ms() - c->hold.since;
	c->held = false;
	obi_calls_shift(&c->calls, held_ms);
	/* Deliver in arrival order; a callback may hold the connection again,
	 * in which case the rest stays queued, still in order. */
	uint32_t i = 0;
	while (i < c->hold.len && !c->held && !c->closed)
		obi_dispatch(c, c->hold.q[i++]);
	for (uint32_t k = i; k < c->hold.len; k++)
		c->hold.q[k - i] = c->hold.q[k];
	c->hold.len -= i;
}

int ob_conn_hold(ob_conn *c, bool hold)
{
	if (!c)
		return -EINVAL;
	if (!obi_usable(c))
		return -ENOTCONN;
	if (hold == c->held)
		return 0;
	if (hold) {
		c->held = true;
		c->hold.since = ob_now_ms();
	} else {
		release(c);
	}
	return 0;
}

void obi_hold_fini(struct ob_conn *c)
{
	for (uint32_t i = 0; i < c->hold.len; i++)
		ob__envelope__free_unpacked(c->hold.q[i], NULL);
	free(c->hold.q);
	c->hold.q = NULL;
	c->hold.len = c->hold.cap = 0;
}
