/*
 * The `outboard run` command line, and merging it with the config file.
 */
#define _GNU_SOURCE /* getopt_long */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outboard/host_options.h"
#include "outboard/log.h"
#include "restart.h"

static const char *const domain_names[OBL_DOMAIN_COUNT] = {
	[OBL_FS] = "fs",
	[OBL_DISPLAY] = "display",
	[OBL_SOUND] = "sound",
	[OBL_INPUT] = "input",
};

const char *obl_domain_name(enum obl_domain d)
{
	return (unsigned)d < OBL_DOMAIN_COUNT ? domain_names[d] : "?";
}

int obl_domain_from_name(const char *name)
{
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++)
		if (strcmp(name, domain_names[d]) == 0)
			return d;
	return -1;
}

const char *obl_domain_list(unsigned mask, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int d = 0; d < OBL_DOMAIN_COUNT && len < size; d++)
		if (mask & OBL_DOMAIN_BIT(d))
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "",
						domain_names[d]);
	return buf;
}

int obl_domain_mask(const char *list, unsigned *mask)
{
	unsigned m = 0;
	const char *p = list;
	for (;;) {
		size_t len = strcspn(p, ",");
		char name[16];
		if (len == 0 || len >= sizeof(name))
			return -EINVAL;
		memcpy(name, p, len);
		name[len] = '\0';
		int d = obl_domain_from_name(name);
		if (d < 0)
			return -EINVAL;
		m |= OBL_DOMAIN_BIT(d);
		if (!p[len])
			break;
		p += len + 1;
	}
	*mask = m;
	return 0;
}

