/*
 * The display call handlers without IPC: each message reaches its
 * primitive, display_info describes the screen and font (its result
 * follows the SDK's ownership rule: freed with
 * protobuf_c_message_free_unpacked), display_present numbers frames and
 * hands them to the sink, a failing sink keeps the number, a deferring one
 * gets no vsync yet, and events leave in order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "obd/display.h"

/* ------------------------------------------------------------ fake sink */

static struct {
	int rc;            /* what frame returns */
	unsigned calls;
	uint64_t last_frame;
	unsigned w, h;
	uint32_t pixel0;   /* the frame's first pixel */
	bool destroyed;
} sink_state;

static int fake_frame(void *ctx, const uint32_t *xrgb, unsigned w, unsigned h, uint64_t frame,
		      ob_call *call)
{
	(void)ctx;
	(void)call;
	sink_state.calls++;
	sink_state.last_frame = frame;
	sink_state.w = w;
	sink_state.h = h;
	sink_state.pixel0 = xrgb[0];
	return sink_state.rc;
}

static void fake_destroy(void *ctx)
{
	assert_ptr_equal(ctx, &sink_state);
	sink_state.destroyed = true;
}

static const struct obd_sink fake_sink = {
	.size = sizeof(struct obd_sink),
	.frame = fake_frame,
	.destroy = fake_destroy,
};

/* --------------------------------------------------------- event capture */

#define MAX_EVENTS 32
static Ob__Event__EventCase got[MAX_EVENTS];
static uint64_t got_frame[MAX_EVENTS];
static unsigned n_got;

static int capture(void *arg, const Ob__Event *ev)
{
	(void)arg;
	assert_true(n_got < MAX_EVENTS);
	got[n_got] = ev->event_case;
	got_frame[n_got] = ev->event_case == OB__EVENT__EVENT_VSYNC ? ev->vsync->frame : 0;
	n_got++;
	return 0;
}

static int refuse(void *arg, const Ob__Event *ev)
{
	(void)arg;
	(void)ev;
	return -ENOTCONN;
}

/* ----------------------------------------------------------------- setup */

static struct obd_display *d;

static int setup(void **state)
{
	(void)state;
	memset(&sink_state, 0, sizeof(sink_state));
	n_got = 0;
	if (obd_display_create("64x48", NULL, &d) != 0)
		return -1;
	obd_display_attach(d, &fake_sink, &sink_state);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	obd_display_destroy(d);
	assert_true(sink_state.destroyed);
	return 0;
}

static int64_t present(void)
{
	Ob__DisplayPresent args = OB__DISPLAY_PRESENT__INIT;
	Ob__DisplayPresentResult res = OB__DISPLAY_PRESENT_RESULT__INIT;
	int rc = obd_handle_present(d, NULL, &args.base, &res.base);

	return rc ? -rc : res.ret;
}

/* ----------------------------------------------------------------- tests */

static void create_refuses_bad_options(void **state)
{
	struct obd_display *x = (struct obd_display *)&x;

	(void)state;
	assert_int_equal(obd_display_create("8x8", NULL, &x), -EINVAL);
	assert_null(x);
	assert_int_equal(obd_display_create("320by240", NULL, &x), -EINVAL);
	assert_int_equal(obd_display_create(NULL, "/nonexistent/font.pcf.gz", &x), -ENOENT);
	assert_null(x);
	assert_int_equal(obd_display_create(NULL, NULL, &x), 0);
	assert_int_equal(obd_display_fb(x)->w, 320); /* the default screen */
	assert_int_equal(obd_display_fb(x)->h, 240);
	assert_int_equal(obd_display_frames(x), 0);
	obd_display_destroy(x); /* no sink attached: nothing else to free */
	obd_display_destroy(NULL);
}

static void info_describes_screen_and_font(void **state)
{
	Ob__DisplayInfo args = OB__DISPLAY_INFO__INIT;
	Ob__DisplayInfoResult *res = malloc(sizeof(*res));

	(void)state;
	assert_non_null(res);
	ob__display_info_result__init(res);
	assert_int_equal(obd_handle_info(d, NULL, &args.base, &res->base), 0);
	assert_non_null(res->info);
	assert_int_equal(res->info->width, 64);
	assert_int_equal(res->info->height, 48);
	assert_int_equal(res->info->format, OB__PIXEL_FORMAT__PIXEL_FORMAT_XRGB8888);
	assert_int_equal(res->info->font_width, obd_display_font(d)->cell_w);
	assert_int_equal(res->info->font_height, 13);
	protobuf_c_message_free_unpacked(&res->base, NULL); /* as the SDK frees it */
}

