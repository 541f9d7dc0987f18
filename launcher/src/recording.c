/*
 * The launcher's commands on recordings (docs/debugging.md):
 * - `outboard trace [--trace LIST] FILE` runs the CPU host in its print
 *   mode (outboard-cpu --print-recording), which holds the trace printer
 *   and the call table that decode a recording;
 * - `outboard replay --against BACKEND [--route NAME] FILE` starts BACKEND
 *   as `outboard run` starts a plugin (same plan, supervision and relayed
 *   output), with every other domain off, and the CPU host in its compare
 *   mode (outboard-cpu --compare-recording) in place of a program.
 */
#define _DEFAULT_SOURCE /* realpath */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "outboard/log.h"
#include "plan.h"
#include "trace_filter.h"

#define CAT "launcher"

static void usage_trace(FILE *f)
{
	fprintf(f, "Usage: outboard trace [--trace LIST] FILE\n"
		   "Prints a recording (outboard run --record FILE) as --trace prints a run:\n"
		   "one line per device call, events as --- event ... --- lines. LIST keeps\n"
		   "some domains and calls only, as --trace does.\n");
}

static void usage_replay(FILE *f)
{
	fprintf(f, "Usage: outboard replay --against BACKEND [--route NAME] FILE\n"
		   "Sends the recorded requests of one route (NAME: fs, the default, or\n"
		   "\"fs /tmp\" for a mount, display, sound, input) to a live BACKEND (NAME[:ARG]\n"
		   "as --fs and --display take, e.g. mem or hostdir:DIR) and compares each\n"
		   "reply with the recorded one. Differences are printed per call. Exit\n"
		   "status: 0 none, 1 some, 125 when the comparison could not run.\n");
}

/* The CPU host beside the launcher (or in PATH), or NULL (logged). */
static char *find_cpu(void)
{
	char *dir = obl_self_dir(), *exe = NULL;
	int rc = obl_find_executable(dir, "outboard-cpu", &exe);
	if (rc < 0)
		OB_ERROR(CAT, "no executable outboard-cpu in %s or PATH", dir ? dir : "(unknown)");
	free(dir);
	return rc < 0 ? NULL : exe;
}

int obl_cmd_trace(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "trace", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *list = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 't') {
			list = optarg;
		} else if (c == 'h') {
			usage_trace(stdout);
			return 0;
		} else {
			usage_trace(stderr);
			return OBL_EXIT_FAILURE;
		}
	}
	if (optind != argc - 1) {
		usage_trace(stderr);
		return OBL_EXIT_FAILURE;
	}
	char why[200];
	if (list && obl_trace_check(list, why, sizeof(why)) < 0) {
		OB_ERROR(CAT, "--trace: %s", why);
		return OBL_EXIT_FAILURE;
	}
	char *cpu = find_cpu();
	if (!cpu)
		return OBL_EXIT_FAILURE;
	const char *args[] = { cpu, "--print-recording", argv[optind], list ? "--trace" : NULL,
			       list, NULL };
	execv(cpu, (char **)(uintptr_t)args); /* execv does not change them */
	OB_ERROR(CAT, "cannot run %s: %s", cpu, strerror(errno));
	free(cpu);
	return OBL_EXIT_FAILURE;
}

/* `run`'s options for the comparison: BACKEND for the route's domain,
 * every other domain off, no /tmp of its own (unless that is the route),
 * the recording in place of the program. */
static int replay_options(const char *backend, const char *route, const char *file,
			  struct obl_options *o)
{
	/* The options naming each domain's backend, in enum obl_domain order. */
	static const char *const flag[OBL_DOMAIN_COUNT] = { "--fs", "--display", "--sound",
							    "--input" };
	static const char *const off[OBL_DOMAIN_COUNT] = { "fs=none", "display=none",
							   "sound=none", "input=none" };
	char domain[16], err[512], mount[300], plugin[300];
	size_t n = strcspn(route, " ");
	snprintf(domain, sizeof(domain), "%.*s", (int)(n < sizeof(domain) ? n : 0), route);
	int dom = obl_domain_from_name(domain);
	bool is_mount = route[n] != '\0';
	if (dom < 0 || (is_mount && (dom != OBL_FS || route[n + 1] != '/'))) {
		OB_ERROR(CAT, "--route %s: not a domain (fs, display, sound, input) or \"fs /PATH\"",
			 route);
		return -EINVAL;
	}
	const char *argv[24];
	int argc = 0;
	argv[argc++] = "replay";
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		if (d != dom || is_mount) {
			argv[argc++] = "--plugin";
			argv[argc++] = off[d];
		} else if (d == OBL_FS && !strchr(backend, ':')) {
			/* --fs NAME would be a directory: a bare name goes as --plugin. */
			snprintf(plugin, sizeof(plugin), "fs=%s", backend);
			argv[argc++] = "--plugin";
			argv[argc++] = plugin;
		} else {
			argv[argc++] = flag[d];
			argv[argc++] = backend;
		}
	}
	if (is_mount) {
		snprintf(mount, sizeof(mount), "%s=%s", route + n + 1, backend);
		argv[argc++] = "--mount";
		argv[argc++] = mount;
	}
	argv[argc++] = file; /* the parser wants a PROGRAM: dropped below */
	argv[argc] = NULL;
	int rc = obl_parse_run_args(argc, (char **)(uintptr_t)argv, o, err, sizeof(err));
	if (rc < 0) {
		OB_ERROR(CAT, "%s", err);
		return rc;
	}
	o->guest_argc = 0;
	o->guest_argv = NULL;
	if (!(o->run.compare = realpath(file, NULL))) {
		int e = errno;
		OB_ERROR(CAT, "%s: %s", file, strerror(e));
		return -e;
	}
	o->run.compare_route = strdup(route);
	return o->run.compare_route ? 0 : -ENOMEM;
}

int obl_cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "against", required_argument, NULL, 'a' },
		{ "route", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *backend = NULL, *route = "fs";
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'a') {
			backend = optarg;
		} else if (c == 'r') {
			route = optarg;
		} else if (c == 'h') {
			usage_replay(stdout);
			return 0;
		} else {
			usage_replay(stderr);
			return OBL_EXIT_FAILURE;
		}
	}
	if (!backend || optind != argc - 1) {
		OB_ERROR(CAT, "replay: %s", !backend ? "--against BACKEND is needed"
						      : "one recording FILE is needed");
		usage_replay(stderr);
		return OBL_EXIT_FAILURE;
	}
	struct obl_options o;
	obl_options_init(&o);
	if (replay_options(backend, route, argv[optind], &o) < 0) {
		obl_options_free(&o);
		return OBL_EXIT_FAILURE;
	}
	return obl_run_options(&o);
}
