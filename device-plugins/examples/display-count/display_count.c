/*
 * outboard-display-count: a display backend that counts the frames the
 * guest presents and shows none of them. At exit it prints
 *
 *     display-count: N frames
 *
 * on stderr. It is the smallest useful display backend: the display
 * domain itself (the framebuffer, every drawing call, display_info, the
 * expose and vsync events, --screen and --font) comes from outboard's
 * display library (<obd/display.h>, outboard::display); a backend is a
 * sink that gets each presented frame. docs/plugins.md walks through it.
 *
 * A restarted plugin (docs/faults.md) is a new process: its count starts
 * again from 0, and each process prints its own line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <obd/display.h>

struct counter {
	uint64_t frames; /* presents answered with success */
};

/* A frame was presented: the guest's framebuffer is in xrgb (borrowed for
 * this call only). Returning 0 answers the present at once. */
static int count_frame(void *ctx, const uint32_t *xrgb, unsigned w, unsigned h,
		       uint64_t frame, ob_call *call)
{
	struct counter *c = ctx;
	(void)xrgb;
	(void)w;
	(void)h;
	(void)frame;
	(void)call;
	c->frames++;
	return 0;
}

/* Called once when the display is destroyed: at Shutdown, SIGTERM or
 * SIGINT (the plugin SDK's fini). stderr is still open under the seccomp
 * filter: writing to an open descriptor is allowed. */
static void count_destroy(void *ctx)
{
	struct counter *c = ctx;
	fprintf(stderr, "display-count: %" PRIu64 " frames\n", c->frames);
	free(c);
}

static const struct obd_sink count_sink = {
	.size = sizeof(struct obd_sink),
	.frame = count_frame,
	.destroy = count_destroy,
};

static int count_init(ob_plugin_ctx *p, void **ctx)
{
	struct obd_display *d;
	struct counter *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	int err = obd_display_from_plugin(p, &d); /* --screen, --font */
	if (err) {
		free(c);
		return -err;
	}
	obd_display_attach(d, &count_sink, c); /* d owns c from here */
	*ctx = d;
	return 0;
}

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_DISPLAY };

static const struct ob_plugin_option options[] = {
	OBD_OPTIONS,
	{ .name = NULL },
};

static const struct ob_plugin plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "display-count",
	.version = "1.0",
	.summary = "the display domain, counting presented frames",
	.domains = domains,
	.n_domains = 1,
	.handlers = obd_handlers,
	.n_handlers = OBD_N_HANDLERS,
	.options = options,
	.init = count_init,
	.pollfds = obd_plugin_pollfds,
	.timeout = obd_plugin_timeout,
	.process = obd_plugin_process,
	.fini = obd_plugin_fini,
	/* After init, the SDK's base allow-list is all it needs. */
	.allow_syscalls = NULL,
};

int main(int argc, char **argv)
{
	return ob_plugin_main(&plugin, argc, argv);
}
