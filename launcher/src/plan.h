/*
 * The plan of a run: which executable serves each domain, at which URL, with
 * which command line, and the CPU host's command line. Built from merged
 * options before anything is started, so every "not found" error comes
 * before any process exists.
 *
 * Ownership: a plan owns every string and argv array in it; obl_plan_free
 * releases them (and accepts a half-built plan).
 */
#ifndef OBL_PLAN_H
#define OBL_PLAN_H

#include <stddef.h>

#include "options.h"

enum obl_plugin_kind {
	OBL_PLUGIN_NONE,   /* domain disabled */
	OBL_PLUGIN_LOCAL,  /* an executable the launcher starts */
	OBL_PLUGIN_REMOTE, /* a tcp:// or ipc:// endpoint someone else runs */
};

struct obl_plugin_plan {
	enum obl_domain domain;
	enum obl_plugin_kind kind;
	char *label;  /* "test-echo", "fs-hostdir"; the URL for a remote plugin */
	char *exe;    /* local: the resolved executable */
	char *url;    /* where the host (and the launcher's Hello check) dials */
	char **argv;  /* local: NULL-terminated */
};

struct obl_plan {
	struct obl_plugin_plan plugins[OBL_DOMAIN_COUNT];
	char *cpu_exe;
	char **cpu_argv;    /* NULL-terminated */
	char *control_url;  /* ipc://RUNDIR/control.sock */
	int log_level;      /* -1: children keep their default */
	int plugin_timeout_ms;
};

/*
 * Resolve o (merged options) into plan. self_dir is the launcher's own
 * directory (searched before PATH), rundir the private runtime directory,
 * cwd the default fs root. Errors: -ENOENT / -EACCES (an executable that is
 * missing or not executable, named in err), -EINVAL, -ENOMEM.
 */
int obl_plan_build(const struct obl_options *o, const char *self_dir, const char *rundir,
		   const char *cwd, struct obl_plan *plan, char *err, size_t errlen);
void obl_plan_free(struct obl_plan *plan);

/*
 * Find executable name: first in dir, then in each PATH entry. On success
 * *out owns the full path. -ENOENT when it is nowhere, -ENOMEM.
 */
int obl_find_executable(const char *dir, const char *name, char **out);

/* The launcher's own directory (dirname of /proc/self/exe), malloc'd, or
 * NULL. */
char *obl_self_dir(void);

/* "outboard-test-echo" -> "test-echo": the label used in log prefixes. */
const char *obl_exe_label(const char *path);

#endif /* OBL_PLAN_H */
