/*
 * The display call handlers (see obd/display.h): each unpacks its message
 * and calls one primitive. Drawing calls are posted, so their status only
 * reaches the log (and the SDK's error count); a guest mistake is logged
 * at the guest level, rate-limited, since a buggy game repeats it every
 * frame.
 */
#include "display_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Guest mistakes logged at the guest level before the rest go to debug. */
#define GUEST_ERROR_LIMIT 16

__attribute__((format(printf, 2, 3))) static void guest_error(struct obd_display *d,
							       const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ob_log(d->guest_errors++ < GUEST_ERROR_LIMIT ? OB_LOG_GUEST : OB_LOG_DEBUG, OBD_LOG, "%s",
	       msg);
}

int obd_handle_info(void *ctx, ob_call *call, const ProtobufCMessage *args,
		    ProtobufCMessage *result)
{
	struct obd_display *d = ctx;
	Ob__DisplayInfoResult *res = (Ob__DisplayInfoResult *)result;
	Ob__DisplayMode *mode;

	(void)args;
	obd_display_note_call(d, call);
	mode = malloc(sizeof(*mode)); /* the SDK frees result and what it points to */
	if (!mode)
		return ENOMEM;
	ob__display_mode__init(mode);
	mode->width = d->fb.w;
	mode->height = d->fb.h;
	mode->format = OB__PIXEL_FORMAT__PIXEL_FORMAT_XRGB8888;
	mode->font_width = d->font->cell_w;
	mode->font_height = d->font->cell_h;
	res->info = mode;
	return 0;
}

int obd_handle_clear(void *ctx, ob_call *call, const ProtobufCMessage *args,
		     ProtobufCMessage *result)
{
	struct obd_display *d = ctx;
	const Ob__DisplayClear *a = (const Ob__DisplayClear *)args;

	(void)result;
	obd_display_note_call(d, call);
	obd_fb_clear(&d->fb, a->color);
	return 0;
}

int obd_handle_fill_rect(void *ctx, ob_call *call, const ProtobufCMessage *args,
			 ProtobufCMessage *result)
{
	struct obd_display *d = ctx;
	const Ob__DisplayFillRect *a = (const Ob__DisplayFillRect *)args;

	(void)result;
	obd_display_note_call(d, call);
	obd_fb_fill_rect(&d->fb, a->x, a->y, a->w, a->h, a->color);
	return 0;
}

int obd_handle_draw_line(void *ctx, ob_call *call, const ProtobufCMessage *args,
			 ProtobufCMessage *result)
{
	struct obd_display *d = ctx;
	const Ob__DisplayDrawLine *a = (const Ob__DisplayDrawLine *)args;

	(void)result;
	obd_display_note_call(d, call);
	obd_fb_draw_line(&d->fb, a->x0, a->y0, a->x1, a->y1, a->color);
	return 0;
}

int obd_handle_draw_rect(void *ctx, ob_call *call, const ProtobufCMessage *args,
			 ProtobufCMessage *result)
{
	struct obd_display *d = ctx;
	const Ob__DisplayDrawRect *a = (const Ob__DisplayDrawRect *)args;

	(void)result;
	obd_display_note_call(d, call);
	obd_fb_draw_rect(&d->fb, a->x, a->y, a->w, a->h, a->color);
	return 0;
}

int obd_handle_draw_text(void *ctx, ob_call *call, const ProtobufCMessage *args,
			 ProtobufCMessage *result)
{
	struct obd_display *d = ctx;
	const Ob__DisplayDrawText *a = (const Ob__DisplayDrawText *)args;
	const char *text = a->text ? a->text : "";

	(void)result;
	obd_display_note_call(d, call);
	obd_draw_text(&d->fb, d->font, a->x, a->y, text, strlen(text), a->color);
	return 0;
}

/* Why obd_fb_blit refused a blit, in the guest's terms. */
static const char *blit_problem(const Ob__DisplayBlit *a)
{
	uint64_t bpp = a->format == OBD_FORMAT_XRGB8888 ? 4 : 2;

	if (a->format != OBD_FORMAT_XRGB8888 && a->format != OBD_FORMAT_RGB565)
		return "unknown pixel format (1 XRGB8888, 2 RGB565)";
	if ((uint64_t)a->stride < (uint64_t)a->w * bpp)
		return "stride is below w * bytes per pixel";
	return "fewer than stride * h bytes of pixels";
}

int obd_handle_blit(void *ctx, ob_call *call, const ProtobufCMessage *args,
		    ProtobufCMessage *result)
{
	struct obd_display *d = ctx;
	const Ob__DisplayBlit *a = (const Ob__DisplayBlit *)args;
	int err;

	(void)result;
	obd_display_note_call(d, call);
	err = obd_fb_blit(&d->fb, a->x, a->y, a->w, a->h, a->format, a->stride, a->pixels.data,
			  a->pixels.len);
	if (err) {
		guest_error(d, "display_blit(%d, %d, %d x %d, format %u, stride %u) with %zu "
			    "bytes: %s", a->x, a->y, a->w, a->h, a->format, a->stride,
			    a->pixels.len, blit_problem(a));
		return -err;
	}
	return 0;
}

int obd_handle_present(void *ctx, ob_call *call, const ProtobufCMessage *args,
		       ProtobufCMessage *result)
{
	struct obd_display *d = ctx;
	Ob__DisplayPresentResult *res = (Ob__DisplayPresentResult *)result;
	int rc;

	(void)args;
	obd_display_note_call(d, call);
	if (!d->sink)
		return ENODEV;
	d->frame++;
	res->ret = (int64_t)d->frame;
	rc = d->sink->frame(d->sink_ctx, d->fb.px, d->fb.w, d->fb.h, d->frame, call);
	if (rc == 0)
		obd_display_queue_vsync(d, d->frame);
	else if (rc != OB_DEFER)
		d->frame--; /* not shown: the next present gets this number */
	return rc;
}

const struct ob_handler obd_handlers[OBD_N_HANDLERS] = { OBD_HANDLER_ENTRIES };
