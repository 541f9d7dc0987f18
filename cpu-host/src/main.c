/*
 * outboard-cpu: runs one guest program. The launcher starts it with the
 * plugins' endpoints; it can also be run by hand against plugins started
 * by hand (see --help).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdb/gdb.h"
#include "fcache.h"
#include "host.h"
#include "outboard/host_options.h"
#include "outboard/log.h"
#include "record/compare.h"
#include "record/print.h"
#include "record/replay.h"
#include "scheduler.h"
#include "setup.h"
#include "startup_heap.h"
#include "trace.h"

#define DEFAULT_HEAP_MAX (128u << 20) /* as qemu-arm gives a semihosting guest */
/* qemu-arm's default (and Linux's usual RLIMIT_STACK): a program that
 * recurses deeply under qemu-arm must not overflow here. Untouched stack
 * pages cost nothing (host_alloc maps them lazily). */
#define DEFAULT_STACK (8u << 20)

static void usage(FILE *out)
{
	fprintf(out,
		"usage: outboard-cpu [options] [--] PROGRAM [ARGS...]\n"
		"Runs an ARM guest program (ELF) on Unicorn, with its device calls served by\n"
		"plugins. Usually started by `outboard run`.\n\n"
		"  --plugin DOMAIN=URL   the plugin serving DOMAIN (fs, display, sound, input)\n"
		"  --mount PATH=URL      the fs plugin serving paths under PATH (fs=URL: PATH /)\n"
		"  --mount-ro PATH=URL   the same, read-only: every change fails with EROFS\n"
		"  --on-demand PATH=BACKEND, --on-demand display|sound|input=BACKEND\n"
		"                        the mount's or the domain's plugin (BACKEND, for\n"
		"                        messages) is started by the launcher at its first call\n"
		"                        (needs --control)\n"
		"  --control URL         the launcher's control endpoint\n"
		"  --wait-ready          dial the plugins only once the launcher says they\n"
		"                        are up (Supervise READY on --control)\n"
		"  --key FILE            shared key for tcp:// plugins (outboard-keygen)\n"
		"  --trace LIST          print these calls: domains (kernel,fs,...,all) and\n"
		"                        call names (open,read,display_present)\n"
		"  --trace-file FILE     write the trace to FILE instead of stderr\n"
		"  --trace-time          prefix each trace line with seconds since the start\n"
		"  --trace-durations     end each trace line with the call's time in ms\n"
		"  --stats               print IPC and time-slicing statistics at exit\n"
		"  --heap-max SIZE       heap limit (default 128M)\n"
		"  --stack SIZE          main thread stack (default 8M, as qemu-arm)\n"
		"  --plugin-timeout MS   how long to wait for a plugin's Hello (default 10000)\n"
		"  --call-timeout MS     deadline of each blocking device call (default none)\n"
		"  --time-limit MS       stop the program after this long (exit status 142)\n"
		"  --log-level LEVEL     error, guest, stub, warn, info, debug\n"
		"  --env NAME=VALUE      set a variable of the guest's environment (repeatable;\n"
		"                        it starts empty)\n"
		"  --unset-env NAME      drop a variable set by an earlier --env\n"
		"  --gdb [HOST:]PORT, -g PORT\n"
		"                        start stopped and wait for gdb (target remote) on\n"
		"                        localhost:PORT, or HOST:PORT (docs/debugging.md)\n"
		"  --fs-cache SIZE       file cache: read-ahead, write-behind (default 64M;\n"
		"                        0 turns it off; at least 256K otherwise)\n"
		"  --record FILE         record every message between the host and its plugins\n"
		"                        (turns the file cache off unless --fs-cache is given)\n"
		"  --replay FILE         run with no plugins, answering from a recording\n"
		"  --print-recording FILE\n"
		"                        print a recording as --trace would (outboard trace);\n"
		"                        --trace LIST filters it; no PROGRAM\n"
		"  --compare-recording FILE\n"
		"                        send a recording's requests of one route to the live\n"
		"                        plugin (--plugin) and compare the replies (outboard\n"
		"                        replay --against); exit status 1 when some differ\n"
		"  --compare-route NAME  that route: fs (default), display, \"fs /tmp\", ...\n"
		"  --help, --version\n\n"
		"Exit status: the guest's; 128+signal for a guest fault; %d for a deadlock;\n"
		"%d when the program cannot be started; %d past --time-limit;\n"
		"%d when a --replay diverges from its recording.\n",
		OBH_EXIT_DEADLOCK, OBH_EXIT_HOST_ERROR, OBH_EXIT_TIME_LIMIT, OBH_EXIT_REPLAY_DIVERGED);
}

