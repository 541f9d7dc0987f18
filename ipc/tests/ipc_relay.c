/* A recording man in the middle: see ipc_relay.h. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <nanomsg/nn.h>
#include <nanomsg/pair.h>

#include "ipc_relay.h"
#include "ipc_test_util.h"

void relay_start(struct relay *r, const char *front_url, const char *back_url)
{
	int timeout = TU_WAIT_MS;

	memset(r, 0, sizeof(*r));
	r->front = tu_raw_bind(front_url);
	r->back = tu_raw_dial(back_url);
	/* Blocking sends with a bound: a relay does not queue. */
	assert_int_equal(nn_setsockopt(r->front, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout,
				       sizeof(timeout)), 0);
	assert_int_equal(nn_setsockopt(r->back, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout,
				       sizeof(timeout)), 0);
}

void relay_stop(struct relay *r)
{
	if (r->front >= 0)
		tu_raw_close(r->front);
	if (r->back >= 0)
		tu_raw_close(r->back);
	r->front = r->back = -1;
	for (int i = 0; i < r->n; i++)
		free(r->frames[i].data);
	r->n = 0;
}

void relay_inject(struct relay *r, bool to_listener, const void *data, size_t len)
{
	int rc = nn_send(to_listener ? r->back : r->front, data, len, 0);

	assert_int_equal(rc, (int)len);
}

static void record(struct relay *r, const void *data, size_t len, bool to_listener, bool held)
{
	struct relay_frame *f;

	assert_true(r->n < RELAY_MAX_FRAMES);
	f = &r->frames[r->n++];
	f->data = malloc(len ? len : 1);
	assert_non_null(f->data);
	memcpy(f->data, data, len);
	f->len = len;
	f->to_listener = to_listener;
	f->held = held;
}

/* Move every frame waiting on from to the other side. */
static void forward(struct relay *r, int from, bool to_listener)
{
	for (;;) {
		void *buf;
		int n = nn_recv(from, &buf, NN_MSG, NN_DONTWAIT);
		bool held;

		if (n < 0) {
			assert_int_equal(errno, EAGAIN);
			return;
		}
		held = to_listener && r->hold_to_listener;
		record(r, buf, (size_t)n, to_listener, held);
		if (!held)
			relay_inject(r, to_listener, buf, (size_t)n);
		nn_freemsg(buf);
	}
}

void relay_pump(struct relay *r)
{
	forward(r, r->front, true);
	forward(r, r->back, false);
}

static int relay_fds(const struct relay *r, struct pollfd *pfds)
{
	int socks[2] = { r->front, r->back }, n = 0;

	for (int i = 0; i < 2; i++) {
		size_t len = sizeof(int);
		int fd;

		assert_int_equal(nn_getsockopt(socks[i], NN_SOL_SOCKET, NN_RCVFD, &fd, &len), 0);
		pfds[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
	}
	return n;
}

bool relay_run(struct relay *r, ob_conn *a, ob_conn *b, bool (*cond)(void *arg), void *arg,
	       int timeout_ms)
{
	int64_t end = ob_now_ms() + timeout_ms;
	ob_conn *conns[2] = { a, b };

	for (;;) {
		struct pollfd pfds[8];
		int n, wait = 10;

		for (int i = 0; i < 2; i++)
			if (conns[i])
				assert_true(ob_conn_process(conns[i]) >= 0);
		relay_pump(r);
		if (cond && cond(arg))
			return true;
		if (ob_now_ms() >= end)
			return cond == NULL;
		n = relay_fds(r, pfds);
		for (int i = 0; i < 2; i++) {
			int t;

			if (!conns[i])
				continue;
			t = ob_conn_timeout(conns[i]);
			if (t >= 0 && t < wait)
				wait = t;
			n += ob_conn_pollfds(conns[i], pfds + n, 8 - n);
		}
		poll(pfds, (nfds_t)n, wait);
	}
}

const struct relay_frame *relay_find(const struct relay *r, bool to_listener, char type, int i)
{
	for (int k = 0; k < r->n; k++) {
		const struct relay_frame *f = &r->frames[k];

		if (f->to_listener != to_listener || f->len < 4 || memcmp(f->data, "OBA", 3) ||
		    f->data[3] != (uint8_t)type)
			continue;
		if (i-- == 0)
			return f;
	}
	return NULL;
}
