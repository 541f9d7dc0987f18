/*
 * The framebuffer and its primitives (see obd/framebuffer.h). Clipping is
 * done once per call, on int64 copies of the guest's int32 values, so no
 * sum overflows and the inner loops touch on-screen pixels only.
 */
#include "obd/framebuffer.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RGB_MASK 0x00ffffffu

/* The on-screen part of a rectangle: columns [x0, x1), rows [y0, y1). */
struct span {
	int64_t x0, x1, y0, y1;
};

static bool clip_rect(const struct obd_fb *fb, int64_t x, int64_t y, int64_t w, int64_t h,
		      struct span *s)
{
	if (w <= 0 || h <= 0)
		return false;
	s->x0 = x < 0 ? 0 : x;
	s->y0 = y < 0 ? 0 : y;
	s->x1 = x + w > fb->w ? fb->w : x + w;
	s->y1 = y + h > fb->h ? fb->h : y + h;
	return s->x0 < s->x1 && s->y0 < s->y1;
}

static bool on_screen(const struct obd_fb *fb, int64_t x, int64_t y)
{
	return x >= 0 && y >= 0 && x < fb->w && y < fb->h;
}

static void put(struct obd_fb *fb, int64_t x, int64_t y, uint32_t color)
{
	fb->px[(size_t)y * fb->w + (size_t)x] = color;
}

/* Strict unsigned decimal, no sign, no spaces; false past OBD_SCREEN_MAX
 * digits' worth (so no overflow). */
