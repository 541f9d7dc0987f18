/*
 * The sound domain's stream format and the limits every backend applies
 * alike (proto/sound.proto): S16LE frames, 8000..192000 Hz, 1 or 2
 * channels; beeps of 20..20000 Hz lasting 1..10000 ms, rendered at the
 * stream's format, or at 44100 Hz mono when no stream is open.
 *
 * Names: obs_ is private to the sound plugins (sound-common and the
 * backends built on it).
 */
#ifndef OBS_FORMAT_H
#define OBS_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#define OBS_RATE_MIN 8000u
#define OBS_RATE_MAX 192000u
#define OBS_CHANNELS_MAX 2u

/* The format of a beep when no stream is open. */
#define OBS_BEEP_RATE 44100u
#define OBS_BEEP_CHANNELS 1u

#define OBS_BEEP_FREQ_MIN 20u
#define OBS_BEEP_FREQ_MAX 20000u
#define OBS_BEEP_MS_MIN 1u
#define OBS_BEEP_MS_MAX 10000u
/* Peak of the square wave: loud enough to hear, a quarter of full scale. */
#define OBS_BEEP_AMPLITUDE 8000

/* Flow control: a write waits while more than this much audio is queued
 * on the device and not yet played. */
#define OBS_BUFFER_MS 200u

/* Log category shared by the sound plugins' common layer. */
#define OBS_LOG "sound"

/* One stream format. Samples are always signed 16-bit little-endian. */
struct obs_format {
	uint32_t rate;     /* frames per second */
	uint32_t channels; /* 1 or 2; stereo frames are left, right */
};

/* 0 when rate and channels are within the limits above, else -EINVAL. */
int obs_format_check(uint32_t rate, uint32_t channels);

/* 0 when a beep's frequency and length are within the limits, else -EINVAL. */
int obs_beep_check(uint32_t freq_hz, uint32_t ms);

/* The format a beep plays at when no stream is open. */
struct obs_format obs_beep_format(void);

static inline uint32_t obs_frame_bytes(const struct obs_format *f)
{
	return 2u * f->channels;
}

static inline uint64_t obs_byte_rate(const struct obs_format *f)
{
	return (uint64_t)f->rate * obs_frame_bytes(f);
}

static inline bool obs_format_equal(const struct obs_format *a, const struct obs_format *b)
{
	return a->rate == b->rate && a->channels == b->channels;
}

/* Frames in ms milliseconds at f's rate, rounded down. */
uint64_t obs_ms_to_frames(const struct obs_format *f, uint32_t ms);

/* The flow-control high-water mark at f: OBS_BUFFER_MS of audio, in bytes,
 * a whole number of frames and at least one. */
uint64_t obs_buffer_bytes(const struct obs_format *f);

#endif /* OBS_FORMAT_H */
