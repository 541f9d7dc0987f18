/*
 * The built-in font and display_draw_text: the xfonts-base font loads with
 * the cell display_info reports, glyphs land in their cells (advance, new
 * lines, clipping, transparent background), UTF-8 is decoded strictly, and
 * a missing or unusable font file is refused with a useful error.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "obd/font.h"

#define BG 0x102030u
#define INK 0xf0e0d0u

static struct obd_font *font;
static struct obd_fb fb;

static int setup_group(void **state)
{
	(void)state;
	return obd_font_load(OBD_FONT_PATH, &font);
}

static int teardown_group(void **state)
{
	(void)state;
	obd_font_free(font);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	if (obd_fb_init(&fb, 64, 40) != 0)
		return -1;
	obd_fb_clear(&fb, BG);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	obd_fb_fini(&fb);
	return 0;
}

static bool glyph_ink(uint32_t cp, unsigned x, unsigned y)
{
	return obd_font_glyph(font, cp)[y] & (0x80000000u >> x);
}

/* The cell at (x, y) shows glyph cp in INK on BG, clipped to the screen. */
static void assert_cell(int x, int y, uint32_t cp)
{
	for (unsigned r = 0; r < font->cell_h; r++)
		for (unsigned c = 0; c < font->cell_w; c++) {
			int px = x + (int)c, py = y + (int)r;

			if (px < 0 || py < 0 || px >= (int)fb.w || py >= (int)fb.h)
				continue;
			assert_int_equal(obd_fb_get(&fb, (unsigned)px, (unsigned)py),
					 glyph_ink(cp, c, r) ? INK : BG);
		}
}

static unsigned count(uint32_t color)
{
	unsigned n = 0;

	for (size_t i = 0; i < (size_t)fb.w * fb.h; i++)
		n += fb.px[i] == color;
	return n;
}

static unsigned glyph_pixels(uint32_t cp)
{
	unsigned n = 0;

	for (unsigned r = 0; r < font->cell_h; r++)
		n += (unsigned)__builtin_popcount(obd_font_glyph(font, cp)[r]);
	return n;
}

static void draw(int x, int y, const char *s)
{
	obd_draw_text(&fb, font, x, y, s, strlen(s), INK);
}

static void font_is_the_6x13_cell(void **state)
{
	(void)state;
	assert_int_equal(font->cell_w, 6);
	assert_int_equal(font->cell_h, 13);
	for (unsigned c = 32; c <= 126; c++)
		assert_true(font->have[c]);
	for (unsigned c = 160; c <= 255; c++)
		assert_true(font->have[c]); /* the ISO 8859-1 file has all of Latin-1 */
	assert_false(font->have['\n']);
	assert_false(font->have[0x80]);
	assert_int_equal(glyph_pixels(' '), 0);
	assert_true(glyph_pixels('A') > 8);
	/* Glyphs differ from each other and from the '?' stand-in. */
	assert_memory_not_equal(obd_font_glyph(font, 'l'), obd_font_glyph(font, 'I'),
				sizeof(uint32_t) * OBD_FONT_MAX_CELL);
	assert_memory_not_equal(obd_font_glyph(font, 0xe9), obd_font_glyph(font, 'e'),
				sizeof(uint32_t) * OBD_FONT_MAX_CELL);
	assert_ptr_equal(obd_font_glyph(font, 0x20ac), obd_font_glyph(font, '?'));
	assert_ptr_equal(obd_font_glyph(font, 7), obd_font_glyph(font, '?'));
	/* Nothing is drawn outside the cell. */
	for (unsigned c = 0; c < OBD_FONT_CODES; c++)
		for (unsigned r = 0; r < OBD_FONT_MAX_CELL; r++)
			assert_int_equal(font->rows[c][r] & ~(0xffffffffu << (32 - font->cell_w)) ,
					 0);
}

static void glyphs_advance_one_cell(void **state)
{
	(void)state;
	draw(3, 4, "AB|");
	assert_cell(3, 4, 'A');
	assert_cell(9, 4, 'B');
	assert_cell(15, 4, '|');
	assert_int_equal(count(INK), glyph_pixels('A') + glyph_pixels('B') + glyph_pixels('|'));
}

static void newline_returns_to_the_start_x(void **state)
{
	(void)state;
	draw(5, 1, "ab\ncd\n\ne");
	assert_cell(5, 1, 'a');
	assert_cell(11, 1, 'b');
	assert_cell(5, 14, 'c');
	assert_cell(11, 14, 'd');
	assert_cell(5, 40, 'e'); /* off the bottom: nothing */
	assert_int_equal(count(INK), glyph_pixels('a') + glyph_pixels('b') + glyph_pixels('c') +
					     glyph_pixels('d'));
}

static void background_is_transparent(void **state)
{
	(void)state;
	obd_fb_fill_rect(&fb, 0, 0, 6, 13, 0x00ff00);
	draw(0, 0, "o");
	for (unsigned r = 0; r < 13; r++)
		for (unsigned c = 0; c < 6; c++)
			assert_int_equal(obd_fb_get(&fb, c, r), glyph_ink('o', c, r) ? INK : 0x00ff00);
}

