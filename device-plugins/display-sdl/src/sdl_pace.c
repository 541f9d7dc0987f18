/* Frame pacing (see sdl_pace.h). */
#include "sdl_pace.h"

#include <time.h>

#define NS_PER_S 1000000000
#define NS_PER_MS 1000000

void obds_pace_init(struct obds_pace *p, int refresh_hz, int64_t now_ns)
{
	if (refresh_hz < 24 || refresh_hz > 240)
		refresh_hz = 60;
	p->t0_ns = now_ns;
	p->period_ns = NS_PER_S / refresh_hz;
	p->last_ns = now_ns;
}

int64_t obds_pace_next(struct obds_pace *p, int64_t now_ns)
{
	int64_t due = p->last_ns + p->period_ns;

	if (due < now_ns) {
		/* Late: the first grid tick at or after now. */
		int64_t k = (now_ns - p->t0_ns + p->period_ns - 1) / p->period_ns;

		due = p->t0_ns + k * p->period_ns;
	}
	p->last_ns = due;
	return due;
}

int obds_pace_ms_until(int64_t due_ns, int64_t now_ns)
{
	int64_t left = due_ns - now_ns;

	if (left <= 0)
		return 0;
	return (int)((left + NS_PER_MS - 1) / NS_PER_MS);
}

int64_t obds_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}
