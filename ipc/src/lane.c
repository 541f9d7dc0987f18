/*
 * The request lane (outboard/ipc.h, ob_conn_attach_lane): a connected unix
 * stream socket that carries this connection's frames in place of nanomsg,
 * between two processes of one machine.
 *
 * Why: a nanomsg round trip crosses a worker thread on each side (four
 * thread hand-offs, each a futex wake and usually a context switch), which
 * costs five times a raw unix socket round trip (docs/performance.md,
 * figure 3). On the lane the owner's own thread writes the frame with one
 * system call and the peer's poll wakes on it directly.
 *
 * Wire: outboard/framing.h (a 4-byte length, then the packed envelope,
 * exactly what nanomsg would have carried; lanes are keyless: local peers
 * only), as the plugin SDK's --stdin-frames transport. Writes never block:
 * what the socket takes is gone, and a frame it takes only partly stays at
 * the head of the send queue with head_sent telling how much went, so
 * frames stay whole and in order.
 *
 * Attaching switches sending at once; receiving takes frames from nanomsg
 * and the lane both, since the peer may switch a moment later. A lane that
 * ends (end of file, a reset, a malformed length) is dropped and the
 * connection falls back to nanomsg: a frame only partly written goes again
 * whole over nanomsg (the peer never dispatches a partial frame). What the
 * lane's end means for the peer is left to the heartbeat and the
 * supervisor, exactly as for a nanomsg peer that goes away.
 *
 * Re-entrancy: a frame dispatched from the lane may attach or drop a lane
 * (a Hello answer does). The buffer is never freed then, only emptied, and
 * the receive loop stops at once when the lane's generation changed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <nanomsg/nn.h>

#include "ipc_impl.h"
#include "outboard/framing.h"

#define LANE_FIRST_BUF (64u << 10)

void obi_lane_init(struct obi_lane *ln)
{
	memset(ln, 0, sizeof(*ln));
	ln->fd = -1;
}

static void lane_close(struct ob_conn *c)
{
	struct obi_lane *ln = &c->lane;

	if (ln->fd >= 0)
		close(ln->fd);
	ln->fd = -1;
	ln->rlen = 0;
	ln->head_sent = 0;
	ln->quiet = false;
	ln->gen++;
}

void obi_lane_fini(struct ob_conn *c)
{
	lane_close(c);
	free(c->lane.rbuf);
	c->lane.rbuf = NULL;
	c->lane.rcap = 0;
}

void obi_lane_drop(struct ob_conn *c, const char *why)
{
	if (c->lane.fd < 0)
		return;
	/* After a Goodbye the lane's end is only the peer leaving. */
	ob_log(c->left ? OB_LOG_DEBUG : OB_LOG_INFO, OBI_LOG,
	       "%s: request lane %s: frames go through nanomsg", c->name, why);
	lane_close(c);
	c->st.lane_drops++;
}

int ob_conn_attach_lane(ob_conn *c, int fd)
{
	if (fd < 0)
		return -EBADF;
	if (!ob_conn_lane_possible(c)) {
		close(fd); /* lanes are for keyless local peers only */
		return !obi_usable(c) ? -ENOTCONN : -EPERM;
	}
	lane_close(c);
	c->lane.fd = fd;
	OB_DEBUG(OBI_LOG, "%s: frames go through a request lane", c->name);
	return 0;
}

void ob_conn_detach_lane(ob_conn *c)
{
	if (c && c->lane.fd >= 0) {
		lane_close(c);
		OB_DEBUG(OBI_LOG, "%s: request lane closed: frames go through nanomsg", c->name);
	}
}

int ob_conn_lane_fd(const ob_conn *c)
{
	return c ? c->lane.fd : -1;
}

void ob_conn_lane_quiet(ob_conn *c)
{
	if (c)
		c->lane.quiet = true;
}

bool ob_conn_lane_possible(const ob_conn *c)
{
	return obi_usable(c) && c->auth.state == OBI_AUTH_OFF;
}

bool ob_conn_has_lane(const ob_conn *c)
{
	return c && c->lane.fd >= 0;
}

