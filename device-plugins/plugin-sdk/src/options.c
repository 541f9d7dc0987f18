/*
 * The command line of every plugin: the SDK's options plus the plugin's own,
 * parsed with getopt_long. Option values point into argv, which lives as
 * long as the process.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdk.h"

/* getopt_long values: the SDK's options, then plugin option i at
 * OBP_OPT_PLUGIN + i (above every character value). */
enum {
	OBP_OPT_LISTEN = 0x100,
	OBP_OPT_LOG_LEVEL,
	OBP_OPT_HELP,
	OBP_OPT_VERSION,
	OBP_OPT_DESCRIBE,
	OBP_OPT_KEY,
	OBP_OPT_INSECURE,
	OBP_OPT_NO_SECCOMP,
	OBP_OPT_STDIN_FRAMES,
	OBP_OPT_DESCRIBE_OPTIONS,
	OBP_OPT_PLUGIN = 0x200,
};

static const struct option sdk_options[] = {
	{ "listen", required_argument, NULL, OBP_OPT_LISTEN },
	{ "log-level", required_argument, NULL, OBP_OPT_LOG_LEVEL },
	{ "help", no_argument, NULL, OBP_OPT_HELP },
	{ "version", no_argument, NULL, OBP_OPT_VERSION },
	{ "describe", no_argument, NULL, OBP_OPT_DESCRIBE },
	{ "key", required_argument, NULL, OBP_OPT_KEY },
	{ "insecure", no_argument, NULL, OBP_OPT_INSECURE },
	{ "no-seccomp", no_argument, NULL, OBP_OPT_NO_SECCOMP },
	{ "stdin-frames", no_argument, NULL, OBP_OPT_STDIN_FRAMES },
	{ "describe-options", no_argument, NULL, OBP_OPT_DESCRIBE_OPTIONS },
};
#define N_SDK_OPTIONS (sizeof(sdk_options) / sizeof(sdk_options[0]))

static size_t plugin_option_count(const struct ob_plugin *pl)
{
	size_t n = 0;

	while (pl->options && pl->options[n].name)
		n++;
	return n;
}

const char *obp_domain_name(Ob__Domain d)
{
	switch (d) {
	case OB__DOMAIN__DOMAIN_FS: return "fs";
	case OB__DOMAIN__DOMAIN_DISPLAY: return "display";
	case OB__DOMAIN__DOMAIN_SOUND: return "sound";
	case OB__DOMAIN__DOMAIN_INPUT: return "input";
	default: return NULL;
	}
}

int obp_check_plugin_options(const struct ob_plugin *pl)
{
	size_t n = plugin_option_count(pl);

	for (size_t i = 0; i < n; i++) {
		const char *name = pl->options[i].name;

		if (!name[0] || name[0] == '-' || strchr(name, '=')) {
			OB_ERROR(OBP_LOG, "%s: bad option name '%s'", pl->name, name);
			return -EINVAL;
		}
		for (size_t j = 0; j < N_SDK_OPTIONS; j++)
			if (strcmp(name, sdk_options[j].name) == 0) {
				OB_ERROR(OBP_LOG, "%s: option --%s is the SDK's own", pl->name, name);
				return -EINVAL;
			}
		for (size_t j = 0; j < i; j++)
			if (strcmp(name, pl->options[j].name) == 0) {
				OB_ERROR(OBP_LOG, "%s: option --%s declared twice", pl->name, name);
				return -EINVAL;
			}
	}
	return 0;
}

/* The getopt_long table: SDK options, plugin options, terminator. */
static struct option *build_long_options(const struct ob_plugin *pl, size_t n_plugin)
{
	struct option *lo = calloc(N_SDK_OPTIONS + n_plugin + 1, sizeof(*lo));

	if (!lo)
		return NULL;
	memcpy(lo, sdk_options, sizeof(sdk_options));
	for (size_t i = 0; i < n_plugin; i++) {
		struct option *o = &lo[N_SDK_OPTIONS + i];

		o->name = pl->options[i].name;
		o->has_arg = pl->options[i].has_arg ? required_argument : no_argument;
		o->val = OBP_OPT_PLUGIN + (int)i;
	}
	return lo;
}

/* A command-line mistake: say what and where to look, on stderr. */
__attribute__((format(printf, 2, 3)))
static void usage_error(const ob_plugin_ctx *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", p->program);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", p->program);
}

