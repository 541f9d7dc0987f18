/*
 * PNG encode and decode with libspng (see obd/png.h). The image is encoded
 * to memory first, so a failure leaves no half-written file, and written
 * with one write loop to a temporary file that is then renamed into place.
 */
#include "obd/png.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spng.h>

#include "outboard/log.h"

#define LOG "display"
#define READ_LIMIT 16384u

/* XRGB rows to packed RGB bytes; NULL when out of memory. */
static uint8_t *to_rgb(const uint32_t *xrgb, unsigned w, unsigned h, size_t *len)
{
	size_t n = (size_t)w * h;
	uint8_t *rgb = malloc(n ? n * 3 : 1);

	if (!rgb)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		rgb[3 * i] = (uint8_t)(xrgb[i] >> 16);
		rgb[3 * i + 1] = (uint8_t)(xrgb[i] >> 8);
		rgb[3 * i + 2] = (uint8_t)xrgb[i];
	}
	*len = n * 3;
	return rgb;
}

/* Encode to a malloc'd buffer; NULL (logged) on failure. */
static void *encode(const uint32_t *xrgb, unsigned w, unsigned h, size_t *png_len)
{
	struct spng_ihdr ihdr = { .width = w, .height = h, .bit_depth = 8,
				  .color_type = SPNG_COLOR_TYPE_TRUECOLOR };
	spng_ctx *ctx = spng_ctx_new(SPNG_CTX_ENCODER);
	size_t rgb_len = 0;
	uint8_t *rgb = to_rgb(xrgb, w, h, &rgb_len);
	void *png = NULL;
	int err = SPNG_EMEM;

	if (!ctx || !rgb)
		goto out;
	if ((err = spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1)) != 0 ||
	    (err = spng_set_ihdr(ctx, &ihdr)) != 0 ||
	    (err = spng_encode_image(ctx, rgb, rgb_len, SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE)) != 0)
		goto out;
	png = spng_get_png_buffer(ctx, png_len, &err);
out:
	if (!png)
		OB_ERROR(LOG, "PNG encoder: %s", spng_strerror(err));
	free(rgb);
	spng_ctx_free(ctx);
	return png;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* "<dir>/.<base>.XXXXXX" for path "<dir>/<base>". */
static int temp_name(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	int n = snprintf(out, size, "%.*s.%s.XXXXXX", dir_len, path, slash ? slash + 1 : path);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int obd_png_write(const char *path, const uint32_t *xrgb, unsigned w, unsigned h)
{
	char tmp[PATH_MAX];
	size_t len = 0;
	void *png;
	int fd, err;

	if ((err = temp_name(path, tmp, sizeof(tmp))) != 0)
		return err;
	png = encode(xrgb, w, h, &len);
	if (!png)
		return -EIO;
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	err = write_all(fd, png, len);
	if (!err && fchmod(fd, 0644) != 0)
		err = -errno;
	if (close(fd) != 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) != 0)
		err = -errno;
	if (err)
		unlink(tmp);
out:
	free(png);
	return err;
}

static void to_xrgb(const uint8_t *rgba, uint32_t *px, size_t n)
{
	for (size_t i = 0; i < n; i++)
		px[i] = (uint32_t)rgba[4 * i] << 16 | (uint32_t)rgba[4 * i + 1] << 8 |
			rgba[4 * i + 2];
}

int obd_png_read(const char *path, uint32_t **px, unsigned *w, unsigned *h)
{
	struct spng_ihdr ihdr;
	spng_ctx *ctx = NULL;
	uint8_t *rgba = NULL;
	size_t size;
	FILE *f;
	int err;

	*px = NULL;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	ctx = spng_ctx_new(0);
	err = -ENOMEM;
	if (!ctx)
		goto out;
	err = -EINVAL;
	if (spng_set_image_limits(ctx, READ_LIMIT, READ_LIMIT) != 0 ||
	    spng_set_png_file(ctx, f) != 0 || spng_get_ihdr(ctx, &ihdr) != 0 ||
	    spng_decoded_image_size(ctx, SPNG_FMT_RGBA8, &size) != 0)
		goto out;
	err = -ENOMEM;
	rgba = malloc(size ? size : 1);
	*px = malloc((size_t)ihdr.width * ihdr.height * sizeof(**px) + 1);
	if (!rgba || !*px)
		goto out;
	err = -EINVAL;
	if (spng_decode_image(ctx, rgba, size, SPNG_FMT_RGBA8, SPNG_DECODE_TRNS) != 0)
		goto out;
	to_xrgb(rgba, *px, (size_t)ihdr.width * ihdr.height);
	*w = ihdr.width;
	*h = ihdr.height;
	err = 0;
out:
	if (err) {
		free(*px);
		*px = NULL;
	}
	free(rgba);
	spng_ctx_free(ctx);
	fclose(f);
	return err;
}