int obi_lane_write(struct ob_conn *c, const struct obi_frame *f)
{
	struct obi_lane *ln = &c->lane;
	uint8_t hdr[OB_FRAME_HEADER];

	ob_frame_put_len(hdr, (uint32_t)f->len);
	while (ln->head_sent < OB_FRAME_HEADER + f->len) {
		struct iovec iov[2];
		int n_iov = 0;
		size_t done = ln->head_sent;

		if (done < OB_FRAME_HEADER)
			iov[n_iov++] = (struct iovec){ hdr + done, OB_FRAME_HEADER - done };
		size_t body = done > OB_FRAME_HEADER ? done - OB_FRAME_HEADER : 0;
		iov[n_iov++] = (struct iovec){ (uint8_t *)f->msg + body, f->len - body };
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)n_iov };
		ssize_t n = sendmsg(ln->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return -EAGAIN;
			obi_lane_drop(c, errno == EPIPE || errno == ECONNRESET ?
					 "closed by the peer" : "failed");
			return -ECONNRESET;
		}
		ln->head_sent += (size_t)n;
	}
	ln->head_sent = 0;
	c->st.sent++;
	c->st.lane_sent++;
	c->last_tx = ob_now_ms();
	return 0;
}

/* Room for at least want bytes in the receive buffer. 0 or -ENOMEM. */
static int reserve(struct obi_lane *ln, size_t want)
{
	size_t cap = ln->rcap ? ln->rcap : LANE_FIRST_BUF;
	uint8_t *buf;

	if (want <= ln->rcap)
		return 0;
	while (cap < want)
		cap *= 2;
	buf = realloc(ln->rbuf, cap);
	if (!buf)
		return -ENOMEM;
	ln->rbuf = buf;
	ln->rcap = cap;
	return 0;
}

/* Dispatch every whole frame in the buffer. The number dispatched, or -1
 * when the lane changed under a dispatch (stop: the buffer is not ours). */
static int dispatch_whole(struct ob_conn *c, uint64_t gen)
{
	struct obi_lane *ln = &c->lane;
	size_t at = 0;
	int dispatched = 0, rc;
	const uint8_t *frame;
	uint32_t len;

	while ((rc = ob_frame_next(ln->rbuf, ln->rlen, &at, c->opts.max_message, &frame,
				   &len)) > 0) {
		c->st.lane_received++;
		dispatched += obi_auth_receive(c, frame, len);
		if (ln->gen != gen || !obi_usable(c))
			return -1;
	}
	if (rc < 0) {
		obi_drop(c, "a %u-byte frame on the request lane (limit %u)", len,
			 c->opts.max_message);
		obi_lane_drop(c, "sent an oversized frame");
		return -1;
	}
	memmove(ln->rbuf, ln->rbuf + at, ln->rlen - at);
	ln->rlen -= at;
	return dispatched;
}

int obi_lane_receive(struct ob_conn *c, int budget)
{
	struct obi_lane *ln = &c->lane;
	uint64_t gen = ln->gen;
	int dispatched = 0;

	if (ln->quiet) { /* the owner's poll found nothing a moment ago */
		ln->quiet = false;
		return 0;
	}
	while (ln->fd >= 0 && ln->gen == gen && dispatched < budget) {
		size_t want = ln->rlen + 1;

		if (ln->rlen >= OB_FRAME_HEADER)
			want = OB_FRAME_HEADER + (size_t)ob_frame_get_len(ln->rbuf);
		if (want < ln->rlen + 4096)
			want = ln->rlen + 4096;
		if (want > (size_t)c->opts.max_message + OB_FRAME_HEADER + 4096)
			want = (size_t)c->opts.max_message + OB_FRAME_HEADER + 4096;
		if (reserve(ln, want) < 0) {
			obi_lane_drop(c, "ran out of memory");
			break;
		}
		ssize_t n = recv(ln->fd, ln->rbuf + ln->rlen, ln->rcap - ln->rlen, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			obi_lane_drop(c, n == 0 ? "closed by the peer" : "failed");
			break;
		}
		ln->rlen += (size_t)n;
		bool drained = ln->rlen < ln->rcap; /* took less than there was room for */
		int k = dispatch_whole(c, gen);
		if (k < 0)
			break;
		dispatched += k;
		/* A short read emptied the socket: asking again would only say
		 * EAGAIN, a system call per frame for nothing. What arrives
		 * meanwhile makes the next poll return. */
		if (drained)
			break;
	}
	return dispatched;
}
