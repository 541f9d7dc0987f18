/* outboard-display-null [--screen WxH]: the display domain drawing into the
 * common framebuffer and showing it nowhere. display_info, the frame
 * numbers and the events are those of every other backend, so a guest
 * cannot tell it from a real display; nothing is written anywhere. */
#include "obd/display.h"

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_DISPLAY };

static const struct ob_plugin_option options[] = {
	OBD_OPTIONS,
	{ .name = NULL },
};

/* Every frame is shown at once, to nobody. */
static int null_frame(void *ctx, const uint32_t *xrgb, unsigned w, unsigned h, uint64_t frame,
		      ob_call *call)
{
	(void)ctx;
	(void)xrgb;
	(void)w;
	(void)h;
	(void)frame;
	(void)call;
	return 0;
}

static const struct obd_sink null_sink = {
	.size = sizeof(struct obd_sink),
	.frame = null_frame,
};

static int null_init(ob_plugin_ctx *p, void **ctx)
{
	struct obd_display *d;
	int err = obd_display_from_plugin(p, &d);

	if (err)
		return -err;
	obd_display_attach(d, &null_sink, NULL);
	*ctx = d;
	return 0;
}

static const struct ob_plugin plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "display-null",
	.version = "1.0",
	.summary = "the display domain drawing into a framebuffer nobody sees",
	.domains = domains,
	.n_domains = 1,
	.handlers = obd_handlers,
	.n_handlers = OBD_N_HANDLERS,
	.options = options,
	.init = null_init,
	.pollfds = obd_plugin_pollfds,
	.timeout = obd_plugin_timeout,
	.process = obd_plugin_process,
	.fini = obd_plugin_fini,
	/* After init, the SDK's base list is all it needs (docs/confinement.md). */
	.allow_syscalls = NULL,
};

int main(int argc, char **argv)
{
	return ob_plugin_main(&plugin, argc, argv);
}
