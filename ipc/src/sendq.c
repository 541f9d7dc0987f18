/*
 * The send path: pack an envelope into a nanomsg buffer and hand it over
 * without blocking (NN_DONTWAIT). When nanomsg answers EAGAIN (the peer is
 * slow, or not connected yet) the frame waits in a FIFO queue, and
 * ob_conn_process sends it once NN_SNDFD says nanomsg has room.
 *
 * While anything is queued, new frames go behind it, so the peer sees
 * frames in the order they were sent: a flush barrier's Ping comes after
 * everything before it.
 *
 * Frames live in nn_allocmsg buffers and are sent with NN_MSG, which passes
 * ownership to nanomsg on success and leaves it with us on failure.
 *
 * With a key, frames wait in the queue (as plain packed envelopes) until a
 * session is established, and are sealed as they go (try_send).
 *
 * With a request lane (lane.c) frames go there instead, in the same order
 * and through the same queue; a frame the lane took only partly is the
 * queue's head until the rest goes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <nanomsg/nn.h>

#include "ipc_impl.h"

static int sendq_push(struct obi_sendq *q, void *msg, size_t len)
{
	if (q->len >= q->max)
		return -ENOBUFS;
	if (q->len == q->cap) {
		uint32_t cap = q->cap ? q->cap * 2 : 16;
		struct obi_frame *ring;

		if (cap > q->max)
			cap = q->max;
		ring = malloc(cap * sizeof(*ring));
		if (!ring)
			return -ENOMEM;
		/* Unwrap the old ring so the new one starts at 0. */
		for (uint32_t i = 0; i < q->len; i++)
			ring[i] = q->ring[(q->head + i) % q->cap];
		free(q->ring);
		q->ring = ring;
		q->cap = cap;
		q->head = 0;
	}
	q->ring[(q->head + q->len) % q->cap] = (struct obi_frame){.msg = msg, .len = len};
	q->len++;
	return 0;
}

static void sendq_pop(struct obi_sendq *q)
{
	q->head = (q->head + 1) % q->cap;
	q->len--;
}

uint32_t obi_sendq_discard(struct ob_conn *c)
{
	/* The rest of a frame half-written to the lane will never follow:
	 * the peer must not take the next frame's bytes for it. */
	if (c->lane.head_sent > 0)
		obi_lane_drop(c, "cut off in the middle of a frame");
	return obi_sendq_clear(&c->sendq);
}

uint32_t obi_sendq_clear(struct obi_sendq *q)
{
	uint32_t dropped = q->len;

	while (q->len > 0) {
		nn_freemsg(q->ring[q->head].msg);
		sendq_pop(q);
	}
	free(q->ring);
	q->ring = NULL;
	q->cap = 0;
	q->head = 0;
	return dropped;
}

/* Hand one frame to nanomsg: 0 when nanomsg took *msg (and now owns it),
 * or a negated errno (-EAGAIN when it has no room now); then *msg is still
 * ours. */
static int hand_over(struct ob_conn *c, void **msg)
{
	for (;;) {
		if (nn_send(c->sock, msg, NN_MSG, NN_DONTWAIT) >= 0) {
			c->st.sent++;
			c->last_tx = ob_now_ms();
			return 0;
		}
		if (errno != EINTR)
			return -errno;
	}
}

/* Send the packed envelope f: as it is, or sealed when there is a key.
 * 0 when it went (f->msg is then consumed and NULL), or a negated errno
 * (-EAGAIN when nanomsg has no room now) with f->msg still ours. Sealing
 * happens here, at the last moment, so that frames queued before a
 * session (or across a new one) are sealed with the keys of the session
 * that carries them. A frame nanomsg refuses used up a counter; the
 * receiver only needs counters to grow, not to be consecutive. */
static int try_send(struct ob_conn *c, struct obi_frame *f)
{
	void *sealed;
	size_t sealed_len;
	int rc;

	if (c->lane.fd >= 0) {
		rc = obi_lane_write(c, f);
		if (rc == 0) {
			nn_freemsg(f->msg);
			f->msg = NULL;
		}
		if (rc != -ECONNRESET)
			return rc;
		/* The lane ended: nanomsg takes the frame, whole. */
	}
	if (c->auth.state == OBI_AUTH_OFF) {
		rc = hand_over(c, &f->msg);
		if (rc == 0)
			f->msg = NULL;
		return rc;
	}
	rc = obi_auth_seal(c, f->msg, f->len, &sealed, &sealed_len);
	if (rc < 0)
		return rc;
	rc = hand_over(c, &sealed);
	if (rc < 0) {
		nn_freemsg(sealed);
		return rc;
	}
	nn_freemsg(f->msg);
	f->msg = NULL;
	return 0;
}

int obi_sendq_flush(struct ob_conn *c)
{
	struct obi_sendq *q = &c->sendq;

	while (q->len > 0 && obi_auth_can_send(c)) {
		int rc = try_send(c, &q->ring[q->head]);

		if (rc == -EAGAIN)
			return 0;
		if (rc < 0) {
			OB_ERROR(OBI_LOG, "%s: sending a queued frame failed: %s", c->name,
				 nn_strerror(-rc));
			return rc;
		}
		sendq_pop(q);
	}
	return 0;
}

int obi_send_env(struct ob_conn *c, const Ob__Envelope *env, enum obi_send_mode mode)
{
	struct obi_frame f;
	size_t len;
	int rc;

	if (!obi_usable(c))
		return -ENOTCONN;
	if (!env || env->body_case == OB__ENVELOPE__BODY__NOT_SET)
		return -EINVAL;
	len = ob__envelope__get_packed_size(env);
	if (len > c->opts.max_message) {
		OB_WARN(OBI_LOG, "%s: not sending a %zu-byte frame: the limit is %u bytes",
			c->name, len, c->opts.max_message);
		return -EMSGSIZE;
	}
	if ((c->sendq.len > 0 || !obi_auth_can_send(c)) && mode == OBI_SEND_DROPPABLE)
		return -EAGAIN;
	if (c->sendq.len >= c->sendq.max)
		return -ENOBUFS;

	f.len = len;
	f.msg = nn_allocmsg(len, 0);
	if (!f.msg)
		return -ENOMEM;
	ob__envelope__pack(env, f.msg);

	if (c->sendq.len == 0 && obi_auth_can_send(c)) {
		rc = try_send(c, &f);
		if (rc == 0)
			return 0;
		/* A frame the lane took in part must follow, droppable or not. */
		if (rc != -EAGAIN || (mode == OBI_SEND_DROPPABLE && c->lane.head_sent == 0))
			goto out;
	}
	rc = sendq_push(&c->sendq, f.msg, len);
	if (rc == 0)
		return 0;
	if (c->lane.head_sent > 0)
		obi_lane_drop(c, "cut off in the middle of a frame");
out:
	nn_freemsg(f.msg);
	return rc;
}
