/*
 * draw: a deterministic drawing guest that uses every display call.
 *
 *   draw.elf            four frames, then exit 0
 *   draw.elf hold MS    the same, then wait up to MS ms for a window close
 *                       or Escape (for looking at, or capturing, a window)
 *
 * Frames (placed from display_info's size, so any screen works):
 *   1  shapes: clear, fill_rect, draw_rect, draw_line (horizontal,
 *      vertical, diagonal, shallow, steep, reversed, one point), each also
 *      clipped at the screen's edges, and calls that must draw nothing
 *   2  text: several lines with '\n', UTF-8 Latin-1 characters, a byte
 *      that is not UTF-8, all of printable ASCII, clipping on every side
 *   3  blits: XRGB8888 and RGB565 gradients with padded strides, clipped
 *      ones, a 1x1 one
 *   4  everything at once, overlapping
 *
 * Prints "draw: screen WxH format F font FWxFH", "draw: frame N" after
 * each present and "draw: done"; a failed check prints "FAIL ..." and the
 * exit status is 1. The tests compare the frames with golden PNG files
 * (tests/display/golden/draw/).
 */
#include <outboard.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define GRAD_W 64
#define GRAD_H 48
#define XRGB_STRIDE (GRAD_W * 4 + 32) /* padded rows */
#define RGB565_STRIDE (GRAD_W * 2 + 10)

static int failures;
static int32_t W, H, FW, FH;
static uint8_t xrgb_px[XRGB_STRIDE * GRAD_H];
static uint8_t rgb565_px[RGB565_STRIDE * GRAD_H];

static void check(int ok, const char *what, int got)
{
	if (!ok) {
		printf("FAIL %s (got %d)\n", what, got);
		failures++;
	}
}

/* Posted calls answer 0 at once; anything else is a failure. */
#define POSTED(call) check((call) == 0, #call, 0)

static void present(int expect)
{
	int n = ob_display_present();

	check(n == expect, "display_present returns the frame number", n);
	printf("draw: frame %d\n", n);
}

static void frame_shapes(void)
{
	POSTED(ob_display_clear(0x101828));
	POSTED(ob_display_fill_rect(10, 10, 60, 40, 0xd04040));
	POSTED(ob_display_fill_rect(-20, -20, 40, 30, 0x40d040));          /* top left */
	POSTED(ob_display_fill_rect(W - 30, H - 20, 60, 60, 0x4040d0));    /* bottom right */
	POSTED(ob_display_fill_rect(100, 10, -20, 30, 0xffffff));          /* nothing */
	POSTED(ob_display_fill_rect(100, 10, 20, 0, 0xffffff));            /* nothing */
	POSTED(ob_display_fill_rect(W, 0, 10, 10, 0xffffff));              /* just off */
	POSTED(ob_display_draw_rect(80, 10, 50, 40, 0xffff00));
	POSTED(ob_display_draw_rect(140, 10, 1, 1, 0xffffff));             /* one pixel */
	POSTED(ob_display_draw_rect(150, 10, 1, 20, 0x00ffff));            /* a bar */
	POSTED(ob_display_draw_rect(-10, H - 30, 40, 40, 0xff00ff));       /* clipped */
	POSTED(ob_display_draw_rect(170, 10, -5, 5, 0xffffff));            /* nothing */
	POSTED(ob_display_draw_line(10, 60, 150, 60, 0xffffff));           /* horizontal */
	POSTED(ob_display_draw_line(160, 10, 160, 100, 0xffffff));         /* vertical */
	POSTED(ob_display_draw_line(10, 70, 90, 150, 0xff8000));           /* diagonal */
	POSTED(ob_display_draw_line(100, 70, W - 20, 100, 0x80ff00));      /* shallow */
	POSTED(ob_display_draw_line(200, 70, 220, H - 40, 0x0080ff));      /* steep */
	POSTED(ob_display_draw_line(W - 20, 120, 100, 110, 0xff0080));     /* right to left */
	POSTED(ob_display_draw_line(5, 5, 5, 5, 0xffffff));                /* one point */
	POSTED(ob_display_draw_line(-50, H - 40, W + 50, 120, 0xc0c0c0));  /* clipped twice */
	POSTED(ob_display_draw_line(-10, -10, -100, -50, 0xffffff));       /* off screen */
	POSTED(ob_display_draw_line(-100000, -100000, 100000, 100000, 0x606060));
	POSTED(ob_display_fill_rect(W - 60, 10, 20, 20, 0xff80c0ffu));     /* top byte ignored */
	present(1);
}

static void frame_text(void)
{
	char ascii[96];

	for (int c = 32; c < 127; c++)
		ascii[c - 32] = (char)c;
	ascii[95] = '\0';
	POSTED(ob_display_clear(0x000000));
	POSTED(ob_display_draw_text(4, 4, "Hello, outboard!", 0xffffff));
	POSTED(ob_display_draw_text(4, 4 + 2 * FH, "line one\nline two\n  indented", 0x80ff80));
	/* U+00E9, U+00A9 and U+00BD in UTF-8, then a lone 0xBD: not UTF-8, a '?'. */
	POSTED(ob_display_draw_text(4, 4 + 6 * FH, "Latin-1: caf\xc3\xa9 \xc2\xa9 \xc2\xbd, bad: \xbd",
				    0xffd080));
	POSTED(ob_display_draw_text(4, 4 + 7 * FH, ascii, 0xc0c0ff));
	POSTED(ob_display_draw_text(4 - 47 * FW, 4 + 8 * FH, ascii, 0xc0c0ff)); /* second half */
	POSTED(ob_display_draw_text(W - 20, 150, "clipped at the right edge", 0xff8080));
	POSTED(ob_display_draw_text(10, -6, "clipped at the top", 0x8080ff));
	POSTED(ob_display_draw_text(-9, 170, "clipped at the left", 0x80ffff));
	POSTED(ob_display_draw_text(4, H - 8, "clipped at the bottom", 0xffff80));
	POSTED(ob_display_draw_text(50, 50, "", 0xffffff));
	present(2);
}

