/*
 * display-png's sink without IPC: option checks, the output directory
 * (created, refused when its parent is missing, when it is a file or not
 * writable), file names and contents in every-present mode, and the
 * interval timer driven with an explicit clock.
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

#include "obd/png.h"
#include "png_backend.h"

#define W 16
#define H 16

static char tmp[64];
static char out[128];
static uint32_t frame_px[W * H];

static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) != 0)
			rm_tree(path);
	}
	if (d)
		closedir(d);
	chmod(dir, 0755);
	rmdir(dir);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/obdp-test.XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(out, sizeof(out), "%s/frames", tmp);
	for (unsigned i = 0; i < W * H; i++)
		frame_px[i] = (i * 0x010203u) & 0xffffffu;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_tree(tmp);
	return 0;
}

static unsigned entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	if (!d && errno == ENOENT)
		return 0; /* not made (yet): empty */
	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* out/frame-<n>.png holds frame_px with its first pixel set to first. */
static void assert_frame_file(unsigned n, uint32_t first)
{
	char path[256];
	uint32_t *px;
	unsigned w, h;

	snprintf(path, sizeof(path), "%s/frame-%05u.png", out, n);
	assert_int_equal(obd_png_read(path, &px, &w, &h), 0);
	assert_int_equal(w, W);
	assert_int_equal(h, H);
	assert_int_equal(px[0], first);
	assert_memory_equal(px + 1, frame_px + 1, sizeof(frame_px) - sizeof(frame_px[0]));
	free(px);
}

static int frame(struct obdp_png *png, uint64_t n)
{
	return obdp_png_sink.frame(png, frame_px, W, H, n, NULL);
}

static void options_are_checked(void **state)
{
	static const char *const bad_intervals[] = { "", "0", "-5", "+5", "abc", "10ms",
						     "3600001", "99999999999999999999" };
	struct obdp_png *png = (struct obdp_png *)&png;

	(void)state;
	assert_int_equal(obdp_png_create(NULL, NULL, NULL, &png), -EINVAL);
	assert_null(png);
	assert_int_equal(obdp_png_create("", NULL, NULL, &png), -EINVAL);
	assert_int_equal(obdp_png_create(out, "", "100", &png), -EINVAL);
	for (size_t i = 0; i < sizeof(bad_intervals) / sizeof(bad_intervals[0]); i++)
		assert_int_equal(obdp_png_create(out, NULL, bad_intervals[i], &png), -EINVAL);
	assert_int_equal(entries(tmp), 0); /* nothing created for bad options */
	assert_int_equal(obdp_png_create(out, NULL, "3600000", &png), 0);
	assert_int_equal(png->interval_ms, 3600000);
	obdp_png_destroy(png);
	obdp_png_destroy(NULL);
}

static void out_dir_is_made_with_the_first_frame(void **state)
{
	struct obdp_png *png;
	struct stat st;

	(void)state;
	assert_int_equal(obdp_png_create(out, "", NULL, &png), 0);
	assert_int_equal(stat(out, &st), -1); /* nothing drawn: nothing made */
	assert_int_equal(frame(png, 1), 0);
	assert_frame_file(1, 0);
	obdp_png_destroy(png);
	assert_int_equal(entries(out), 1); /* the write probe never stays */
	assert_int_equal(obdp_png_create(out, NULL, NULL, &png), 0); /* exists: fine */
	obdp_png_destroy(png);
	assert_int_equal(entries(out), 1);
}

/* A restarted plugin goes on after the last frame and overwrites none. */
static void a_restart_continues_the_numbering(void **state)
{
	struct obdp_png *png;

	(void)state;
	assert_int_equal(obdp_png_create(out, NULL, NULL, &png), 0);
	obdp_png_continue(png); /* no directory yet: from 1 */
	assert_int_equal(frame(png, 1), 0);
	frame_px[0] = 0x111111;
	assert_int_equal(frame(png, 2), 0);
	obdp_png_destroy(png);
	assert_int_equal(obdp_png_create(out, NULL, NULL, &png), 0);
	obdp_png_continue(png);
	frame_px[0] = 0x222222;
	assert_int_equal(frame(png, 1), 0); /* the new instance's first frame */
	obdp_png_destroy(png);
	assert_frame_file(1, 0);
	assert_frame_file(2, 0x111111);
	assert_frame_file(3, 0x222222);
	assert_int_equal(entries(out), 3);
}

