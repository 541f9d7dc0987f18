/* The outboard-sound-wav plugin description: its options, its init and fini over
 * the core library, and its confinement. main.c runs it; fuzz_plugins
 * drives the same description. */
#include <errno.h>

#include "obs/sound.h"
#include "outboard/log.h"
#include "outboard/plugin.h"
#include "wav_sink.h"

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_SOUND };

/* Confined beyond the SDK's base list (docs/confinement.md) to writing
 * WAV files: --out, and FILE-2, FILE-3... when the format changes;
 * libsndfile seeks back to finish each header. */
static const char *const allow_syscalls[] = {
	"openat", "lseek", "unlink", "unlinkat",
	/* the file's directory is made with the file (mkdir -p) */
	"mkdir", "mkdirat",
	/* a restart mends its predecessor's header and appends (wav_sink.c) */
	"pread64", "pwrite64", "ftruncate", "access", "faccessat", "faccessat2",
	NULL,
};

static const struct ob_plugin_option options[] = {
	{ .name = "out", .has_arg = true, .arg_name = "FILE",
	  .help = "write 16-bit PCM WAV here (required); another format later goes to "
		  "FILE-2, FILE-3, ..." },
	{ .name = "realtime", .has_arg = false,
	  .help = "pace writes at the stream's rate, as a sound card would" },
	{ .name = NULL },
};

static int wav_init(ob_plugin_ctx *p, void **ctx)
{
	const struct obsw_options o = {
		.path = ob_plugin_opt(p, "out"),
		.realtime = ob_plugin_opt(p, "realtime") != NULL,
		.resume = ob_plugin_restart_count() > 0,
	};
	struct obsw_sink *sink;
	struct obs_stream *s;
	int err;

	err = obsw_sink_create(&o, &sink);
	if (err)
		return -err;
	err = obs_stream_create(&obsw_sink_ops, sink, obs_complete_call, &s);
	if (err) {
		obsw_sink_ops.destroy(sink);
		return -err;
	}
	*ctx = s;
	return 0;
}

const struct ob_plugin obsw_plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "sound-wav",
	.version = "1.0",
	.summary = "the sound domain written to a WAV file",
	.domains = domains,
	.n_domains = 1,
	.handlers = obs_handlers,
	.n_handlers = OBS_N_HANDLERS,
	.options = options,
	.init = wav_init,
	.timeout = obs_plugin_timeout,
	.process = obs_plugin_process,
	.fini = obs_plugin_fini,
	.allow_syscalls = allow_syscalls,
};