/* --env NAME=VALUE: set (replacing an earlier NAME); --unset-env NAME:
 * drop. The strings stay in argv; o->env is NULL-terminated. */
static int env_find(const struct obh_options *o, const char *name, size_t len)
{
	for (int i = 0; i < o->n_env; i++)
		if (strncmp(o->env[i], name, len) == 0 && o->env[i][len] == '=')
			return i;
	return -1;
}

static int env_set(struct obh_options *o, char *assignment)
{
	const char *eq = strchr(assignment, '=');
	if (!eq || ob_env_name_check(assignment, (size_t)(eq - assignment)))
		return -EINVAL;
	int i = env_find(o, assignment, (size_t)(eq - assignment));
	if (i >= 0) {
		o->env[i] = assignment;
		return 0;
	}
	char **grown = realloc(o->env, sizeof(*grown) * (size_t)(o->n_env + 2));
	if (!grown)
		return -ENOMEM;
	o->env = grown;
	o->env[o->n_env++] = assignment;
	o->env[o->n_env] = NULL;
	return 0;
}

/* --fs-cache: 0 (off) or a size of at least four blocks. */
static int parse_cache_size(const char *s, uint64_t *out)
{
	uint32_t v;
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (ob_size_parse(s, &v) || v < (256u << 10))
		return -EINVAL;
	*out = v;
	return 0;
}

static int env_unset(struct obh_options *o, const char *name)
{
	if (ob_env_name_check(name, strlen(name)))
		return -EINVAL;
	int i = env_find(o, name, strlen(name));
	if (i >= 0) {
		memmove(&o->env[i], &o->env[i + 1], sizeof(*o->env) * (size_t)(o->n_env - i));
		o->n_env--;
	}
	return 0;
}

/* "DOMAIN=VALUE": the domain (0 or less when unknown or malformed), and
 * VALUE in *value. */
static int split_domain(const char *arg, const char **value)
{
	const char *eq = strchr(arg, '=');
	char domain[16];
	size_t n = eq ? (size_t)(eq - arg) : 0;
	if (!eq || !eq[1] || n >= sizeof(domain))
		return -1;
	memcpy(domain, arg, n);
	domain[n] = '\0';
	*value = eq + 1;
	return obh_domain_from_name(domain);
}

static int parse_plugin(struct obh_options *o, const char *arg)
{
	const char *url;
	int d = split_domain(arg, &url);
	if (d <= 0)
		return -EINVAL;
	o->plugin_url[d] = url;
	return 0;
}

/* --on-demand PATH=BACKEND (a mount: mounts.c checks it) or
 * DOMAIN=BACKEND, display, sound or input: not fs, which every program
 * with files needs at once. An input source on demand starts at the
 * guest's first input_wait that blocks or input_set_handler, so the
 * launcher asks it only of input-null, which never sends an event
 * (docs/launcher.md). */
static int parse_on_demand(struct obh_options *o, const char *arg)
{
	if (arg[0] == '/') {
		if (o->n_on_demand >= OBH_MAX_MOUNTS)
			return -EINVAL;
		o->on_demand[o->n_on_demand++] = arg;
		return 0;
	}
	const char *backend;
	int d = split_domain(arg, &backend);
	if (d != OBH_DOMAIN_DISPLAY && d != OBH_DOMAIN_SOUND && d != OBH_DOMAIN_INPUT)
		return -EINVAL;
	o->on_demand_backend[d] = backend;
	return 0;
}

static int parse_gdb(struct obh_options *o, const char *arg)
{
	char host[256], port[8];
	if (obh_gdb_parse_addr(arg, host, sizeof(host), port, sizeof(port)))
		return -EINVAL;
	o->gdb_addr = arg;
	return 0;
}

