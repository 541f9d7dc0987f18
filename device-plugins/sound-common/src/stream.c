/*
 * The sound stream: the FIFO of calls, the stream state and flow control
 * over a sink (obs/stream.h).
 *
 * obs_stream_pump runs the operation at the head of the FIFO with one
 * step_* function each. A step returns 0 or a positive errno when the
 * operation is finished (the pump completes its token and moves on), or
 * BLOCKED when it must wait for the device, after saying in s->wait what
 * for. Nothing else ever completes a token, except destroy.
 */
#include "obs/stream.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "obs/tone.h"
#include "outboard/log.h"

#define BLOCKED (-1)

/* Frames of a beep rendered per push. */
#define TONE_CHUNK_FRAMES 2048u

enum op_kind { OP_OPEN, OP_WRITE, OP_BEEP, OP_DRAIN, OP_CLOSE };

struct op {
	enum op_kind kind;
	void *token;
	struct op *next;
	union {
		struct obs_format open;
		struct {
			const uint8_t *data;
			size_t len, done;
		} write;
		struct {
			uint32_t freq_hz, ms;
			bool started;      /* tone below is initialised */
			struct obs_tone tone;
		} beep;
	} u;
};

enum wait_for {
	WAIT_NONE,
	WAIT_ROOM, /* the device is full: wait until one frame fits */
	WAIT_IDLE, /* wait until the device has played everything */
};

struct obs_stream {
	const struct obs_sink_ops *ops;
	void *sink;
	obs_complete_fn complete;

	/* The guest's stream, as of the operation at the head of the FIFO. */
	bool open;
	struct obs_format fmt;

	/* The device. */
	bool started;
	struct obs_format dev_fmt;

	struct op *head, *tail;
	size_t pending;
	enum wait_for wait;
	bool pumping;
	uint8_t chunk[TONE_CHUNK_FRAMES * 2u * OBS_CHANNELS_MAX];
};

static const char *op_name(enum op_kind k)
{
	static const char *const names[] = {
		[OP_OPEN] = "sound_open", [OP_WRITE] = "sound_write", [OP_BEEP] = "sound_beep",
		[OP_DRAIN] = "sound_drain", [OP_CLOSE] = "sound_close",
	};
	return names[k];
}

int obs_stream_create(const struct obs_sink_ops *ops, void *sink, obs_complete_fn complete,
		      struct obs_stream **out)
{
	struct obs_stream *s;

	if (!ops || ops->size < sizeof(*ops) || !ops->start || !ops->stop || !ops->queued ||
	    !ops->push || !complete)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ops = ops;
	s->sink = sink;
	s->complete = complete;
	*out = s;
	return 0;
}

/* Take the head operation off the FIFO; the caller completes and frees it. */
static struct op *pop_head(struct obs_stream *s)
{
	struct op *op = s->head;

	s->head = op->next;
	if (!s->head)
		s->tail = NULL;
	s->pending--;
	return op;
}

void obs_stream_destroy(struct obs_stream *s)
{
	if (!s)
		return;
	/* A call a completion queues now is cancelled by this same loop. */
	s->pumping = true;
	while (s->head) {
		struct op *op = pop_head(s);

		s->complete(op->token, ECANCELED);
		free(op);
	}
	if (s->ops->destroy)
		s->ops->destroy(s->sink);
	free(s);
}

size_t obs_stream_pending(const struct obs_stream *s)
{
	return s->pending;
}

/* ---- the device ------------------------------------------------------ */

static size_t device_queued(struct obs_stream *s)
{
	return s->started ? s->ops->queued(s->sink) : 0;
}

/* Bytes that fit on the device now, in whole frames. */
static size_t device_room(struct obs_stream *s)
{
	uint64_t limit = obs_buffer_bytes(&s->dev_fmt);
	size_t queued = device_queued(s);
	uint64_t room = queued < limit ? limit - queued : 0;

	return (size_t)(room - room % obs_frame_bytes(&s->dev_fmt));
}

/* Make the device play format f: 0, BLOCKED until it is idle, or errno. */
static int device_use(struct obs_stream *s, const struct obs_format *f)
{
	int err;

	if (s->started && obs_format_equal(&s->dev_fmt, f))
		return 0;
	if (s->started) {
		if (device_queued(s) > 0) {
			s->wait = WAIT_IDLE;
			return BLOCKED;
		}
		s->ops->stop(s->sink);
		s->started = false;
	}
	err = s->ops->start(s->sink, f);
	if (err < 0) {
		OB_ERROR(OBS_LOG, "the device refused %u Hz, %u channel(s): %s", f->rate,
			 f->channels, strerror(-err));
		return -err;
	}
	s->started = true;
	s->dev_fmt = *f;
	return 0;
}