/* One side of a screen size: 1-4 digits, in range. */
static int screen_side(const char *s, size_t len, unsigned *out)
{
	unsigned v = 0;
	if (len == 0 || len > 4)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v < OBL_SCREEN_MIN || v > OBL_SCREEN_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

int obl_screen_parse(const char *value, char *out, size_t size)
{
	const char *x = strchr(value, 'x');
	unsigned w, h;
	if (!x || screen_side(value, (size_t)(x - value), &w) < 0 ||
	    screen_side(x + 1, strlen(x + 1), &h) < 0)
		return -EINVAL;
	snprintf(out, size, "%ux%u", w, h);
	return 0;
}

/* A whole decimal number from lo to hi. */
static int parse_range(const char *value, long lo, long hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (value[0] < '0' || value[0] > '9' || errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int obl_restart_max_parse(const char *value, int *out)
{
	return parse_range(value, 0, OBL_RESTART_MAX_LIMIT, out);
}

int obl_restart_window_parse(const char *value, int *out)
{
	return parse_range(value, 1, OBL_RESTART_WINDOW_LIMIT_S, out);
}

void obl_options_init(struct obl_options *o)
{
	memset(o, 0, sizeof(*o));
	o->run.log_level = -1;
	o->run.stats = -1;
	o->run.restart_max = -1;
	o->run.restart_window_s = -1;
	o->run.call_timeout_ms = -1;
	o->run.time_limit_ms = -1;
}

static void domain_conf_free(struct obl_domain_conf *dc)
{
	free(dc->backend);
	free(dc->arg);
	for (size_t i = 0; i < dc->n_opts; i++) {
		free(dc->opts[i].key);
		free(dc->opts[i].value);
	}
	free(dc->opts);
	memset(dc, 0, sizeof(*dc));
}

void obl_options_free(struct obl_options *o)
{
	if (!o)
		return;
	free(o->config_path);
	free(o->run.trace);
	free(o->run.trace_file);
	free(o->run.gdb);
	free(o->run.heap_max);
	free(o->run.stack);
	free(o->run.fs_cache);
	free(o->run.record);
	free(o->run.replay);
	free(o->run.compare);
	free(o->run.compare_route);
	free(o->run.key);
	free(o->run.out);
	free(o->run.screen);
	free(o->cpu);
	obl_env_ops_free(&o->run);
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++)
		domain_conf_free(&o->dom[d]);
	obl_mounts_free(o);
	obl_options_init(o);
}

const char *obl_domain_get_opt(const struct obl_domain_conf *dc, const char *key)
{
	for (size_t i = 0; i < dc->n_opts; i++)
		if (strcmp(dc->opts[i].key, key) == 0)
			return dc->opts[i].value;
	return NULL;
}

int obl_domain_set_opt(struct obl_domain_conf *dc, const char *key, const char *value)
{
	char *v = strdup(value);
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < dc->n_opts; i++) {
		if (strcmp(dc->opts[i].key, key) == 0) {
			free(dc->opts[i].value);
			dc->opts[i].value = v;
			return 0;
		}
	}
	struct obl_kv *grown = realloc(dc->opts, (dc->n_opts + 1) * sizeof(*grown));
	char *k = strdup(key);
	if (grown)
		dc->opts = grown;
	if (!grown || !k) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	dc->opts[dc->n_opts++] = (struct obl_kv){ .key = k, .value = v };
	return 0;
}

int obl_options_log_level(const struct obl_options *o)
{
	if (o->run.log_level < 0 && o->run.verbose == 0)
		return -1;
	int level = o->run.log_level >= 0 ? o->run.log_level : (int)OB_LOG_WARN;
	level += o->run.verbose;
	return level > (int)OB_LOG_DEBUG ? (int)OB_LOG_DEBUG : level;
}

/* ---- command line ---- */

enum {
	OPT_CONFIG = 256,
	OPT_FS,
	OPT_DISPLAY,
	OPT_SOUND,
	OPT_INPUT,
	OPT_PLUGIN,
	OPT_LOG_LEVEL,
	OPT_VERSION,
	OPT_TRACE,
	OPT_STATS,
	OPT_HEAP_MAX,
	OPT_STACK,
	OPT_KEY,
	OPT_CPU,
	OPT_PLUGIN_TIMEOUT,
	OPT_OUT,
	OPT_SCREEN,
	OPT_RESTART_MAX,
	OPT_RESTART_WINDOW,
	OPT_TRACE_FILE,
	OPT_TRACE_TIME,
	OPT_TRACE_DURATIONS,
	OPT_MOUNT,
	OPT_CALL_TIMEOUT,
	OPT_TIME_LIMIT,
	OPT_ENV,
	OPT_UNSET_ENV,
	OPT_FS_CACHE,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_GDB = 'g',
};

static const struct option long_options[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "fs", required_argument, NULL, OPT_FS },
	{ "display", required_argument, NULL, OPT_DISPLAY },
	{ "sound", required_argument, NULL, OPT_SOUND },
	{ "input", required_argument, NULL, OPT_INPUT },
	{ "plugin", required_argument, NULL, OPT_PLUGIN },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "heap-max", required_argument, NULL, OPT_HEAP_MAX },
	{ "stack", required_argument, NULL, OPT_STACK },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "plugin-timeout", required_argument, NULL, OPT_PLUGIN_TIMEOUT },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "screen", required_argument, NULL, OPT_SCREEN },
	{ "restart-max", required_argument, NULL, OPT_RESTART_MAX },
	{ "restart-window", required_argument, NULL, OPT_RESTART_WINDOW },
	{ "trace-file", required_argument, NULL, OPT_TRACE_FILE },
	{ "trace-time", no_argument, NULL, OPT_TRACE_TIME },
	{ "trace-durations", no_argument, NULL, OPT_TRACE_DURATIONS },
	{ "mount", required_argument, NULL, OPT_MOUNT },
	{ "call-timeout", required_argument, NULL, OPT_CALL_TIMEOUT },
	{ "time-limit", required_argument, NULL, OPT_TIME_LIMIT },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "unset-env", required_argument, NULL, OPT_UNSET_ENV },
	{ "gdb", required_argument, NULL, OPT_GDB },
	{ "fs-cache", required_argument, NULL, OPT_FS_CACHE },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ NULL, 0, NULL, 0 },
};

int obl_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* --gdb PORT or HOST:PORT: the port is checked here, the host by the CPU
 * host when it binds (docs/debugging.md). */
static bool gdb_addr_ok(const char *arg)
{
	const char *colon = strrchr(arg, ':');
	const char *port = colon ? colon + 1 : arg;
	char *end;
	errno = 0;
	long v = strtol(port, &end, 10);
	return *port && !*end && !errno && v >= 0 && v <= 65535 && colon != arg;
}

/* Replace *slot with a copy of value. */
static int set_str(char **slot, const char *value)
{
	char *copy = strdup(value);
	if (!copy)
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}

/* Choose a domain's backend, and its primary argument (NULL for none). */
static int set_backend(struct obl_domain_conf *dc, const char *backend, size_t backend_len,
		       const char *arg)
{
	char *b = strndup(backend, backend_len);
	char *a = arg ? strdup(arg) : NULL;
	if (!b || (arg && !a)) {
		free(b);
		free(a);
		return -ENOMEM;
	}
	free(dc->backend);
	free(dc->arg);
	dc->backend = b;
	dc->arg = a;
	return 0;
}