enum { OPT_PLUGIN = 256, OPT_CONTROL, OPT_TRACE, OPT_STATS, OPT_HEAP, OPT_STACK,
       OPT_PLUGIN_TIMEOUT, OPT_CALL_TIMEOUT, OPT_LOG, OPT_HELP, OPT_VERSION, OPT_TIME_LIMIT,
       OPT_KEY, OPT_TRACE_FILE, OPT_TRACE_TIME, OPT_TRACE_DURATIONS, OPT_MOUNT, OPT_MOUNT_RO,
       OPT_ENV, OPT_UNSET_ENV,
       OPT_FS_CACHE, OPT_WAIT_READY, OPT_ON_DEMAND, OPT_RECORD, OPT_REPLAY, OPT_PRINT_RECORDING, OPT_COMPARE, OPT_COMPARE_ROUTE,
       OPT_GDB = 'g' };

static const struct option long_opts[] = {
	{ "plugin", required_argument, NULL, OPT_PLUGIN },
	{ "control", required_argument, NULL, OPT_CONTROL },
	{ "wait-ready", no_argument, NULL, OPT_WAIT_READY },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "heap-max", required_argument, NULL, OPT_HEAP },
	{ "stack", required_argument, NULL, OPT_STACK },
	{ "plugin-timeout", required_argument, NULL, OPT_PLUGIN_TIMEOUT },
	{ "call-timeout", required_argument, NULL, OPT_CALL_TIMEOUT },
	{ "log-level", required_argument, NULL, OPT_LOG },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "time-limit", required_argument, NULL, OPT_TIME_LIMIT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "trace-file", required_argument, NULL, OPT_TRACE_FILE },
	{ "trace-time", no_argument, NULL, OPT_TRACE_TIME },
	{ "trace-durations", no_argument, NULL, OPT_TRACE_DURATIONS },
	{ "mount", required_argument, NULL, OPT_MOUNT },
	{ "mount-ro", required_argument, NULL, OPT_MOUNT_RO },
	{ "on-demand", required_argument, NULL, OPT_ON_DEMAND },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "unset-env", required_argument, NULL, OPT_UNSET_ENV },
	{ "gdb", required_argument, NULL, OPT_GDB },
	{ "fs-cache", required_argument, NULL, OPT_FS_CACHE },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "print-recording", required_argument, NULL, OPT_PRINT_RECORDING },
	{ "compare-recording", required_argument, NULL, OPT_COMPARE },
	{ "compare-route", required_argument, NULL, OPT_COMPARE_ROUTE },
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct obh_options *o)
{
	*o = (struct obh_options){ .heap_max = DEFAULT_HEAP_MAX, .main_stack = DEFAULT_STACK,
				   .plugin_timeout_ms = 10000, .fs_cache = OBH_FC_DEFAULT_LIMIT };
	int c, err = 0;
	enum ob_log_level level;
	char bad[160];
	/* '+': stop at the program name; its own options belong to the guest. */
	while ((c = getopt_long(argc, argv, "+g:", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_PLUGIN: err = parse_plugin(o, optarg); break;
		case OPT_CONTROL: o->control_url = optarg; break;
		case OPT_WAIT_READY: o->wait_ready = true; break;
		case OPT_KEY: o->key_file = optarg; break;
		case OPT_GDB: err = parse_gdb(o, optarg); break;
		case OPT_TRACE:
			err = obh_trace_parse_filter(optarg, &o->trace_mask, o->trace_calls, bad,
						     sizeof(bad));
			if (err) {
				fprintf(stderr, "outboard-cpu: --trace: %s\n", bad);
				return 2;
			}
			break;
		case OPT_TRACE_FILE: o->trace_file = optarg; break;
		case OPT_TRACE_TIME: o->trace_time = true; break;
		case OPT_TRACE_DURATIONS: o->trace_durations = true; break;
		case OPT_MOUNT:
		case OPT_MOUNT_RO:
			if (o->n_mounts >= OBH_MAX_MOUNTS || !strchr(optarg, '=')) {
				err = -EINVAL;
				break;
			}
			o->mount_ro[o->n_mounts] = c == OPT_MOUNT_RO;
			o->mount_arg[o->n_mounts++] = optarg;
			break;
		case OPT_ON_DEMAND: err = parse_on_demand(o, optarg); break;
		case OPT_STATS: o->stats = true; break;
		case OPT_HEAP: err = ob_size_parse(optarg, &o->heap_max); break;
		case OPT_STACK: err = ob_size_parse(optarg, &o->main_stack); break;
		case OPT_PLUGIN_TIMEOUT: err = ob_ms_parse(optarg, &o->plugin_timeout_ms); break;
		case OPT_CALL_TIMEOUT: err = ob_ms_parse(optarg, &o->call_timeout_ms); break;
		case OPT_TIME_LIMIT: err = ob_ms_parse(optarg, &o->time_limit_ms); break;
		case OPT_ENV: err = env_set(o, optarg); break;
		case OPT_UNSET_ENV: err = env_unset(o, optarg); break;
		case OPT_FS_CACHE:
			err = parse_cache_size(optarg, &o->fs_cache);
			o->fs_cache_given = true;
			break;
		case OPT_RECORD: o->record_file = optarg; break;
		case OPT_REPLAY: o->replay_file = optarg; break;
		case OPT_PRINT_RECORDING: o->print_file = optarg; break;
		case OPT_COMPARE: o->compare_file = optarg; break;
		case OPT_COMPARE_ROUTE: o->compare_route = optarg; break;
		case OPT_LOG:
			err = ob_log_parse_level(optarg, &level);
			if (!err)
				ob_log_set_level(level);
			break;
		case OPT_HELP: usage(stdout); return 0;
		case OPT_VERSION: printf("outboard-cpu %s\n", OB_VERSION); return 0;
		default: usage(stderr); return 2;
		}
		if (err) {
			const struct option *o2 = long_opts;
			while (o2->name && o2->val != c)
				o2++;
			fprintf(stderr, "outboard-cpu: bad value for --%s: '%s'\n", o2->name, optarg);
			return 2;
		}
	}
	if (o->print_file || o->compare_file)
		return -1; /* no program: the recording names its own */
	if (optind >= argc) {
		fprintf(stderr, "outboard-cpu: no program given\n");
		usage(stderr);
		return 2;
	}
	/* A recording maps guest calls to messages one to one without the file
	 * cache, whose read-ahead depends on measured round trips. */
	if (o->record_file && !o->fs_cache_given)
		o->fs_cache = 0;
	o->program = argv[optind];
	o->guest_argc = argc - optind;
	o->guest_argv = argv + optind;
	return -1;
}

int main(int argc, char **argv)
{
	obh_startup_heap(OBH_HEAP_PAD);
	struct obh_host h = { 0 };
	ob_log_set_program("outboard-cpu");
	/* A file written past RLIMIT_FSIZE (a trace, a recording, a shared
	 * region) gets EFBIG, reported where it happens, rather than the signal
	 * that would end the whole run without a word. */
	signal(SIGXFSZ, SIG_IGN);
	int status = parse_args(argc, argv, &h.opts);
	if (status >= 0)
		return status;
	if (h.opts.print_file)
		return obh_record_print(&h, stdout);
	if (h.opts.compare_file)
		return obh_record_compare(&h);
	/* --trace-file alone traces every call, as strace -o does. */
	if (h.opts.trace_file && !h.opts.trace_mask &&
	    !obh_trace_any_call(h.opts.trace_calls))
		h.opts.trace_mask = (1u << OBH_DOMAIN_COUNT) - 1;
	bool tracing = h.opts.trace_mask || obh_trace_any_call(h.opts.trace_calls);
	if (tracing && h.opts.trace_file) {
		/* Truncated, as strace -o does; before the guest starts. */
		h.trace_out = fopen(h.opts.trace_file, "w");
		if (!h.trace_out) {
			fprintf(stderr, "outboard-cpu: --trace-file %s: %s\n", h.opts.trace_file,
				strerror(errno));
			return OBH_EXIT_HOST_ERROR;
		}
	} else if (tracing) {
		h.trace_out = stderr;
	}

	if (h.opts.replay_file && obh_replay_load(&h)) {
		obh_replay_finish(&h);
		free(h.opts.env);
		return OBH_EXIT_HOST_ERROR;
	}
	status = obh_setup(&h);
	if (status == 0 && h.opts.gdb_addr)
		status = obh_gdb_start(&h, h.opts.gdb_addr);
	if (status == 0) {
		status = obh_sched_run(&h);
		obh_gdb_exit(&h, status);
	} else {
		status = OBH_EXIT_HOST_ERROR;
	}
	obh_gdb_destroy(&h);
	obh_teardown_for_exit(&h);
	if (h.trace_out && h.trace_out != stderr)
		fclose(h.trace_out);
	free(h.opts.env);
	/* Data the guest was told it wrote did not reach the plugin (logged). */
	if (h.fcache_lost && status == 0)
		status = OBH_EXIT_HOST_ERROR;
	return status;
}
