/* The outboard-fs-hostdir plugin description: its options, its init and fini over
 * the core library, and its confinement. main.c runs it; fuzz_plugins
 * drives the same description. */
#include <errno.h>

#include "hostdir.h"
#include "outboard/log.h"
#include "outboard/plugin.h"

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_FS };

/* Confined beyond the SDK's base list (docs/confinement.md) to the path
 * calls relative to the root's descriptor and I/O on the files opened.
 * seccomp cannot see paths: keeping them inside the root is openat2's
 * work (hostdir.h). */
static const char *const allow_syscalls[] = {
	"openat2", "openat", "newfstatat", "fstatfs", "getdents64",
	"unlinkat", "mkdirat", "renameat", "renameat2",
	"pread64", "pwrite64", "ftruncate", "fsync",
	NULL,
};

static const struct ob_plugin_option options[] = {
	{ .name = "root", .has_arg = true, .arg_name = "DIR",
	  .help = "serve this directory; no path leaves it (required)" },
	OBF_OPTION_READ_ONLY,
	{ .name = NULL },
};

static int hostdir_init(ob_plugin_ctx *p, void **ctx)
{
	const char *root = ob_plugin_opt(p, "root");
	struct obf_fs *fs;
	int rc;

	if (!root || !root[0]) {
		OB_ERROR(OBHD_LOG, "--root DIR is required");
		return EINVAL;
	}
	rc = obhd_fs_create(root, ob_plugin_opt(p, "read-only") != NULL, &fs);
	if (rc < 0)
		return -rc;
	OB_INFO(OBHD_LOG, "serving %s%s", root,
		ob_plugin_opt(p, "read-only") ? " read-only" : "");
	*ctx = fs;
	return 0;
}

static void hostdir_fini(void *ctx)
{
	obf_fs_destroy(ctx);
}

const struct ob_plugin obhd_plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "fs-hostdir",
	.version = "1.0",
	.summary = "the fs domain served from a host directory, confined to it",
	.domains = domains,
	.n_domains = 1,
	.handlers = obf_handlers,
	.n_handlers = OBF_N_HANDLERS,
	.options = options,
	.init = hostdir_init,
	.fini = hostdir_fini,
	.allow_syscalls = allow_syscalls,
};