static void drawing_handlers_draw(void **state)
{
	Ob__DisplayClear clear = OB__DISPLAY_CLEAR__INIT;
	Ob__DisplayFillRect fill = OB__DISPLAY_FILL_RECT__INIT;
	Ob__DisplayDrawLine line = OB__DISPLAY_DRAW_LINE__INIT;
	Ob__DisplayDrawRect rect = OB__DISPLAY_DRAW_RECT__INIT;
	struct obd_fb *fb = obd_display_fb(d);

	(void)state;
	clear.color = 0x112233;
	assert_int_equal(obd_handle_clear(d, NULL, &clear.base, NULL), 0);
	assert_int_equal(obd_fb_get(fb, 63, 47), 0x112233);
	fill = (Ob__DisplayFillRect){ fill.base, 1, 2, 3, 4, 0xaabbcc };
	assert_int_equal(obd_handle_fill_rect(d, NULL, &fill.base, NULL), 0);
	assert_int_equal(obd_fb_get(fb, 3, 5), 0xaabbcc);
	assert_int_equal(obd_fb_get(fb, 4, 5), 0x112233);
	line = (Ob__DisplayDrawLine){ line.base, 10, 10, 20, 10, 0x00ff00 };
	assert_int_equal(obd_handle_draw_line(d, NULL, &line.base, NULL), 0);
	assert_int_equal(obd_fb_get(fb, 20, 10), 0x00ff00);
	rect = (Ob__DisplayDrawRect){ rect.base, 30, 30, 5, 5, 0xff0000 };
	assert_int_equal(obd_handle_draw_rect(d, NULL, &rect.base, NULL), 0);
	assert_int_equal(obd_fb_get(fb, 34, 34), 0xff0000);
	assert_int_equal(obd_fb_get(fb, 32, 32), 0x112233);
}

static void text_handler_draws_and_accepts_empty(void **state)
{
	Ob__DisplayDrawText text;
	struct obd_fb *fb = obd_display_fb(d);
	unsigned ink = 0;

	(void)state;
	ob__display_draw_text__init(&text);
	text.text = NULL; /* as if a peer left the field out */
	assert_int_equal(obd_handle_draw_text(d, NULL, &text.base, NULL), 0);
	text.text = (char *)(uintptr_t)"Hi";
	text.color = 0xffffff;
	assert_int_equal(obd_handle_draw_text(d, NULL, &text.base, NULL), 0);
	for (size_t i = 0; i < (size_t)fb->w * fb->h; i++)
		ink += fb->px[i] == 0xffffff;
	assert_true(ink > 10);
}

static void blit_handler_refuses_bad_data(void **state)
{
	uint8_t px[4 * 4 * 4];
	Ob__DisplayBlit b = OB__DISPLAY_BLIT__INIT;

	(void)state;
	memset(px, 0x80, sizeof(px));
	b.w = 4, b.h = 4, b.format = 1, b.stride = 16;
	b.pixels.data = px;
	b.pixels.len = sizeof(px) - 1;
	assert_int_equal(obd_handle_blit(d, NULL, &b.base, NULL), EINVAL);
	b.pixels.len = sizeof(px);
	b.format = 9;
	assert_int_equal(obd_handle_blit(d, NULL, &b.base, NULL), EINVAL);
	b.format = 1;
	b.stride = 12;
	assert_int_equal(obd_handle_blit(d, NULL, &b.base, NULL), EINVAL);
	assert_int_equal(obd_fb_get(obd_display_fb(d), 0, 0), 0); /* nothing drawn */
	b.stride = 16;
	assert_int_equal(obd_handle_blit(d, NULL, &b.base, NULL), 0);
	assert_int_equal(obd_fb_get(obd_display_fb(d), 3, 3), 0x808080);
}

static void present_numbers_frames_and_queues_vsync(void **state)
{
	Ob__DisplayClear clear = OB__DISPLAY_CLEAR__INIT;

	(void)state;
	clear.color = 0x445566;
	obd_handle_clear(d, NULL, &clear.base, NULL);
	assert_int_equal(present(), 1);
	assert_int_equal(present(), 2);
	assert_int_equal(sink_state.calls, 2);
	assert_int_equal(sink_state.last_frame, 2);
	assert_int_equal(sink_state.w, 64);
	assert_int_equal(sink_state.h, 48);
	assert_int_equal(sink_state.pixel0, 0x445566);
	assert_int_equal(obd_display_frames(d), 2);
	assert_int_equal(obd_display_pending_events(d), 2);
	assert_int_equal(obd_plugin_timeout(d), 0); /* the loop must come back at once */
	assert_int_equal(obd_display_flush_events(d, capture, NULL), 2);
	assert_int_equal(n_got, 2);
	assert_int_equal(got[0], OB__EVENT__EVENT_VSYNC);
	assert_int_equal(got_frame[0], 1);
	assert_int_equal(got_frame[1], 2);
	assert_int_equal(obd_display_pending_events(d), 0);
	assert_int_equal(obd_plugin_timeout(d), -1); /* the sink has no timer */
}

