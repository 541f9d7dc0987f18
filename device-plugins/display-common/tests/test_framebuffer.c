/*
 * The framebuffer primitives pixel by pixel: --screen parsing, clear,
 * fill_rect, draw_rect and draw_line, with clipping at every edge and the
 * extreme int32 values a guest may pass.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "obd/framebuffer.h"

#define BG 0x000000u
#define INK 0x12ab34u

static struct obd_fb fb;

static int setup(void **state)
{
	(void)state;
	return obd_fb_init(&fb, 32, 24);
}

static int teardown(void **state)
{
	(void)state;
	obd_fb_fini(&fb);
	return 0;
}

static unsigned count(uint32_t color)
{
	unsigned n = 0;

	for (size_t i = 0; i < (size_t)fb.w * fb.h; i++)
		n += fb.px[i] == color;
	return n;
}

/* Every pixel inside [x0,x1) x [y0,y1) is color, every other one BG. */
static void assert_rect_only(unsigned x0, unsigned y0, unsigned x1, unsigned y1, uint32_t color)
{
	for (unsigned y = 0; y < fb.h; y++)
		for (unsigned x = 0; x < fb.w; x++) {
			bool in = x >= x0 && x < x1 && y >= y0 && y < y1;

			if (obd_fb_get(&fb, x, y) != (in ? color : BG))
				fail_msg("pixel (%u, %u) is %06x, expected %06x", x, y,
					 obd_fb_get(&fb, x, y), in ? color : BG);
		}
}

static void parse_screen_accepts_sizes(void **state)
{
	unsigned w = 0, h = 0;
	char why[128];

	(void)state;
	assert_int_equal(obd_parse_screen("320x240", &w, &h, why, sizeof(why)), 0);
	assert_int_equal(w, 320);
	assert_int_equal(h, 240);
	assert_int_equal(obd_parse_screen("16X16", &w, &h, why, sizeof(why)), 0);
	assert_int_equal(w, 16);
	assert_int_equal(obd_parse_screen("2048x2048", &w, &h, why, sizeof(why)), 0);
	assert_int_equal(h, 2048);
}

