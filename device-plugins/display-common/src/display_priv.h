/*
 * Private to display-common: the display object's fields, shared by
 * display.c (lifecycle, events) and handlers.c (the calls).
 */
#ifndef OBD_DISPLAY_PRIV_H
#define OBD_DISPLAY_PRIV_H

#include "obd/display.h"

/* Events waiting for the loop; presents answer one at a time, so a handful
 * is plenty. */
#define OBD_EVENT_QUEUE 16u

struct obd_event {
	bool expose;      /* else a vsync */
	uint64_t frame;   /* vsync */
	uint64_t time_ns; /* vsync */
};

struct obd_display {
	struct obd_fb fb;
	struct obd_font *font;
	const struct obd_sink *sink; /* NULL until attached */
	void *sink_ctx;              /* owned */
	uint64_t frame;              /* number of the last presented frame */
	uint64_t last_request_id;    /* 0 until a host has sent a request */
	unsigned guest_errors;       /* rate limit for guest mistakes in the log */

	struct obd_event events[OBD_EVENT_QUEUE];
	unsigned head, n_events;
	uint64_t events_dropped;  /* by a full queue, over the plugin's life */
};

/* Queue the vsync of frame, stamped now. */
void obd_display_queue_vsync(struct obd_display *d, uint64_t frame);

#endif /* OBD_DISPLAY_PRIV_H */
