/*
 * ob-demo-check: what the demo test needs to know about the files a snake
 * game leaves.
 *
 *   ob-demo-check colours FILE.png
 *       prints "WxH" and then one line per colour in the image,
 *       "#rrggbb COUNT", most frequent first (ties by colour), so a test
 *       can check how many pixels of the snake's, the food's ... colours
 *       a frame shows
 *   ob-demo-check same EXPECTED.png ACTUAL.png
 *       exit 0 when both have the same size and pixels; 1 (and the first
 *       difference on stdout) when they differ
 *   ob-demo-check sound FILE.wav
 *       prints "frames N peak P loud L": the frame count, the largest
 *       absolute sample, and how many samples are not 0 (all channels)
 *
 * PNG files are decoded with display-common (libspng), WAV files with
 * libsndfile. Exit status: 0 (or 1, above), or 2 for a bad command line
 * or a file that cannot be read (why, on stderr).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "obd/png.h"

struct colour_count {
	uint32_t rgb;
	size_t n;
};

static int by_rgb(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int by_count(const void *a, const void *b)
{
	const struct colour_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->rgb < y->rgb ? -1 : x->rgb > y->rgb;
}

/* The pixels of a PNG file (0x00RRGGBB, from malloc), or NULL after
 * saying why. */
static uint32_t *load_png(const char *path, unsigned *w, unsigned *h)
{
	uint32_t *px;
	int err = obd_png_read(path, &px, w, h);

	if (err) {
		fprintf(stderr, "ob-demo-check: %s: %s\n", path,
			err == -EINVAL ? "not a valid PNG" : strerror(-err));
		return NULL;
	}
	for (size_t i = 0; i < (size_t)*w * *h; i++)
		px[i] &= 0xffffff;
	return px;
}

static int colours(const char *path)
{
	unsigned w, h;
	uint32_t *px = load_png(path, &w, &h);
	struct colour_count *counts;
	size_t n, kinds = 0;

	if (!px)
		return 2;
	n = (size_t)w * h;
	counts = calloc(n ? n : 1, sizeof(*counts));
	if (!counts) {
		free(px);
		fprintf(stderr, "ob-demo-check: out of memory\n");
		return 2;
	}
	qsort(px, n, sizeof(*px), by_rgb);
	for (size_t i = 0; i < n; i++) {
		if (kinds == 0 || counts[kinds - 1].rgb != px[i])
			counts[kinds++].rgb = px[i];
		counts[kinds - 1].n++;
	}
	qsort(counts, kinds, sizeof(*counts), by_count);
	printf("%ux%u\n", w, h);
	for (size_t i = 0; i < kinds; i++)
		printf("#%06x %zu\n", (unsigned)counts[i].rgb, counts[i].n);
	free(counts);
	free(px);
	return 0;
}

static int same(const char *expected, const char *actual)
{
	unsigned ew, eh, aw, ah;
	uint32_t *e = load_png(expected, &ew, &eh);
	uint32_t *a = e ? load_png(actual, &aw, &ah) : NULL;
	int status = 0;

	if (!a) {
		free(e);
		return 2;
	}
	if (ew != aw || eh != ah) {
		printf("%s is %ux%u, %s is %ux%u\n", expected, ew, eh, actual, aw, ah);
		status = 1;
	} else {
		for (size_t i = 0; i < (size_t)ew * eh; i++)
			if (e[i] != a[i]) {
				printf("%s differs from %s first at (%zu, %zu): #%06x, expected "
				       "#%06x\n", actual, expected, i % ew, i / ew, (unsigned)a[i],
				       (unsigned)e[i]);
				status = 1;
				break;
			}
	}
	free(a);
	free(e);
	return status;
}

static int sound(const char *path)
{
	SF_INFO info = { 0 };
	SNDFILE *sf = sf_open(path, SFM_READ, &info);
	short buf[4096];
	sf_count_t got;
	long long loud = 0;
	int peak = 0;

	if (!sf) {
		fprintf(stderr, "ob-demo-check: %s: %s\n", path, sf_strerror(NULL));
		return 2;
	}
	while ((got = sf_read_short(sf, buf, sizeof(buf) / sizeof(buf[0]))) > 0)
		for (sf_count_t i = 0; i < got; i++) {
			int v = buf[i] < 0 ? -buf[i] : buf[i];

			peak = v > peak ? v : peak;
			loud += v != 0;
		}
	printf("frames %lld peak %d loud %lld\n", (long long)info.frames, peak, loud);
	sf_close(sf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "colours"))
		return colours(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "same"))
		return same(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "sound"))
		return sound(argv[2]);
	fprintf(stderr, "usage: ob-demo-check colours FILE.png | same EXPECTED.png ACTUAL.png | "
			"sound FILE.wav\n");
	return 2;
}