static bool parse_dim(const char *s, size_t len, unsigned *out)
{
	unsigned v = 0;

	if (len == 0 || len > 6)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

int obd_parse_screen(const char *s, unsigned *w, unsigned *h, char *why, size_t why_len)
{
	const char *x;
	unsigned pw, ph;

	if (!s || !(x = strpbrk(s, "xX")) || !parse_dim(s, (size_t)(x - s), &pw) ||
	    !parse_dim(x + 1, strlen(x + 1), &ph)) {
		snprintf(why, why_len, "'%s' is not a size: use WIDTHxHEIGHT, e.g. 320x240",
			 s ? s : "");
		return -EINVAL;
	}
	if (pw < OBD_SCREEN_MIN || ph < OBD_SCREEN_MIN || pw > OBD_SCREEN_MAX ||
	    ph > OBD_SCREEN_MAX) {
		snprintf(why, why_len, "screen %ux%u is out of range: each side must be %u to %u",
			 pw, ph, OBD_SCREEN_MIN, OBD_SCREEN_MAX);
		return -EINVAL;
	}
	*w = pw;
	*h = ph;
	return 0;
}

int obd_fb_init(struct obd_fb *fb, unsigned w, unsigned h)
{
	memset(fb, 0, sizeof(*fb));
	if (w < OBD_SCREEN_MIN || h < OBD_SCREEN_MIN || w > OBD_SCREEN_MAX || h > OBD_SCREEN_MAX)
		return -EINVAL;
	fb->px = calloc((size_t)w * h, sizeof(*fb->px));
	if (!fb->px)
		return -ENOMEM;
	fb->w = w;
	fb->h = h;
	return 0;
}

void obd_fb_fini(struct obd_fb *fb)
{
	if (!fb)
		return;
	free(fb->px);
	memset(fb, 0, sizeof(*fb));
}

void obd_fb_clear(struct obd_fb *fb, uint32_t color)
{
	obd_fb_fill_rect(fb, 0, 0, (int32_t)fb->w, (int32_t)fb->h, color);
}

void obd_fb_fill_rect(struct obd_fb *fb, int32_t x, int32_t y, int32_t w, int32_t h,
		      uint32_t color)
{
	struct span s;

	if (!clip_rect(fb, x, y, w, h, &s))
		return;
	color &= RGB_MASK;
	for (int64_t row = s.y0; row < s.y1; row++)
		for (int64_t col = s.x0; col < s.x1; col++)
			put(fb, col, row, color);
}

/* The steps i in [0, n] whose major coordinate start + dir * i lies in
 * [0, limit). False when there are none. */
static bool major_range(int64_t start, int64_t dir, uint64_t n, unsigned limit, uint64_t *lo,
			uint64_t *hi)
{
	int64_t a, b; /* as signed step numbers, before meeting [0, n] */

	if (dir > 0) {
		a = -start;
		b = (int64_t)limit - 1 - start;
	} else {
		a = start - ((int64_t)limit - 1);
		b = start;
	}
	if (a < 0)
		a = 0;
	if (b < 0 || (uint64_t)a > n)
		return false;
	*lo = (uint64_t)a;
	*hi = (uint64_t)b < n ? (uint64_t)b : n;
	return *lo <= *hi;
}

/* round(i * m / n) with halves rounded up, exactly, for i <= n < 2^32 and
 * m <= n: i * m fits in 64 bits, and the remainder test avoids 2 * i * m. */
static uint64_t minor_offset(uint64_t i, uint64_t m, uint64_t n)
{
	uint64_t p = i * m;

	return p / n + (2 * (p % n) >= n ? 1 : 0);
}

void obd_fb_draw_line(struct obd_fb *fb, int32_t x0, int32_t y0, int32_t x1, int32_t y1,
		      uint32_t color)
{
	int64_t dx = (int64_t)x1 - x0, dy = (int64_t)y1 - y0;
	uint64_t adx = (uint64_t)(dx < 0 ? -dx : dx), ady = (uint64_t)(dy < 0 ? -dy : dy);
	bool x_major = adx >= ady;
	uint64_t n = x_major ? adx : ady, m = x_major ? ady : adx, lo, hi;
	int64_t major0 = x_major ? x0 : y0, minor0 = x_major ? y0 : x0;
	int64_t major_dir = (x_major ? dx : dy) < 0 ? -1 : 1;
	int64_t minor_dir = (x_major ? dy : dx) < 0 ? -1 : 1;

	color &= RGB_MASK;
	if (n == 0) {
		if (on_screen(fb, x0, y0))
			put(fb, x0, y0, color);
		return;
	}
	if (!major_range(major0, major_dir, n, x_major ? fb->w : fb->h, &lo, &hi))
		return;
	for (uint64_t i = lo; i <= hi; i++) {
		int64_t major = major0 + major_dir * (int64_t)i;
		int64_t minor = minor0 + minor_dir * (int64_t)minor_offset(i, m, n);
		int64_t x = x_major ? major : minor, y = x_major ? minor : major;

		if (on_screen(fb, x, y))
			put(fb, x, y, color);
	}
}

void obd_fb_draw_rect(struct obd_fb *fb, int32_t x, int32_t y, int32_t w, int32_t h,
		      uint32_t color)
{
	int64_t right = (int64_t)x + w - 1, bottom = (int64_t)y + h - 1;

	if (w <= 0 || h <= 0)
		return;
	/* Each edge is a one-pixel rectangle: fill_rect clips it. Edges are
	 * clamped to int32 first; one past the screen is as good as far. */
	if (right > INT32_MAX)
		right = INT32_MAX;
	if (bottom > INT32_MAX)
		bottom = INT32_MAX;
	obd_fb_fill_rect(fb, x, y, w, 1, color);
	obd_fb_fill_rect(fb, x, (int32_t)bottom, w, 1, color);
	obd_fb_fill_rect(fb, x, y, 1, h, color);
	obd_fb_fill_rect(fb, (int32_t)right, y, 1, h, color);
}

static uint32_t read_pixel(const uint8_t *p, uint32_t format)
{
	if (format == OBD_FORMAT_XRGB8888)
		return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16) & RGB_MASK;
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8;
	uint32_t r = (v >> 11) & 0x1f, g = (v >> 5) & 0x3f, b = v & 0x1f;

	r = (r << 3) | (r >> 2);
	g = (g << 2) | (g >> 4);
	b = (b << 3) | (b >> 2);
	return r << 16 | g << 8 | b;
}

int obd_fb_blit(struct obd_fb *fb, int32_t x, int32_t y, int32_t w, int32_t h,
		uint32_t format, uint32_t stride, const uint8_t *pixels, size_t len)
{
	unsigned bpp;
	struct span s;

	if (format == OBD_FORMAT_XRGB8888)
		bpp = 4;
	else if (format == OBD_FORMAT_RGB565)
		bpp = 2;
	else
		return -EINVAL;
	if (w <= 0 || h <= 0)
		return 0;
	if ((uint64_t)stride < (uint64_t)w * bpp || (uint64_t)len < (uint64_t)stride * (uint64_t)h)
		return -EINVAL;
	if (!clip_rect(fb, x, y, w, h, &s))
		return 0;
	for (int64_t row = s.y0; row < s.y1; row++) {
		const uint8_t *src = pixels + (size_t)(row - y) * stride;

		for (int64_t col = s.x0; col < s.x1; col++)
			put(fb, col, row, read_pixel(src + (size_t)(col - x) * bpp, format));
	}
	return 0;
}
