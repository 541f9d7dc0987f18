/*
 * display-png: a headless display that writes frames as PNG files.
 *
 * Modes:
 * - every present (default): frame N is written as DIR/frame-0000N.png
 *   (five digits, more past 99999) before the present is answered, so a
 *   guest that has seen present return N may rely on the file;
 * - interval MS: every MS ms the last presented frame is written as
 *   DIR/frame-0000K.png, K counting files from 1. A tick with no new
 *   present since the last file writes nothing, and a frame presented
 *   since the last tick is written at exit. Presents answer at once.
 *
 * Every file is written atomically (temporary name, then rename): a reader
 * never sees half a PNG. DIR is created when missing (its parent must
 * exist) and must be writable; both are checked at start.
 *
 * Names: obdp_ is private to display-png.
 */
#ifndef OBDP_PNG_BACKEND_H
#define OBDP_PNG_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "obd/display.h"
#include "outboard/plugin.h"

#define OBDP_LOG "display-png"

struct obdp_png {
	char *dir;
	unsigned interval_ms;  /* 0: every-present mode */
	int64_t next_tick_ms;  /* interval mode: when the next file is due */
	uint32_t *last;        /* interval mode: copy of the last presented frame */
	unsigned w, h;
	bool fresh;            /* last holds a frame no file has yet */
	uint64_t files;        /* files written */
	uint64_t base;         /* added to every frame number (a restart) */
	bool dir_made;         /* dir exists: made with the first file */
};

/*
 * Check the options and prepare DIR: dir is --out (required), every is
 * --every-present ("" when given, NULL when not), interval --interval MS
 * (NULL when not given; 1 to 3600000). Returns 0 and *out, or a negated
 * errno after logging why: -EINVAL (bad or conflicting options), -ENOTDIR,
 * -EACCES and others when DIR cannot be written in or made. A missing DIR
 * (parents too) is made with the first file, not here.
 */
int obdp_png_create(const char *dir, const char *every, const char *interval,
		    struct obdp_png **out);
/* A restarted plugin: number frames after the highest frame-N.png already
 * in the directory, so that nothing its predecessor wrote is overwritten. */
void obdp_png_continue(struct obdp_png *png);
/* Writes a pending interval frame, then frees. Accepts NULL. */
void obdp_png_destroy(struct obdp_png *png);

/* The interval timer with an explicit clock (ms, as ob_now_ms), for tests:
 * ms until the next tick (-1 in every-present mode), and the tick itself,
 * which writes a file when one is due. */
int obdp_png_timeout_at(const struct obdp_png *png, int64_t now_ms);
void obdp_png_tick_at(struct obdp_png *png, int64_t now_ms);

/* The sink (ctx: struct obdp_png *); destroy is obdp_png_destroy. */
extern const struct obd_sink obdp_png_sink;

/* The plugin (plugin.c): what outboard-display-png runs. */
extern const struct ob_plugin obdp_plugin;

#endif /* OBDP_PNG_BACKEND_H */
