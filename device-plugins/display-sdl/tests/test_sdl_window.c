/*
 * display-sdl's window path on SDL's dummy video driver (no X server, no
 * GL: the software renderer into a memory framebuffer):
 * a frame is shown at an integer scale, pixel for pixel (read back from
 * the renderer into the --screenshot PNG); SIGUSR1 writes the screenshot
 * again; an uncovered window is redrawn and reported as an expose; bad
 * --scale values are refused; input_configure starts and stops input.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "obd/png.h"
#include "sdl_backend.h"

static char tmp[64];
static char shot[128];

static int setup_group(void **state)
{
	(void)state;
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	snprintf(tmp, sizeof(tmp), "/tmp/obds-test.XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(shot, sizeof(shot), "%s/shot.png", tmp);
	return 0;
}

static int teardown_group(void **state)
{
	(void)state;
	unlink(shot);
	rmdir(tmp);
	return 0;
}

/* A display of w x h with an SDL sink at scale (a string, or NULL). */
static struct obd_display *open_display(const char *screen, const char *scale,
					struct obds_sdl **out)
{
	struct obd_display *d;

	assert_int_equal(obd_display_create(screen, NULL, &d), 0);
	assert_int_equal(obds_sdl_create(d, scale, shot, out), 0);
	obd_display_attach(d, &obds_sdl_sink, *out);
	return d;
}

/* The screenshot is the framebuffer, each pixel scale x scale. */
static void assert_shot_is(const struct obd_fb *fb, unsigned scale)
{
	uint32_t *px;
	unsigned w, h;

	assert_int_equal(obd_png_read(shot, &px, &w, &h), 0);
	assert_int_equal(w, fb->w * scale);
	assert_int_equal(h, fb->h * scale);
	for (unsigned y = 0; y < h; y++)
		for (unsigned x = 0; x < w; x++)
			if ((px[y * w + x] & 0xffffff) != obd_fb_get(fb, x / scale, y / scale))
				fail_msg("window pixel (%u, %u) is %06x, frame pixel is %06x", x, y,
					 px[y * w + x] & 0xffffff,
					 obd_fb_get(fb, x / scale, y / scale));
	free(px);
}

static void frames_show_pixel_for_pixel(void **state)
{
	struct obds_sdl *s;
	struct obd_display *d = open_display("32x24", "2", &s);
	struct obd_fb *fb = obd_display_fb(d);

	(void)state;
	assert_int_equal(s->scale, 2);
	assert_shot_is(fb, 2); /* black at start */
	for (unsigned i = 0; i < fb->w * fb->h; i++)
		fb->px[i] = (i * 2654435761u) & 0xffffff;
	obd_draw_text(fb, obd_display_font(d), 1, 1, "Ok", 2, 0xffffff);
	/* No call to defer (a test): answered at once. */
	assert_int_equal(obds_sdl_sink.frame(s, fb->px, fb->w, fb->h, 1, NULL), 0);
	assert_shot_is(fb, 2);
	assert_true(obds_sdl_sink.timeout(s) <= OBDS_POLL_MS);
	assert_true(obds_sdl_sink.timeout(s) >= 0);
	obd_display_destroy(d);
}

static void sigusr1_writes_the_screenshot_again(void **state)
{
	struct obds_sdl *s;
	struct obd_display *d = open_display("16x16", "1", &s);
	struct pollfd pfd;

	(void)state;
	assert_int_equal(unlink(shot), 0);
	assert_int_equal(obds_sdl_sink.pollfds(s, &pfd, 1), 1);
	assert_int_equal(pfd.fd, s->sigfd);
	assert_int_equal(raise(SIGUSR1), 0); /* blocked: it waits in the fd */
	obds_sdl_sink.process(s, NULL);
	assert_int_equal(access(shot, R_OK), 0);
	assert_shot_is(obd_display_fb(d), 1);
	obd_display_destroy(d);
}

static int drop(void *arg, const Ob__Event *ev)
{
	(void)arg;
	(void)ev;
	return 0;
}

static void uncovered_window_is_an_expose(void **state)
{
	struct obds_sdl *s;
	struct obd_display *d = open_display("16x16", "1", &s);
	SDL_Event ev = { 0 };

	(void)state;
	obds_sdl_pump(s, NULL); /* whatever the driver had queued */
	obd_display_flush_events(d, drop, NULL);
	assert_int_equal(obd_display_pending_events(d), 0);
	ev.type = SDL_WINDOWEVENT;
	ev.window.event = SDL_WINDOWEVENT_EXPOSED;
	ev.window.windowID = SDL_GetWindowID(s->win);
	assert_int_equal(SDL_PushEvent(&ev), 1);
	obds_sdl_pump(s, NULL);
	assert_int_equal(obd_display_pending_events(d), 1);
	obd_display_destroy(d);
}

static void default_and_bad_scales(void **state)
{
	struct obd_display *d;
	struct obds_sdl *s = (struct obds_sdl *)&s;
	static const char *const bad[] = { "0", "17", "-1", "+2", "2x", "", "99999999999" };

	(void)state;
	assert_int_equal(obd_display_create("16x16", NULL, &d), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(obds_sdl_create(d, bad[i], NULL, &s), -EINVAL);
		assert_null(s);
	}
	assert_int_equal(obds_sdl_create(d, NULL, NULL, &s), 0);
	assert_true(s->scale >= 1 && s->scale <= OBDS_MAX_SCALE);
	assert_int_equal(s->sigfd, -1); /* no screenshot, no SIGUSR1 */
	obd_display_attach(d, &obds_sdl_sink, s);
	obd_display_destroy(d);
}

static void input_configure_starts_and_stops(void **state)
{
	struct obds_sdl *s;
	struct obd_display *d = open_display("16x16", "1", &s);
	Ob__InputConfigure cfg = OB__INPUT_CONFIGURE__INIT;

	(void)state;
	assert_false(s->input_started);
	cfg.flags = 1;
	assert_int_equal(obds_handle_input_configure(d, NULL, &cfg.base, NULL), 0);
	assert_true(s->input_started);
	cfg.flags = 0;
	assert_int_equal(obds_handle_input_configure(d, NULL, &cfg.base, NULL), 0);
	assert_false(s->input_started);
	obd_display_destroy(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frames_show_pixel_for_pixel),
		cmocka_unit_test(sigusr1_writes_the_screenshot_again),
		cmocka_unit_test(uncovered_window_is_an_expose),
		cmocka_unit_test(default_and_bad_scales),
		cmocka_unit_test(input_configure_starts_and_stops),
	};

	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
