/*
 * The display object (see obd/display.h): screen, font, sink, frame
 * counter, and the queue of events waiting for the plugin loop.
 */
#include "display_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int obd_display_create(const char *screen, const char *font_path, struct obd_display **out)
{
	struct obd_display *d;
	unsigned w = OBD_SCREEN_DEFAULT_W, h = OBD_SCREEN_DEFAULT_H;
	char why[160];
	int err;

	*out = NULL;
	if (screen && obd_parse_screen(screen, &w, &h, why, sizeof(why)) != 0) {
		OB_ERROR(OBD_LOG, "--screen: %s", why);
		return -EINVAL;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	err = obd_fb_init(&d->fb, w, h);
	if (err)
		goto fail;
	err = obd_font_load(font_path ? font_path : OBD_FONT_PATH, &d->font);
	if (err)
		goto fail;
	OB_INFO(OBD_LOG, "screen %ux%u, font %ux%u", w, h, d->font->cell_w, d->font->cell_h);
	*out = d;
	return 0;
fail:
	obd_display_destroy(d);
	return err;
}

int obd_display_from_plugin(const ob_plugin_ctx *p, struct obd_display **out)
{
	return obd_display_create(ob_plugin_opt(p, "screen"), ob_plugin_opt(p, "font"), out);
}

void obd_display_attach(struct obd_display *d, const struct obd_sink *sink, void *sink_ctx)
{
	d->sink = sink;
	d->sink_ctx = sink_ctx;
}

void obd_display_destroy(struct obd_display *d)
{
	if (!d)
		return;
	if (d->sink && d->sink->destroy && d->sink_ctx)
		d->sink->destroy(d->sink_ctx);
	obd_font_free(d->font);
	obd_fb_fini(&d->fb);
	free(d);
}

struct obd_fb *obd_display_fb(struct obd_display *d)
{
	return &d->fb;
}

const struct obd_font *obd_display_font(const struct obd_display *d)
{
	return d->font;
}

void *obd_display_sink_ctx(const struct obd_display *d)
{
	return d->sink_ctx;
}

uint64_t obd_display_frames(const struct obd_display *d)
{
	return d->frame;
}

/* ------------------------------------------------------------ events */

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void queue(struct obd_display *d, const struct obd_event *ev)
{
	if (d->n_events == OBD_EVENT_QUEUE) {
		/* Nobody has run the loop for 16 events: the oldest is stale.
		 * Said for the 1st, 10th, 100th... drop, not for each. */
		uint64_t n = ++d->events_dropped;
		while (n % 10 == 0)
			n /= 10;
		if (n == 1)
			OB_DEBUG(OBD_LOG, "event queue full; dropping the oldest (%llu dropped so far)",
				 (unsigned long long)d->events_dropped);
		d->head = (d->head + 1) % OBD_EVENT_QUEUE;
		d->n_events--;
	}
	d->events[(d->head + d->n_events) % OBD_EVENT_QUEUE] = *ev;
	d->n_events++;
}

void obd_display_expose(struct obd_display *d)
{
	queue(d, &(struct obd_event){ .expose = true });
}

void obd_display_queue_vsync(struct obd_display *d, uint64_t frame)
{
	queue(d, &(struct obd_event){ .frame = frame, .time_ns = monotonic_ns() });
}

void obd_display_note_call(struct obd_display *d, const ob_call *call)
{
	const Ob__Request *req;

	if (!call || !(req = ob_call_request(call)))
		return;
	if (d->last_request_id == 0 || req->id <= d->last_request_id) {
		OB_DEBUG(OBD_LOG, "a new host (request %llu): expose",
			 (unsigned long long)req->id);
		obd_display_expose(d);
	}
	d->last_request_id = req->id;
}

int obd_display_flush_events(struct obd_display *d, obd_send_fn send, void *arg)
{
	int sent = 0;

	while (d->n_events) {
		const struct obd_event *e = &d->events[d->head];
		Ob__Event ev = OB__EVENT__INIT;
		Ob__DisplayExpose expose = OB__DISPLAY_EXPOSE__INIT;
		Ob__DisplayVsync vsync = OB__DISPLAY_VSYNC__INIT;
		int err;

		if (e->expose) {
			ev.event_case = OB__EVENT__EVENT_EXPOSE;
			ev.expose = &expose;
		} else {
			vsync.frame = e->frame;
			vsync.time_ns = e->time_ns;
			ev.event_case = OB__EVENT__EVENT_VSYNC;
			ev.vsync = &vsync;
		}
		err = send(arg, &ev);
		if (err)
			OB_DEBUG(OBD_LOG, "%s event dropped: %s", e->expose ? "expose" : "vsync",
				 strerror(err < 0 ? -err : err));
		else
			sent++;
		d->head = (d->head + 1) % OBD_EVENT_QUEUE;
		d->n_events--;
	}
	return sent;
}

unsigned obd_display_pending_events(const struct obd_display *d)
{
	return d->n_events;
}

static int plugin_send(void *arg, const Ob__Event *ev)
{
	return ob_plugin_event(arg, ev);
}

void obd_present_complete(struct obd_display *d, ob_call *call, int status)
{
	const Ob__DisplayPresentResult *res = (const void *)ob_call_result(call);
	ob_plugin_ctx *p = ob_call_plugin(call);
	uint64_t frame = res ? (uint64_t)res->ret : 0;

	ob_call_complete(call, status);
	if (status == 0) {
		obd_display_queue_vsync(d, frame);
		obd_display_flush_events(d, plugin_send, p);
	}
}

/* ---------------------------------------------------- plugin callbacks */

int obd_plugin_pollfds(void *ctx, struct pollfd *pfds, int n)
{
	struct obd_display *d = ctx;

	return d->sink && d->sink->pollfds ? d->sink->pollfds(d->sink_ctx, pfds, n) : 0;
}

int obd_plugin_timeout(void *ctx)
{
	struct obd_display *d = ctx;

	if (d->n_events)
		return 0;
	return d->sink && d->sink->timeout ? d->sink->timeout(d->sink_ctx) : -1;
}

void obd_plugin_process(void *ctx, ob_plugin_ctx *p)
{
	struct obd_display *d = ctx;

	if (d->sink && d->sink->process)
		d->sink->process(d->sink_ctx, p);
	obd_display_flush_events(d, plugin_send, p);
}

void obd_plugin_fini(void *ctx)
{
	obd_display_destroy(ctx);
}