/* --display/--sound/--input NAME[:ARG]. A URL is taken whole. */
static int parse_name_arg(struct obl_domain_conf *dc, const char *value)
{
	const char *colon = strstr(value, "://") ? NULL : strchr(value, ':');
	if (!colon)
		return set_backend(dc, value, strlen(value), NULL);
	return set_backend(dc, value, (size_t)(colon - value), colon + 1);
}

/* --plugin DOMAIN=EXEC|URL */
static int parse_plugin(struct obl_options *o, const char *value, char *err, size_t errlen)
{
	const char *eq = strchr(value, '=');
	if (!eq || eq == value || eq[1] == '\0')
		return obl_errf(err, errlen, "--plugin wants DOMAIN=EXEC|URL, got '%s'", value);
	char domain[16];
	size_t len = (size_t)(eq - value);
	if (len >= sizeof(domain))
		len = sizeof(domain) - 1;
	memcpy(domain, value, len);
	domain[len] = '\0';
	int d = obl_domain_from_name(domain);
	if (d < 0)
		return obl_errf(err, errlen,
			    "--plugin: unknown domain '%s' (fs, display, sound, input)", domain);
	if (d == OBL_FS) /* fs=NAME:ARG[:ro], as --mount /=SPEC */
		return obl_mount_add(o, "/", eq + 1, err, errlen);
	return parse_name_arg(&o->dom[d], eq + 1);
}

static int parse_timeout(const char *value, int *out)
{
	char *end;
	errno = 0;
	long ms = strtol(value, &end, 10);
	if (errno || end == value || *end || ms <= 0 || ms > 3600 * 1000)
		return -EINVAL;
	*out = (int)ms;
	return 0;
}

static int parse_level(const char *value, int *out)
{
	enum ob_log_level level;
	if (ob_log_parse_level(value, &level) < 0)
		return -EINVAL;
	*out = (int)level;
	return 0;
}

int obl_check_host_value(const char *key, const char *value, char *err, size_t errlen)
{
	uint32_t v;
	if (strcmp(key, "trace") == 0) {
		char why[200];
		if (obl_trace_check(value, why, sizeof(why)) < 0)
			return obl_errf(err, errlen, "--trace: %s", why);
	} else if (ob_size_parse(value, &v) < 0) {
		return obl_errf(err, errlen, "--%s wants %s; got '%s'", key, OB_SIZE_HELP, value);
	}
	return 0;
}

int obl_check_host_ms(const char *key, const char *value, int *out, char *err, size_t errlen)
{
	if (ob_ms_parse(value, out) < 0)
		return obl_errf(err, errlen, "--%s wants milliseconds from 0 (none) to %d; got '%s'",
			    key, OB_MS_MAX, value);
	return 0;
}

/* --env NAME=VALUE (set) or --unset-env NAME. */
static int env_option(struct obl_options *o, const char *arg, bool set, char *err,
		      size_t errlen)
{
	const char *eq = strchr(arg, '=');
	if (set && !eq)
		return obl_errf(err, errlen, "--env wants NAME=VALUE, got '%s'", arg);
	size_t len = set ? (size_t)(eq - arg) : strlen(arg);
	int rc = obl_env_add(&o->run, arg, len, set ? eq + 1 : NULL);
	if (rc == -EINVAL)
		return obl_errf(err, errlen, "--%s: bad variable name '%.*s' (it must not be empty "
			    "or contain '=')", set ? "env" : "unset-env", (int)len, arg);
	return rc;
}

