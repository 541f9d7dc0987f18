/* The SDL sink (sdl_sink.h). */
#include "sdl_sink.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include <SDL.h>

#include "outboard/log.h"

#define NS_PER_S 1000000000LL

struct obss_sink {
	SDL_AudioDeviceID dev;    /* 0 when closed */
	struct obs_format fmt;
	uint32_t buffer_frames;   /* the device buffer SDL chose */
	/* The device buffer's tail: after the queue was last seen with data,
	 * the buffer SDL filled from it plays until tail_end_ns. */
	bool tail_pending;        /* data was queued since the queue was last empty */
	int64_t tail_end_ns;
};

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

/* A device buffer of about 20 ms: SDL wants a power of two of frames. */
static uint16_t buffer_frames_for(uint32_t rate)
{
	uint32_t want = rate / 50, n = 256;

	while (n < want && n < 8192)
		n *= 2;
	return (uint16_t)n;
}

static SDL_AudioDeviceID open_device(const struct obs_format *f, SDL_AudioSpec *have)
{
	SDL_AudioSpec want;

	SDL_zero(want);
	want.freq = (int)f->rate;
	want.format = AUDIO_S16LSB;
	want.channels = (Uint8)f->channels;
	want.samples = buffer_frames_for(f->rate);
	want.callback = NULL; /* SDL_QueueAudio */
	/* No allowed changes: SDL converts to whatever the hardware takes. */
	return SDL_OpenAudioDevice(NULL, 0, &want, have, 0);
}

int obss_sink_create(struct obss_sink **out)
{
	const struct obs_format probe = obs_beep_format();
	const char *driver;
	SDL_AudioSpec have;
	struct obss_sink *s;
	SDL_AudioDeviceID dev;

	/* The plugin SDK reads SIGINT and SIGTERM from a signalfd. */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) < 0) {
		OB_ERROR(OBSS_LOG, "no audio driver: %s (set SDL_AUDIODRIVER=dummy to run "
			 "without a sound card, or use the wav or null backend)", SDL_GetError());
		return -ENODEV;
	}
	driver = SDL_GetCurrentAudioDriver();
	dev = open_device(&probe, &have);
	if (!dev) {
		OB_ERROR(OBSS_LOG, "no audio device opens with driver %s: %s (set "
			 "SDL_AUDIODRIVER=dummy to run without a sound card, or use the wav or "
			 "null backend)", driver ? driver : "(none)", SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		return -ENODEV;
	}
	SDL_CloseAudioDevice(dev);
	s = calloc(1, sizeof(*s));
	if (!s) {
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		return -ENOMEM;
	}
	OB_INFO(OBSS_LOG, "audio driver %s", driver ? driver : "(unknown)");
	*out = s;
	return 0;
}

uint32_t obss_sink_buffer_frames(const struct obss_sink *s)
{
	return s->buffer_frames;
}

static int sdl_start(void *sink, const struct obs_format *f)
{
	struct obss_sink *s = sink;
	SDL_AudioSpec have;

	s->dev = open_device(f, &have);
	if (!s->dev) {
		OB_ERROR(OBSS_LOG, "cannot open the audio device at %u Hz, %u channel(s): %s",
			 f->rate, f->channels, SDL_GetError());
		return -ENODEV;
	}
	s->fmt = *f;
	s->buffer_frames = have.samples;
	s->tail_pending = false;
	s->tail_end_ns = 0;
	SDL_PauseAudioDevice(s->dev, 0);
	return 0;
}

static void sdl_stop(void *sink)
{
	struct obss_sink *s = sink;

	if (s->dev)
		SDL_CloseAudioDevice(s->dev);
	s->dev = 0;
}

static size_t sdl_queued(void *sink)
{
	struct obss_sink *s = sink;
	uint32_t bytes_per_frame = obs_frame_bytes(&s->fmt);
	int64_t now, left;
	Uint32 q;

	if (!s->dev)
		return 0;
	q = SDL_GetQueuedAudioSize(s->dev);
	if (q > 0)
		return q;
	now = monotonic_ns();
	if (s->tail_pending) {
		/* First time seen empty: the last buffer has only just been filled. */
		s->tail_pending = false;
		s->tail_end_ns = now + (int64_t)s->buffer_frames * NS_PER_S / s->fmt.rate;
	}
	left = s->tail_end_ns - now;
	if (left <= 0)
		return 0;
	/* Whole frames, rounded up, so that "not done" never reads as 0. */
	return (size_t)(((uint64_t)left * s->fmt.rate + NS_PER_S - 1) / NS_PER_S) *
	       bytes_per_frame;
}

static int sdl_push(void *sink, const void *data, size_t len)
{
	struct obss_sink *s = sink;

	if (!s->dev)
		return -EBADF;
	if (SDL_QueueAudio(s->dev, data, (Uint32)len) < 0) {
		OB_ERROR(OBSS_LOG, "SDL_QueueAudio: %s", SDL_GetError());
		return -EIO;
	}
	s->tail_pending = true;
	return 0;
}

static void sdl_destroy(void *sink)
{
	struct obss_sink *s = sink;

	if (!s)
		return;
	sdl_stop(s);
	free(s);
	SDL_QuitSubSystem(SDL_INIT_AUDIO);
	SDL_Quit();
}

const struct obs_sink_ops obss_sink_ops = {
	.size = sizeof(struct obs_sink_ops),
	.start = sdl_start,
	.stop = sdl_stop,
	.queued = sdl_queued,
	.push = sdl_push,
	.flush = NULL,
	.destroy = sdl_destroy,
};
