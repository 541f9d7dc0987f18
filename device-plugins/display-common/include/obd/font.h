/*
 * The built-in font of display_draw_text: a real bitmap font file read with
 * FreeType at start, rendered once into 1-bit cells. No glyph data is
 * written by hand here.
 *
 * The default is the misc-fixed 6x13 font ("Public domain font. Share and
 * enjoy.", X.Org font-misc-misc) as Debian's xfonts-base package installs
 * it: /usr/share/fonts/X11/misc/6x13-ISO8859-1.pcf.gz. FreeType reads the
 * gzip-compressed PCF directly. Code points 32..126 and 160..255 are loaded
 * when the font has them; everything else, and anything the font lacks, is
 * drawn as '?' (which must be present).
 *
 * Text is UTF-8: a valid sequence is one code point; a byte that does not
 * start or continue a valid sequence is one '?'. '\n' moves to the next
 * line (cell height down) at the start x. The background is transparent.
 */
#ifndef OBD_FONT_H
#define OBD_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obd/framebuffer.h"

#define OBD_FONT_PATH "/usr/share/fonts/X11/misc/6x13-ISO8859-1.pcf.gz"
#define OBD_FONT_PACKAGE "xfonts-base"
#define OBD_FONT_DESCRIPTION \
	"misc-fixed 6x13 (X.Org font-misc-misc, public domain) from Debian's xfonts-base"

/* Cells larger than this are refused at load (a bitmap console font is far
 * smaller; the limit keeps a cell row in one uint32_t). */
#define OBD_FONT_MAX_CELL 32u
#define OBD_FONT_CODES 256u

struct obd_font {
	unsigned cell_w, cell_h;   /* the cell every glyph is drawn in */
	bool have[OBD_FONT_CODES]; /* code point present in the font */
	/* rows[c][y]: bit (31 - x) set when pixel (x, y) of the cell is ink */
	uint32_t rows[OBD_FONT_CODES][OBD_FONT_MAX_CELL];
};

/*
 * Load a bitmap font file (any format FreeType opens: PCF, PCF.gz, BDF) and
 * render its cells. Returns 0 and a font in *out (free with obd_font_free),
 * or a negated errno after logging why: -ENOENT when path does not exist
 * (the message names OBD_FONT_PACKAGE), -EINVAL when FreeType cannot use it
 * (not a font, not a fixed-cell bitmap font, cell too large, no '?').
 */
int obd_font_load(const char *path, struct obd_font **out);
void obd_font_free(struct obd_font *font);

/* The rows of code point cp's cell, or of '?' when the font lacks cp. */
const uint32_t *obd_font_glyph(const struct obd_font *font, uint32_t cp);

/*
 * Draw len bytes of UTF-8 text (see above) with the top-left of its first
 * cell at (x, y), clipped. text may hold NUL bytes, which are drawn as '?'.
 */
void obd_draw_text(struct obd_fb *fb, const struct obd_font *font, int32_t x, int32_t y,
		   const char *text, size_t len, uint32_t color);

/*
 * Decode one code point from s (len > 0 bytes): returns the bytes consumed
 * (1-4) and sets *cp, or returns 1 with *cp = OBD_BAD_CODE for a byte that
 * is not the start of a valid, shortest-form UTF-8 sequence.
 */
#define OBD_BAD_CODE 0xffffffffu
size_t obd_utf8_next(const char *s, size_t len, uint32_t *cp);

#endif /* OBD_FONT_H */