/* One option; returns 0, -EINVAL with err filled, or -ENOMEM. */
static int apply_option(struct obl_options *o, int opt, const char *arg, char *err,
			size_t errlen)
{
	switch (opt) {
	case OPT_CONFIG:
		return set_str(&o->config_path, arg);
	case OPT_FS:
		return obl_fs_option(o, arg, err, errlen);
	case OPT_DISPLAY:
		return parse_name_arg(&o->dom[OBL_DISPLAY], arg);
	case OPT_SOUND:
		return parse_name_arg(&o->dom[OBL_SOUND], arg);
	case OPT_INPUT:
		return parse_name_arg(&o->dom[OBL_INPUT], arg);
	case OPT_PLUGIN:
		return parse_plugin(o, arg, err, errlen);
	case OPT_LOG_LEVEL:
		if (parse_level(arg, &o->run.log_level) < 0)
			return obl_errf(err, errlen, "--log-level: unknown level '%s' "
				    "(error, guest, stub, warn, info, debug or 0-5)", arg);
		return 0;
	case 'v':
		o->run.verbose++;
		return 0;
	case 'h':
		o->help = true;
		return 0;
	case OPT_VERSION:
		o->version = true;
		return 0;
	case OPT_TRACE: {
		char why[200];
		if (obl_trace_check(arg, why, sizeof(why)) < 0)
			return obl_errf(err, errlen, "--trace: %s", why);
		return set_str(&o->run.trace, arg);
	}
	case OPT_GDB:
		if (!gdb_addr_ok(arg))
			return obl_errf(err, errlen, "--gdb: '%s' is not PORT or HOST:PORT "
				    "(PORT 0-65535)", arg);
		return set_str(&o->run.gdb, arg);
	case OPT_STATS:
		o->run.stats = 1;
		return 0;
	case OPT_HEAP_MAX:
		if (obl_check_host_value("heap-max", arg, err, errlen) < 0)
			return -EINVAL;
		return set_str(&o->run.heap_max, arg);
	case OPT_STACK:
		if (obl_check_host_value("stack", arg, err, errlen) < 0)
			return -EINVAL;
		return set_str(&o->run.stack, arg);
	case OPT_KEY:
		return set_str(&o->run.key, arg);
	case OPT_CPU:
		return set_str(&o->cpu, arg);
	case OPT_PLUGIN_TIMEOUT:
		if (parse_timeout(arg, &o->plugin_timeout_ms) < 0)
			return obl_errf(err, errlen, "--plugin-timeout wants milliseconds "
				    "(1 to 3600000), got '%s'", arg);
		return 0;
	case OPT_OUT:
		if (!*arg)
			return obl_errf(err, errlen, "--out wants a directory, got ''");
		return set_str(&o->run.out, arg);
	case OPT_SCREEN: {
		char size[16];
		if (obl_screen_parse(arg, size, sizeof(size)) < 0)
			return obl_errf(err, errlen, "--screen wants WxH, each side %d to %d "
				    "(e.g. 320x240), got '%s'", OBL_SCREEN_MIN, OBL_SCREEN_MAX, arg);
		return set_str(&o->run.screen, size);
	}
	case OPT_RESTART_MAX:
		if (obl_restart_max_parse(arg, &o->run.restart_max) < 0)
			return obl_errf(err, errlen, "--restart-max wants a number from 0 to %d, got '%s'",
				    OBL_RESTART_MAX_LIMIT, arg);
		return 0;
	case OPT_RESTART_WINDOW:
		if (obl_restart_window_parse(arg, &o->run.restart_window_s) < 0)
			return obl_errf(err, errlen, "--restart-window wants seconds (1 to %d), got '%s'",
				    OBL_RESTART_WINDOW_LIMIT_S, arg);
		return 0;
	case OPT_TRACE_FILE:
		if (!*arg)
			return obl_errf(err, errlen, "--trace-file wants a file, got ''");
		return set_str(&o->run.trace_file, arg);
	case OPT_TRACE_TIME:
		o->run.trace_time = true;
		return 0;
	case OPT_TRACE_DURATIONS:
		o->run.trace_durations = true;
		return 0;
	case OPT_MOUNT: {
		const char *eq = strchr(arg, '=');
		if (!eq || eq == arg)
			return obl_errf(err, errlen, "--mount wants PATH=SPEC (e.g. /tmp=mem), got '%s'",
				    arg);
		char *point = strndup(arg, (size_t)(eq - arg));
		if (!point)
			return -ENOMEM;
		int rc = obl_mount_add(o, point, eq + 1, err, errlen);
		free(point);
		return rc;
	}
	case OPT_CALL_TIMEOUT:
		return obl_check_host_ms("call-timeout", arg, &o->run.call_timeout_ms, err, errlen);
	case OPT_TIME_LIMIT:
		return obl_check_host_ms("time-limit", arg, &o->run.time_limit_ms, err, errlen);
	case OPT_ENV:
		return env_option(o, arg, true, err, errlen);
	case OPT_UNSET_ENV:
		return env_option(o, arg, false, err, errlen);
	case OPT_FS_CACHE:
		if (obl_fs_cache_parse(arg) < 0)
			return obl_errf(err, errlen, "--fs-cache wants 0 (off) or a size of at least "
				    "256K such as 64M, got '%s'", arg);
		return set_str(&o->run.fs_cache, arg);
	case OPT_RECORD:
	case OPT_REPLAY:
		if (!*arg)
			return obl_errf(err, errlen, "--%s wants a file, got ''",
				    opt == OPT_RECORD ? "record" : "replay");
		return set_str(opt == OPT_RECORD ? &o->run.record : &o->run.replay, arg);
	default:
		return obl_errf(err, errlen, "internal: unhandled option %d", opt);
	}
}

