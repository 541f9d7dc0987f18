/*
 * Frame pacing for display-sdl: when to answer a present. Refresh ticks
 * lie on a fixed grid (t0 + k * period). Each present is answered at a
 * tick of its own: one period after the previous answer, or, when the
 * guest is late for that, at the first tick of the grid not in the past.
 * Pure arithmetic on nanosecond times, so it is tested without a clock.
 */
#ifndef OBDS_SDL_PACE_H
#define OBDS_SDL_PACE_H

#include <stdint.h>

struct obds_pace {
	int64_t t0_ns;     /* a tick of the grid */
	int64_t period_ns; /* > 0 */
	int64_t last_ns;   /* the tick the last present was given */
};

/* A grid of refresh_hz (values outside 24..240, including 0 for unknown,
 * mean 60) with a tick at now_ns. */
void obds_pace_init(struct obds_pace *p, int refresh_hz, int64_t now_ns);
/* The tick at which to answer a present that arrives at now_ns. */
int64_t obds_pace_next(struct obds_pace *p, int64_t now_ns);
/* CLOCK_MONOTONIC in ns: the clock every time here is on. */
int64_t obds_now_ns(void);
/* ms from now_ns until due_ns, rounded up, 0 if past. */
int obds_pace_ms_until(int64_t due_ns, int64_t now_ns);

#endif /* OBDS_SDL_PACE_H */