/* Apply one getopt_long result. 0, or -EINVAL after printing why. */
static int apply_option(ob_plugin_ctx *p, int c, char **argv)
{
	struct obp_options *o = &p->opts;
	const char *given = optind > 0 ? argv[optind - 1] : "?";

	switch (c) {
	case OBP_OPT_LISTEN: o->listen = optarg; return 0;
	case OBP_OPT_LOG_LEVEL: o->log_level = optarg; return 0;
	case OBP_OPT_HELP: o->help = true; return 0;
	case OBP_OPT_VERSION: o->version = true; return 0;
	case OBP_OPT_DESCRIBE: o->describe = true; return 0;
	case OBP_OPT_DESCRIBE_OPTIONS: o->describe_options = true; return 0;
	case OBP_OPT_KEY: o->key_file = optarg; return 0;
	case OBP_OPT_INSECURE: o->insecure = true; return 0;
	case OBP_OPT_NO_SECCOMP: o->no_seccomp = true; return 0;
	case OBP_OPT_STDIN_FRAMES: o->stdin_frames = true; return 0;
	case ':':
		usage_error(p, "option '%s' needs an argument", given);
		return -EINVAL;
	case '?':
		usage_error(p, "unknown option '%s'", given);
		return -EINVAL;
	default:
		break;
	}
	if (c >= OBP_OPT_PLUGIN && (size_t)(c - OBP_OPT_PLUGIN) < o->n_values) {
		o->values[c - OBP_OPT_PLUGIN] = optarg ? optarg : "";
		return 0;
	}
	usage_error(p, "cannot parse option '%s'", given);
	return -EINVAL;
}

/* --log-level is checked here so a bad level is a usage error (exit 2). */
static int check_log_level(const ob_plugin_ctx *p)
{
	enum ob_log_level level;

	if (!p->opts.log_level)
		return 0;
	if (ob_log_parse_level(p->opts.log_level, &level) < 0) {
		usage_error(p, "unknown log level '%s' (error, guest, stub, warn, info, debug or 0-5)",
			    p->opts.log_level);
		return -EINVAL;
	}
	ob_log_set_level(level);
	return 0;
}

/* Frames come from --listen URL or, in tests, from --stdin-frames: exactly
 * one of them, and a key only goes with an endpoint. */
static int check_frame_source(const ob_plugin_ctx *p)
{
	const struct obp_options *o = &p->opts;

	if (o->help || o->version || o->describe || o->describe_options)
		return 0;
	if (o->stdin_frames && (o->listen || o->key_file || o->insecure)) {
		usage_error(p, "--stdin-frames takes frames from stdin: it cannot go with %s",
			    o->listen ? "--listen" : o->key_file ? "--key" : "--insecure");
		return -EINVAL;
	}
	if (!o->listen && !o->stdin_frames) {
		usage_error(p, "--listen URL is required");
		return -EINVAL;
	}
	return 0;
}

/*
 * A tcp:// endpoint is reachable by anyone who can reach the port, and a
 * plugin does what its peer asks (an fs plugin reads and writes files under
 * its root). So listening on tcp:// takes a key, or an explicit --insecure
 * (DESIGN.md, Faults and trust; docs/security.md).
 */
static int check_security(const ob_plugin_ctx *p)
{
	const struct obp_options *o = &p->opts;

	if (o->key_file && o->insecure) {
		usage_error(p, "--key and --insecure contradict each other: pick one");
		return -EINVAL;
	}
	if (o->key_file && !o->key_file[0]) {
		usage_error(p, "--key needs a file name");
		return -EINVAL;
	}
	if (!o->listen || strncmp(o->listen, "tcp://", 6) != 0 || o->key_file || o->insecure)
		return 0;
	fprintf(stderr,
		"%s: refusing to listen on %s without a key: anyone who can reach that port\n"
		"could use this plugin. Make a key with 'outboard-keygen FILE', copy FILE to\n"
		"the machine of the CPU host (scp; keep it mode 0600), and start both sides\n"
		"with --key FILE. On a network you trust completely, --insecure listens\n"
		"without authentication.\n",
		p->program, o->listen);
	return -EINVAL;
}