int obl_parse_run_args(int argc, char **argv, struct obl_options *o, char *err,
		       size_t errlen)
{
	/* '+': stop at the first non-option (PROGRAM); ':': report a missing
	 * argument as ':' so the message is ours. optind = 0 re-initialises
	 * glibc's getopt, so this can run more than once per process. */
	optind = 0;
	opterr = 0;
	for (;;) {
		int opt = getopt_long(argc, argv, "+:hvg:", long_options, NULL);
		if (opt == -1)
			break;
		if (opt == '?') {
			if (optopt && optopt < 256)
				return obl_errf(err, errlen, "unknown option '-%c'", optopt);
			return obl_errf(err, errlen, "unknown option '%s'", argv[optind - 1]);
		}
		if (opt == ':')
			return obl_errf(err, errlen, "option '%s' needs an argument", argv[optind - 1]);
		int rc = apply_option(o, opt, optarg, err, errlen);
		if (rc < 0) {
			if (rc == -ENOMEM)
				snprintf(err, errlen, "out of memory");
			return rc;
		}
	}
	o->guest_argc = argc - optind;
	o->guest_argv = argv + optind;
	if (o->guest_argc == 0 && !o->help && !o->version)
		return obl_errf(err, errlen, "run: no PROGRAM given");
	return 0;
}

/* ---- merging ---- */

static void take_str(char **dst, char **src)
{
	if (!*dst) {
		*dst = *src;
		*src = NULL;
	}
}

static void merge_domain(struct obl_domain_conf *cli, struct obl_domain_conf *file)
{
	bool same = !cli->backend || (file->backend && strcmp(cli->backend, file->backend) == 0);
	if (!same)
		return; /* the file's options were for another backend */
	take_str(&cli->backend, &file->backend);
	if (!cli->arg) { /* [mount] / = NAME:ARG[:ro] */
		take_str(&cli->arg, &file->arg);
		cli->read_only |= file->read_only;
	}
	/* A primary argument from the command line replaces the file's value for
	 * the same key later, when the key is known (plan.c). */
	cli->opts = file->opts;
	cli->n_opts = file->n_opts;
	file->opts = NULL;
	file->n_opts = 0;
}

void obl_options_merge(struct obl_options *cli, struct obl_options *file)
{
	if (cli->run.log_level < 0)
		cli->run.log_level = file->run.log_level;
	cli->run.verbose += file->run.verbose;
	if (cli->run.stats < 0)
		cli->run.stats = file->run.stats;
	if (cli->run.restart_max < 0)
		cli->run.restart_max = file->run.restart_max;
	if (cli->run.restart_window_s < 0)
		cli->run.restart_window_s = file->run.restart_window_s;
	take_str(&cli->run.trace, &file->run.trace);
	take_str(&cli->run.heap_max, &file->run.heap_max);
	take_str(&cli->run.stack, &file->run.stack);
	take_str(&cli->run.fs_cache, &file->run.fs_cache);
	take_str(&cli->run.key, &file->run.key);
	take_str(&cli->run.out, &file->run.out);
	take_str(&cli->run.screen, &file->run.screen);
	if (cli->run.call_timeout_ms < 0)
		cli->run.call_timeout_ms = file->run.call_timeout_ms;
	if (cli->run.time_limit_ms < 0)
		cli->run.time_limit_ms = file->run.time_limit_ms;
	obl_env_merge(&cli->run, &file->run);
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++)
		merge_domain(&cli->dom[d], &file->dom[d]);
	obl_mounts_merge(cli, file);
}

int obl_fs_cache_parse(const char *value)
{
	char *end;
	if (strcmp(value, "0") == 0)
		return 0;
	if (!isdigit((unsigned char)value[0]))
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(value, &end, 10);
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (errno || *end || v < (256u << 10) || v > 0x7fffffffull)
		return -EINVAL;
	return 0;
}