/* Wait until the device has played everything: 0 or BLOCKED. */
static int device_idle(struct obs_stream *s)
{
	if (device_queued(s) > 0) {
		s->wait = WAIT_IDLE;
		return BLOCKED;
	}
	return 0;
}

static int device_push(struct obs_stream *s, const void *data, size_t len)
{
	int err = s->ops->push(s->sink, data, len);

	if (err < 0) {
		OB_ERROR(OBS_LOG, "the device did not take %zu bytes: %s", len, strerror(-err));
		return -err;
	}
	return 0;
}

/* ---- one step per operation ------------------------------------------ */

static int step_open(struct obs_stream *s, struct op *op)
{
	int err;

	if (s->open) {
		if (obs_format_equal(&s->fmt, &op->u.open))
			return 0;
		OB_GUEST_ERROR(OBS_LOG, "sound_open(%u, %u): the stream is open at %u Hz, %u "
			       "channel(s); close it first", op->u.open.rate, op->u.open.channels,
			       s->fmt.rate, s->fmt.channels);
		return EBUSY;
	}
	err = device_use(s, &op->u.open);
	if (err)
		return err;
	s->open = true;
	s->fmt = op->u.open;
	return 0;
}

static int step_write(struct obs_stream *s, struct op *op)
{
	size_t room, n;
	int err;

	if (!s->open) {
		OB_GUEST_ERROR(OBS_LOG, "sound_write before sound_open");
		return EBADF;
	}
	if (op->u.write.len % obs_frame_bytes(&s->fmt)) {
		OB_GUEST_ERROR(OBS_LOG, "sound_write of %zu bytes: not whole %u-byte frames",
			       op->u.write.len, obs_frame_bytes(&s->fmt));
		return EINVAL;
	}
	err = device_use(s, &s->fmt);
	if (err)
		return err;
	while (op->u.write.done < op->u.write.len) {
		room = device_room(s);
		if (!room) {
			s->wait = WAIT_ROOM;
			return BLOCKED;
		}
		n = op->u.write.len - op->u.write.done;
		n = n < room ? n : room;
		err = device_push(s, op->u.write.data + op->u.write.done, n);
		if (err)
			return err;
		op->u.write.done += n;
	}
	return 0;
}

static int step_beep(struct obs_stream *s, struct op *op)
{
	struct obs_format f = s->open ? s->fmt : obs_beep_format();
	struct obs_tone *t = &op->u.beep.tone;
	int err = device_use(s, &f);

	if (err)
		return err;
	if (!op->u.beep.started) {
		/* The arguments were checked when the beep was queued. */
		if (obs_tone_init(t, op->u.beep.freq_hz, op->u.beep.ms, OBS_BEEP_AMPLITUDE, &f))
			return EINVAL;
		op->u.beep.started = true;
	}
	while (obs_tone_left(t) > 0) {
		size_t room = device_room(s) / obs_frame_bytes(&f), frames;

		if (!room) {
			s->wait = WAIT_ROOM;
			return BLOCKED;
		}
		frames = obs_tone_render(t, s->chunk, room < TONE_CHUNK_FRAMES ? room
									: TONE_CHUNK_FRAMES);
		err = device_push(s, s->chunk, frames * obs_frame_bytes(&f));
		if (err)
			return err;
	}
	return 0;
}

static int step_drain(struct obs_stream *s)
{
	int err;

	if (device_idle(s))
		return BLOCKED;
	if (s->started && s->ops->flush) {
		err = s->ops->flush(s->sink);
		if (err < 0) {
			OB_ERROR(OBS_LOG, "the device could not finish its output: %s",
				 strerror(-err));
			return -err;
		}
	}
	return 0;
}

static int step_close(struct obs_stream *s)
{
	if (!s->open) {
		OB_GUEST_ERROR(OBS_LOG, "sound_close with no stream open");
		return EBADF;
	}
	if (device_idle(s))
		return BLOCKED;
	if (s->started) {
		s->ops->stop(s->sink);
		s->started = false;
	}
	s->open = false;
	return 0;
}

static int step(struct obs_stream *s, struct op *op)
{
	switch (op->kind) {
	case OP_OPEN:
		return step_open(s, op);
	case OP_WRITE:
		return step_write(s, op);
	case OP_BEEP:
		return step_beep(s, op);
	case OP_DRAIN:
		return step_drain(s);
	case OP_CLOSE:
		return step_close(s);
	}
	return EINVAL;
}

