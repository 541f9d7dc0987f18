/*
 * A sink for the stream's tests: it keeps everything pushed, and holds it
 * as "queued" until the test plays it (fake_sink_play), unless instant is
 * set. Errors can be injected per operation. The test owns the struct;
 * destroy only marks it.
 */
#ifndef OBS_FAKE_SINK_H
#define OBS_FAKE_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obs/stream.h"

struct fake_sink {
	bool instant;           /* queued() is always 0 */
	bool started, destroyed;
	struct obs_format fmt;
	size_t queued;
	uint8_t data[1 << 20];  /* everything pushed, in order */
	size_t len;
	int start_err, push_err, flush_err; /* negated errno to return, or 0 */
	char log[512];          /* "start 8000/1;push 3200;flush;stop;" */
};

extern const struct obs_sink_ops fake_sink_ops;

/* The device plays n bytes (at most what is queued). */
void fake_sink_play(struct fake_sink *f, size_t n);

#endif /* OBS_FAKE_SINK_H */
