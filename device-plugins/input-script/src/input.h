/*
 * outboard-input-script's backend: a loaded script, its player, the
 * input_configure handler that starts the script's clock, and the SDK's
 * timeout/process hooks that send the events when they are due (events
 * are never sent from a handler, and nothing sleeps).
 */
#ifndef OBIS_INPUT_H
#define OBIS_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "outboard/plugin.h"
#include "player.h"
#include "script.h"

struct obis_input {
	struct obis_script script;
	struct obis_player player;      /* plays script */
	const char *path;               /* for logs; borrowed */
};

/* Load the script at path. 0 and a new backend in *out, or a negated
 * errno with the reason ("FILE:LINE:COL: message") in err. */
int obis_input_create(const char *path, struct obis_input **out, char *err, size_t errlen);

/* Accepts NULL. */
void obis_input_destroy(struct obis_input *in);

/* The handler table: input_configure (posted: its answer is only counted). */
extern const struct ob_handler obis_handlers[];
#define OBIS_N_HANDLERS 1

/* The monotonic clock the player runs on, in ns. */
int64_t obis_now_ns(void);

/* The plugin hooks (struct ob_plugin's timeout and process); ctx is a
 * struct obis_input. process sends the due events with ob_plugin_event. */
int obis_input_timeout(void *ctx);
void obis_input_process(void *ctx, ob_plugin_ctx *p);

/* The plugin (plugin.c): what outboard-input-script runs. */
extern const struct ob_plugin obis_plugin;

#endif /* OBIS_INPUT_H */
