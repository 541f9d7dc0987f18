/*
 * ob-png-compare EXPECTED ACTUAL: compare two PNG files pixel for pixel
 * (decoded with libspng through display-common, alpha ignored), for the
 * golden-frame and window-capture tests.
 *
 * Exit status: 0 same size and pixels; 1 they differ (the size, or the
 * first differing pixel and how many differ, on stdout); 2 a file cannot
 * be read as PNG (why, on stderr).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obd/png.h"

static uint32_t *load(const char *path, unsigned *w, unsigned *h)
{
	uint32_t *px;
	int err = obd_png_read(path, &px, w, h);

	if (err) {
		fprintf(stderr, "ob-png-compare: %s: %s\n", path,
			err == -EINVAL ? "not a valid PNG" : strerror(-err));
		return NULL;
	}
	return px;
}

int main(int argc, char **argv)
{
	unsigned ew, eh, aw, ah;
	uint32_t *e, *a;
	size_t differ = 0, first = 0;
	int status;

	if (argc != 3) {
		fprintf(stderr, "usage: ob-png-compare EXPECTED.png ACTUAL.png\n");
		return 2;
	}
	e = load(argv[1], &ew, &eh);
	a = e ? load(argv[2], &aw, &ah) : NULL;
	if (!e || !a) {
		free(e);
		return 2;
	}
	if (ew != aw || eh != ah) {
		printf("%s is %ux%u, %s is %ux%u\n", argv[1], ew, eh, argv[2], aw, ah);
		status = 1;
		goto out;
	}
	for (size_t i = 0; i < (size_t)ew * eh; i++)
		if ((e[i] & 0xffffff) != (a[i] & 0xffffff) && differ++ == 0)
			first = i;
	if (differ)
		printf("%zu of %u pixels differ; the first at (%zu, %zu): expected #%06x, got #%06x\n",
		       differ, ew * eh, first % ew, first / ew, e[first] & 0xffffff,
		       a[first] & 0xffffff);
	status = differ ? 1 : 0;
out:
	free(e);
	free(a);
	return status;
}
