/*
 * The framebuffer every display backend draws into, and the drawing
 * primitives of the display domain (proto/display.proto). All backends share
 * this code, so a frame is the same pixels whichever backend shows it.
 *
 * Pixels are XRGB8888 held as uint32_t 0x00RRGGBB, row-major, no padding.
 * Colours from the guest are 0xRRGGBB; their top byte is ignored (stored
 * as 0), so two frames compare equal pixel by pixel.
 *
 * Every coordinate is clipped to the screen; arithmetic is done in 64 bits,
 * so any int32 value is safe, and no primitive ever visits an off-screen
 * pixel (a line from -2^31 to 2^31-1 costs as much as one across the
 * screen). A rectangle with w <= 0 or h <= 0 draws nothing.
 *
 * Names: obd_ is the display-common library's prefix (public to the
 * display backends, private to this folder's users).
 */
#ifndef OBD_FRAMEBUFFER_H
#define OBD_FRAMEBUFFER_H

#include <stddef.h>
#include <stdint.h>

/* Screen sizes a backend accepts (--screen WxH), both axes inclusive. */
#define OBD_SCREEN_MIN 16u
#define OBD_SCREEN_MAX 2048u
#define OBD_SCREEN_DEFAULT_W 320u
#define OBD_SCREEN_DEFAULT_H 240u

/* The pixel formats of DisplayBlit (values of ob.PixelFormat). */
#define OBD_FORMAT_XRGB8888 1u
#define OBD_FORMAT_RGB565 2u

struct obd_fb {
	uint32_t *px; /* w * h pixels, owned by the framebuffer */
	unsigned w, h;
};

/*
 * Parse "WxH" (decimal digits, 'x' or 'X') into *w and *h. Returns 0, or
 * -EINVAL with a reason in why (why_len bytes, always NUL-terminated) for
 * anything else, including sizes outside OBD_SCREEN_MIN..OBD_SCREEN_MAX.
 */
int obd_parse_screen(const char *s, unsigned *w, unsigned *h, char *why, size_t why_len);

/* Allocate a w x h framebuffer cleared to black. 0, -EINVAL (size out of
 * range) or -ENOMEM. On failure fb is left empty (safe to fini). */
int obd_fb_init(struct obd_fb *fb, unsigned w, unsigned h);
/* Free the pixels; accepts an empty or failed framebuffer. */
void obd_fb_fini(struct obd_fb *fb);

/* The pixel at (x, y), which must be on screen (tests, screenshots). */
static inline uint32_t obd_fb_get(const struct obd_fb *fb, unsigned x, unsigned y)
{
	return fb->px[(size_t)y * fb->w + x];
}

void obd_fb_clear(struct obd_fb *fb, uint32_t color);
void obd_fb_fill_rect(struct obd_fb *fb, int32_t x, int32_t y, int32_t w, int32_t h,
		      uint32_t color);
/* Bresenham: both end points are drawn; a line whose end points are equal
 * is one pixel. The pixel at major-axis step i of n (n = the larger of
 * |dx|, |dy|) has minor offset round(i * minor / n), halves rounded away
 * from the start point; clipping never changes which pixels are drawn. */
void obd_fb_draw_line(struct obd_fb *fb, int32_t x0, int32_t y0, int32_t x1, int32_t y1,
		      uint32_t color);
/* The one-pixel outline of the w x h rectangle at (x, y). */
void obd_fb_draw_rect(struct obd_fb *fb, int32_t x, int32_t y, int32_t w, int32_t h,
		      uint32_t color);

/*
 * Copy h rows of w pixels from pixels (len bytes, rows stride bytes apart,
 * little-endian, format OBD_FORMAT_*) to (x, y), clipped. RGB565 is widened
 * by bit replication (0x1f -> 0xff). Returns 0, or -EINVAL and draws
 * nothing when format is unknown, or (for w > 0 and h > 0) stride is below
 * w * bytes per pixel, or len is below stride * h. w <= 0 or h <= 0 with a
 * known format draws nothing and returns 0. pixels is only read.
 */
int obd_fb_blit(struct obd_fb *fb, int32_t x, int32_t y, int32_t w, int32_t h,
		uint32_t format, uint32_t stride, const uint8_t *pixels, size_t len);

#endif /* OBD_FRAMEBUFFER_H */
