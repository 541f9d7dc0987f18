/*
 * `outboard run`: options, plan, plugins, Hello checks, the CPU host, and
 * the orderly end.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "describe.h"
#include "options.h"
#include "os.h"
#include "outboard/ipc.h"
#include "outboard/log.h"
#include "outboard/plugin.h"
#include "plan.h"
#include "probe.h"
#include "rundir.h"
#include "supervise.h"

#define CAT "launcher"

/* Command line, then the config file under it. 0, 1 when the command line
 * asked for help or the version (already printed), or a negated errno
 * (logged). */
static int load_options(int argc, char **argv, struct obl_options *o)
{
	char err[512];
	int rc = obl_parse_run_args(argc, argv, o, err, sizeof(err));
	if (rc < 0) {
		OB_ERROR(CAT, "%s", err);
		fprintf(stderr, "Try 'outboard run --help'.\n");
		return rc;
	}
	if (o->help) {
		obl_usage_run(stdout);
		return 1;
	}
	if (o->version) {
		printf("outboard %s (protocol %u)\n", OB_VERSION, OB_PROTOCOL_VERSION);
		return 1;
	}
	if (!o->config_path)
		return 0;
	struct obl_options file;
	obl_options_init(&file);
	rc = obl_config_load(o->config_path, &file, err, sizeof(err));
	if (rc < 0)
		OB_ERROR(CAT, "%s", err);
	else
		obl_options_merge(o, &file);
	obl_options_free(&file);
	return rc;
}

/* obl_describe_fn for the plan: the backend's own --describe. */
static int describe_backend(void *arg, const char *exe, unsigned *mask, char *why,
			    size_t whylen)
{
	(void)arg;
	struct obl_backend_info info;
	int rc = obl_describe(&obl_os_posix, exe, &info, why, whylen);
	if (rc == 0)
		*mask = info.mask;
	return rc;
}

/* The config file's options for each local plugin, against what the
 * backend says it takes (--describe-options): an unknown key is the file's
 * error, with its line, instead of the plugin's "unknown option" without
 * one. A backend that cannot say (built without the plugin SDK) gets its
 * options unchecked, as before. 0, or -EINVAL (logged). */
static int check_file_options(const struct obl_options *o, const struct obl_plan *plan)
{
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		const struct obl_domain_conf *dc = &o->dom[d];
		const struct obl_plugin_plan *pp = &plan->plugins[d];
		if (!dc->n_opts || pp->kind != OBL_PLUGIN_LOCAL || !pp->exe)
			continue;
		char answer[OBL_DESCRIBE_MAX], why[640];
		if (obl_describe_options(&obl_os_posix, pp->exe, answer, why, sizeof(why)) < 0) {
			OB_DEBUG(CAT, "%s: %s; its config options are not checked", pp->exe, why);
			continue;
		}
		for (size_t i = 0; i < dc->n_opts; i++) {
			if (!dc->opts[i].line || obl_option_listed(answer, dc->opts[i].key))
				continue;
			/* "screen WxH\nfont FILE\n" -> "screen, font" */
			char list[512] = "";
			size_t used = 0;
			for (const char *l = answer; *l && used < sizeof(list) - 1;) {
				size_t n = strcspn(l, " \n");
				used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%.*s",
							 used ? ", " : "", (int)n, l);
				l += strcspn(l, "\n");
				l += *l == '\n';
			}
			OB_ERROR(CAT, "%s:%d: [%s] unknown option '%s' for %s (it takes: %s)",
				 o->config_path, dc->opts[i].line, obl_domain_name((enum obl_domain)d),
				 dc->opts[i].key, pp->label, list);
			return -EINVAL;
		}
	}
	return 0;
}

static int prepare_outputs(const struct obl_plan *plan)
{
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		const struct obl_plugin_plan *pp = &plan->plugins[d];
		const char *dn = obl_domain_name((enum obl_domain)d);
		if (pp->mkdir) {
			/* The plugin makes it with its first file (nothing is made
			 * unasked); here only whether it could (outboard/plugin.h). */
			int rc = ob_out_dir_check(pp->mkdir);
			if (rc < 0) {
				OB_ERROR(CAT, "%s: cannot create the output directory %s: %s", dn,
					 pp->mkdir, strerror(-rc));
				return rc;
			}
		}
		if (pp->output)
			OB_INFO(CAT, "%s output goes to %s (%s)", dn, pp->output, pp->label);
		if (pp->kind == OBL_PLUGIN_SHARED)
			OB_INFO(CAT, "%s is served by the %s plugin %s", dn,
				obl_domain_name(pp->owner), pp->label);
	}
	return 0;
}

/* Start the CPU host, then every local plugin: the host's start-up (its
 * engine, the program) is the longest and goes first, and it dials the
 * plugins only once they have answered their probes (obl_sup_host_go). */
static int start_children(struct obl_sup *sup, const struct obl_plan *plan)
{
	int rc = obl_sup_listen_control(sup, plan->control_url);
	if (rc == 0)
		rc = obl_sup_start_host(sup, plan);
	for (int d = 0; rc == 0 && d < OBL_PLAN_SLOTS; d++) {
		const struct obl_plugin_plan *pp = &plan->plugins[d];
		if (pp->kind == OBL_PLUGIN_LOCAL && pp->on_demand)
			obl_revive_dormant(sup, pp);
		else if (pp->kind == OBL_PLUGIN_LOCAL)
			rc = obl_sup_start_plugin(sup, pp);
	}
	return rc < 0 ? rc : obl_probe_plugins(sup, plan);
}

static void log_command(const char *what, char *const *argv)
{
	if (!ob_log_enabled(OB_LOG_DEBUG))
		return;
	char line[2048];
	size_t len = 0;
	for (size_t i = 0; argv[i] && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", i ? " " : "",
					argv[i]);
	OB_DEBUG(CAT, "%s: %s", what, line);
}

