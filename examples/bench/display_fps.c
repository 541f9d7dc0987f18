/*
 * display_fps: full-screen frames through the display plugin. Each frame is
 * one 320x240 XRGB8888 ob_display_blit of the whole screen plus
 * ob_display_present, which is what a game that renders in software (Doom
 * and its kind) sends. The frame is drawn once; between frames only one row
 * changes (a moving bar), so the guest's own drawing costs next to nothing
 * and the figure is the cost of getting frames to the plugin.
 *
 *   display_fps.elf [FRAMES]        default 1000
 *
 * Prints, timed with the monotonic clock after a few warm-up frames:
 *
 *   display_fps: frames=<N> total_ns=<ns> fps=<frames per second>
 *
 * Exits with 0, or 1 (and a FAIL line) when a call fails or the screen is
 * not 320x240 XRGB8888.
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define W 320
#define H 240
#define WARM_UP 10

static uint32_t frame[W * H];

/* Frame i: a fixed gradient with row i % H in white. */
static void draw_row(int i, uint32_t color)
{
	uint32_t *row = frame + (i % H) * W;
	for (int x = 0; x < W; x++)
		row[x] = color ? color : (uint32_t)((x * 255 / W) << 16 | ((i % H) * 255 / H) << 8);
}

static int one_frame(int i)
{
	draw_row(i - 1 + H, 0);
	draw_row(i, 0xffffffu);
	int r = ob_display_blit(0, 0, W, H, OB_PIXEL_XRGB8888, W * 4, frame);
	if (r < 0) {
		printf("FAIL blit %d: %d\n", i, r);
		return 1;
	}
	r = ob_display_present();
	if (r < 0) {
		printf("FAIL present %d: %d\n", i, r);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int frames = argc > 1 ? atoi(argv[1]) : 1000;
	struct ob_display_mode mode;
	uint64_t t0, t1;

	if (ob_display_info(&mode) < 0 || mode.width != W || mode.height != H ||
	    mode.format != OB_PIXEL_XRGB8888) {
		printf("FAIL the screen is not %dx%d XRGB8888\n", W, H);
		return 1;
	}
	for (int y = 0; y < H; y++)
		draw_row(y, 0);
	for (int i = 0; i < WARM_UP; i++)
		if (one_frame(i))
			return 1;
	ob_clock_get(OB_CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < frames; i++)
		if (one_frame(WARM_UP + i))
			return 1;
	ob_clock_get(OB_CLOCK_MONOTONIC, &t1);
	uint64_t ns = t1 - t0;
	printf("display_fps: frames=%d total_ns=%llu fps=%llu\n", frames, (unsigned long long)ns,
	       ns ? (unsigned long long)((uint64_t)frames * 1000000000ull / ns) : 0ull);
	return 0;
}