static void out_dir_errors(void **state)
{
	struct obdp_png *png;
	char path[256];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/missing/frames", tmp);
	assert_int_equal(obdp_png_create(path, NULL, NULL, &png), 0); /* made when used */
	obdp_png_destroy(png);
	assert_int_equal(entries(tmp), 0);
	snprintf(path, sizeof(path), "%s/file", tmp);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(obdp_png_create(path, NULL, NULL, &png), -ENOTDIR);
	snprintf(path, sizeof(path), "%s/file/frames", tmp);
	assert_int_equal(obdp_png_create(path, NULL, NULL, &png), -ENOTDIR);
}

static void unwritable_out_dir(void **state)
{
	struct obdp_png *png;

	(void)state;
	if (geteuid() == 0)
		skip(); /* root writes anywhere; tests/display covers it as nobody */
	assert_int_equal(mkdir(out, 0555), 0);
	assert_int_equal(obdp_png_create(out, NULL, NULL, &png), -EACCES);
}

static void every_present_writes_each_frame(void **state)
{
	struct obdp_png *png;

	(void)state;
	assert_int_equal(obdp_png_create(out, NULL, NULL, &png), 0);
	assert_int_equal(obdp_png_timeout_at(png, 0), -1); /* no timer */
	assert_int_equal(frame(png, 1), 0);
	frame_px[0] = 0xabcdef;
	assert_int_equal(frame(png, 2), 0);
	assert_int_equal(frame(png, 123456), 0);
	assert_frame_file(1, 0);
	assert_frame_file(2, 0xabcdef);
	assert_frame_file(123456, 0xabcdef);
	assert_int_equal(entries(out), 3);
	/* The directory vanishing later: the present fails with its errno. */
	rm_tree(out);
	assert_int_equal(frame(png, 3), ENOENT);
	obdp_png_destroy(png);
}

static void interval_writes_the_last_frame_per_tick(void **state)
{
	struct obdp_png *png;
	int64_t t0;

	(void)state;
	assert_int_equal(obdp_png_create(out, NULL, "100", &png), 0);
	t0 = png->next_tick_ms - 100;
	assert_int_equal(obdp_png_timeout_at(png, t0), 100);
	assert_int_equal(obdp_png_timeout_at(png, t0 + 250), 0);
	assert_int_equal(frame(png, 1), 0);
	frame_px[0] = 0x0000ff;
	assert_int_equal(frame(png, 2), 0); /* the newer one wins */
	assert_int_equal(entries(out), 0);  /* presents write nothing */
	obdp_png_tick_at(png, t0 + 99);
	assert_int_equal(entries(out), 0);  /* not due yet */
	obdp_png_tick_at(png, t0 + 100);
	assert_int_equal(entries(out), 1);
	assert_frame_file(1, 0x0000ff);
	assert_int_equal(obdp_png_timeout_at(png, t0 + 100), 100);
	obdp_png_tick_at(png, t0 + 200);   /* nothing new: no file */
	assert_int_equal(entries(out), 1);
	frame_px[0] = 0x00ff00;
	assert_int_equal(frame(png, 3), 0);
	obdp_png_tick_at(png, t0 + 10000); /* far behind: one file, then from now */
	assert_int_equal(entries(out), 2);
	assert_frame_file(2, 0x00ff00);
	assert_int_equal(obdp_png_timeout_at(png, t0 + 10000), 100);
	frame_px[0] = 0xff0000;
	assert_int_equal(frame(png, 4), 0);
	obdp_png_destroy(png);             /* written at exit */
	assert_int_equal(entries(out), 3);
	assert_frame_file(3, 0xff0000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(options_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(out_dir_is_made_with_the_first_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(a_restart_continues_the_numbering, setup, teardown),
		cmocka_unit_test_setup_teardown(out_dir_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(unwritable_out_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(every_present_writes_each_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(interval_writes_the_last_frame_per_tick, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
