/* Stream format limits and conversions (obs/format.h). */
#include "obs/format.h"

#include <errno.h>

int obs_format_check(uint32_t rate, uint32_t channels)
{
	if (rate < OBS_RATE_MIN || rate > OBS_RATE_MAX)
		return -EINVAL;
	if (channels < 1 || channels > OBS_CHANNELS_MAX)
		return -EINVAL;
	return 0;
}

int obs_beep_check(uint32_t freq_hz, uint32_t ms)
{
	if (freq_hz < OBS_BEEP_FREQ_MIN || freq_hz > OBS_BEEP_FREQ_MAX)
		return -EINVAL;
	if (ms < OBS_BEEP_MS_MIN || ms > OBS_BEEP_MS_MAX)
		return -EINVAL;
	return 0;
}

struct obs_format obs_beep_format(void)
{
	return (struct obs_format){ .rate = OBS_BEEP_RATE, .channels = OBS_BEEP_CHANNELS };
}

uint64_t obs_ms_to_frames(const struct obs_format *f, uint32_t ms)
{
	return (uint64_t)f->rate * ms / 1000u;
}

uint64_t obs_buffer_bytes(const struct obs_format *f)
{
	uint64_t frames = obs_ms_to_frames(f, OBS_BUFFER_MS);

	return (frames ? frames : 1) * obs_frame_bytes(f);
}
