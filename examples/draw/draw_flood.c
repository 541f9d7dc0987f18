/*
 * draw_flood: the display's rare paths under its seccomp filter
 * (tests/display/flood.sh). PRESENTS back-to-back presents (each queues a
 * vsync event the host may not have taken yet: the plugin's event queue
 * overflows), then BLITS blits with no present after them, so that the
 * guest exits with drawing still queued at the plugin (shutdown under
 * backlog). The blits are a 64x64 tile, or with ROWS > 0 strips 320 pixels
 * wide and 1 to ROWS rows high (up to 300 KiB each at 240 rows): the
 * plugin's receiving thread allocates each, its main thread frees it.
 *
 *   draw_flood.elf [PRESENTS [BLITS [ROWS]]]     defaults: 1000, 1000, 0
 *
 * Prints "draw_flood: N presents, M blits" and exits 0, or "FAIL ..." and 1.
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define TILE 64
#define STRIP_W 320
#define STRIP_ROWS 240

static uint32_t pixels[STRIP_W * STRIP_ROWS];

int main(int argc, char **argv)
{
	int presents = argc > 1 ? atoi(argv[1]) : 1000;
	int blits = argc > 2 ? atoi(argv[2]) : 1000;
	int rows = argc > 3 ? atoi(argv[3]) : 0;

	if (rows < 0 || rows > STRIP_ROWS) {
		printf("FAIL ROWS must be 0 to %d\n", STRIP_ROWS);
		return 1;
	}
	for (int i = 0; i < STRIP_W * STRIP_ROWS; i++)
		pixels[i] = 0xff000000u | (uint32_t)i * 2654435761u;
	for (int i = 0; i < presents; i++) {
		int r = ob_display_present();
		if (r < 0) {
			printf("FAIL present %d: %d\n", i, r);
			return 1;
		}
	}
	for (int i = 0; i < blits; i++) {
		int r;
		if (rows == 0)
			r = ob_display_blit((i * 7) % 600, (i * 13) % 400, TILE, TILE,
					    OB_PIXEL_XRGB8888, TILE * 4, pixels);
		else
			r = ob_display_blit(0, 0, STRIP_W, 1 + (i * 37) % rows,
					    OB_PIXEL_XRGB8888, STRIP_W * 4, pixels);
		if (r < 0) {
			printf("FAIL blit %d: %d\n", i, r);
			return 1;
		}
	}
	printf("draw_flood: %d presents, %d blits\n", presents, blits);
	return 0;
}
