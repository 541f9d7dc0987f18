/* The outboard-display-png plugin description: its options, its init and fini over
 * the core library, and its confinement. main.c runs it; fuzz_plugins
 * drives the same description. */
#include <errno.h>

#include "png_backend.h"

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_DISPLAY };

/* Confined beyond the SDK's base list (docs/confinement.md) to writing
 * frames: a temporary file made with mkstemp in --out, renamed into
 * place (or removed when writing failed). */
static const char *const allow_syscalls[] = {
	"openat", "fchmod", "rename", "renameat", "renameat2", "unlink", "unlinkat",
	/* --out is made with the first frame (mkdir -p) */
	"mkdir", "mkdirat",
	NULL,
};

static const struct ob_plugin_option options[] = {
	{ .name = "out", .has_arg = true, .arg_name = "DIR",
	  .help = "write frame-00001.png, ... here; created if missing (required)" },
	{ .name = "every-present", .has_arg = false,
	  .help = "one file per display_present (the default)" },
	{ .name = "interval", .has_arg = true, .arg_name = "MS",
	  .help = "instead, write the last presented frame every MS milliseconds" },
	OBD_OPTIONS,
	{ .name = NULL },
};

static int png_init(ob_plugin_ctx *p, void **ctx)
{
	struct obd_display *d = NULL;
	struct obdp_png *png = NULL;
	int err;

	err = obdp_png_create(ob_plugin_opt(p, "out"), ob_plugin_opt(p, "every-present"),
			      ob_plugin_opt(p, "interval"), &png);
	if (!err)
		err = obd_display_from_plugin(p, &d);
	if (err) {
		obdp_png_destroy(png);
		return -err;
	}
	obd_display_attach(d, &obdp_png_sink, png);
	if (ob_plugin_restart_count())
		obdp_png_continue(png);
	if (png->interval_ms)
		OB_INFO(OBDP_LOG, "writing the last frame every %u ms to %s", png->interval_ms,
			png->dir);
	else
		OB_INFO(OBDP_LOG, "writing every frame to %s", png->dir);
	*ctx = d;
	return 0;
}

const struct ob_plugin obdp_plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "display-png",
	.version = "1.0",
	.summary = "the display domain, headless: every frame a PNG file (libspng)",
	.domains = domains,
	.n_domains = 1,
	.handlers = obd_handlers,
	.n_handlers = OBD_N_HANDLERS,
	.options = options,
	.init = png_init,
	.pollfds = obd_plugin_pollfds,
	.timeout = obd_plugin_timeout,
	.process = obd_plugin_process,
	.fini = obd_plugin_fini,
	.allow_syscalls = allow_syscalls,
};
