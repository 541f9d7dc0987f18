/* The test sink (fake_sink.h). */
#include "fake_sink.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void note(struct fake_sink *f, const char *what)
{
	size_t at = strlen(f->log);

	snprintf(f->log + at, sizeof(f->log) - at, "%s;", what);
}

static int fake_start(void *sink, const struct obs_format *fmt)
{
	struct fake_sink *f = sink;
	char what[32];

	snprintf(what, sizeof(what), "start %u/%u", fmt->rate, fmt->channels);
	note(f, what);
	if (f->start_err)
		return f->start_err;
	f->started = true;
	f->fmt = *fmt;
	return 0;
}

static void fake_stop(void *sink)
{
	struct fake_sink *f = sink;

	note(f, "stop");
	f->started = false;
}

static size_t fake_queued(void *sink)
{
	struct fake_sink *f = sink;

	return f->instant ? 0 : f->queued;
}

static int fake_push(void *sink, const void *data, size_t len)
{
	struct fake_sink *f = sink;
	char what[32];

	snprintf(what, sizeof(what), "push %zu", len);
	note(f, what);
	if (f->push_err)
		return f->push_err;
	if (!f->started || len % (2u * f->fmt.channels) || f->len + len > sizeof(f->data))
		return -EPROTO;
	memcpy(f->data + f->len, data, len);
	f->len += len;
	f->queued += len;
	return 0;
}

static int fake_flush(void *sink)
{
	struct fake_sink *f = sink;

	note(f, "flush");
	return f->flush_err;
}

static void fake_destroy(void *sink)
{
	struct fake_sink *f = sink;

	if (f)
		f->destroyed = true;
}

const struct obs_sink_ops fake_sink_ops = {
	.size = sizeof(struct obs_sink_ops),
	.start = fake_start,
	.stop = fake_stop,
	.queued = fake_queued,
	.push = fake_push,
	.flush = fake_flush,
	.destroy = fake_destroy,
};

void fake_sink_play(struct fake_sink *f, size_t n)
{
	f->queued -= n < f->queued ? n : f->queued;
}