void obs_stream_pump(struct obs_stream *s)
{
	/* A complete function that calls back in is served by the outer loop. */
	if (s->pumping)
		return;
	s->pumping = true;
	s->wait = WAIT_NONE;
	while (s->head) {
		struct op *op = s->head;
		int status = step(s, op);

		if (status == BLOCKED)
			break;
		pop_head(s);
		if (status)
			OB_DEBUG(OBS_LOG, "%s: %s", op_name(op->kind), strerror(status));
		s->complete(op->token, status);
		free(op);
	}
	s->pumping = false;
}

int obs_stream_timeout_ms(struct obs_stream *s)
{
	uint64_t rate = obs_byte_rate(&s->dev_fmt), queued, need, ms;

	if (s->wait == WAIT_NONE || !s->started)
		return -1;
	queued = device_queued(s);
	if (s->wait == WAIT_ROOM) {
		uint64_t fits = obs_buffer_bytes(&s->dev_fmt) - obs_frame_bytes(&s->dev_fmt);

		need = queued > fits ? queued - fits : 0;
	} else {
		need = queued;
	}
	if (!need)
		return 0;
	ms = (need * 1000u + rate - 1) / rate;
	if (ms < OBS_POLL_MIN_MS)
		return OBS_POLL_MIN_MS;
	return ms < OBS_POLL_MAX_MS ? (int)ms : OBS_POLL_MAX_MS;
}

/* ---- queueing ---------------------------------------------------------- */

/* A new operation, not yet on the FIFO. 0 or -ENOMEM. */
static int op_new(enum op_kind kind, void *token, struct op **out)
{
	struct op *op = calloc(1, sizeof(*op));

	if (!op) {
		OB_ERROR(OBS_LOG, "%s: out of memory", op_name(kind));
		return -ENOMEM;
	}
	op->kind = kind;
	op->token = token;
	*out = op;
	return 0;
}

/* Put a filled op on the FIFO and run it if it can. */
static int submit(struct obs_stream *s, struct op *op)
{
	if (s->tail)
		s->tail->next = op;
	else
		s->head = op;
	s->tail = op;
	s->pending++;
	obs_stream_pump(s);
	return 0;
}

int obs_stream_open(struct obs_stream *s, void *token, uint32_t rate, uint32_t channels)
{
	struct op *op;
	int err;

	if (obs_format_check(rate, channels)) {
		OB_GUEST_ERROR(OBS_LOG, "sound_open(%u, %u): the rate must be %u..%u Hz and "
			       "channels 1 or 2", rate, channels, OBS_RATE_MIN, OBS_RATE_MAX);
		return -EINVAL;
	}
	err = op_new(OP_OPEN, token, &op);
	if (err)
		return err;
	op->u.open = (struct obs_format){ .rate = rate, .channels = channels };
	return submit(s, op);
}

int obs_stream_write(struct obs_stream *s, void *token, const void *data, size_t len)
{
	struct op *op;
	int err = op_new(OP_WRITE, token, &op);

	if (err)
		return err;
	op->u.write.data = data;
	op->u.write.len = len;
	return submit(s, op);
}

int obs_stream_drain(struct obs_stream *s, void *token)
{
	struct op *op;
	int err = op_new(OP_DRAIN, token, &op);

	return err ? err : submit(s, op);
}

int obs_stream_close(struct obs_stream *s, void *token)
{
	struct op *op;
	int err = op_new(OP_CLOSE, token, &op);

	return err ? err : submit(s, op);
}

int obs_stream_beep(struct obs_stream *s, void *token, uint32_t freq_hz, uint32_t ms)
{
	struct op *op;
	int err;

	if (obs_beep_check(freq_hz, ms)) {
		OB_GUEST_ERROR(OBS_LOG, "sound_beep(%u Hz, %u ms) ignored: the tone must be "
			       "%u..%u Hz and last %u..%u ms", freq_hz, ms, OBS_BEEP_FREQ_MIN,
			       OBS_BEEP_FREQ_MAX, OBS_BEEP_MS_MIN, OBS_BEEP_MS_MAX);
		return -EINVAL;
	}
	err = op_new(OP_BEEP, token, &op);
	if (err)
		return err;
	op->u.beep.freq_hz = freq_hz;
	op->u.beep.ms = ms;
	return submit(s, op);
}
