/*
 * PNG files: a frame written and read back is the same pixels; the file is
 * 8-bit RGB (checked with libspng directly); writes are atomic (no
 * temporary file is left, a failed write leaves nothing); bad files and
 * paths give the documented errors.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <spng.h>

#include "obd/png.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/obd-png.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	(void)state;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(dir);
	return 0;
}

static unsigned entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void round_trip(void **state)
{
	enum { W = 37, H = 19 };
	uint32_t px[W * H], *back = NULL;
	unsigned w = 0, h = 0;
	char path[128];

	(void)state;
	for (unsigned i = 0; i < W * H; i++)
		px[i] = (i * 2654435761u) & 0xffffffu;
	snprintf(path, sizeof(path), "%s/frame.png", dir);
	assert_int_equal(obd_png_write(path, px, W, H), 0);
	assert_int_equal(entries(), 1); /* no temporary file left */
	assert_int_equal(obd_png_read(path, &back, &w, &h), 0);
	assert_int_equal(w, W);
	assert_int_equal(h, H);
	assert_memory_equal(back, px, sizeof(px));
	free(back);
	/* Overwriting replaces the file whole. */
	memset(px, 0, sizeof(px));
	assert_int_equal(obd_png_write(path, px, W, H), 0);
	assert_int_equal(obd_png_read(path, &back, &w, &h), 0);
	assert_memory_equal(back, px, sizeof(px));
	free(back);
	assert_int_equal(entries(), 1);
}

static void file_is_8bit_rgb(void **state)
{
	uint32_t px[16 * 16] = { 0 };
	struct spng_ihdr ihdr;
	char path[128];
	spng_ctx *ctx;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/rgb.png", dir);
	assert_int_equal(obd_png_write(path, px, 16, 16), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	ctx = spng_ctx_new(0);
	assert_int_equal(spng_set_png_file(ctx, f), 0);
	assert_int_equal(spng_get_ihdr(ctx, &ihdr), 0);
	assert_int_equal(ihdr.color_type, SPNG_COLOR_TYPE_TRUECOLOR);
	assert_int_equal(ihdr.bit_depth, 8);
	assert_int_equal(ihdr.width, 16);
	spng_ctx_free(ctx);
	fclose(f);
}

static void write_into_missing_dir_fails_cleanly(void **state)
{
	uint32_t px[16 * 16] = { 0 };
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/frame.png", dir);
	assert_int_equal(obd_png_write(path, px, 16, 16), -ENOENT);
	/* Renaming over a directory fails after the temporary file exists:
	 * it must be removed again. */
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(obd_png_write(path, px, 16, 16), -EISDIR);
	assert_int_equal(entries(), 1);
	rmdir(path);
}

static void read_errors(void **state)
{
	uint32_t *px = (uint32_t *)&px;
	unsigned w, h;
	char path[128];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/missing.png", dir);
	assert_int_equal(obd_png_read(path, &px, &w, &h), -ENOENT);
	assert_null(px);
	snprintf(path, sizeof(path), "%s/text.png", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a PNG at all, just some text that is long enough", f);
	fclose(f);
	assert_int_equal(obd_png_read(path, &px, &w, &h), -EINVAL);
	assert_null(px);
}

static void truncated_png_is_refused(void **state)
{
	uint32_t px[64 * 64], *back = NULL;
	char path[128];
	unsigned w, h;
	struct stat st;

	(void)state;
	for (unsigned i = 0; i < 64 * 64; i++)
		px[i] = i * 7919u & 0xffffff;
	snprintf(path, sizeof(path), "%s/cut.png", dir);
	assert_int_equal(obd_png_write(path, px, 64, 64), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(truncate(path, st.st_size / 2), 0);
	assert_int_equal(obd_png_read(path, &back, &w, &h), -EINVAL);
	assert_null(back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(file_is_8bit_rgb, setup, teardown),
		cmocka_unit_test_setup_teardown(write_into_missing_dir_fails_cleanly, setup,
						teardown),
		cmocka_unit_test_setup_teardown(read_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(truncated_png_is_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