static void make_gradients(void)
{
	for (int i = 0; i < (int)sizeof(xrgb_px); i++)
		xrgb_px[i] = 0xaa; /* padding that must never show */
	for (int i = 0; i < (int)sizeof(rgb565_px); i++)
		rgb565_px[i] = 0x55;
	for (int y = 0; y < GRAD_H; y++)
		for (int x = 0; x < GRAD_W; x++) {
			uint8_t *p = xrgb_px + y * XRGB_STRIDE + x * 4;
			unsigned r = (unsigned)x * 4, g = (unsigned)y * 5, b = 255 - (unsigned)x * 2;
			uint8_t *q = rgb565_px + y * RGB565_STRIDE + x * 2;
			unsigned v = ((unsigned)x / 2) << 11 | ((unsigned)y * 63 / (GRAD_H - 1)) << 5 |
				     (31 - (unsigned)x / 2);

			p[0] = (uint8_t)b; /* little-endian 0x??RRGGBB */
			p[1] = (uint8_t)g;
			p[2] = (uint8_t)r;
			p[3] = 0xff; /* the X byte is ignored */
			q[0] = (uint8_t)v;
			q[1] = (uint8_t)(v >> 8);
		}
}

static void frame_blits(void)
{
	make_gradients();
	POSTED(ob_display_clear(0x202020));
	POSTED(ob_display_blit(8, 8, GRAD_W, GRAD_H, OB_PIXEL_XRGB8888, XRGB_STRIDE, xrgb_px));
	POSTED(ob_display_blit(80, 8, GRAD_W, GRAD_H, OB_PIXEL_RGB565, RGB565_STRIDE, rgb565_px));
	POSTED(ob_display_blit(-16, H - 24, GRAD_W, GRAD_H, OB_PIXEL_XRGB8888, XRGB_STRIDE,
			       xrgb_px));
	POSTED(ob_display_blit(W - 40, -10, GRAD_W, GRAD_H, OB_PIXEL_RGB565, RGB565_STRIDE,
			       rgb565_px));
	/* A sub-rectangle: start inside the source, keep its stride. */
	POSTED(ob_display_blit(160, 8, 16, 16, OB_PIXEL_XRGB8888, XRGB_STRIDE,
			       xrgb_px + 20 * XRGB_STRIDE + 30 * 4));
	POSTED(ob_display_blit(200, 8, 1, 1, OB_PIXEL_RGB565, 2, rgb565_px + 2 * 10));
	present(3);
}

static void frame_everything(void)
{
	POSTED(ob_display_clear(0x303030));
	POSTED(ob_display_blit(W / 2 - GRAD_W / 2, H / 2 - GRAD_H / 2, GRAD_W, GRAD_H,
			       OB_PIXEL_RGB565, RGB565_STRIDE, rgb565_px));
	POSTED(ob_display_fill_rect(W / 2 - 10, H / 2 - 10, 20, 20, 0xffffff));
	POSTED(ob_display_draw_rect(W / 2 - GRAD_W / 2 - 1, H / 2 - GRAD_H / 2 - 1, GRAD_W + 2,
				    GRAD_H + 2, 0xff0000));
	POSTED(ob_display_draw_line(0, 0, W - 1, H - 1, 0x00ff00));
	POSTED(ob_display_draw_line(W - 1, 0, 0, H - 1, 0x0000ff));
	POSTED(ob_display_draw_text(W / 2 - 5 * FW, H / 2 - FH / 2, "overlapped", 0x000000));
	POSTED(ob_display_draw_text(2, 2, "frame 4 of 4", 0xffffff));
	present(4);
}

/* Keep the window up until it is closed, Escape is pressed or ms pass. */
static void hold(int ms)
{
	uint64_t end = ob_monotonic_ns() + (uint64_t)ms * 1000000u;
	struct ob_input_event ev;

	printf("draw: holding\n");
	fflush(stdout);
	for (;;) {
		uint64_t now = ob_monotonic_ns();
		int n;

		if (now >= end)
			return;
		n = ob_input_wait(&ev, (int32_t)((end - now) / 1000000u) + 1);
		if (n == 1 && (ev.kind == OB_EV_QUIT || (ev.kind == OB_EV_KEY_DOWN && ev.key == 27)))
			return;
		if (n < 0 && n != -ETIMEDOUT)
			return;
	}
}

int main(int argc, char **argv)
{
	struct ob_display_mode mode;
	int rc = ob_display_info(&mode);

	check(rc == 0, "display_info", rc);
	if (rc != 0)
		return 1;
	W = (int32_t)mode.width;
	H = (int32_t)mode.height;
	FW = (int32_t)mode.font_width;
	FH = (int32_t)mode.font_height;
	printf("draw: screen %dx%d format %u font %dx%d\n", (int)W, (int)H, (unsigned)mode.format,
	       (int)FW, (int)FH);
	check(mode.format == OB_PIXEL_XRGB8888, "the framebuffer is XRGB8888", (int)mode.format);
	check(FW > 0 && FH > 0, "the font has a cell", (int)FW);
	frame_shapes();
	frame_text();
	frame_blits();
	frame_everything();
	if (argc == 3 && argv[1][0] == 'h')
		hold(atoi(argv[2]));
	printf("draw: %s\n", failures ? "FAILED" : "done");
	return failures ? 1 : 0;
}
