/* outboard-display-sdl [--screen WxH] [--scale N] [--screenshot FILE]: the
 * display and input domains in one SDL2 window. */
#include <errno.h>

#include "sdl_backend.h"

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_DISPLAY, OB__DOMAIN__DOMAIN_INPUT };

static const struct ob_handler handlers[] = {
	OBD_HANDLER_ENTRIES,
	{ OB__REQUEST__CALL_INPUT_CONFIGURE, obds_handle_input_configure },
};

static const struct ob_plugin_option options[] = {
	OBD_OPTIONS,
	{ .name = "scale", .has_arg = true, .arg_name = "N",
	  .help = "integer window scale, 1 to 16 (default: the largest that fits 80% of "
		  "the desktop)" },
	{ .name = "screenshot", .has_arg = true, .arg_name = "FILE",
	  .help = "after every present, and on SIGUSR1, save the window's pixels as PNG "
		  "(for tests)" },
	{ .name = NULL },
};

static int sdl_init(ob_plugin_ctx *p, void **ctx)
{
	struct obd_display *d;
	struct obds_sdl *s;
	int err = obd_display_from_plugin(p, &d);

	if (err)
		return -err;
	err = obds_sdl_create(d, ob_plugin_opt(p, "scale"), ob_plugin_opt(p, "screenshot"), &s);
	if (err) {
		obd_display_destroy(d);
		return -err;
	}
	obd_display_attach(d, &obds_sdl_sink, s);
	*ctx = d;
	return 0;
}

static const struct ob_plugin plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "display-sdl",
	.version = "1.0",
	.summary = "the display and input domains in an SDL2 window",
	.domains = domains,
	.n_domains = 2,
	.handlers = handlers,
	.n_handlers = sizeof(handlers) / sizeof(handlers[0]),
	.options = options,
	.init = sdl_init,
	.pollfds = obd_plugin_pollfds,
	.timeout = obd_plugin_timeout,
	.process = obd_plugin_process,
	.fini = obd_plugin_fini,
	/* SDL loads video and audio drivers and talks to the X server and the
	 * sound server whenever it likes: an allow-list would kill the plugin
	 * on some desktop sooner or later. Only the dangerous calls are
	 * forbidden (docs/confinement.md). */
	.confine = OB_CONFINE_DENY_LIST,
};

int main(int argc, char **argv)
{
	return ob_plugin_main(&plugin, argc, argv);
}
