/* The square-wave tone generator (obs/tone.h). */
#include "obs/tone.h"

#include <errno.h>

int obs_tone_init(struct obs_tone *t, uint32_t freq_hz, uint32_t ms, int16_t amplitude,
		  const struct obs_format *fmt)
{
	if (obs_beep_check(freq_hz, ms) || obs_format_check(fmt->rate, fmt->channels))
		return -EINVAL;
	*t = (struct obs_tone){
		.fmt = *fmt,
		.freq_hz = freq_hz,
		.amplitude = amplitude,
		.frames = obs_ms_to_frames(fmt, ms),
		.next = 0,
	};
	return 0;
}

int16_t obs_tone_sample(const struct obs_tone *t, uint64_t n)
{
	/* n < 10 s * 192 kHz and freq <= 20 kHz: 2 * n * freq < 2^37. */
	uint64_t half_periods = 2u * n * t->freq_hz / t->fmt.rate;

	return (half_periods & 1u) ? (int16_t)-t->amplitude : t->amplitude;
}

size_t obs_tone_render(struct obs_tone *t, uint8_t *out, size_t max_frames)
{
	uint64_t left = obs_tone_left(t);
	size_t frames = left < max_frames ? (size_t)left : max_frames;

	for (size_t i = 0; i < frames; i++) {
		uint16_t v = (uint16_t)obs_tone_sample(t, t->next + i);

		for (uint32_t c = 0; c < t->fmt.channels; c++) {
			*out++ = (uint8_t)(v & 0xffu);
			*out++ = (uint8_t)(v >> 8);
		}
	}
	t->next += frames;
	return frames;
}
