/*
 * draw_fuzz: thousands of display calls with random arguments, extremes
 * included (INT32_MIN/MAX coordinates, negative sizes, unknown formats,
 * strides too small, strings of random bytes and invalid UTF-8), with a
 * present every 100 calls. The display plugin must answer every present
 * with the next frame number and never crash.
 *
 *   draw_fuzz.elf [SEED [CALLS]]     defaults: 1, 3000
 *
 * The generator is a fixed LCG, so a seed always replays the same calls.
 * Prints "draw_fuzz: N calls, F frames" and exits 0, or "FAIL ..." and 1.
 */
#include <outboard.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BUF_BYTES 65536

static uint32_t state = 1;
static uint8_t pixels[BUF_BYTES];

static uint32_t next(void)
{
	state = state * 1664525u + 1013904223u;
	return state;
}

/* Mostly on-screen-ish values, sometimes the extremes. */
static int32_t coord(void)
{
	switch (next() % 8) {
	case 0: return INT32_MIN;
	case 1: return INT32_MAX;
	case 2: return (int32_t)next();
	default: return (int32_t)(next() % 800) - 200;
	}
}

static int32_t size(void)
{
	switch (next() % 6) {
	case 0: return -(int32_t)(next() % 100);
	case 1: return (int32_t)next();
	default: return (int32_t)(next() % 400);
	}
}

static void random_text(char *buf, size_t cap)
{
	size_t len = next() % (cap - 1);

	for (size_t i = 0; i < len; i++) {
		uint32_t r = next() % 16;

		buf[i] = (char)(r == 0 ? '\n' : r < 4 ? (char)(0x80 | (next() & 0x7f)) :
					 (char)(1 + next() % 255));
	}
	buf[len] = '\0';
}

/* A blit whose stride * h stays inside pixels. The host refuses a bad
 * format or a stride under w pixels with -EINVAL (docs/abi.md); anything
 * else is sent and the plugin judges the rest. Returns 0 when the result
 * is the documented one. */
static int random_blit(void)
{
	int32_t w = (int32_t)(next() % 80) - 10, h = (int32_t)(next() % 80) - 10;
	uint32_t format = next() % 4, stride = next() % 400;

	if (h > 0 && (uint64_t)stride * (uint32_t)h > BUF_BYTES)
		stride = BUF_BYTES / (uint32_t)h;
	if (h < 0)
		stride = 0; /* else stride * h would overflow and be refused by the host */
	uint32_t bpp = format == OB_PIXEL_XRGB8888 ? 4 : format == OB_PIXEL_RGB565 ? 2 : 0;
	bool bad = !bpp || (w > 0 && stride < (uint32_t)w * bpp);
	int rc = ob_display_blit(coord(), coord(), w, h, format, stride, pixels);
	return rc == (bad ? -EINVAL : 0) ? 0 : (rc ? rc : -1000);
}

static int random_call(void)
{
	char text[200];

	switch (next() % 6) {
	case 0: return ob_display_fill_rect(coord(), coord(), size(), size(), next());
	case 1: return ob_display_draw_line(coord(), coord(), coord(), coord(), next());
	case 2: return ob_display_draw_rect(coord(), coord(), size(), size(), next());
	case 3:
		random_text(text, sizeof(text));
		return ob_display_draw_text(coord(), coord(), text, next());
	case 4: return random_blit();
	default: return ob_display_clear(next());
	}
}

int main(int argc, char **argv)
{
	int calls = argc > 2 ? atoi(argv[2]) : 3000, frames = 0;

	state = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1;
	for (size_t i = 0; i < sizeof(pixels); i++)
		pixels[i] = (uint8_t)next();
	for (int i = 1; i <= calls; i++) {
		int rc = random_call();

		if (rc != 0) {
			printf("FAIL call %d returned %d\n", i, rc);
			return 1;
		}
		if (i % 100 == 0) {
			rc = ob_display_present();
			if (rc != ++frames) {
				printf("FAIL present %d returned %d\n", frames, rc);
				return 1;
			}
		}
	}
	printf("draw_fuzz: %d calls, %d frames\n", calls, frames);
	return 0;
}
