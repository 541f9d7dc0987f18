/*
 * display_blit's pixels: both formats, byte order, strides with padding,
 * clipping on every side, and the arguments it must refuse (EINVAL, with
 * nothing drawn).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "obd/framebuffer.h"

#define BG 0x000000u

static struct obd_fb fb;

static int setup(void **state)
{
	(void)state;
	return obd_fb_init(&fb, 16, 16);
}

static int teardown(void **state)
{
	(void)state;
	obd_fb_fini(&fb);
	return 0;
}

static unsigned count_not(uint32_t color)
{
	unsigned n = 0;

	for (size_t i = 0; i < (size_t)fb.w * fb.h; i++)
		n += fb.px[i] != color;
	return n;
}

/* Little-endian XRGB8888 source pixel (col, row) = 0xRRGGBB made from the
 * position, with a junk top byte, rows stride bytes apart. */
static uint32_t src_color(int col, int row)
{
	return (uint32_t)(12 * row) << 16 | (uint32_t)(12 * col) << 8 | 0x5a;
}

static void fill_xrgb(uint8_t *buf, int w, int h, uint32_t stride)
{
	memset(buf, 0xee, stride * (size_t)h); /* padding bytes must never show */
	for (int r = 0; r < h; r++)
		for (int c = 0; c < w; c++) {
			uint32_t v = src_color(c, r) | 0xab000000u;
			uint8_t *p = buf + (size_t)r * stride + (size_t)c * 4;

			p[0] = (uint8_t)v;
			p[1] = (uint8_t)(v >> 8);
			p[2] = (uint8_t)(v >> 16);
			p[3] = (uint8_t)(v >> 24);
		}
}

static void xrgb_with_stride(void **state)
{
	uint8_t buf[4 * 20 * 3];
	uint32_t stride = 4 * 20; /* 5 pixels used, 15 of padding */

	(void)state;
	fill_xrgb(buf, 5, 3, stride);
	assert_int_equal(obd_fb_blit(&fb, 2, 7, 5, 3, OBD_FORMAT_XRGB8888, stride, buf,
				     sizeof(buf)),
			 0);
	for (unsigned y = 0; y < fb.h; y++)
		for (unsigned x = 0; x < fb.w; x++) {
			bool in = x >= 2 && x < 7 && y >= 7 && y < 10;

			assert_int_equal(obd_fb_get(&fb, x, y),
					 in ? src_color((int)x - 2, (int)y - 7) : BG);
		}
}

static void xrgb_clipped_on_every_side(void **state)
{
	uint8_t buf[4 * 20 * 20];
	uint32_t stride = 4 * 20;

	(void)state;
	fill_xrgb(buf, 20, 20, stride);
	assert_int_equal(obd_fb_blit(&fb, -3, -2, 20, 20, OBD_FORMAT_XRGB8888, stride, buf,
				     sizeof(buf)),
			 0);
	for (unsigned y = 0; y < fb.h; y++)
		for (unsigned x = 0; x < fb.w; x++)
			assert_int_equal(obd_fb_get(&fb, x, y), src_color((int)x + 3, (int)y + 2));
	obd_fb_clear(&fb, BG);
	assert_int_equal(obd_fb_blit(&fb, 14, 15, 20, 20, OBD_FORMAT_XRGB8888, stride, buf,
				     sizeof(buf)),
			 0);
	assert_int_equal(count_not(BG), 2); /* (14, 15) and (15, 15) */
	assert_int_equal(obd_fb_get(&fb, 15, 15), src_color(1, 0));
	obd_fb_clear(&fb, BG);
	assert_int_equal(obd_fb_blit(&fb, INT32_MIN, INT32_MAX, 20, 20, OBD_FORMAT_XRGB8888,
				     stride, buf, sizeof(buf)),
			 0);
	assert_int_equal(obd_fb_blit(&fb, 16, 0, 20, 20, OBD_FORMAT_XRGB8888, stride, buf,
				     sizeof(buf)),
			 0);
	assert_int_equal(count_not(BG), 0);
}

