/*
 * The buzzer: a square wave of 50% duty cycle, rendered on demand in
 * chunks, so that a 10-second beep never needs a 10-second buffer.
 *
 * Frame n (counting from the start of the tone) is +amplitude when
 * floor(2 * n * freq / rate) is even and -amplitude when it is odd: the
 * wave starts high, and its half-period boundaries fall on exact integer
 * arithmetic, so a tone is the same on every backend and host. Every
 * channel of a frame carries the same value.
 */
#ifndef OBS_TONE_H
#define OBS_TONE_H

#include <stddef.h>
#include <stdint.h>

#include "obs/format.h"

struct obs_tone {
	struct obs_format fmt;
	uint32_t freq_hz;
	int16_t amplitude;
	uint64_t frames;   /* the tone's length */
	uint64_t next;     /* the next frame to render */
};

/*
 * A tone of freq_hz lasting ms milliseconds (rounded down to whole frames)
 * at format fmt, with peak amplitude. 0, or -EINVAL when obs_beep_check or
 * obs_format_check refuses the values (t is then left alone).
 */
int obs_tone_init(struct obs_tone *t, uint32_t freq_hz, uint32_t ms, int16_t amplitude,
		  const struct obs_format *fmt);

/* The value of frame n of the tone (any n, rendered or not). */
int16_t obs_tone_sample(const struct obs_tone *t, uint64_t n);

/*
 * Render up to max_frames of what remains as S16LE bytes into out (room for
 * max_frames * obs_frame_bytes(&t->fmt) bytes). Returns the frames
 * rendered: 0 once the tone is over.
 */
size_t obs_tone_render(struct obs_tone *t, uint8_t *out, size_t max_frames);

/* Frames not yet rendered. */
static inline uint64_t obs_tone_left(const struct obs_tone *t)
{
	return t->frames - t->next;
}

#endif /* OBS_TONE_H */
