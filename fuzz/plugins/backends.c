/*
 * The backends of fuzz_plugins (backends.h). fs-hostdir, fs-mem,
 * display-png, sound-wav and input-script are their executables' own plugin
 * descriptions (each backend's plugin.c: options, init, fini), so the
 * fuzzer drives the init code the executables run. The null display and
 * null sound are written here instead: unlike the executables' sinks, which
 * ignore what they get, these read every byte they are given, so the
 * sanitizers check the sizes the common code passes.
 */
#include "backends.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostdir.h"
#include "input.h"
#include "mem.h"
#include "obd/display.h"
#include "obs/sound.h"
#include "png_backend.h"
#include "scratch.h"
#include "sdk.h"
#include "wav_sink.h"

/* The sinks add what they read here, so the reads cannot be left out. */
static volatile uint32_t sink_sum;

/* -------------------------------------------------------- display */

static const Ob__Domain display_domains[] = { OB__DOMAIN__DOMAIN_DISPLAY };

static int null_frame(void *ctx, const uint32_t *xrgb, unsigned w, unsigned h, uint64_t frame,
		      ob_call *call)
{
	uint32_t sum = 0;

	(void)ctx, (void)frame, (void)call;
	for (size_t i = 0; i < (size_t)w * h; i++)
		sum += xrgb[i];
	sink_sum += sum;
	return 0;
}

static const struct obd_sink null_display_sink = {
	.size = sizeof(struct obd_sink),
	.frame = null_frame,
};

static const struct ob_plugin_option display_null_options[] = {
	OBD_OPTIONS,
	{ .name = NULL },
};

static int display_null_init(ob_plugin_ctx *p, void **ctx)
{
	struct obd_display *d;
	int err = obd_display_from_plugin(p, &d);

	if (err)
		return -err;
	obd_display_attach(d, &null_display_sink, NULL);
	*ctx = d;
	return 0;
}

static const struct ob_plugin display_null_plugin = {
	.size = sizeof(struct ob_plugin), .name = "display-null", .version = "fuzz",
	.domains = display_domains, .n_domains = 1,
	.handlers = obd_handlers, .n_handlers = OBD_N_HANDLERS,
	.options = display_null_options, .init = display_null_init,
	.pollfds = obd_plugin_pollfds, .timeout = obd_plugin_timeout,
	.process = obd_plugin_process, .fini = obd_plugin_fini,
};

/* ---------------------------------------------------------- sound */

static const Ob__Domain sound_domains[] = { OB__DOMAIN__DOMAIN_SOUND };

static int null_start(void *sink, const struct obs_format *f)
{
	(void)sink;
	sink_sum += f->rate + f->channels;
	return 0;
}

static void null_stop(void *sink)
{
	(void)sink;
}

static size_t null_queued(void *sink)
{
	(void)sink;
	return 0;
}

static int null_push(void *sink, const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t sum = 0;

	(void)sink;
	for (size_t i = 0; i < len; i++)
		sum += b[i];
	sink_sum += sum;
	return 0;
}

static const struct obs_sink_ops null_sound_ops = {
	.size = sizeof(struct obs_sink_ops),
	.start = null_start,
	.stop = null_stop,
	.queued = null_queued,
	.push = null_push,
};

static int sound_null_init(ob_plugin_ctx *p, void **ctx)
{
	struct obs_stream *s;
	int err = obs_stream_create(&null_sound_ops, NULL, obs_complete_call, &s);

	(void)p;
	if (err)
		return -err;
	*ctx = s;
	return 0;
}

static const struct ob_plugin sound_null_plugin = {
	.size = sizeof(struct ob_plugin), .name = "sound-null", .version = "fuzz",
	.domains = sound_domains, .n_domains = 1,
	.handlers = obs_handlers, .n_handlers = OBS_N_HANDLERS,
	.init = sound_null_init, .timeout = obs_plugin_timeout,
	.process = obs_plugin_process, .fini = obs_plugin_fini,
};

/* ---------------------------------------------------------- table */

/* Room for the longest command line below, program name and --listen
 * included. */
#define MAX_ARGS 12

struct entry {
	struct obz_backend pub;
	const struct ob_plugin *plugin;
	char *argv[2][MAX_ARGS + 1]; /* NULL-terminated; option values point into them */
	int argc[2];
};

static struct entry table[OBZ_N_BACKENDS] = {
	[OBZ_FS_HOSTDIR] = {
		.pub = { "fs-hostdir", OBZ_FILES_WRITE | OBZ_FILES_CONFINED },
		.plugin = &obhd_plugin },
	[OBZ_FS_MEM] = {
		.pub = { "fs-mem", OBZ_FILES_READ },
		.plugin = &obm_plugin },
	[OBZ_DISPLAY_PNG] = {
		.pub = { "display-png", OBZ_FILES_WRITE },
		.plugin = &obdp_plugin },
	[OBZ_DISPLAY_NULL] = {
		.pub = { "display-null", OBZ_FILES_NONE },
		.plugin = &display_null_plugin },
	[OBZ_SOUND_WAV] = {
		.pub = { "sound-wav", OBZ_FILES_WRITE },
		.plugin = &obsw_plugin },
	[OBZ_SOUND_NULL] = {
		.pub = { "sound-null", OBZ_FILES_NONE },
		.plugin = &sound_null_plugin },
	[OBZ_INPUT_SCRIPT] = {
		.pub = { "input-script", OBZ_FILES_NONE },
		.plugin = &obis_plugin },
};

