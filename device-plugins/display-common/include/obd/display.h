/*
 * display-common: the display domain once, for every backend.
 *
 * A backend (png, null, sdl) is a sink: a few function pointers that get
 * each presented frame, mGBA style. Everything else is here: the
 * framebuffer and font, the handlers of every display call, the --screen
 * and --font options, the frame counter, and the display's events
 * (expose when a host starts talking to us, vsync after each present).
 *
 *     static const struct obd_sink sink = { .size = sizeof(sink), .frame = png_frame, ... };
 *     static int png_init(ob_plugin_ctx *p, void **ctx) {
 *             struct obd_display *d;
 *             int err = obd_display_from_plugin(p, &d);   // --screen, --font
 *             ...create the backend's state, then:
 *             obd_display_attach(d, &sink, state);
 *             *ctx = d;
 *     }
 *     plugin: .handlers = obd_handlers, .n_handlers = OBD_N_HANDLERS,
 *             .pollfds = obd_plugin_pollfds, .timeout = obd_plugin_timeout,
 *             .process = obd_plugin_process, .fini = obd_plugin_fini
 *
 * The plugin ctx of every handler and callback is the struct obd_display.
 *
 * Events. Expose: the first request from a host (request ids start again
 * at 1 for every new host connection, so an id that does not grow marks a
 * new host) queues Event{expose}: its screen is fresh. Vsync: every present
 * answered with status 0 queues Event{vsync{frame, time_ns}} (time_ns:
 * CLOCK_MONOTONIC at the answer), sent after the reply; the host drops
 * vsyncs unless the guest asked for them. Queued events go out from the
 * plugin's process callback (obd_plugin_timeout returns 0 while any wait);
 * an event for a host that is not connected is dropped.
 *
 * Names: obd_ for display-common, used by the display backends.
 */
#ifndef OBD_DISPLAY_H
#define OBD_DISPLAY_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obd/font.h"
#include "obd/framebuffer.h"
#include "outboard/plugin.h"

#define OBD_LOG "display"

struct obd_display;

/*
 * What a backend implements. Only size and frame are required; the rest
 * may be NULL. ctx is the sink_ctx given to obd_display_attach.
 *
 * frame: frame number `frame` (from 1) was presented: xrgb is the w x h
 *        framebuffer, borrowed for the duration of the call (copy what you
 *        keep: drawing continues into it). Return 0 to answer the present
 *        now, a positive errno to fail it (the frame number is then
 *        reused), or OB_DEFER to answer later with obd_present_complete
 *        (pacing); call identifies the present for that.
 * pollfds/timeout/process: the backend's share of the plugin's poll loop,
 *        as in struct ob_plugin (process runs whenever the display's does).
 * destroy: free ctx; called once, by obd_display_destroy (never with a
 *        NULL ctx).
 */
struct obd_sink {
	size_t size; /* sizeof(struct obd_sink) */
	int (*frame)(void *ctx, const uint32_t *xrgb, unsigned w, unsigned h, uint64_t frame,
		     ob_call *call);
	int (*pollfds)(void *ctx, struct pollfd *pfds, int n);
	int (*timeout)(void *ctx);
	void (*process)(void *ctx, ob_plugin_ctx *p);
	void (*destroy)(void *ctx);
};

/* The options every display backend takes: list them in its option table
 * (OBD_OPTIONS among its own, before the NULL terminator). */
#define OBD_OPTIONS                                                                    \
	{ .name = "screen", .has_arg = true, .arg_name = "WxH",                        \
	  .help = "screen size, 16x16 to 2048x2048 (default 320x240)" },               \
	{ .name = "font", .has_arg = true, .arg_name = "FILE",                         \
	  .help = "bitmap font for display_draw_text (default " OBD_FONT_PATH ": "    \
		  OBD_FONT_DESCRIPTION ")" }

/*
 * Create a display: a screen of `screen` ("WxH"; NULL for 320x240) and the
 * font at font_path (NULL for OBD_FONT_PATH). Returns 0 and *out, or a
 * negated errno after logging why (-EINVAL bad size or font, -ENOENT no
 * font file, -ENOMEM). No sink yet: presents fail with ENODEV until
 * obd_display_attach.
 */
int obd_display_create(const char *screen, const char *font_path, struct obd_display **out);
/* The same with --screen and --font from the plugin's command line. */
int obd_display_from_plugin(const ob_plugin_ctx *p, struct obd_display **out);
/* Give the display its sink; sink is not copied (use static storage), and
 * sink_ctx is owned by the display from now on (sink->destroy frees it). */