static void rgb565_widening(void **state)
{
	/* Little-endian 16-bit values and what they widen to. */
	static const struct {
		uint16_t v;
		uint32_t want;
	} px[] = {
		{ 0xf800, 0xff0000 }, { 0x07e0, 0x00ff00 }, { 0x001f, 0x0000ff },
		{ 0xffff, 0xffffff }, { 0x0000, 0x000000 }, { 0x8410, 0x848284 },
		{ 0x0821, 0x080408 },
	};
	uint8_t buf[2 * 8 * 2]; /* 7 pixels, stride 16 bytes, 2 rows */

	(void)state;
	memset(buf, 0x77, sizeof(buf));
	for (size_t i = 0; i < 7; i++) {
		buf[2 * i] = (uint8_t)px[i].v;
		buf[2 * i + 1] = (uint8_t)(px[i].v >> 8);
		buf[16 + 2 * i] = (uint8_t)px[6 - i].v;
		buf[16 + 2 * i + 1] = (uint8_t)(px[6 - i].v >> 8);
	}
	assert_int_equal(obd_fb_blit(&fb, 1, 1, 7, 2, OBD_FORMAT_RGB565, 16, buf, sizeof(buf)), 0);
	for (unsigned i = 0; i < 7; i++) {
		assert_int_equal(obd_fb_get(&fb, 1 + i, 1), px[i].want);
		assert_int_equal(obd_fb_get(&fb, 1 + i, 2), px[6 - i].want);
	}
	assert_int_equal(obd_fb_get(&fb, 8, 1), BG); /* padding not drawn */
	assert_int_equal(count_not(BG), 12);          /* two black source pixels */
}

static void rgb565_clipped(void **state)
{
	uint8_t buf[2 * 4 * 4];

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i += 2) {
		buf[i] = 0x1f; /* blue */
		buf[i + 1] = 0x00;
	}
	assert_int_equal(obd_fb_blit(&fb, -2, 14, 4, 4, OBD_FORMAT_RGB565, 8, buf, sizeof(buf)), 0);
	assert_int_equal(count_not(BG), 4);
	assert_int_equal(obd_fb_get(&fb, 0, 14), 0x0000ff);
	assert_int_equal(obd_fb_get(&fb, 1, 15), 0x0000ff);
}

static void exact_length_is_enough(void **state)
{
	uint8_t buf[4 * 3 * 2];

	(void)state;
	fill_xrgb(buf, 3, 2, 12);
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 3, 2, OBD_FORMAT_XRGB8888, 12, buf, 24), 0);
	assert_int_equal(count_not(BG), 6);
}

static void bad_arguments_draw_nothing(void **state)
{
	uint8_t buf[4 * 4 * 4];

	(void)state;
	memset(buf, 0xff, sizeof(buf));
	/* Unknown formats, whatever the size. */
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 4, 4, 0, 16, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 4, 4, 3, 16, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(obd_fb_blit(&fb, 0, 0, -4, 4, 7, 16, buf, sizeof(buf)), -EINVAL);
	/* Stride below a row of pixels. */
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 4, 4, OBD_FORMAT_XRGB8888, 15, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 4, 4, OBD_FORMAT_RGB565, 7, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 4, 4, OBD_FORMAT_XRGB8888, 0, buf, sizeof(buf)),
			 -EINVAL);
	/* Short pixel data: one byte less than stride * h, and none at all. */
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 4, 4, OBD_FORMAT_XRGB8888, 16, buf, 63), -EINVAL);
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 4, 4, OBD_FORMAT_RGB565, 8, NULL, 0), -EINVAL);
	/* Huge sizes must not overflow the checks. */
	assert_int_equal(obd_fb_blit(&fb, 0, 0, INT32_MAX, INT32_MAX, OBD_FORMAT_XRGB8888,
				     UINT32_MAX, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 1, 2, OBD_FORMAT_XRGB8888, UINT32_MAX, buf,
				     sizeof(buf)),
			 -EINVAL);
	assert_int_equal(count_not(BG), 0);
}

static void empty_blits_succeed(void **state)
{
	(void)state;
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 0, 4, OBD_FORMAT_XRGB8888, 0, NULL, 0), 0);
	assert_int_equal(obd_fb_blit(&fb, 0, 0, 4, -1, OBD_FORMAT_RGB565, 0, NULL, 0), 0);
	assert_int_equal(obd_fb_blit(&fb, 0, 0, INT32_MIN, INT32_MIN, OBD_FORMAT_RGB565, 0, NULL,
				     0),
			 0);
	assert_int_equal(count_not(BG), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(xrgb_with_stride, setup, teardown),
		cmocka_unit_test_setup_teardown(xrgb_clipped_on_every_side, setup, teardown),
		cmocka_unit_test_setup_teardown(rgb565_widening, setup, teardown),
		cmocka_unit_test_setup_teardown(rgb565_clipped, setup, teardown),
		cmocka_unit_test_setup_teardown(exact_length_is_enough, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_arguments_draw_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_blits_succeed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
