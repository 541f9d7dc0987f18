/*
 * outboard-sound-null: the sound domain that accepts everything and plays
 * nothing. Calls are checked exactly as on the other backends (the common
 * stream), but the device takes data at once and never holds any, so
 * writes never block and a drain answers at once.
 */
#include <errno.h>

#include "obs/sound.h"
#include "outboard/log.h"
#include "outboard/plugin.h"

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_SOUND };

/* A device with no state: the sink pointer is unused (NULL). */
static int null_start(void *sink, const struct obs_format *f)
{
	(void)sink;
	(void)f;
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
	(void)sink;
	(void)data;
	(void)len;
	return 0;
}

static const struct obs_sink_ops null_sink_ops = {
	.size = sizeof(struct obs_sink_ops),
	.start = null_start,
	.stop = null_stop,
	.queued = null_queued,
	.push = null_push,
};

static int null_init(ob_plugin_ctx *p, void **ctx)
{
	struct obs_stream *s;
	int err;

	(void)p;
	err = obs_stream_create(&null_sink_ops, NULL, obs_complete_call, &s);
	if (err)
		return -err;
	*ctx = s;
	return 0;
}

static const struct ob_plugin plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "sound-null",
	.version = "1.0",
	.summary = "the sound domain that accepts everything and plays nothing",
	.domains = domains,
	.n_domains = 1,
	.handlers = obs_handlers,
	.n_handlers = OBS_N_HANDLERS,
	.init = null_init,
	.timeout = obs_plugin_timeout,
	.process = obs_plugin_process,
	.fini = obs_plugin_fini,
	/* After init, the SDK's base list is all it needs (docs/confinement.md). */
	.allow_syscalls = NULL,
};

int main(int argc, char **argv)
{
	return ob_plugin_main(&plugin, argc, argv);
}
