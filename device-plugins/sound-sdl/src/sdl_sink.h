/*
 * The SDL sink: the sound stream played through SDL2's audio, with
 * SDL_QueueAudio (no callback of ours runs on SDL's audio thread).
 *
 * start opens the default output device at exactly the stream's format
 * (S16LE, rate, channels; SDL converts if the hardware differs) and
 * unpauses it; stop closes it, so the sound card is free while no stream
 * or beep plays. queued() is SDL's queue plus an estimate of the device
 * buffer SDL last filled from it: once the queue runs empty, that buffer
 * still needs one buffer period to play, and a drain or close waits for it.
 *
 * The device is chosen by SDL (SDL_AUDIODRIVER picks the driver; "dummy"
 * consumes audio in real time without a sound card, for headless runs).
 */
#ifndef OBSS_SDL_SINK_H
#define OBSS_SDL_SINK_H

#include <stdint.h>

#include "obs/stream.h"

#define OBSS_LOG "sound-sdl"

struct obss_sink;

/*
 * Initialise SDL's audio and check that an output device opens (it is
 * closed again until a stream needs it). 0, or -ENODEV with the reason
 * logged (no driver, no device), or -ENOMEM.
 */
int obss_sink_create(struct obss_sink **out);

/* The sink operations; the sink argument is the struct obss_sink *.
 * destroy also shuts SDL's audio down. */
extern const struct obs_sink_ops obss_sink_ops;

/* The device buffer SDL gave the current start, in frames (0 before). */
uint32_t obss_sink_buffer_frames(const struct obss_sink *s);

#endif /* OBSS_SDL_SINK_H */