void obd_display_attach(struct obd_display *d, const struct obd_sink *sink, void *sink_ctx);
/* Free the display and its sink's ctx. Accepts NULL. Deferred presents
 * must be finished or abandoned to the SDK (which cancels them) first. */
void obd_display_destroy(struct obd_display *d);

struct obd_fb *obd_display_fb(struct obd_display *d);
const struct obd_font *obd_display_font(const struct obd_display *d);
void *obd_display_sink_ctx(const struct obd_display *d);
/* Frames presented so far (the number of the last one). */
uint64_t obd_display_frames(const struct obd_display *d);

/* Queue Event{expose} (a backend whose screen was lost: a window
 * uncovered). */
void obd_display_expose(struct obd_display *d);
/* Every request passes here first, a backend's own handlers' too (the
 * SDL display's input_configure): a request id that does not grow means a
 * new host, which gets an expose. call may be NULL (tests). */
void obd_display_note_call(struct obd_display *d, const ob_call *call);

/* Answer a present whose sink returned OB_DEFER (status 0 or a positive
 * errno), queue its vsync and send the queued events. call is finished
 * and must not be used afterwards. */
void obd_present_complete(struct obd_display *d, ob_call *call, int status);

/* Send the queued events with send (ob_plugin_event in a plugin); an event
 * send refuses is dropped and logged at debug level. Returns how many were
 * sent. */
typedef int (*obd_send_fn)(void *arg, const Ob__Event *ev);
int obd_display_flush_events(struct obd_display *d, obd_send_fn send, void *arg);
/* Events waiting to be sent. */
unsigned obd_display_pending_events(const struct obd_display *d);

/* The display call handlers (ctx: struct obd_display *). A backend that
 * serves more than display lists OBD_HANDLER_ENTRIES in its own table. */
int obd_handle_info(void *ctx, ob_call *call, const ProtobufCMessage *args,
		    ProtobufCMessage *result);
int obd_handle_clear(void *ctx, ob_call *call, const ProtobufCMessage *args,
		     ProtobufCMessage *result);
int obd_handle_fill_rect(void *ctx, ob_call *call, const ProtobufCMessage *args,
			 ProtobufCMessage *result);
int obd_handle_draw_line(void *ctx, ob_call *call, const ProtobufCMessage *args,
			 ProtobufCMessage *result);
int obd_handle_draw_rect(void *ctx, ob_call *call, const ProtobufCMessage *args,
			 ProtobufCMessage *result);
int obd_handle_draw_text(void *ctx, ob_call *call, const ProtobufCMessage *args,
			 ProtobufCMessage *result);
int obd_handle_blit(void *ctx, ob_call *call, const ProtobufCMessage *args,
		    ProtobufCMessage *result);
int obd_handle_present(void *ctx, ob_call *call, const ProtobufCMessage *args,
		       ProtobufCMessage *result);

#define OBD_HANDLER_ENTRIES                                                            \
	{ OB__REQUEST__CALL_DISPLAY_INFO, obd_handle_info },                           \
	{ OB__REQUEST__CALL_DISPLAY_CLEAR, obd_handle_clear },                         \
	{ OB__REQUEST__CALL_DISPLAY_FILL_RECT, obd_handle_fill_rect },                 \
	{ OB__REQUEST__CALL_DISPLAY_DRAW_LINE, obd_handle_draw_line },                 \
	{ OB__REQUEST__CALL_DISPLAY_DRAW_RECT, obd_handle_draw_rect },                 \
	{ OB__REQUEST__CALL_DISPLAY_DRAW_TEXT, obd_handle_draw_text },                 \
	{ OB__REQUEST__CALL_DISPLAY_BLIT, obd_handle_blit },                           \
	{ OB__REQUEST__CALL_DISPLAY_PRESENT, obd_handle_present }
#define OBD_N_HANDLERS 8u
extern const struct ob_handler obd_handlers[OBD_N_HANDLERS];

/* The ob_plugin callbacks of a display backend (ctx: struct obd_display *):
 * the sink's own hooks plus the display's event queue. fini destroys the
 * display (NULL is fine). */
int obd_plugin_pollfds(void *ctx, struct pollfd *pfds, int n);
int obd_plugin_timeout(void *ctx);
void obd_plugin_process(void *ctx, ob_plugin_ctx *p);
void obd_plugin_fini(void *ctx);

#endif /* OBD_DISPLAY_H */