static void parse_screen_refuses_bad_sizes(void **state)
{
	static const char *const bad[] = { "15x16", "16x15", "2049x100", "100x2049", "0x0", "",
					   "320", "x240", "320x", "-320x240", "320x-240",
					   "32 x 40", "1e3x20", "320x240x1", "0320000x240",
					   "99999999999x1" };
	unsigned w = 7, h = 9;
	char why[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (obd_parse_screen(bad[i], &w, &h, why, sizeof(why)) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(strlen(why) > 10);
	}
	assert_int_equal(obd_parse_screen(NULL, &w, &h, why, sizeof(why)), -EINVAL);
	assert_int_equal(w, 7); /* untouched on failure */
	assert_int_equal(h, 9);
	assert_non_null(strstr(why, "WIDTHxHEIGHT"));
	obd_parse_screen("8x8", &w, &h, why, sizeof(why));
	assert_non_null(strstr(why, "16 to 2048"));
}

static void init_refuses_bad_sizes(void **state)
{
	struct obd_fb f;

	(void)state;
	assert_int_equal(obd_fb_init(&f, 15, 100), -EINVAL);
	assert_null(f.px);
	obd_fb_fini(&f); /* fine on a failed init */
	assert_int_equal(obd_fb_init(&f, 100, 2049), -EINVAL);
	assert_int_equal(obd_fb_init(&f, 16, 16), 0);
	assert_int_equal(f.px[0], 0);
	obd_fb_fini(&f);
	obd_fb_fini(NULL);
}

static void clear_fills_everything_and_masks_the_top_byte(void **state)
{
	(void)state;
	obd_fb_clear(&fb, 0xff000000u | INK);
	assert_int_equal(count(INK), fb.w * fb.h);
}

static void fill_rect_exact(void **state)
{
	(void)state;
	obd_fb_fill_rect(&fb, 3, 4, 5, 6, INK);
	assert_rect_only(3, 4, 8, 10, INK);
}

static void fill_rect_clips_every_edge(void **state)
{
	(void)state;
	obd_fb_fill_rect(&fb, -2, -3, 5, 6, INK);
	assert_rect_only(0, 0, 3, 3, INK);
	obd_fb_clear(&fb, BG);
	obd_fb_fill_rect(&fb, 30, 20, 10, 10, INK);
	assert_rect_only(30, 20, 32, 24, INK);
	obd_fb_clear(&fb, BG);
	obd_fb_fill_rect(&fb, INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX, INK);
	assert_int_equal(count(INK), 0); /* ends at -2, -2 */
	obd_fb_fill_rect(&fb, -5, -5, INT32_MAX, INT32_MAX, INK);
	assert_int_equal(count(INK), fb.w * fb.h);
}

static void fill_rect_negative_or_empty_draws_nothing(void **state)
{
	(void)state;
	obd_fb_fill_rect(&fb, 5, 5, -3, 4, INK);
	obd_fb_fill_rect(&fb, 5, 5, 3, -4, INK);
	obd_fb_fill_rect(&fb, 5, 5, 0, 4, INK);
	obd_fb_fill_rect(&fb, 5, 5, 4, 0, INK);
	obd_fb_fill_rect(&fb, 32, 0, 4, 4, INK);  /* just past the right edge */
	obd_fb_fill_rect(&fb, 0, 24, 4, 4, INK);  /* just past the bottom */
	obd_fb_fill_rect(&fb, -4, 0, 4, 4, INK);  /* ends just before the left */
	obd_fb_fill_rect(&fb, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX, INK);
	obd_fb_fill_rect(&fb, 5, 5, INT32_MIN, INT32_MIN, INK);
	assert_int_equal(count(INK), 0);
}

static void draw_rect_outline(void **state)
{
	(void)state;
	obd_fb_draw_rect(&fb, 2, 3, 6, 4, INK);
	for (unsigned y = 0; y < fb.h; y++)
		for (unsigned x = 0; x < fb.w; x++) {
			bool edge = (x >= 2 && x <= 7 && (y == 3 || y == 6)) ||
				    (y >= 3 && y <= 6 && (x == 2 || x == 7));

			assert_int_equal(obd_fb_get(&fb, x, y), edge ? INK : BG);
		}
	assert_int_equal(count(INK), 2 * 6 + 2 * 4 - 4);
}

static void draw_rect_degenerate_and_clipped(void **state)
{
	(void)state;
	obd_fb_draw_rect(&fb, 4, 4, 1, 1, INK);
	assert_rect_only(4, 4, 5, 5, INK);
	obd_fb_clear(&fb, BG);
	obd_fb_draw_rect(&fb, 4, 4, 1, 5, INK);
	assert_rect_only(4, 4, 5, 9, INK);
	obd_fb_clear(&fb, BG);
	obd_fb_draw_rect(&fb, 4, 4, -1, 5, INK);
	obd_fb_draw_rect(&fb, 4, 4, 5, 0, INK);
	assert_int_equal(count(INK), 0);
	/* Left and top edges off screen: only the right and bottom show. */
	obd_fb_draw_rect(&fb, -10, -10, 15, 15, INK);
	for (unsigned y = 0; y < fb.h; y++)
		for (unsigned x = 0; x < fb.w; x++) {
			bool edge = (x == 4 && y <= 4) || (y == 4 && x <= 4);

			assert_int_equal(obd_fb_get(&fb, x, y), edge ? INK : BG);
		}
	obd_fb_clear(&fb, BG);
	obd_fb_draw_rect(&fb, INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX, INK);
	obd_fb_draw_rect(&fb, 1, 1, INT32_MAX, INT32_MAX, INK); /* right edge off screen */
	assert_int_equal(count(INK), (fb.w - 1) + (fb.h - 1) - 1);
}

static void line_known_pixels(void **state)
{
	static const unsigned want[][2] = { { 0, 0 }, { 1, 1 }, { 2, 1 }, { 3, 2 }, { 4, 2 } };

	(void)state;
	/* Halves round away from the start: 2/4 -> 1, 6/4 -> 2. */
	obd_fb_draw_line(&fb, 0, 0, 4, 2, INK);
	assert_int_equal(count(INK), 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(obd_fb_get(&fb, want[i][0], want[i][1]), INK);
}

static void line_horizontal_vertical_point(void **state)
{
	(void)state;
	obd_fb_draw_line(&fb, 9, 2, 3, 2, INK);
	assert_rect_only(3, 2, 10, 3, INK);
	obd_fb_clear(&fb, BG);
	obd_fb_draw_line(&fb, 5, 1, 5, 20, INK);
	assert_rect_only(5, 1, 6, 21, INK);
	obd_fb_clear(&fb, BG);
	obd_fb_draw_line(&fb, 7, 8, 7, 8, INK);
	assert_rect_only(7, 8, 8, 9, INK);
	obd_fb_clear(&fb, BG);
	obd_fb_draw_line(&fb, -1, 8, -1, 8, INK); /* a point off screen */
	assert_int_equal(count(INK), 0);
}

static void line_diagonal_both_ways(void **state)
{
	(void)state;
	obd_fb_draw_line(&fb, 0, 0, 23, 23, INK);
	obd_fb_draw_line(&fb, 31, 0, 8, 23, 0x00ff00);
	for (unsigned i = 0; i < 24; i++) {
		assert_int_equal(obd_fb_get(&fb, i, i), INK);
		assert_int_equal(obd_fb_get(&fb, 31 - i, i), 0x00ff00);
	}
	assert_int_equal(count(INK), 24);
	assert_int_equal(count(0x00ff00), 24);
}

/* Twice n times how far minor is from the ideal line at step i: Bresenham
 * keeps it within n (half a pixel). */
static long long off2(long long n, long long i, long long minor0, long long dminor,
		      long long minor)
{
	return 2 * n * (minor - minor0) - 2 * i * dminor;
}

/* The properties that make a line Bresenham's: at most one pixel per
 * major step, never more than half a pixel off the ideal line (so it is
 * 8-connected and both end points are drawn), and no step left out where
 * every candidate pixel is on screen. */
static void check_line_properties(int x0, int y0, int x1, int y1)
{
	int dx = x1 - x0, dy = y1 - y0;
	bool xm = abs(dx) >= abs(dy);
	int n = xm ? abs(dx) : abs(dy), major0 = xm ? x0 : y0, minor0 = xm ? y0 : x0;
	int dmajor = xm ? dx : dy, dminor = xm ? dy : dx, sign = dmajor < 0 ? -1 : 1;
	int lim_major = xm ? (int)fb.w : (int)fb.h, lim_minor = xm ? (int)fb.h : (int)fb.w;
	int hits[128] = { 0 };

	obd_fb_clear(&fb, BG);
	obd_fb_draw_line(&fb, x0, y0, x1, y1, INK);
	for (int y = 0; y < (int)fb.h; y++)
		for (int x = 0; x < (int)fb.w; x++) {
			int major = xm ? x : y, minor = xm ? y : x, i = (major - major0) * sign;

			if (obd_fb_get(&fb, (unsigned)x, (unsigned)y) != INK)
				continue;
			assert_true(i >= 0 && i <= n);
			assert_true(llabs(off2(n, i, minor0, dminor, minor)) <= n);
			assert_int_equal(++hits[i], 1);
		}
	for (int i = 0; i <= n; i++) {
		int major = major0 + sign * i;
		bool all_on = major >= 0 && major < lim_major;

		for (int minor = -200; minor < 200; minor++)
			if (llabs(off2(n, i, minor0, dminor, minor)) <= n)
				all_on = all_on && minor >= 0 && minor < lim_minor;
		if (all_on)
			assert_int_equal(hits[i], 1);
	}
}

static void line_properties_random(void **state)
{
	unsigned seed = 12345;

	(void)state;
	for (int k = 0; k < 300; k++) {
		int v[4];

		for (int j = 0; j < 4; j++) {
			seed = seed * 1103515245u + 12345u;
			v[j] = (int)((seed >> 16) % 80) - 24; /* -24..55: often clipped */
		}
		check_line_properties(v[0], v[1], v[2], v[3]);
	}
}

/* Clipping never changes which pixels are drawn: a long line through the
 * screen equals the same line drawn in on-screen pieces of its own. */
static void line_clipping_is_exact(void **state)
{
	struct obd_fb big;

	(void)state;
	assert_int_equal(obd_fb_init(&big, 256, 256), 0);
	/* The line (-100, -37) to (155, 150) on a 256 x 256 canvas shifted by
	 * (100, 100), against the same line on the 32 x 24 screen. */
	obd_fb_draw_line(&big, 0, 63, 255, 250, INK);
	obd_fb_draw_line(&fb, -100, -37, 155, 150, INK);
	for (unsigned y = 0; y < fb.h; y++)
		for (unsigned x = 0; x < fb.w; x++)
			assert_int_equal(obd_fb_get(&fb, x, y), obd_fb_get(&big, x + 100, y + 100));
	obd_fb_fini(&big);
}

static void line_extreme_coordinates(void **state)
{
	(void)state;
	/* dx == dy: the exact diagonal, from far off screen to far off. */
	obd_fb_draw_line(&fb, INT32_MIN + 1, INT32_MIN + 1, INT32_MAX, INT32_MAX, INK);
	for (unsigned i = 0; i < fb.h; i++)
		assert_int_equal(obd_fb_get(&fb, i, i), INK);
	assert_int_equal(count(INK), fb.h);
	obd_fb_clear(&fb, BG);
	obd_fb_draw_line(&fb, INT32_MIN, 5, INT32_MAX, 5, INK);
	assert_rect_only(0, 5, fb.w, 6, INK);
	obd_fb_clear(&fb, BG);
	obd_fb_draw_line(&fb, INT32_MIN, INT32_MAX, INT32_MAX, INT32_MIN, INK);
	obd_fb_draw_line(&fb, -1000, -1000, -1, 2000000000, INK); /* never on screen */
	obd_fb_draw_line(&fb, 40, -5, 1000, 3000, INK);
	assert_int_equal(count(INK), 0); /* the anti-diagonal passes (0, -1) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_screen_accepts_sizes),
		cmocka_unit_test(parse_screen_refuses_bad_sizes),
		cmocka_unit_test(init_refuses_bad_sizes),
		cmocka_unit_test_setup_teardown(clear_fills_everything_and_masks_the_top_byte,
						setup, teardown),
		cmocka_unit_test_setup_teardown(fill_rect_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(fill_rect_clips_every_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(fill_rect_negative_or_empty_draws_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(draw_rect_outline, setup, teardown),
		cmocka_unit_test_setup_teardown(draw_rect_degenerate_and_clipped, setup, teardown),
		cmocka_unit_test_setup_teardown(line_known_pixels, setup, teardown),
		cmocka_unit_test_setup_teardown(line_horizontal_vertical_point, setup, teardown),
		cmocka_unit_test_setup_teardown(line_diagonal_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(line_properties_random, setup, teardown),
		cmocka_unit_test_setup_teardown(line_clipping_is_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(line_extreme_coordinates, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