/* Everything after the options are known; returns the exit status. */
static int run_plan(struct obl_sup *sup, const struct obl_plan *plan, const char *rundir,
		    const char *self_dir)
{
	for (int d = 0; d < OBL_PLAN_SLOTS; d++)
		if (plan->plugins[d].argv)
			log_command(plan->plugins[d].label, plan->plugins[d].argv);
	log_command("CPU host", plan->cpu_argv);

	int status = OBL_EXIT_FAILURE;
	if (prepare_outputs(plan) < 0)
		return status;
	int rc = start_children(sup, plan);
	if (rc == -EINTR)
		status = 128 + sup->stop_signo;
	else if (rc == -ESRCH) /* the host ended first, and said why */
		status = obl_shell_status(sup->host.status);
	if (rc < 0)
		goto stop;
	obl_sup_host_go(sup);
	/* Only now: its spawn holds the launcher until it runs, which on a
	 * busy machine delayed the probes by a few ms (docs/launcher.md). */
	obl_rundir_watch(rundir, self_dir);
	while (sup->host.running)
		if (obl_sup_step(sup, NULL, 0, -1) < 0)
			break;
	if (sup->host.running) /* the loop broke: poll itself failed */
		goto stop;
	status = sup->stop_signo ? 128 + sup->stop_signo : obl_shell_status(sup->host.status);
stop:
	obl_sup_stop_host(sup); /* a start that failed: it waits for READY */
	obl_sup_stop_plugins(sup, OBL_STOP_GRACE_MS);
	return status;
}

/* --trace-file: created (truncated, as strace -o does) here, before any
 * process starts, so a path that cannot be written fails the run at once;
 * the CPU host gets it as an absolute path. 0 or -errno (logged). */
static int check_trace_file(struct obl_options *o, const char *cwd)
{
	const char *path = o->run.trace_file;
	if (!path)
		return 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		int e = errno;
		OB_ERROR(CAT, "--trace-file %s: %s", path, strerror(e));
		return -e;
	}
	close(fd);
	if (path[0] == '/')
		return 0;
	size_t len = strlen(cwd) + strlen(path) + 2;
	char *abs = malloc(len);
	if (!abs)
		return -ENOMEM;
	snprintf(abs, len, "%s/%s", cwd, path);
	free(o->run.trace_file);
	o->run.trace_file = abs;
	return 0;
}

/* --record, --replay: the CPU host gets absolute paths; a replay's file
 * must be readable before anything starts. 0 or -errno (logged). */
static int absolute_path(char **path, const char *cwd)
{
	if (!*path || (*path)[0] == '/')
		return 0;
	size_t len = strlen(cwd) + strlen(*path) + 2;
	char *abs = malloc(len);
	if (!abs)
		return -ENOMEM;
	snprintf(abs, len, "%s/%s", cwd, *path);
	free(*path);
	*path = abs;
	return 0;
}

static int check_recording_files(struct obl_options *o, const char *cwd)
{
	if (o->run.record && o->run.replay) {
		OB_ERROR(CAT, "--record and --replay: one or the other");
		return -EINVAL;
	}
	if (o->run.replay && access(o->run.replay, R_OK) < 0) {
		int e = errno;
		OB_ERROR(CAT, "--replay %s: %s", o->run.replay, strerror(e));
		return -e;
	}
	int rc = absolute_path(&o->run.record, cwd);
	return rc ? rc : absolute_path(&o->run.replay, cwd);
}

int obl_cmd_run(int argc, char **argv)
{
	struct obl_options o;
	obl_options_init(&o);
	int rc = load_options(argc, argv, &o);
	if (rc != 0) {
		obl_options_free(&o);
		return rc > 0 ? 0 : OBL_EXIT_FAILURE;
	}
	return obl_run_options(&o);
}

int obl_run_options(struct obl_options *op)
{
	struct obl_options o = *op;
	struct obl_plan plan = { 0 };
	struct obl_sup sup = { 0 };
	char *self_dir = NULL, *rundir = NULL;
	char cwd[PATH_MAX], err[512];
	int status = OBL_EXIT_FAILURE, rc;

	int level = obl_options_log_level(&o);
	if (level >= 0)
		ob_log_set_level((enum ob_log_level)level);
	if (!getcwd(cwd, sizeof(cwd))) {
		OB_ERROR(CAT, "cannot get the current directory: %s", strerror(errno));
		goto out;
	}
	if (check_trace_file(&o, cwd) < 0 || check_recording_files(&o, cwd) < 0)
		goto out;
	self_dir = obl_self_dir();
	if (!(rundir = obl_rundir_create())) {
		OB_ERROR(CAT, "cannot make a runtime directory under $XDG_RUNTIME_DIR or /tmp");
		goto out;
	}
	struct obl_plan_env env = {
		.self_dir = self_dir, .rundir = rundir, .cwd = cwd,
		.describe = describe_backend,
	};
	if (obl_plan_build(&o, &env, &plan, err, sizeof(err)) < 0) {
		OB_ERROR(CAT, "%s", err);
		goto out;
	}
	if (check_file_options(&o, &plan) < 0)
		goto out;
	if ((rc = obl_sup_init(&sup, &obl_os_posix)) < 0) {
		OB_ERROR(CAT, "cannot catch signals: %s", strerror(-rc));
		goto out;
	}
	status = run_plan(&sup, &plan, rundir, self_dir);
out:
	obl_sup_destroy(&sup);
	obl_rundir_remove(rundir);
	obl_plan_free(&plan);
	free(self_dir);
	obl_options_free(&o);
	return status;
}