int obp_parse_options(ob_plugin_ctx *p, int argc, char **argv)
{
	struct obp_options *o = &p->opts;
	size_t n_plugin = plugin_option_count(&p->plugin);
	struct option *lo = NULL;
	int c, err = 0;

	o->n_values = n_plugin;
	o->values = calloc(n_plugin ? n_plugin : 1, sizeof(*o->values));
	lo = build_long_options(&p->plugin, n_plugin);
	if (!o->values || !lo) {
		err = -ENOMEM;
		goto out;
	}
	optind = 0; /* glibc: a full restart, even after an earlier parse stopped midway */
	opterr = 0; /* our own messages, naming the program */
	while ((c = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		err = apply_option(p, c, argv);
		if (err)
			goto out;
	}
	if (optind < argc) {
		usage_error(p, "unexpected argument '%s'", argv[optind]);
		err = -EINVAL;
		goto out;
	}
	err = check_log_level(p);
	if (err)
		goto out;
	err = check_frame_source(p);
	if (err)
		goto out;
	err = check_security(p);
out:
	free(lo);
	return err;
}

void obp_options_free(struct obp_options *o)
{
	free(o->values);
	o->values = NULL;
	o->n_values = 0;
}

void obp_print_help(const ob_plugin_ctx *p)
{
	const struct ob_plugin *pl = &p->plugin;
	size_t n_plugin = plugin_option_count(pl);

	printf("Usage: %s --listen URL [--key FILE] [options]\n", p->program);
	if (pl->summary)
		printf("%s\n", pl->summary);
	printf("\nOptions:\n"
	       "  --listen URL       bind this endpoint and serve (ipc:///path, tcp://host:port)\n"
	       "  --key FILE         shared key (from outboard-keygen): peers must prove they\n"
	       "                     hold it, and all traffic is encrypted; required with\n"
	       "                     tcp:// unless --insecure\n"
	       "  --insecure         allow tcp:// without a key (trusted networks only)\n"
	       "  --no-seccomp       run without the seccomp filter that confines the plugin\n"
	       "                     (debugging, valgrind; OB_NO_SECCOMP=1 does the same)\n"
	       "  --stdin-frames     TEST ONLY (fuzzers): instead of --listen, read frames\n"
	       "                     (4-byte little-endian length + Envelope) from stdin and\n"
	       "                     write what the plugin sends to stdout, framed the same\n"
	       "  --log-level LEVEL  error, guest, stub, warn, info or debug (default warn)\n"
	       "  --describe         print \"<name> <version> <domains>\" and exit\n"
	       "  --describe-options print the options a config file may set, one a line\n"
	       "                     (\"NAME\" or \"NAME ARG\"), and exit\n"
	       "  --version          print the version and exit\n"
	       "  --help             print this help and exit\n");
	if (!n_plugin)
		return;
	printf("\n%s options:\n", pl->name);
	for (size_t i = 0; i < n_plugin; i++) {
		const struct ob_plugin_option *opt = &pl->options[i];
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", opt->name, opt->has_arg ? " " : "",
			 opt->has_arg ? (opt->arg_name ? opt->arg_name : "VALUE") : "");
		printf("  %-17s  %s\n", left, opt->help ? opt->help : "");
	}
}

void obp_print_version(const ob_plugin_ctx *p)
{
	printf("%s %s (protocol %u)\n", p->program, p->plugin.version, OB_PROTOCOL_VERSION);
}

void obp_print_describe(const ob_plugin_ctx *p)
{
	printf("%s %s ", p->plugin.name, p->plugin.version);
	for (size_t i = 0; i < p->plugin.n_domains; i++)
		printf("%s%s", i ? "," : "", obp_domain_name(p->plugin.domains[i]));
	printf("\n");
}

void obp_print_describe_options(const ob_plugin_ctx *p)
{
	const struct ob_plugin *pl = &p->plugin;
	size_t n_plugin = plugin_option_count(pl);
	for (size_t i = 0; i < n_plugin; i++) {
		const struct ob_plugin_option *opt = &pl->options[i];
		printf("%s%s%s\n", opt->name, opt->has_arg ? " " : "",
		       opt->has_arg ? (opt->arg_name ? opt->arg_name : "VALUE") : "");
	}
	/* The SDK's own, which a config file may set too (not --listen and
	 * --log-level: the launcher sets those). */
	printf("key FILE\ninsecure\nno-seccomp\n");
}

const char *ob_plugin_opt(const ob_plugin_ctx *p, const char *name)
{
	if (!p || !name)
		return NULL;
	for (size_t i = 0; i < p->opts.n_values; i++)
		if (strcmp(p->plugin.options[i].name, name) == 0)
			return p->opts.values[i];
	return NULL;
}
