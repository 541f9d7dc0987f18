/*
 * outboard-cpu: runs one guest program. The launcher starts it with the
 * plugins' endpoints; it can also be run by hand against plugins started
 * by hand (see --help).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcache.h"
#include "host.h"
#include "outboard/log.h"
#include "setup.h"
#include "trace.h"

#define DEFAULT_HEAP_MAX (64u << 20)
#define DEFAULT_STACK (1u << 20)

static void usage(FILE *out)
{
	fprintf(out,
		"usage: outboard-cpu [options] [--] PROGRAM [ARGS...]\n"
		"Runs an ARM guest program (ELF) on Unicorn, with its device calls served by\n"
		"plugins. Usually started by `outboard run`.\n\n"
		"  --plugin DOMAIN=URL   the plugin serving DOMAIN (fs, display, sound, input)\n"
		"  --control URL         the launcher's control endpoint\n"
		"  --key FILE            shared key for tcp:// plugins (outboard-keygen)\n"
		"  --trace LIST          print calls of these domains (kernel,fs,...,all)\n"
		"  --stats               print IPC statistics at exit\n"
		"  --heap-max SIZE       heap limit (default 64M)\n"
		"  --stack SIZE          main thread stack (default 1M)\n"
		"  --plugin-timeout MS   how long to wait for a plugin's Hello (default 10000)\n"
		"  --call-timeout MS     deadline of each blocking device call (default none)\n"
		"  --time-limit MS       stop the program after this long (exit status 142)\n"
		"  --log-level LEVEL     error, guest, stub, warn, info, debug\n"
		"  --fs-cache SIZE       file cache: read-ahead, write-behind (default 64M;\n"
		"                        0 turns it off; at least 256K otherwise)\n"
		"  --help, --version\n\n"
		"Exit status: the guest's; 128+signal for a guest fault; %d for a deadlock;\n"
		"%d when the program cannot be started; %d past --time-limit.\n",
		OBH_EXIT_DEADLOCK, OBH_EXIT_HOST_ERROR, OBH_EXIT_TIME_LIMIT);
}

/* "64M", "512k", "4096" -> bytes. 0 or -EINVAL. */
static int parse_size(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end || v == 0 || v > 0x7fffffffull)
		return -EINVAL;
	*out = (uint32_t)v;
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
	if (parse_size(s, &v) || v < (256u << 10))
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_ms(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 3600000)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int parse_plugin(struct obh_options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || !eq[1])
		return -EINVAL;
	char domain[16];
	size_t n = (size_t)(eq - arg);
	if (n >= sizeof(domain))
		return -EINVAL;
	memcpy(domain, arg, n);
	domain[n] = '\0';
	int d = obh_domain_from_name(domain);
	if (d <= 0)
		return -EINVAL;
	o->plugin_url[d] = eq + 1;
	return 0;
}

enum { OPT_PLUGIN = 256, OPT_CONTROL, OPT_TRACE, OPT_STATS, OPT_HEAP, OPT_STACK,
       OPT_PLUGIN_TIMEOUT, OPT_CALL_TIMEOUT, OPT_LOG, OPT_HELP, OPT_VERSION, OPT_TIME_LIMIT,
       OPT_KEY, OPT_FS_CACHE };

static const struct option long_opts[] = {
	{ "plugin", required_argument, NULL, OPT_PLUGIN },
	{ "control", required_argument, NULL, OPT_CONTROL },
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
	{ "fs-cache", required_argument, NULL, OPT_FS_CACHE },
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct obh_options *o)
{
	*o = (struct obh_options){ .heap_max = DEFAULT_HEAP_MAX, .main_stack = DEFAULT_STACK,
				   .plugin_timeout_ms = 10000, .fs_cache = OBH_FC_DEFAULT_LIMIT };
	int c, err = 0;
	enum ob_log_level level;
	/* '+': stop at the program name; its own options belong to the guest. */
	while ((c = getopt_long(argc, argv, "+", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_PLUGIN: err = parse_plugin(o, optarg); break;
		case OPT_CONTROL: o->control_url = optarg; break;
		case OPT_KEY: o->key_file = optarg; break;
		case OPT_TRACE: err = obh_trace_parse(optarg, &o->trace_mask); break;
		case OPT_STATS: o->stats = true; break;
		case OPT_HEAP: err = parse_size(optarg, &o->heap_max); break;
		case OPT_STACK: err = parse_size(optarg, &o->main_stack); break;
		case OPT_PLUGIN_TIMEOUT: err = parse_ms(optarg, &o->plugin_timeout_ms); break;
		case OPT_CALL_TIMEOUT: err = parse_ms(optarg, &o->call_timeout_ms); break;
		case OPT_TIME_LIMIT: err = parse_ms(optarg, &o->time_limit_ms); break;
		case OPT_FS_CACHE: err = parse_cache_size(optarg, &o->fs_cache); break;
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
	if (optind >= argc) {
		fprintf(stderr, "outboard-cpu: no program given\n");
		usage(stderr);
		return 2;
	}
	o->program = argv[optind];
	o->guest_argc = argc - optind;
	o->guest_argv = argv + optind;
	return -1;
}

int main(int argc, char **argv)
{
	struct obh_host h = { 0 };
	ob_log_set_program("outboard-cpu");
	int status = parse_args(argc, argv, &h.opts);
	if (status >= 0)
		return status;
	if (h.opts.trace_mask)
		h.trace_out = stderr;

	status = obh_setup(&h);
	if (status == 0)
		status = obh_sched_run(&h);
	else
		status = OBH_EXIT_HOST_ERROR;
	obh_teardown(&h);
	/* Data the guest was told it wrote did not reach the plugin (logged). */
	if (h.fcache_lost && status == 0)
		status = OBH_EXIT_HOST_ERROR;
	return status;
}
