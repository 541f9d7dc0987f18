/* outboard-sound-sdl: the sound domain played through SDL2's audio. */
#include <errno.h>

#include "obs/sound.h"
#include "outboard/log.h"
#include "outboard/plugin.h"
#include "sdl_sink.h"

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_SOUND };

static int sdl_init(ob_plugin_ctx *p, void **ctx)
{
	struct obss_sink *sink;
	struct obs_stream *s;
	int err;

	(void)p;
	err = obss_sink_create(&sink);
	if (err)
		return -err;
	err = obs_stream_create(&obss_sink_ops, sink, obs_complete_call, &s);
	if (err) {
		obss_sink_ops.destroy(sink);
		return -err;
	}
	*ctx = s;
	return 0;
}

static const struct ob_plugin plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "sound-sdl",
	.version = "1.0",
	.summary = "the sound domain played through SDL2 (SDL_AUDIODRIVER chooses the driver)",
	.domains = domains,
	.n_domains = 1,
	.handlers = obs_handlers,
	.n_handlers = OBS_N_HANDLERS,
	.init = sdl_init,
	.timeout = obs_plugin_timeout,
	.process = obs_plugin_process,
	.fini = obs_plugin_fini,
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
