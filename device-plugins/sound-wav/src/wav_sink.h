/*
 * The WAV sink: the sound stream written to a file with libsndfile, 16-bit
 * PCM at the stream's rate and channels.
 *
 * The file is created when the device first starts (the first open or
 * beep), not before: a run without sound leaves no file. Its header holds
 * the real frame count after every drain, close (stop) and at destroy
 * (sf_close); a crash in between leaves a header that counts less than the
 * data, which players and libsndfile still read.
 *
 * One file has one format. When the stream later plays at another format
 * (a beep at 44100 Hz mono, then a stream opened at 48000 Hz stereo), the
 * sink finishes the file and starts the next one: FILE, then FILE with
 * "-2", "-3", ... before its extension (sound.wav, sound-2.wav). Starting
 * again at the format of the current file continues it.
 *
 * Flow control: writing a file never waits, so by default queued() is 0
 * and the guest is never held up. With realtime set, the sink simulates a
 * device that plays at the stream's rate: queued() is what was pushed and
 * has not "played" yet by the wall clock, so the stream paces writes and
 * drains as a sound card would (the file gets each push at once either way).
 */
#ifndef OBSW_WAV_SINK_H
#define OBSW_WAV_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "obs/stream.h"
#include "outboard/plugin.h"

#define OBSW_LOG "sound-wav"

struct obsw_options {
	const char *path;        /* the first file; copied */
	bool realtime;           /* pace at the stream's rate (see above) */
	int64_t (*now_ns)(void); /* monotonic clock for realtime; NULL: CLOCK_MONOTONIC */
	/* A restarted plugin: sound goes on at the end of the last file its
	 * predecessor wrote (when the format is the same), whose header is
	 * mended to cover all of it, instead of truncating it. */
	bool resume;
};

struct obsw_sink;

/*
 * A sink for o. Checks at once that path can be written (creating it and
 * removing it again if it did not exist), so that a bad --out fails at
 * start-up: 0, or a negated errno (the reason is logged: EACCES, ENOENT,
 * EISDIR, ...; -EINVAL for an empty path; -ENOMEM).
 */
int obsw_sink_create(const struct obsw_options *o, struct obsw_sink **out);

/* The sink operations; the sink argument is the struct obsw_sink *. */
extern const struct obs_sink_ops obsw_sink_ops;

/* The file being written ("" before the first start). Valid until the next
 * start or destroy. */
const char *obsw_sink_file(const struct obsw_sink *w);

/* The name of file number n (1 is the path itself), malloc'd; NULL on
 * allocation failure. */
char *obsw_segment_path(const char *path, unsigned n);

/* The plugin (plugin.c): what outboard-sound-wav runs. */
extern const struct ob_plugin obsw_plugin;

#endif /* OBSW_WAV_SINK_H */
