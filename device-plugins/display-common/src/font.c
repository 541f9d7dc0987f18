/*
 * Loading the built-in font (see obd/font.h): FreeType opens the file and
 * renders each glyph once; the cells are kept as bit rows and FreeType is
 * closed again, so drawing text never calls into it.
 */
#include "obd/font.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "outboard/log.h"

#define LOG "display"

/* The code points loaded: printable ASCII and Latin-1. */
static bool wanted(unsigned c)
{
	return (c >= 32 && c <= 126) || (c >= 160 && c <= 255);
}

static bool ink(const FT_Bitmap *bm, unsigned row, unsigned col)
{
	const unsigned char *line = bm->buffer + (ptrdiff_t)row * bm->pitch;

	if (bm->pixel_mode == FT_PIXEL_MODE_MONO)
		return line[col / 8] & (0x80u >> (col % 8));
	return line[col] >= 128; /* a grey rendering: threshold it */
}

/* Render one glyph's bitmap into its cell; ascent is the baseline's row. */
static void store_glyph(struct obd_font *font, unsigned code, const FT_GlyphSlot slot,
			int ascent)
{
	const FT_Bitmap *bm = &slot->bitmap;

	for (unsigned r = 0; r < bm->rows; r++) {
		int y = ascent - slot->bitmap_top + (int)r;

		if (y < 0 || y >= (int)font->cell_h)
			continue;
		for (unsigned c = 0; c < bm->width; c++) {
			int x = slot->bitmap_left + (int)c;

			if (x >= 0 && x < (int)font->cell_w && ink(bm, r, c))
				font->rows[code][y] |= 0x80000000u >> x;
		}
	}
	font->have[code] = true;
}

/* Cell size from the selected strike; 0 on success or -EINVAL (logged). */
static int measure(FT_Face face, const char *path, struct obd_font *font, int *ascent)
{
	const FT_Size_Metrics *m;

	if (!FT_HAS_FIXED_SIZES(face) || FT_Select_Size(face, 0) != 0) {
		OB_ERROR(LOG, "%s is not a bitmap font", path);
		return -EINVAL;
	}
	m = &face->size->metrics;
	font->cell_w = (unsigned)(m->max_advance >> 6);
	font->cell_h = (unsigned)((m->ascender - m->descender) >> 6);
	*ascent = (int)(m->ascender >> 6);
	if (font->cell_w == 0 || font->cell_h == 0 || font->cell_w > OBD_FONT_MAX_CELL ||
	    font->cell_h > OBD_FONT_MAX_CELL) {
		OB_ERROR(LOG, "%s: a %ux%u cell is not usable (1 to %u pixels each way)", path,
			 font->cell_w, font->cell_h, OBD_FONT_MAX_CELL);
		return -EINVAL;
	}
	return 0;
}

static int render_all(FT_Face face, const char *path, struct obd_font *font)
{
	int ascent, err = measure(face, path, font, &ascent);

	if (err)
		return err;
	if (FT_Select_Charmap(face, FT_ENCODING_UNICODE) != 0)
		OB_WARN(LOG, "%s has no Unicode charmap; using its own encoding", path);
	for (unsigned c = 0; c < OBD_FONT_CODES; c++) {
		FT_UInt index;

		if (!wanted(c) || (index = FT_Get_Char_Index(face, c)) == 0)
			continue;
		if (FT_Load_Glyph(face, index, FT_LOAD_RENDER | FT_LOAD_TARGET_MONO) != 0) {
			OB_WARN(LOG, "%s: glyph U+%04X does not render; drawn as '?'", path, c);
			continue;
		}
		store_glyph(font, c, face->glyph, ascent);
	}
	if (!font->have['?']) {
		OB_ERROR(LOG, "%s has no '?', which stands for missing characters", path);
		return -EINVAL;
	}
	return 0;
}

int obd_font_load(const char *path, struct obd_font **out)
{
	FT_Library lib = NULL;
	FT_Face face = NULL;
	struct obd_font *font = NULL;
	struct stat st;
	int err;

	*out = NULL;
	if (stat(path, &st) != 0) {
		err = -errno;
		if (err == -ENOENT)
			OB_ERROR(LOG, "font %s is missing; it comes with the Debian package %s "
				 "(apt-get install %s)", path, OBD_FONT_PACKAGE, OBD_FONT_PACKAGE);
		else
			OB_ERROR(LOG, "font %s: %s", path, strerror(-err));
		return err;
	}
	font = calloc(1, sizeof(*font));
	if (!font)
		return -ENOMEM;
	if (FT_Init_FreeType(&lib) != 0) {
		OB_ERROR(LOG, "FreeType does not start");
		err = -ENOMEM;
		goto out;
	}
	if (FT_New_Face(lib, path, 0, &face) != 0) {
		OB_ERROR(LOG, "FreeType cannot read %s as a font", path);
		err = -EINVAL;
		goto out;
	}
	err = render_all(face, path, font);
out:
	if (face)
		FT_Done_Face(face);
	if (lib)
		FT_Done_FreeType(lib);
	if (err) {
		free(font);
		return err;
	}
	OB_DEBUG(LOG, "font %s: %ux%u cells", path, font->cell_w, font->cell_h);
	*out = font;
	return 0;
}

void obd_font_free(struct obd_font *font)
{
	free(font);
}

const uint32_t *obd_font_glyph(const struct obd_font *font, uint32_t cp)
{
	if (cp >= OBD_FONT_CODES || !font->have[cp])
		cp = '?';
	return font->rows[cp];
}
