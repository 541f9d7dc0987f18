/*
 * draw_bad: display calls with bad arguments, and what the guest sees.
 *
 * - Refused by the CPU host before anything is sent (the guest gets the
 *   error back at once): a NULL or unreadable pixel pointer, a row count
 *   whose stride * h overflows (h = -1), a NULL string, a NULL
 *   display_info struct: -EFAULT.
 * - Also refused by the CPU host, although blit is posted: an unknown
 *   pixel format, a stride below a row of pixels: -EINVAL (the call table
 *   checks them, since a posted call's plugin could only log the error).
 *
 * Then one marker rectangle and a present, which must still be frame 1:
 * the plugin lived through all of it. Prints "draw_bad: ok" and exits 0
 * when every return value was as expected, else "FAIL ..." lines and 1.
 */
#include <outboard.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>

static int failures;
static uint8_t px[16 * 4 * 4];

static void expect(int got, int want, const char *what)
{
	if (got != want) {
		printf("FAIL %s: got %d, want %d\n", what, got, want);
		failures++;
	}
}

int main(void)
{
	struct ob_display_mode mode;

	expect(ob_display_info(&mode), 0, "display_info");
	expect(ob_display_clear(0x000040), 0, "clear");
	/* Refused by the host before posting: the guest sees the EINVAL. */
	expect(ob_display_blit(0, 0, 4, 4, 7, 16, px), -EINVAL, "blit with format 7");
	expect(ob_display_blit(0, 0, 4, 4, OB_PIXEL_XRGB8888, 8, px), -EINVAL,
	       "blit with stride 8 for 4 XRGB pixels");
	expect(ob_display_blit(0, 0, 4, 4, OB_PIXEL_RGB565, 0, px), -EINVAL, "blit with stride 0");
	/* Refused by the host. */
	expect(ob_display_blit(0, 0, 4, 4, OB_PIXEL_XRGB8888, 16, NULL), -EFAULT, "blit of NULL");
	expect(ob_display_blit(0, 0, 4, 4, OB_PIXEL_XRGB8888, 16, (const void *)0x100), -EFAULT,
	       "blit from unmapped memory");
	expect(ob_display_blit(0, 0, 4, -1, OB_PIXEL_XRGB8888, 16, px), -EFAULT,
	       "blit with h = -1 (stride * h overflows)");
	expect(ob_display_draw_text(0, 0, NULL, 0xffffff), -EFAULT, "draw_text of NULL");
	expect(ob_display_info(NULL), -EFAULT, "display_info into NULL");
	/* Harmless: nothing to draw. */
	expect(ob_display_blit(0, 0, -4, 4, OB_PIXEL_XRGB8888, 0, px), 0, "blit with w = -4");
	expect(ob_display_fill_rect(0, 0, -8, -8, 0xffffff), 0, "fill_rect with negative size");
	/* The one thing this frame shows. */
	expect(ob_display_fill_rect(8, 8, 8, 8, 0xffffff), 0, "marker");
	expect(ob_display_present(), 1, "present after the bad calls");
	printf("draw_bad: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
