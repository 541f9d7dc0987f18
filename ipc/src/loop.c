/*
 * Poll integration. The owner's event loop polls the fds from
 * ob_conn_pollfds with the timeout from ob_conn_timeout and calls
 * ob_conn_process; nothing here blocks except ob_conn_run and
 * ob_conn_flush, which are that same loop with a time limit.
 *
 * nanomsg's NN_RCVFD and NN_SNDFD are signalling fds: both are polled for
 * POLLIN ("a message can be received" / "a message can be sent"), never
 * POLLOUT, and neither may be read or written.
 */
#include <errno.h>
#include <limits.h>

#include <nanomsg/nn.h>

#include "ipc_impl.h"

/* Frames handled per ob_conn_process, so a peer that never stops sending
 * cannot starve deadlines and heartbeats. The fd stays readable, so the
 * caller's next poll returns at once for the rest. */
#define OBI_RECV_BATCH 1024

/* A stop flag set by another thread cannot wake poll: look at least this
 * often. */
#define OBI_STOP_CHECK_MS 100

int ob_conn_pollfds(ob_conn *c, struct pollfd *pfds, int n)
{
	int k = 0;

	if (!obi_usable(c) || !pfds || n <= 0)
		return 0;
	pfds[k++] = (struct pollfd){.fd = c->rcvfd, .events = POLLIN};
	if (c->lane.fd >= 0) {
		/* The lane sends everything: nanomsg's send fd is not needed. */
		if (k < n)
			pfds[k++] = (struct pollfd){.fd = c->lane.fd,
						    .events = POLLIN | (c->sendq.len ? POLLOUT : 0)};
		return k;
	}
	/* Only while there is something nanomsg could take now: queued
	 * frames wait for a session with a key, and polling for room then
	 * would spin. */
	if (((c->sendq.len > 0 && obi_auth_can_send(c)) || c->auth.pending) && k < n)
		pfds[k++] = (struct pollfd){.fd = c->sndfd, .events = POLLIN};
	return k;
}

static int ms_until(int64_t due, int64_t now)
{
	if (due == INT64_MAX)
		return -1;
	if (due <= now)
		return 0;
	return due - now > INT_MAX ? INT_MAX : (int)(due - now);
}

int ob_conn_timeout(ob_conn *c)
{
	int64_t due, hb;

	if (!obi_usable(c))
		return -1;
	due = c->held ? INT64_MAX : obi_calls_next_deadline(&c->calls);
	hb = obi_hb_next_due(c);
	if (hb < due)
		due = hb;
	hb = obi_auth_next_due(c);
	if (hb < due)
		due = hb;
	return ms_until(due, ob_now_ms());
}

/* Receive up to a batch of frames. Returns how many were dispatched, or a
 * negated errno when the socket itself failed. */
static int receive_batch(struct ob_conn *c)
{
	int dispatched = 0;

	for (int i = 0; i < OBI_RECV_BATCH && obi_usable(c); i++) {
		void *buf;
		int n = nn_recv(c->sock, &buf, NN_MSG, NN_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			OB_ERROR(OBI_LOG, "%s: receive failed: %s", c->name, nn_strerror(errno));
			return -errno;
		}
		dispatched += obi_auth_receive(c, buf, (size_t)n);
		nn_freemsg(buf);
	}
	if (c->lane.fd >= 0 && obi_usable(c))
		dispatched += obi_lane_receive(c, OBI_RECV_BATCH);
	return dispatched;
}

int ob_conn_process(ob_conn *c)
{
	int64_t now;
	int rc, dispatched;

	if (!obi_usable(c))
		return -ENOTCONN;
	rc = obi_auth_flush(c);
	if (rc == 0)
		rc = obi_sendq_flush(c);
	if (rc < 0)
		return rc;
	dispatched = receive_batch(c);
	if (dispatched < 0)
		return dispatched;
	now = ob_now_ms();
	if (!c->held) /* deadlines stand still while held */
		obi_calls_expire(c, now);
	obi_hb_tick(c, now);
	/* Last: it may replace the socket (a listener dropping a peer). */
	obi_auth_tick(c, now);
	if (!obi_usable(c))
		return -ENOTCONN;
	rc = obi_auth_flush(c);
	if (rc == 0)
		rc = obi_sendq_flush(c);
	return rc < 0 ? rc : dispatched;
}

int obi_run_until(struct ob_conn *c, int timeout_ms,
		  bool (*done)(const struct ob_conn *c, const void *arg), const void *arg)
{
	int64_t end = timeout_ms < 0 ? INT64_MAX : ob_now_ms() + timeout_ms;

	for (;;) {
		struct pollfd pfds[OB_CONN_MAX_POLLFDS];
		int64_t now;
		int rc, wait, left, n;

		rc = ob_conn_process(c);
		if (rc < 0)
			return rc;
		if (done && done(c, arg))
			return 0;
		now = ob_now_ms();
		if (now >= end)
			return 0;
		wait = ob_conn_timeout(c);
		left = ms_until(end, now);
		if (wait < 0 || (left >= 0 && left < wait))
			wait = left;
		if (done && (wait < 0 || wait > OBI_STOP_CHECK_MS))
			wait = OBI_STOP_CHECK_MS;
		n = ob_conn_pollfds(c, pfds, OB_CONN_MAX_POLLFDS);
		if (poll(pfds, (nfds_t)n, wait) < 0 && errno != EINTR)
			return -errno;
	}
}

static bool stop_requested(const struct ob_conn *c, const void *arg)
{
	const volatile bool *stop = arg;

	(void)c;
	return *stop;
}

int ob_conn_run(ob_conn *c, int timeout_ms, const volatile bool *stop)
{
	if (!obi_usable(c))
		return -ENOTCONN;
	/* The cast drops volatile only for the void * trip; stop_requested
	 * reads through a volatile pointer again. */
	return obi_run_until(c, timeout_ms, stop ? stop_requested : NULL,
			     (const void *)(uintptr_t)stop);
}

/* A listener's peer was connected and no longer is: no Pong can come.
 * Only a listener can tell: nanomsg keeps the current count of accepted
 * connections, not of a dialer's, and counts nothing for inproc://. */
static bool peer_hung_up(const struct ob_conn *c)
{
	return c->listening && obi_nn_stat(c, NN_STAT_ACCEPTED_CONNECTIONS) > 0 &&
	       obi_nn_stat(c, NN_STAT_CURRENT_CONNECTIONS) == 0;
}

static bool pong_reached(const struct ob_conn *c, const void *arg)
{
	return c->pong_seq >= *(const uint64_t *)arg || peer_hung_up(c);
}

int ob_conn_flush(ob_conn *c, int timeout_ms)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Ping ping = OB__PING__INIT;
	uint64_t seq;
	int rc;

	if (!obi_usable(c))
		return -ENOTCONN;
	seq = ++c->ping_seq;
	ping.seq = seq;
	env.body_case = OB__ENVELOPE__BODY_PING;
	env.ping = &ping;
	/* Queued like any frame, so it travels behind everything sent before. */
	rc = obi_send_env(c, &env, OBI_SEND_QUEUE);
	if (rc < 0)
		return rc;
	rc = obi_run_until(c, timeout_ms, pong_reached, &seq);
	if (rc < 0)
		return rc;
	if (c->pong_seq >= seq)
		return 0;
	return peer_hung_up(c) ? -ECONNRESET : -ETIMEDOUT;
}
