/*
 * The plan of a run: which executable serves each domain, at which URL, with
 * which command line, and the CPU host's command line. Built from merged
 * options before anything is started, so every "not found" error comes
 * before any process exists.
 *
 * One process may serve several domains (docs/launcher.md, "One process,
 * several domains"): its entry is the one of the domain it was chosen for
 * (the owner), with every domain it serves in .domains; the other domains'
 * entries are OBL_PLUGIN_SHARED and only carry the owner's URL and label.
 *
 * fs mounts (docs/launcher.md, "Mounts"): the mount at "/" is the fs
 * domain's entry; every other mount has an entry of its own after the
 * domains' (slots OBL_DOMAIN_COUNT and up), with domain OBL_FS and its
 * mount point, each its own process, supervised and restarted alone.
 *
 * Ownership: a plan owns every string and argv array in it; obl_plan_free
 * releases them (and accepts a half-built plan).
 */
#ifndef OBL_PLAN_H
#define OBL_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"
#include "restart.h"

enum obl_plugin_kind {
	OBL_PLUGIN_NONE,   /* domain disabled */
	OBL_PLUGIN_LOCAL,  /* an executable the launcher starts */
	OBL_PLUGIN_REMOTE, /* a tcp:// or ipc:// endpoint someone else runs */
	OBL_PLUGIN_SHARED, /* served by the process of plugins[owner] */
};

struct obl_plugin_plan {
	enum obl_domain domain;
	enum obl_plugin_kind kind;
	bool chosen;       /* named by the command line or config file, not a default */
	unsigned domains;  /* LOCAL, REMOTE: every domain the process serves (OBL_DOMAIN_BIT) */
	enum obl_domain owner; /* SHARED: whose process serves this domain */
	char *label;  /* "test-echo", "fs-hostdir"; the URL for a remote plugin */
	char *exe;    /* local: the resolved executable */
	char *url;    /* where the host (and the launcher's Hello check) dials */
	char **argv;  /* local: NULL-terminated */
	char *output; /* where this domain's backend writes (png, wav), or NULL */
	char *mkdir;  /* a directory to create before the start (a default output's), or NULL */
	int slot;     /* its index in plan->plugins (and the supervisor's children) */
	char *mount;  /* fs mounts besides "/": the mount point ("/tmp"), else NULL */
	bool read_only; /* fs: the host refuses every change with EROFS (SPEC:ro) */
	bool on_demand; /* local: started at the host's first call on it (Supervise
			 * WANTED), not with the run: the default /tmp */
};

/* fs mounts besides "/" a run may have, and the plan's entries in all. */
#define OBL_MAX_MOUNTS 15
#define OBL_PLAN_SLOTS (OBL_DOMAIN_COUNT + OBL_MAX_MOUNTS)

struct obl_plan {
	struct obl_plugin_plan plugins[OBL_PLAN_SLOTS]; /* domains, then mounts */
	char *cpu_exe;
	char **cpu_argv;    /* NULL-terminated */
	char *control_url;  /* ipc://RUNDIR/control.sock */
	int log_level;      /* -1: children keep their default */
	int plugin_timeout_ms;  /* the Hello check's bound, at the start and after a restart */
	char *key_file;         /* shared key for tcp:// plugins, or NULL */
	struct obl_restart_policy restart;
};

/*
 * Which domains the backend executable exe serves, as OBL_DOMAIN_BITs in
 * *mask: 0, or a negated errno with the reason in why. The launcher runs
 * `exe --describe` (describe.h); tests stand in for it.
 */
typedef int (*obl_describe_fn)(void *arg, const char *exe, unsigned *mask, char *why,
			       size_t whylen);

/* Where a plan is made. */
struct obl_plan_env {
	const char *self_dir;  /* the launcher's directory, searched before PATH; may be NULL */
	const char *rundir;    /* the private runtime directory */
	const char *cwd;       /* the default fs root */
	obl_describe_fn describe;
	void *describe_arg;
};

/*
 * Resolve o (merged options) into plan. A default backend whose executable
 * is missing is skipped with a warning (its domain is disabled); a chosen
 * one is an error. Errors: -ENOENT / -EACCES (an executable that is missing
 * or not executable, named in err), -EINVAL, -ENOMEM.
 */
int obl_plan_build(const struct obl_options *o, const struct obl_plan_env *env,
		   struct obl_plan *plan, char *err, size_t errlen);
void obl_plan_free(struct obl_plan *plan);

/* (mounts.c) Plan the fs mounts besides "/" (slots OBL_DOMAIN_COUNT and up),
 * the default /tmp included, once the domains are planned. Errors as
 * obl_plan_build. */
int obl_plan_mounts(const struct obl_options *o, const struct obl_plan_env *env,
		    struct obl_plan *plan, char *err, size_t errlen);

/* (plan.c, for mounts.c) Resolve a local or remote fs backend spec into pp
 * (kind, exe, URL, label), and build a local one's command line with its
 * primary argument arg (or none) and the options opts. */
int obl_plan_fs_plugin(const char *spec, const char *arg, const struct obl_domain_conf *opts,
		       const struct obl_plan_env *env, struct obl_plan *plan,
		       struct obl_plugin_plan *pp, char *err, size_t errlen);

/* 0 when path is an executable regular file; -ENOENT when there is no
 * such file, -EACCES when it is not executable. */
int obl_check_executable(const char *path);

/*
 * (exe.c) Find executable name: first in dir, then in each PATH entry. On success
 * *out owns the full path. -ENOENT when it is nowhere, -ENOMEM.
 */
int obl_find_executable(const char *dir, const char *name, char **out);

/* The launcher's own directory (dirname of /proc/self/exe), malloc'd, or
 * NULL. */
char *obl_self_dir(void);

/* "outboard-test-echo" -> "test-echo": the label used in log prefixes. */
const char *obl_exe_label(const char *path);

#endif /* OBL_PLAN_H */
