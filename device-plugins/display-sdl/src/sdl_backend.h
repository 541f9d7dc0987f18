/*
 * display-sdl: the display and input domains in one SDL2 window.
 *
 * Display: frames are uploaded to a streaming texture and shown at once,
 * scaled by an integer factor (nearest neighbour). The answer to
 * display_present is deferred to the display's next refresh tick (a timer
 * on the plugin's poll loop, never a blocking vsync wait), which paces the
 * guest at the refresh rate.
 *
 * Input: keyboard, mouse and window events become Event{input} (key codes
 * of proto/input.proto, pointer positions in screen pixels, unscaled) once
 * the host has sent input_configure with bit 0 (start); window close is
 * KIND_QUIT, always sent. A window uncovered or restored is redrawn from
 * the last frame and reported as Event{expose}.
 *
 * SDL has no fd: while the window exists the loop wakes every
 * OBDS_POLL_MS to pump SDL's events.
 *
 * Screenshots (--screenshot FILE, for tests): after each present the
 * window renderer's pixels are read back (SDL_RenderReadPixels, the
 * window's real size, scale included) and written to FILE as PNG,
 * atomically; SIGUSR1 writes it again at any time.
 *
 * Names: obds_ is private to display-sdl.
 */
#ifndef OBDS_SDL_BACKEND_H
#define OBDS_SDL_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "obd/display.h"
#include "sdl_pace.h"

#define OBDS_LOG "display-sdl"
#define OBDS_POLL_MS 8
#define OBDS_MAX_SCALE 16u
#define OBDS_TITLE "outboard display"
/* Presents waiting for their tick; more than this are answered at once. */
#define OBDS_MAX_PENDING 8u

struct obds_pending {
	ob_call *call;
	int64_t due_ns;
};

struct obds_sdl {
	struct obd_display *d; /* not owned: the display owns us */
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Texture *tex;
	unsigned w, h, scale;
	char *screenshot;      /* --screenshot FILE, or NULL */
	int sigfd;             /* SIGUSR1, when screenshot is set; else -1 */

	struct obds_pace pace;
	struct obds_pending pending[OBDS_MAX_PENDING];
	unsigned n_pending;

	bool input_started;    /* input_configure bit 0 seen */
	int64_t input_t0_ns;   /* when it was */
};

/*
 * Open the window for d's screen. scale is --scale (NULL: the largest
 * integer scale that fits 80% of the desktop, at least 1), screenshot
 * --screenshot (may be NULL). Returns 0 and *out, or a negated errno after
 * logging why (-EINVAL bad scale, -ENODEV no video device).
 */
int obds_sdl_create(struct obd_display *d, const char *scale, const char *screenshot,
		    struct obds_sdl **out);
/* Close the window and quit SDL. Accepts NULL and a half-built object. */
void obds_sdl_destroy(struct obds_sdl *s);

/* Show frame xrgb (w x h, the screen size) now: upload, draw, screenshot,
 * present. 0, or a positive errno when SDL fails. */
int obds_sdl_show(struct obds_sdl *s, const uint32_t *xrgb);
/* Draw the last frame again (expose; SIGUSR1 with screenshot set). */
void obds_sdl_redraw(struct obds_sdl *s, bool screenshot);
/* Read the window back and write it to s->screenshot. 0 or -errno. */
int obds_sdl_screenshot(struct obds_sdl *s);

/* Pump SDL's events: input to the host through p, exposes to the display. */
void obds_sdl_pump(struct obds_sdl *s, ob_plugin_ctx *p);

/* input_configure: ctx is the struct obd_display of the plugin. */
int obds_handle_input_configure(void *ctx, ob_call *call, const ProtobufCMessage *args,
				ProtobufCMessage *result);

/* The sink (ctx: struct obds_sdl *). */
extern const struct obd_sink obds_sdl_sink;

/* --- sdl_input.c: SDL events to InputEvents (no window needed) --- */

/* The proto/input.proto KeyCode for an SDL key, 0 for keys without one. */
uint32_t obds_key_code(SDL_Keycode key);
/*
 * Fill out (kind, key, x, y; not time_ms) from an SDL event; false when the
 * event is not input. Pointer positions are divided by scale and clamped
 * to the w x h screen.
 */
bool obds_translate(const SDL_Event *ev, unsigned scale, unsigned w, unsigned h,
		    Ob__InputEvent *out);

#endif /* OBDS_SDL_BACKEND_H */