/* getopt wants char *; nothing here writes through it. */
static char *deconst(const char *s)
{
	return (char *)(uintptr_t)s;
}

/* The command lines: plain (0) and variant (1). The variants change
 *   fs-hostdir    --read-only
 *   fs-mem        --max-bytes 4K instead of 16M (ENOSPC paths)
 *   display-png   --interval 3600000 --screen 16x16: no file per present; the
 *                 last frame is written at fini
 *   display-null  --screen 2048x16 instead of 320x240
 *   sound-wav     --realtime: writes wait for the (never reached) play time
 * and nothing for sound-null and input-script. */

/* The endpoint every command line names, as the SDK requires one; it is
 * never bound: frames come through ob_plugin_dispatch_frame. */
static const char listen_url[] = "ipc:///nonexistent/fuzz_plugins.sock";

/* Set entry e's command line `which` from a NULL-terminated list; the
 * strings must live as long as the process (literals, scratch paths). */
static void set_args(struct entry *e, int which, const char *const *args)
{
	char **argv = e->argv[which];
	int n = 0;

	argv[n++] = deconst(e->pub.name);
	argv[n++] = deconst("--listen");
	argv[n++] = deconst(listen_url);
	for (size_t i = 0; args[i]; i++) {
		if (n >= MAX_ARGS)
			abort(); /* MAX_ARGS is too small */
		argv[n++] = deconst(args[i]);
	}
	argv[n] = NULL;
	e->argc[which] = n;
}

void obz_backends_init(void)
{
	static const char *const no_args[] = { NULL };
	const char *root = obz_scratch_path(OBZ_PLACE_ROOT);
	const char *display = obz_scratch_path(OBZ_PLACE_DISPLAY);
	const char *wav = obz_scratch_path(OBZ_PLACE_WAV);
	const char *script = obz_scratch_path(OBZ_PLACE_SCRIPT);

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
	set_args(&table[OBZ_FS_HOSTDIR], 0, ARGS("--root", root));
	set_args(&table[OBZ_FS_HOSTDIR], 1, ARGS("--root", root, "--read-only"));
	set_args(&table[OBZ_FS_MEM], 0, ARGS("--seed", root, "--max-bytes", "16M"));
	set_args(&table[OBZ_FS_MEM], 1, ARGS("--seed", root, "--max-bytes", "4K"));
	set_args(&table[OBZ_DISPLAY_PNG], 0, ARGS("--out", display, "--screen", "64x48"));
	set_args(&table[OBZ_DISPLAY_PNG], 1,
		 ARGS("--out", display, "--interval", "3600000", "--screen", "16x16"));
	set_args(&table[OBZ_DISPLAY_NULL], 0, ARGS("--screen", "320x240"));
	set_args(&table[OBZ_DISPLAY_NULL], 1, ARGS("--screen", "2048x16"));
	set_args(&table[OBZ_SOUND_WAV], 0, ARGS("--out", wav));
	set_args(&table[OBZ_SOUND_WAV], 1, ARGS("--out", wav, "--realtime"));
	set_args(&table[OBZ_SOUND_NULL], 0, no_args);
	set_args(&table[OBZ_SOUND_NULL], 1, no_args);
	set_args(&table[OBZ_INPUT_SCRIPT], 0, ARGS("--script", script));
	set_args(&table[OBZ_INPUT_SCRIPT], 1, ARGS("--script", script));
#undef ARGS
}

const struct obz_backend *obz_backend(unsigned i)
{
	return i < OBZ_N_BACKENDS ? &table[i].pub : NULL;
}

ob_plugin_ctx *obz_backend_start(unsigned i, bool variant)
{
	struct entry *e = &table[i];
	ob_plugin_ctx *p;
	int err;

	if (obp_ctx_new(e->plugin, &p))
		abort();
	if (obp_parse_options(p, e->argc[variant], e->argv[variant]))
		abort();
	err = e->plugin->init ? e->plugin->init(p, &p->ctx) : 0;
	if (err) {
		fprintf(stderr, "fuzz_plugins: %s: init failed: %s\n", e->pub.name,
			strerror(err < 0 ? -err : err));
		abort();
	}
	return p;
}

void obz_backend_stop(ob_plugin_ctx *p)
{
	if (p->plugin.fini)
		p->plugin.fini(p->ctx);
	p->ctx = NULL;
	obp_cancel_deferred(p, ECANCELED);
}
