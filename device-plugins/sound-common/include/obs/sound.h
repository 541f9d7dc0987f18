/*
 * The sound plugin: the five sound-domain handlers of proto/sound.proto
 * over an obs_stream (obs/stream.h), and the plugin hooks that keep the
 * stream moving as the device plays. A backend writes a sink
 * (struct obs_sink_ops), creates the stream in its init with
 * obs_complete_call, and fills its struct ob_plugin like this:
 *
 *     .handlers = obs_handlers, .n_handlers = OBS_N_HANDLERS,
 *     .timeout = obs_plugin_timeout, .process = obs_plugin_process,
 *     .fini = obs_plugin_fini,
 *
 * with ctx = the struct obs_stream *.
 *
 * Every handler queues its call on the stream and returns OB_DEFER; the
 * stream completes the call (perhaps before the handler returns) when its
 * turn has come and the device took it: that is how sound_write blocks.
 * Checks that need no stream state answer at once: sound_open with a rate
 * or channel count out of range and sound_write whose len differs from the
 * buffer's are EINVAL; a beep out of range is logged as a guest error and
 * dropped (the posted call finishes EINVAL).
 */
#ifndef OBS_SOUND_H
#define OBS_SOUND_H

#include "obs/format.h"
#include "obs/stream.h"
#include "outboard/plugin.h"
#include "sound.pb-c.h"

#define OBS_N_HANDLERS 5
extern const struct ob_handler obs_handlers[OBS_N_HANDLERS];

/* The obs_complete_fn of a stream behind obs_handlers: token is the
 * handler's ob_call, completed with ob_call_complete. */
void obs_complete_call(void *token, int status);

/* struct ob_plugin hooks; ctx is the struct obs_stream *. fini destroys it
 * (NULL from a failed init is fine). */
int obs_plugin_timeout(void *ctx);
void obs_plugin_process(void *ctx, ob_plugin_ctx *p);
void obs_plugin_fini(void *ctx);

#endif /* OBS_SOUND_H */
