/*
 * The sound stream every backend shares: the guest's calls in arrival
 * order, the stream state (open, format), and flow control over a device
 * that a backend provides as a small sink (struct obs_sink_ops).
 *
 * Order. Every accepted call becomes an operation on one FIFO, and the
 * operations run strictly in order: a write waits behind the writes and
 * beeps before it, a drain answers once everything before it has played, a
 * close drains first. So the stream state a call is judged against
 * (open or not, the format) is the state after everything queued before it,
 * exactly as if the calls had run one by one. Argument checks that do not
 * depend on that state (rate and channels in range, a beep's frequency and
 * length) answer at once, without queueing.
 *
 * Flow control. A sink reports how many bytes it has queued and not yet
 * played. Data goes to the sink only while that stays within
 * OBS_BUFFER_MS of audio; the rest of a write waits on the FIFO, and the
 * write's call completes when its last byte went to the sink. So a write
 * blocks (the plugin defers its reply) while the device is full, and a
 * guest thread writing faster than real time is paced by the device.
 * Beeps are rendered chunk by chunk under the same limit.
 *
 * The device. The stream starts the sink at a format when a stream opens
 * or a beep needs one; it changes the sink's format only once the sink is
 * idle (queued 0), after stopping it, so audio of one format never plays
 * at another. A close stops the sink after draining it.
 *
 * Calls. Each operation carries an opaque token (for the plugin, its
 * ob_call). The stream completes each token exactly once, through the
 * complete function given at creation, with 0 or a positive errno:
 *   open   EINVAL (range, at once), EBUSY (open with other parameters), or
 *          the sink's start error
 *   write  EBADF (no stream open), EINVAL (not whole frames), or the
 *          sink's error
 *   drain  0 once everything before it has played (also with no stream
 *          open: it then waits for beeps)
 *   close  EBADF (no stream open)
 *   beep   EINVAL (range, at once), or the sink's error
 *   any    ECANCELED when the stream is destroyed first
 * A function that returns a negated errno did not queue anything and never
 * completes that token; one that returns 0 has queued it, and may already
 * have completed it before returning.
 *
 * Threading: single-threaded, like the plugin SDK.
 */
#ifndef OBS_STREAM_H
#define OBS_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "obs/format.h"

/*
 * A device. `sink` is the backend's own state. Lifecycle: start and stop
 * alternate (start, then stop or destroy); push and queued come between a
 * start and its stop; queued and flush may be called at any time after a
 * start. The stream never calls start or stop while queued() > 0.
 * Errors are negated errno values.
 */
struct obs_sink_ops {
	size_t size; /* sizeof(struct obs_sink_ops) */
	/* Play S16LE frames of format f from now on. 0 or -errno. */
	int (*start)(void *sink, const struct obs_format *f);
	/* Nothing more at this format for now (the device is idle). */
	void (*stop)(void *sink);
	/* Bytes pushed and not yet played; 0 for a device that takes data at
	 * once, whatever it has been given. */
	size_t (*queued)(void *sink);
	/* Take len bytes (whole frames of the started format); the caller keeps
	 * data. 0 or -errno. */
	int (*push)(void *sink, const void *data, size_t len);
	/* Everything pushed has played: make it durable (a file's header).
	 * 0 or -errno. May be NULL. */
	int (*flush)(void *sink);
	/* Free the sink, started or not, finishing what it holds. NULL-safe. */
	void (*destroy)(void *sink);
};

/* How the stream completes a call's token: status 0 or a positive errno. */
typedef void (*obs_complete_fn)(void *token, int status);

struct obs_stream;

/*
 * A stream over sink. On success (0) the stream owns sink and destroys it
 * with ops->destroy; on failure (-ENOMEM, -EINVAL for an ops table without
 * start, stop, queued or push) the caller still owns it. ops must outlive
 * the stream.
 */
int obs_stream_create(const struct obs_sink_ops *ops, void *sink, obs_complete_fn complete,
		      struct obs_stream **out);

/* Complete every queued call with ECANCELED, destroy the sink, free s.
 * NULL is fine. */
void obs_stream_destroy(struct obs_stream *s);

/* The calls (see the table above). 0 when queued, else -EINVAL or -ENOMEM. */
int obs_stream_open(struct obs_stream *s, void *token, uint32_t rate, uint32_t channels);
/* data (len bytes) must stay valid until token completes. */
int obs_stream_write(struct obs_stream *s, void *token, const void *data, size_t len);
int obs_stream_drain(struct obs_stream *s, void *token);
int obs_stream_close(struct obs_stream *s, void *token);
int obs_stream_beep(struct obs_stream *s, void *token, uint32_t freq_hz, uint32_t ms);

/* Run the queue as far as the device allows, completing what finishes.
 * The plugin calls it whenever the sink may have played something. */
void obs_stream_pump(struct obs_stream *s);

/*
 * Milliseconds until the queue may move on by itself (the device will have
 * played enough for the next chunk, or for a drain), for the plugin loop's
 * timeout: -1 when nothing waits on the device, 0 when it can move now,
 * else OBS_POLL_MIN_MS..OBS_POLL_MAX_MS. The floor keeps the loop from
 * waking every millisecond while a device (SDL) takes data in chunks; with
 * 200 ms buffered, 5 ms late is harmless.
 */
#define OBS_POLL_MIN_MS 5
#define OBS_POLL_MAX_MS 50
int obs_stream_timeout_ms(struct obs_stream *s);

/* Calls queued and not yet completed. */
size_t obs_stream_pending(const struct obs_stream *s);

#endif /* OBS_STREAM_H */
