/*
 * display-sdl's window (see sdl_backend.h): SDL start-up with hints that
 * leave signals and pacing to us, the integer scale, the streaming
 * texture, and screenshots read back from the window's renderer.
 */
#define _GNU_SOURCE /* signalfd */
#include "sdl_backend.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "obd/png.h"

static int parse_scale(const char *s, unsigned *scale)
{
	char *end;
	unsigned long v;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > OBDS_MAX_SCALE)
		return -EINVAL;
	*scale = (unsigned)v;
	return 0;
}

/* The largest integer scale whose window fits 80% of the desktop. */
static unsigned default_scale(unsigned w, unsigned h)
{
	SDL_Rect r;
	unsigned sx, sy, s;

	if (SDL_GetDisplayUsableBounds(0, &r) != 0 || r.w <= 0 || r.h <= 0)
		return 1;
	sx = (unsigned)r.w * 4 / 5 / w;
	sy = (unsigned)r.h * 4 / 5 / h;
	s = sx < sy ? sx : sy;
	return s < 1 ? 1 : s > OBDS_MAX_SCALE ? OBDS_MAX_SCALE : s;
}

static int refresh_rate(void)
{
	SDL_DisplayMode mode;

	return SDL_GetDesktopDisplayMode(0, &mode) == 0 ? mode.refresh_rate : 0;
}

/* SIGUSR1 through a signalfd, blocked before SDL or nanomsg start threads
 * so that it only ever reaches the fd. */
static int open_sigusr1(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int open_window(struct obds_sdl *s)
{
	s->win = SDL_CreateWindow(OBDS_TITLE, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
				  (int)(s->w * s->scale), (int)(s->h * s->scale), SDL_WINDOW_SHOWN);
	if (!s->win)
		return -ENODEV;
	s->ren = SDL_CreateRenderer(s->win, -1, 0);
	if (!s->ren)
		s->ren = SDL_CreateRenderer(s->win, -1, SDL_RENDERER_SOFTWARE);
	if (!s->ren)
		return -ENODEV;
	s->tex = SDL_CreateTexture(s->ren, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING,
				   (int)s->w, (int)s->h);
	if (!s->tex)
		return -ENODEV;
	return 0;
}

/* True when SDL_VIDEODRIVER (a name, or SDL's comma-separated list) names
 * driver. */
static bool asked_for(const char *driver)
{
	const char *want = SDL_GetHint(SDL_HINT_VIDEODRIVER);
	size_t n = strlen(driver);

	while (want && *want) {
		size_t len = strcspn(want, ",");

		if (len == n && SDL_strncasecmp(want, driver, n) == 0)
			return true;
		want += len + (want[len] == ',');
	}
	return false;
}

/* SDL falls back to a driver that draws nowhere (offscreen, dummy) when it
 * finds no display: the guest would then wait for keys that cannot come.
 * Refuse, unless the user chose that driver. */
static int check_driver(void)
{
	const char *drv = SDL_GetCurrentVideoDriver();

	if (!drv || (SDL_strcasecmp(drv, "offscreen") != 0 && SDL_strcasecmp(drv, "dummy") != 0) ||
	    asked_for(drv))
		return 0;
	OB_ERROR(OBDS_LOG, "no display: SDL found none it can use (DISPLAY=%s, WAYLAND_DISPLAY=%s) "
		 "and fell back to its '%s' driver, which shows nothing and takes no keys; "
		 "set SDL_VIDEODRIVER=offscreen to run without one",
		 getenv("DISPLAY") ? getenv("DISPLAY") : "unset",
		 getenv("WAYLAND_DISPLAY") ? getenv("WAYLAND_DISPLAY") : "unset", drv);
	return -ENODEV;
}

int obds_sdl_create(struct obd_display *d, const char *scale, const char *screenshot,
		    struct obds_sdl **out)
{
	struct obds_sdl *s;
	int err;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->d = d;
	s->sigfd = -1;
	s->w = obd_display_fb(d)->w;
	s->h = obd_display_fb(d)->h;
	if (scale && parse_scale(scale, &s->scale) != 0) {
		OB_ERROR(OBDS_LOG, "--scale '%s': want a whole number, 1 to %u", scale,
			 OBDS_MAX_SCALE);
		err = -EINVAL;
		goto fail;
	}
	if (screenshot) {
		err = -ENOMEM;
		if (!(s->screenshot = strdup(screenshot)))
			goto fail;
		if ((err = s->sigfd = open_sigusr1()) < 0)
			goto fail;
	}
	/* Signals are the SDK's, and presents are paced by our timer. */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "nearest");
	SDL_SetHint(SDL_HINT_RENDER_VSYNC, "0");
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		OB_ERROR(OBDS_LOG, "SDL cannot open a display (%s); is DISPLAY set?",
			 SDL_GetError());
		err = -ENODEV;
		goto fail;
	}
	if ((err = check_driver()) != 0)
		goto fail;
	if (!s->scale)
		s->scale = default_scale(s->w, s->h);
	if ((err = open_window(s)) != 0) {
		OB_ERROR(OBDS_LOG, "cannot open a %ux%u window: %s", s->w * s->scale,
			 s->h * s->scale, SDL_GetError());
		goto fail;
	}
	obds_pace_init(&s->pace, refresh_rate(), obds_now_ns());
	OB_INFO(OBDS_LOG, "window %ux%u (scale %u), %.1f Hz", s->w * s->scale, s->h * s->scale,
		s->scale, 1e9 / (double)s->pace.period_ns);
	obds_sdl_show(s, obd_display_fb(d)->px); /* black until the guest draws */
	*out = s;
	return 0;