/* Ink pixels of glyph cp's cell at (x, y) that fall on screen. */
static unsigned visible_ink(int x, int y, uint32_t cp)
{
	unsigned n = 0;

	for (unsigned r = 0; r < font->cell_h; r++)
		for (unsigned c = 0; c < font->cell_w; c++) {
			int px = x + (int)c, py = y + (int)r;

			n += px >= 0 && py >= 0 && px < (int)fb.w && py < (int)fb.h &&
			     glyph_ink(cp, c, r);
		}
	return n;
}

static void text_is_clipped(void **state)
{
	(void)state;
	draw(-3, -5, "W");
	draw(60, 30, "MM");
	assert_cell(-3, -5, 'W');
	assert_cell(60, 30, 'M');
	assert_int_equal(count(INK), visible_ink(-3, -5, 'W') + visible_ink(60, 30, 'M'));
	assert_true(visible_ink(-3, -5, 'W') > 0 && visible_ink(-3, -5, 'W') < glyph_pixels('W'));
	obd_fb_clear(&fb, BG);
	draw(INT32_MAX - 2, 0, "XXXX"); /* the pen runs past INT32_MAX */
	draw(INT32_MIN, INT32_MIN, "Y\nY\nY");
	draw(0, INT32_MAX, "Z\nZ");
	draw(-6, 0, "Q");
	assert_int_equal(count(INK), 0);
}

static void utf8_and_bad_bytes(void **state)
{
	(void)state;
	draw(0, 0, "\xc3\xa9"); /* U+00E9 in UTF-8: one cell */
	assert_cell(0, 0, 0xe9);
	draw(0, 13, "\xe9x"); /* a lone Latin-1 byte is not UTF-8: '?' */
	assert_cell(0, 13, '?');
	assert_cell(6, 13, 'x');
	draw(30, 0, "\xe2\x82\xac!"); /* U+20AC is not in the font */
	assert_cell(30, 0, '?');
	assert_cell(36, 0, '!');
}

static void utf8_decoder(void **state)
{
	static const struct {
		const char *s;
		size_t len, used;
		uint32_t cp;
	} cases[] = {
		{ "A", 1, 1, 'A' },
		{ "\xc3\xa9", 2, 2, 0xe9 },
		{ "\xe2\x82\xac", 3, 3, 0x20ac },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
		{ "\xc0\xaf", 2, 1, OBD_BAD_CODE },         /* overlong '/' */
		{ "\xe0\x80\xaf", 3, 1, OBD_BAD_CODE },     /* overlong */
		{ "\xed\xa0\x80", 3, 1, OBD_BAD_CODE },     /* a surrogate */
		{ "\xf4\x90\x80\x80", 4, 1, OBD_BAD_CODE }, /* past U+10FFFF */
		{ "\xe2\x82", 2, 1, OBD_BAD_CODE },         /* cut short */
		{ "\xc3" "A", 2, 1, OBD_BAD_CODE },         /* not a continuation */
		{ "\x80", 1, 1, OBD_BAD_CODE },
		{ "\xff", 1, 1, OBD_BAD_CODE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t cp = 0;

		assert_int_equal(obd_utf8_next(cases[i].s, cases[i].len, &cp), cases[i].used);
		assert_int_equal(cp, cases[i].cp);
	}
}

static void nul_bytes_are_question_marks(void **state)
{
	(void)state;
	obd_draw_text(&fb, font, 0, 0, "a\0b", 3, INK);
	assert_cell(0, 0, 'a');
	assert_cell(6, 0, '?');
	assert_cell(12, 0, 'b');
}

static void missing_font_is_named(void **state)
{
	struct obd_font *f = (struct obd_font *)&f;

	(void)state;
	assert_int_equal(obd_font_load("/nonexistent/6x13.pcf.gz", &f), -ENOENT);
	assert_null(f);
}

static void non_font_is_refused(void **state)
{
	struct obd_font *f = NULL;

	(void)state;
	/* This test's own source is no font. */
	assert_int_equal(obd_font_load(__FILE__, &f), -EINVAL);
	assert_null(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(font_is_the_6x13_cell),
		cmocka_unit_test_setup_teardown(glyphs_advance_one_cell, setup, teardown),
		cmocka_unit_test_setup_teardown(newline_returns_to_the_start_x, setup, teardown),
		cmocka_unit_test_setup_teardown(background_is_transparent, setup, teardown),
		cmocka_unit_test_setup_teardown(text_is_clipped, setup, teardown),
		cmocka_unit_test_setup_teardown(utf8_and_bad_bytes, setup, teardown),
		cmocka_unit_test(utf8_decoder),
		cmocka_unit_test_setup_teardown(nul_bytes_are_question_marks, setup, teardown),
		cmocka_unit_test(missing_font_is_named),
		cmocka_unit_test(non_font_is_refused),
	};

	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
