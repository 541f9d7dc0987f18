/*
 * --stdin-frames (test only): the plugin serves frames read from a file
 * descriptor instead of a nanomsg endpoint, and writes what it sends to
 * another, so that a fuzzer (AFL-style: one input file per run) or a test
 * with a captured session drives the real dispatcher, as libvfio-user's
 * tran_pipe does. plugin.h gives the format and the exit statuses.
 *
 * Both directions use the same framing (outboard/framing.h, the request
 * lane's): a 4-byte little-endian length, then that many bytes of a packed
 * Envelope. Incoming frames go through
 * ob_plugin_dispatch_frame, exactly like a fuzzer's or the connection's;
 * outgoing ones are written whole, in order, with blocking writes.
 *
 * Ownership: the source owns its input buffer; every outgoing envelope is
 * borrowed for the duration of the write.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outboard/framing.h"
#include "sdk.h"

#define OBP_READ_CHUNK (64u << 10)
/* After end of input, how long deferred calls may take to finish. */
#define OBP_STDIN_DRAIN_MS 1000

struct obp_stdin {
	ob_plugin_ctx *p;
	int in, out;
	uint8_t *buf;          /* bytes read and not yet dispatched */
	size_t len, cap;
	bool eof;
	int64_t drain_until;   /* set at end of input */
	int error;             /* the first fatal error (negated errno) */
};

static void fail(struct obp_stdin *s, int err)
{
	if (!s->error)
		s->error = err;
}

/* --------------------------------------------------------------- output */

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return -errno;
			continue;
		}
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Frame and write one envelope. -EMSGSIZE as the connection would, for
 * an envelope larger than the largest frame; a write error is fatal. */
static int write_envelope(struct obp_stdin *s, const Ob__Envelope *env)
{
	size_t len = ob__envelope__get_packed_size(env);
	uint8_t *frame;
	int err;

	if (s->error)
		return s->error;
	if (len > s->p->max_message)
		return -EMSGSIZE;
	frame = malloc(OB_FRAME_HEADER + len);
	if (!frame)
		return -ENOMEM;
	ob_frame_put_len(frame, (uint32_t)len);
	ob__envelope__pack(env, frame + OB_FRAME_HEADER);
	err = write_all(s->out, frame, OB_FRAME_HEADER + len);
	free(frame);
	if (err) {
		OB_ERROR(OBP_LOG, "--stdin-frames: cannot write to stdout: %s", strerror(-err));
		fail(s, err);
	}
	return err;
}

/* The envelope's body pointers are only read by pack. */
static Ob__Reply *wire_reply(const Ob__Reply *r)
{
	union {
		const Ob__Reply *in;
		Ob__Reply *out;
	} u = { .in = r };

	return u.out;
}

static Ob__Event *wire_event(const Ob__Event *e)
{
	union {
		const Ob__Event *in;
		Ob__Event *out;
	} u = { .in = e };

	return u.out;
}

static int tx_reply(void *arg, const Ob__Reply *reply)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;

	env.body_case = OB__ENVELOPE__BODY_REPLY;
	env.reply = wire_reply(reply);
	return write_envelope(arg, &env);
}

static int tx_event(void *arg, const Ob__Event *ev)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;

	env.body_case = OB__ENVELOPE__BODY_EVENT;
	env.event = wire_event(ev);
	return write_envelope(arg, &env);
}

static int tx_send(void *arg, const Ob__Envelope *env)
{
	return write_envelope(arg, env);
}

/* ---------------------------------------------------------------- input */

/* Read what is there (one chunk, so timers are never starved). */
static int read_some(struct obp_stdin *s)
{
	ssize_t n;

	if (s->cap - s->len < OBP_READ_CHUNK) {
		size_t cap = s->len + OBP_READ_CHUNK;
		uint8_t *b = realloc(s->buf, cap);

		if (!b)
			return -ENOMEM;
		s->buf = b;
		s->cap = cap;
	}
	do
		n = read(s->in, s->buf + s->len, OBP_READ_CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0) {
		OB_ERROR(OBP_LOG, "--stdin-frames: cannot read stdin: %s", strerror(errno));
		return -errno;
	}
	if (n == 0) {
		s->eof = true;
		s->drain_until = ob_now_ms() + OBP_STDIN_DRAIN_MS;
	}
	s->len += (size_t)n;
	return 0;
}

/* Dispatch every whole frame in the buffer. -EMSGSIZE for a length past
 * the largest frame: the stream cannot be followed after it. */
static int dispatch_frames(struct obp_stdin *s)
{
	ob_plugin_ctx *p = s->p;
	size_t at = 0;
	int err = 0;
	const uint8_t *frame;
	uint32_t n;

	while (!p->stop && (err = ob_frame_next(s->buf, s->len, &at, p->max_message, &frame,
						&n)) > 0)
		/* Errors are counted and logged by the dispatcher; go on. */
		ob_plugin_dispatch_frame(p, frame, n);
	if (err < 0) {
		OB_ERROR(OBP_LOG, "--stdin-frames: a frame of %u bytes at input offset "
			 "%zu+; the largest is %u: stopping", n, at, p->max_message);
		p->count.dropped++;
	} else {
		err = 0;
	}
	memmove(s->buf, s->buf + at, s->len - at);
	s->len -= at;
	return err;
}

static int source_pollfds(void *arg, struct pollfd *pfds, int n)
{
	struct obp_stdin *s = arg;

	if (s->eof || n < 1)
		return 0;
	pfds[0] = (struct pollfd){ .fd = s->in, .events = POLLIN };
	return 1;
}

static int source_timeout(void *arg)
{
	struct obp_stdin *s = arg;
	int64_t left;

	if (!s->eof)
		return -1;
	if (!s->p->deferred)
		return 0;
	left = s->drain_until - ob_now_ms();
	return left <= 0 ? 0 : (int)left;
}

/* At end of input: drop a frame it cut short, and stop once no call is
 * deferred any more or the drain time is up. */
static void at_end(struct obp_stdin *s)
{
	ob_plugin_ctx *p = s->p;

	if (s->len) {
		OB_WARN(OBP_LOG, "--stdin-frames: input ends inside a frame (%zu bytes dropped)",
			s->len);
		p->count.dropped++;
		s->len = 0;
	}
	if (!p->deferred || ob_now_ms() >= s->drain_until) {
		if (p->deferred)
			OB_WARN(OBP_LOG, "--stdin-frames: calls still deferred at the end are "
				"answered ECANCELED");
		p->stop = true;
	}
}

static int source_process(void *arg)
{
	struct obp_stdin *s = arg;
	int err = 0;

	if (!s->eof && !s->p->stop)
		err = read_some(s);
	if (!err)
		err = dispatch_frames(s);
	if (!err && s->eof && !s->p->stop)
		at_end(s);
	if (!err)
		err = s->error;
	return err;
}

int obp_stdin_open(ob_plugin_ctx *p, int in_fd, int out_fd, struct obp_stdin **out,
		   struct obp_source *src)
{
	struct obp_stdin *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->p = p;
	s->in = in_fd;
	s->out = out_fd;
	p->tx = (struct obp_transport){
		.reply = tx_reply,
		.event = tx_event,
		.send = tx_send,
		.arg = s,
	};
	*src = (struct obp_source){
		.pollfds = source_pollfds,
		.timeout = source_timeout,
		.process = source_process,
		.arg = s,
	};
	*out = s;
	return 0;
}

void obp_stdin_close(struct obp_stdin *s)
{
	if (!s)
		return;
	free(s->buf);
	free(s);
}
