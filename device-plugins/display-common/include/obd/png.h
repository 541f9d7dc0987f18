/*
 * PNG files of frames, with libspng: the png backend's output, the SDL
 * backend's screenshots and the test tools' input all go through here, so
 * they agree on the format (8-bit RGB, no alpha, no gamma chunk).
 */
#ifndef OBD_PNG_H
#define OBD_PNG_H

#include <stdint.h>

/*
 * Write w x h XRGB8888 pixels (0x00RRGGBB, row-major, only read) to path
 * as an 8-bit RGB PNG, atomically: the file is written under a temporary
 * name in the same directory (".<name>.XXXXXX") and renamed over path, so
 * a reader sees either the old file or the whole new one. The file's mode
 * is 0644. Returns 0 or a negated errno (-EIO when the
 * encoder fails); on failure nothing is left behind.
 */
int obd_png_write(const char *path, const uint32_t *xrgb, unsigned w, unsigned h);

/*
 * Read any PNG (every colour type and depth libspng decodes) as XRGB8888:
 * *px gets w * h pixels from malloc (the caller frees them), alpha is
 * dropped. Images larger than 16384 x 16384 are refused. Returns 0,
 * -ENOENT and other open errors, -EINVAL (not a valid PNG) or -ENOMEM.
 */
int obd_png_read(const char *path, uint32_t **px, unsigned *w, unsigned *h);

#endif /* OBD_PNG_H */
