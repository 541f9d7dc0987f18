/*
 * display_draw_text: UTF-8 decoding and glyph placement (see obd/font.h).
 * The pen is kept in 64 bits, so a megabyte of text starting near INT32_MAX
 * still only ever draws on-screen pixels.
 */
#include "obd/font.h"

/* Continuation byte: 10xxxxxx. */
static bool cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t obd_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t v, min;
	size_t n;

	*cp = OBD_BAD_CODE;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xe0) == 0xc0) {
		n = 2, v = u[0] & 0x1fu, min = 0x80;
	} else if ((u[0] & 0xf0) == 0xe0) {
		n = 3, v = u[0] & 0x0fu, min = 0x800;
	} else if ((u[0] & 0xf8) == 0xf0) {
		n = 4, v = u[0] & 0x07u, min = 0x10000;
	} else {
		return 1; /* a stray continuation byte, or 0xf8..0xff */
	}
	if (n > len)
		return 1;
	for (size_t i = 1; i < n; i++) {
		if (!cont(u[i]))
			return 1;
		v = v << 6 | (u[i] & 0x3fu);
	}
	/* Overlong forms, surrogates and values past Unicode are not text. */
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 1;
	*cp = v;
	return n;
}

static void draw_glyph(struct obd_fb *fb, const struct obd_font *font, int64_t x, int64_t y,
		       uint32_t cp, uint32_t color)
{
	const uint32_t *rows = obd_font_glyph(font, cp);

	/* Cells wholly off screen are skipped before touching their rows. */
	if (x >= fb->w || y >= fb->h || x + font->cell_w <= 0 || y + font->cell_h <= 0)
		return;
	for (unsigned r = 0; r < font->cell_h; r++) {
		int64_t py = y + r;

		if (py < 0 || py >= fb->h || !rows[r])
			continue;
		for (unsigned c = 0; c < font->cell_w; c++) {
			int64_t px = x + c;

			if (px >= 0 && px < fb->w && (rows[r] & (0x80000000u >> c)))
				fb->px[(size_t)py * fb->w + (size_t)px] = color;
		}
	}
}

void obd_draw_text(struct obd_fb *fb, const struct obd_font *font, int32_t x, int32_t y,
		   const char *text, size_t len, uint32_t color)
{
	int64_t pen_x = x, pen_y = y;
	size_t i = 0;

	color &= 0x00ffffffu;
	while (i < len) {
		uint32_t cp;

		i += obd_utf8_next(text + i, len - i, &cp);
		if (cp == '\n') {
			pen_x = x;
			pen_y += font->cell_h;
			continue;
		}
		draw_glyph(fb, font, pen_x, pen_y, cp, color);
		pen_x += font->cell_w;
	}
}
