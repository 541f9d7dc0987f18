/*
 * draw_flood: the display's rare paths under its seccomp filter
 * (tests/display/flood.sh). PRESENTS back-to-back presents (each queues a
 * vsync event the host may not have taken yet: the plugin's event queue
 * overflows), then BLITS blits of a full 64x64 tile with no present after
 * them, so that the guest exits with drawing still queued at the plugin
 * (shutdown under backlog).
 *
 *   draw_flood.elf [PRESENTS [BLITS]]     defaults: 1000, 1000
 *
 * Prints "draw_flood: N presents, M blits" and exits 0, or "FAIL ..." and 1.
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define TILE 64

static uint32_t tile[TILE * TILE];

int main(int argc, char **argv)
{
	int presents = argc > 1 ? atoi(argv[1]) : 1000;
	int blits = argc > 2 ? atoi(argv[2]) : 1000;

	for (int i = 0; i < TILE * TILE; i++)
		tile[i] = 0xff000000u | (uint32_t)i * 2654435761u;
	for (int i = 0; i < presents; i++) {
		int r = ob_display_present();
		if (r < 0) {
			printf("FAIL present %d: %d\n", i, r);
			return 1;
		}
	}
	for (int i = 0; i < blits; i++) {
		int r = ob_display_blit((i * 7) % 600, (i * 13) % 400, TILE, TILE,
					OB_PIXEL_XRGB8888, TILE * 4, tile);
		if (r < 0) {
			printf("FAIL blit %d: %d\n", i, r);
			return 1;
		}
	}
	printf("draw_flood: %d presents, %d blits\n", presents, blits);
	return 0;
}