fail:
	obds_sdl_destroy(s);
	return err;
}

void obds_sdl_destroy(struct obds_sdl *s)
{
	if (!s)
		return;
	if (s->tex)
		SDL_DestroyTexture(s->tex);
	if (s->ren)
		SDL_DestroyRenderer(s->ren);
	if (s->win)
		SDL_DestroyWindow(s->win);
	if (SDL_WasInit(SDL_INIT_VIDEO))
		SDL_Quit();
	if (s->sigfd >= 0)
		close(s->sigfd);
	free(s->screenshot);
	free(s);
}

static void render(struct obds_sdl *s)
{
	SDL_RenderClear(s->ren);
	SDL_RenderCopy(s->ren, s->tex, NULL, NULL);
}

int obds_sdl_show(struct obds_sdl *s, const uint32_t *xrgb)
{
	if (SDL_UpdateTexture(s->tex, NULL, xrgb, (int)(s->w * sizeof(*xrgb))) != 0) {
		OB_ERROR(OBDS_LOG, "texture upload: %s", SDL_GetError());
		return EIO;
	}
	render(s);
	/* SDL reads back reliably only before presenting the buffer. */
	if (s->screenshot)
		obds_sdl_screenshot(s);
	SDL_RenderPresent(s->ren);
	return 0;
}

void obds_sdl_redraw(struct obds_sdl *s, bool screenshot)
{
	render(s);
	if (screenshot && s->screenshot)
		obds_sdl_screenshot(s);
	SDL_RenderPresent(s->ren);
}

int obds_sdl_screenshot(struct obds_sdl *s)
{
	int w, h, err;
	uint32_t *px;

	if (SDL_GetRendererOutputSize(s->ren, &w, &h) != 0 || w <= 0 || h <= 0)
		return -EIO;
	px = malloc((size_t)w * (size_t)h * sizeof(*px));
	if (!px)
		return -ENOMEM;
	if (SDL_RenderReadPixels(s->ren, NULL, SDL_PIXELFORMAT_RGB888, px, w * 4) != 0) {
		OB_ERROR(OBDS_LOG, "reading the window back: %s", SDL_GetError());
		free(px);
		return -EIO;
	}
	err = obd_png_write(s->screenshot, px, (unsigned)w, (unsigned)h);
	if (err)
		OB_ERROR(OBDS_LOG, "screenshot %s: %s", s->screenshot, strerror(-err));
	free(px);
	return err;
}
