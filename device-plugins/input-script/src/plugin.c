/* The outboard-input-script plugin description: its options, its init and fini over
 * the core library, and its confinement. main.c runs it; fuzz_plugins
 * drives the same description. */
#include <errno.h>

#include "input.h"
#include "outboard/log.h"
#include "outboard/plugin.h"

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_INPUT };

static const struct ob_plugin_option options[] = {
	{ .name = "script", .has_arg = true, .arg_name = "FILE",
	  .help = "the timed events to send (required; docs/input.md)" },
	{ .name = NULL },
};

static int script_init(ob_plugin_ctx *p, void **ctx)
{
	const char *path = ob_plugin_opt(p, "script");
	char err[OBIS_ERR_MAX];
	struct obis_input *in;
	int rc;

	if (!path || !path[0]) {
		OB_ERROR(OBIS_LOG, "--script FILE is required");
		return EINVAL;
	}
	rc = obis_input_create(path, &in, err, sizeof(err));
	if (rc) {
		OB_ERROR(OBIS_LOG, "%s", err);
		return -rc;
	}
	OB_INFO(OBIS_LOG, "%s: %zu events, waiting for the program to start", path,
		in->script.n);
	*ctx = in;
	return 0;
}

static void script_fini(void *ctx)
{
	obis_input_destroy(ctx);
}

const struct ob_plugin obis_plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "input-script",
	.version = "1.0",
	.summary = "the input domain from a script of timed key and pointer events",
	.domains = domains,
	.n_domains = 1,
	.handlers = obis_handlers,
	.n_handlers = OBIS_N_HANDLERS,
	.options = options,
	.init = script_init,
	.timeout = obis_input_timeout,
	.process = obis_input_process,
	.fini = script_fini,
	/* After init, the SDK's base list is all it needs (docs/confinement.md). */
	.allow_syscalls = NULL,
};
