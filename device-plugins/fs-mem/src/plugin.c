/* The outboard-fs-mem plugin description: its options, its init and fini over
 * the core library, and its confinement. main.c runs it; fuzz_plugins
 * drives the same description. */
#include <errno.h>

#include "mem.h"
#include "outboard/log.h"
#include "outboard/plugin.h"

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_FS };

static const struct ob_plugin_option options[] = {
	{ .name = "seed", .has_arg = true, .arg_name = "DIR",
	  .help = "copy this host directory's files and directories in at start" },
	OBF_OPTION_READ_ONLY,
	{ .name = "max-bytes", .has_arg = true, .arg_name = "N",
	  .help = "cap total file bytes (suffix K, M or G; default 1G): ENOSPC past it" },
	{ .name = NULL },
};

static int mem_init(ob_plugin_ctx *p, void **ctx)
{
	const char *seed = ob_plugin_opt(p, "seed");
	const char *max = ob_plugin_opt(p, "max-bytes");
	bool read_only = ob_plugin_opt(p, "read-only") != NULL;
	uint64_t max_bytes = 0;
	struct obf_fs *fs;
	int rc;

	if (max && obm_parse_size(max, &max_bytes) < 0) {
		OB_ERROR(OBM_LOG, "--max-bytes %s: expected a positive size such as 4096 or 64M",
			 max);
		return EINVAL;
	}
	rc = obm_fs_create(seed, max_bytes, read_only, &fs);
	if (rc < 0)
		return -rc;
	OB_INFO(OBM_LOG, "in-memory fs%s%s%s", seed ? " seeded from " : "", seed ? seed : "",
		read_only ? ", read-only" : "");
	*ctx = fs;
	return 0;
}

static void mem_fini(void *ctx)
{
	obf_fs_destroy(ctx);
}

const struct ob_plugin obm_plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "fs-mem",
	.version = "1.0",
	.summary = "the fs domain in memory, optionally seeded from a host directory",
	.domains = domains,
	.n_domains = 1,
	.handlers = obf_handlers,
	.n_handlers = OBF_N_HANDLERS,
	.options = options,
	.init = mem_init,
	.fini = mem_fini,
	/* After init, the SDK's base list is all it needs (docs/confinement.md). */
	.allow_syscalls = NULL,
};
