/*
 * display-png's sink (see png_backend.h): output directory checks, file
 * naming, and the interval timer on the plugin's poll loop.
 */
#include "png_backend.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "obd/png.h"
#include "outboard/ipc.h"
#include "outboard/plugin.h"

#define MAX_INTERVAL_MS 3600000u

static int parse_interval(const char *s, unsigned *ms)
{
	char *end;
	unsigned long v;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > MAX_INTERVAL_MS)
		return -EINVAL;
	*ms = (unsigned)v;
	return 0;
}

/* Prove we can write in dir, or make it later (plugin.h: it is made with
 * the first frame). *exists says which. */
static int check_dir(const char *dir, bool *exists)
{
	char probe[PATH_MAX];
	struct stat st;
	int fd, err;

	*exists = stat(dir, &st) == 0;
	if (*exists && !S_ISDIR(st.st_mode)) {
		OB_ERROR(OBDP_LOG, "--out %s exists and is not a directory", dir);
		return -ENOTDIR;
	}
	if (!*exists) {
		err = ob_out_dir_check(dir);
		if (err)
			OB_ERROR(OBDP_LOG, "cannot create --out %s: %s", dir, strerror(-err));
		return err;
	}
	if (snprintf(probe, sizeof(probe), "%s/.probe.XXXXXX", dir) >= (int)sizeof(probe))
		return -ENAMETOOLONG;
	fd = mkstemp(probe);
	if (fd < 0) {
		err = -errno;
		OB_ERROR(OBDP_LOG, "cannot write in --out %s: %s", dir, strerror(errno));
		return err;
	}
	close(fd);
	unlink(probe);
	return 0;
}

int obdp_png_create(const char *dir, const char *every, const char *interval,
		    struct obdp_png **out)
{
	struct obdp_png *png;
	unsigned ms = 0;
	int err;

	*out = NULL;
	if (!dir || !dir[0]) {
		OB_ERROR(OBDP_LOG, "--out DIR is required");
		return -EINVAL;
	}
	if (every && interval) {
		OB_ERROR(OBDP_LOG, "--every-present and --interval exclude each other");
		return -EINVAL;
	}
	if (interval && parse_interval(interval, &ms) != 0) {
		OB_ERROR(OBDP_LOG, "--interval '%s': want milliseconds, 1 to %u", interval,
			 MAX_INTERVAL_MS);
		return -EINVAL;
	}
	bool exists;
	err = check_dir(dir, &exists);
	if (err)
		return err;
	png = calloc(1, sizeof(*png));
	if (!png || !(png->dir = strdup(dir))) {
		free(png);
		return -ENOMEM;
	}
	png->dir_made = exists;
	png->interval_ms = ms;
	png->next_tick_ms = ob_now_ms() + ms;
	*out = png;
	return 0;
}

static int write_file(struct obdp_png *png, uint64_t number, const uint32_t *xrgb, unsigned w,
		      unsigned h)
{
	char path[PATH_MAX];
	int err;

	if (!png->dir_made) {
		err = ob_out_dir_make(png->dir);
		if (err) {
			OB_ERROR(OBDP_LOG, "cannot create --out %s: %s", png->dir, strerror(-err));
			return -err;
		}
		png->dir_made = true;
	}
	number += png->base;
	if (snprintf(path, sizeof(path), "%s/frame-%05llu.png", png->dir,
		     (unsigned long long)number) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	err = obd_png_write(path, xrgb, w, h);
	if (err)
		OB_ERROR(OBDP_LOG, "cannot write %s: %s", path, strerror(-err));
	else
		png->files++;
	return err;
}

/* Interval mode: write the kept frame if it is new. */
static void write_pending(struct obdp_png *png)
{
	if (png->fresh && write_file(png, png->files + 1, png->last, png->w, png->h) == 0)
		png->fresh = false;
}

void obdp_png_continue(struct obdp_png *png)
{
	DIR *d = opendir(png->dir);
	struct dirent *e;
	unsigned long long n, last = 0;
	int len;

	if (!d)
		return; /* nothing written yet */
	while ((e = readdir(d))) {
		if (sscanf(e->d_name, "frame-%llu.png%n", &n, &len) == 1 &&
		    e->d_name[len] == '\0' && n > last)
			last = n;
	}
	closedir(d);
	png->base = last;
	if (last)
		OB_INFO(OBDP_LOG, "a restart: frames go on after frame-%05llu.png", last);
}

void obdp_png_destroy(struct obdp_png *png)
{
	if (!png)
		return;
	if (png->interval_ms)
		write_pending(png);
	free(png->last);
	free(png->dir);
	free(png);
}

/* Interval mode: keep a copy of the frame for the next tick. */
static int keep_frame(struct obdp_png *png, const uint32_t *xrgb, unsigned w, unsigned h)
{
	size_t bytes = (size_t)w * h * sizeof(*xrgb);

	if (!png->last || png->w != w || png->h != h) {
		uint32_t *p = realloc(png->last, bytes);

		if (!p)
			return ENOMEM;
		png->last = p;
		png->w = w;
		png->h = h;
	}
	memcpy(png->last, xrgb, bytes);
	png->fresh = true;
	return 0;
}

static int png_frame(void *ctx, const uint32_t *xrgb, unsigned w, unsigned h, uint64_t frame,
		     ob_call *call)
{
	struct obdp_png *png = ctx;

	(void)call;
	if (png->interval_ms)
		return keep_frame(png, xrgb, w, h);
	return -write_file(png, frame, xrgb, w, h);
}

int obdp_png_timeout_at(const struct obdp_png *png, int64_t now_ms)
{
	int64_t left;

	if (!png->interval_ms)
		return -1;
	left = png->next_tick_ms - now_ms;
	return left < 0 ? 0 : (int)left;
}

void obdp_png_tick_at(struct obdp_png *png, int64_t now_ms)
{
	if (!png->interval_ms || now_ms < png->next_tick_ms)
		return;
	write_pending(png);
	png->next_tick_ms += png->interval_ms;
	/* Far behind (the process was stopped): start counting from now. */
	if (png->next_tick_ms <= now_ms)
		png->next_tick_ms = now_ms + png->interval_ms;
}

static int png_timeout(void *ctx)
{
	return obdp_png_timeout_at(ctx, ob_now_ms());
}

static void png_process(void *ctx, ob_plugin_ctx *p)
{
	(void)p;
	obdp_png_tick_at(ctx, ob_now_ms());
}

static void png_destroy(void *ctx)
{
	obdp_png_destroy(ctx);
}

const struct obd_sink obdp_png_sink = {
	.size = sizeof(struct obd_sink),
	.frame = png_frame,
	.timeout = png_timeout,
	.process = png_process,
	.destroy = png_destroy,
};