static void failing_sink_keeps_the_frame_number(void **state)
{
	(void)state;
	assert_int_equal(present(), 1);
	sink_state.rc = EIO;
	assert_int_equal(present(), -EIO);
	assert_int_equal(obd_display_frames(d), 1);
	sink_state.rc = 0;
	assert_int_equal(present(), 2);
	assert_int_equal(sink_state.last_frame, 2);
	assert_int_equal(obd_display_pending_events(d), 2); /* no vsync for the failure */
}

static void deferring_sink_gets_no_vsync_yet(void **state)
{
	Ob__DisplayPresent args = OB__DISPLAY_PRESENT__INIT;
	Ob__DisplayPresentResult res = OB__DISPLAY_PRESENT_RESULT__INIT;

	(void)state;
	sink_state.rc = OB_DEFER;
	assert_int_equal(obd_handle_present(d, NULL, &args.base, &res.base), OB_DEFER);
	assert_int_equal(res.ret, 1); /* filled before the sink sees the call */
	assert_int_equal(obd_display_frames(d), 1);
	assert_int_equal(obd_display_pending_events(d), 0);
}

static void present_without_sink_is_enodev(void **state)
{
	struct obd_display *x;
	Ob__DisplayPresent args = OB__DISPLAY_PRESENT__INIT;
	Ob__DisplayPresentResult res = OB__DISPLAY_PRESENT_RESULT__INIT;

	(void)state;
	assert_int_equal(obd_display_create("16x16", NULL, &x), 0);
	assert_int_equal(obd_handle_present(x, NULL, &args.base, &res.base), ENODEV);
	assert_int_equal(obd_display_frames(x), 0);
	obd_display_destroy(x);
}

static void events_keep_order_and_drop_when_refused(void **state)
{
	(void)state;
	obd_display_expose(d);
	assert_int_equal(present(), 1);
	obd_display_expose(d);
	assert_int_equal(obd_display_flush_events(d, capture, NULL), 3);
	assert_int_equal(got[0], OB__EVENT__EVENT_EXPOSE);
	assert_int_equal(got[1], OB__EVENT__EVENT_VSYNC);
	assert_int_equal(got[2], OB__EVENT__EVENT_EXPOSE);
	/* No host: the events are dropped, not kept for a later one. */
	obd_display_expose(d);
	assert_int_equal(obd_display_flush_events(d, refuse, NULL), 0);
	assert_int_equal(obd_display_pending_events(d), 0);
	/* A full queue keeps the newest. */
	for (int i = 0; i < 40; i++)
		present();
	assert_int_equal(obd_display_pending_events(d), 16);
	n_got = 0;
	assert_int_equal(obd_display_flush_events(d, capture, NULL), 16);
	assert_int_equal(got_frame[0], 2 + 40 - 16);
	assert_int_equal(got_frame[15], 41);
}

static void handler_table_covers_every_display_call(void **state)
{
	(void)state;
	for (unsigned i = 0; i < OBD_N_HANDLERS; i++) {
		assert_int_equal(obd_handlers[i].call, OB__REQUEST__CALL_DISPLAY_INFO + i);
		assert_non_null(obd_handlers[i].fn);
	}
	assert_int_equal(OB__REQUEST__CALL_DISPLAY_PRESENT,
			 OB__REQUEST__CALL_DISPLAY_INFO + OBD_N_HANDLERS - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_refuses_bad_options),
		cmocka_unit_test_setup_teardown(info_describes_screen_and_font, setup, teardown),
		cmocka_unit_test_setup_teardown(drawing_handlers_draw, setup, teardown),
		cmocka_unit_test_setup_teardown(text_handler_draws_and_accepts_empty, setup,
						teardown),
		cmocka_unit_test_setup_teardown(blit_handler_refuses_bad_data, setup, teardown),
		cmocka_unit_test_setup_teardown(present_numbers_frames_and_queues_vsync, setup,
						teardown),
		cmocka_unit_test_setup_teardown(failing_sink_keeps_the_frame_number, setup,
						teardown),
		cmocka_unit_test_setup_teardown(deferring_sink_gets_no_vsync_yet, setup, teardown),
		cmocka_unit_test(present_without_sink_is_enodev),
		cmocka_unit_test_setup_teardown(events_keep_order_and_drop_when_refused, setup,
						teardown),
		cmocka_unit_test(handler_table_covers_every_display_call),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
