/*
 * From options to a plan: backend names to executables, one process for
 * the domains a backend serves together, per-backend primary options and
 * default outputs, and the command lines of every child.
 *
 * The order matters: the backends chosen by the user are resolved first;
 * then a chosen backend that serves several domains (by --describe) takes
 * the domains nobody chose; only the domains left get their defaults, so a
 * default that is never used is neither looked for nor warned about.
 */
#define _GNU_SOURCE /* vasprintf */
#include "plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outboard/log.h"
#include "strv.h"

#define CAT "launcher"

/* The backend each domain gets when nothing chooses one. */
static const char *const default_backend[OBL_DOMAIN_COUNT] = {
	[OBL_FS] = "hostdir",
	[OBL_DISPLAY] = "png",
	[OBL_SOUND] = "wav",
	[OBL_INPUT] = "null",
};

/*
 * What NAME:ARG (or --fs DIR) means for each backend: ARG becomes the value
 * of this option. Backends not listed get "--arg ARG". When neither ARG nor
 * the config file gives the option, fs-hostdir is rooted at the current
 * directory, and png and wav write to out_name in the output directory,
 * which the launcher creates (and out_name too, when it is a directory).
 */
static const struct primary {
	enum obl_domain domain;
	const char *backend;
	const char *key;
	bool default_cwd;
	const char *out_name;
	bool out_is_dir;
} primary_options[] = {
	{ .domain = OBL_FS, .backend = "hostdir", .key = "root", .default_cwd = true },
	{ .domain = OBL_FS, .backend = "mem", .key = "seed" },
	{ .domain = OBL_DISPLAY, .backend = "png", .key = "out", .out_name = "frames",
	  .out_is_dir = true },
	{ .domain = OBL_SOUND, .backend = "wav", .key = "out", .out_name = "sound.wav" },
	{ .domain = OBL_INPUT, .backend = "script", .key = "script" },
};

#define DEFAULT_PRIMARY_KEY "arg"

__attribute__((format(printf, 1, 2)))
static char *str_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static bool is_url(const char *spec)
{
	return strstr(spec, "://") != NULL;
}

static const char *domain_spec(const struct obl_options *o, enum obl_domain d)
{
	return o->dom[d].backend ? o->dom[d].backend : default_backend[d];
}

/* The backend's name inside its domain, for the primary option table:
 * "hostdir" for "hostdir" and for ".../outboard-fs-hostdir". */
static const char *short_backend(enum obl_domain d, const char *spec)
{
	const char *label = obl_exe_label(spec);
	size_t dlen = strlen(obl_domain_name(d));
	if (strchr(spec, '/') && strncmp(label, obl_domain_name(d), dlen) == 0 &&
	    label[dlen] == '-')
		return label + dlen + 1;
	return label;
}

static const struct primary *find_primary(enum obl_domain d, const char *spec)
{
	const char *backend = short_backend(d, spec);
	for (size_t i = 0; i < sizeof(primary_options) / sizeof(primary_options[0]); i++)
		if (primary_options[i].domain == d &&
		    strcmp(primary_options[i].backend, backend) == 0)
			return &primary_options[i];
	return NULL;
}

/* ---- resolving backends ---- */

/* The executable of a local backend spec: 0, -ENOENT / -EACCES with the
 * reason in why, or -ENOMEM. */
static int resolve_exe(enum obl_domain d, const char *spec, const char *self_dir, char **exe,
		       char *why, size_t whylen)
{
	if (strchr(spec, '/')) {
		int rc = obl_check_executable(spec);
		if (rc < 0) {
			snprintf(why, whylen, "%s", rc == -ENOENT ? "no such file"
								  : "not an executable file");
			return rc;
		}
		*exe = strdup(spec);
		return *exe ? 0 : -ENOMEM;
	}
	char name[256];
	snprintf(name, sizeof(name), "outboard-%s-%s", obl_domain_name(d), spec);
	int rc = obl_find_executable(self_dir, name, exe);
	if (rc == -ENOENT)
		snprintf(why, whylen, "no executable %s in %s or PATH", name,
			 self_dir ? self_dir : "(launcher directory unknown)");
	return rc;
}

/* Fill pp for its domain served by spec: kind, exe, URL and label. Errors
 * name the domain and spec in err; for a default backend, err is the
 * warning that it was skipped. */
static int resolve_plugin(const char *spec, bool is_default, const struct obl_plan_env *env,
			  struct obl_plugin_plan *pp, char *err, size_t errlen)
{
	enum obl_domain d = pp->domain;
	const char *dn = obl_domain_name(d);
	if (strcmp(spec, "none") == 0) {
		pp->kind = OBL_PLUGIN_NONE;
		return 0;
	}
	if (is_url(spec)) {
		if (strncmp(spec, "tcp://", 6) != 0 && strncmp(spec, "ipc://", 6) != 0)
			return obl_errf(err, errlen, "%s plugin %s: only tcp:// and ipc:// URLs work",
				    dn, spec);
		pp->kind = OBL_PLUGIN_REMOTE;
		pp->domains = OBL_DOMAIN_BIT(d);
		pp->url = strdup(spec);
		pp->label = strdup(spec);
		return pp->url && pp->label ? 0 : -ENOMEM;
	}
	char why[400];
	int rc = resolve_exe(d, spec, env->self_dir, &pp->exe, why, sizeof(why));
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		if (is_default)
			snprintf(err, errlen, "%s: default backend %s skipped: %s", dn, spec, why);
		else if (strchr(spec, '/'))
			snprintf(err, errlen, "%s plugin %s: %s", dn, spec, why);
		else
			snprintf(err, errlen, "%s backend '%s': %s", dn, spec, why);
		return rc;
	}
	pp->kind = OBL_PLUGIN_LOCAL;
	pp->domains = OBL_DOMAIN_BIT(d);
	pp->url = str_printf("ipc://%s/%s.sock", env->rundir, dn);
	pp->label = strdup(obl_exe_label(pp->exe));
	return pp->url && pp->label ? 0 : -ENOMEM;
}

/* The domains nobody chose get their default backend; a default that is
 * not installed is skipped with a warning. */
static int resolve_defaults(struct obl_plan *plan, const struct obl_plan_env *env)
{
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		struct obl_plugin_plan *pp = &plan->plugins[d];
		if (pp->chosen || pp->kind == OBL_PLUGIN_SHARED)
			continue;
		char warning[512];
		int rc = resolve_plugin(default_backend[d], true, env, pp, warning,
					sizeof(warning));
		if (rc == -ENOMEM)
			return rc;
		if (rc < 0) {
			OB_WARN(CAT, "%s", warning);
			pp->kind = OBL_PLUGIN_NONE;
		}
	}
	return 0;
}

/* ---- one process for several domains ---- */

/* The same executable file, maybe under two names (a symlink
 * outboard-input-sdl to outboard-display-sdl)? */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (strcmp(a, b) == 0)
		return true;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Could the chosen plugin of domain d take domain e as well? */
static bool claimable(const struct obl_plan *plan, enum obl_domain d, enum obl_domain e)
{
	const struct obl_plugin_plan *pd = &plan->plugins[d], *pe = &plan->plugins[e];
	if (e == d || pe->kind == OBL_PLUGIN_SHARED)
		return false;
	if (pd->kind == OBL_PLUGIN_LOCAL)
		return !pe->chosen || (pe->kind == OBL_PLUGIN_LOCAL && same_file(pd->exe, pe->exe));
	/* Remote: only a domain given the very same URL. */
	return pe->chosen && pe->kind == OBL_PLUGIN_REMOTE && strcmp(pd->url, pe->url) == 0;
}

/* Domain e is served by d's process from now on. */
static int share(struct obl_plan *plan, enum obl_domain d, enum obl_domain e)
{
	struct obl_plugin_plan *pd = &plan->plugins[d], *pe = &plan->plugins[e];
	free(pe->exe);
	free(pe->url);
	free(pe->label);
	pe->exe = NULL;
	pe->kind = OBL_PLUGIN_SHARED;
	pe->owner = d;
	pe->domains = 0;
	pe->url = strdup(pd->url);
	pe->label = strdup(pd->label);
	pd->domains |= OBL_DOMAIN_BIT(e);
	return pe->url && pe->label ? 0 : -ENOMEM;
}

/* The domains d's plugin serves: asked of a local executable, only when
 * that could change the plan; a remote plugin serves what it was given
 * (the same URL for two domains is one plugin). */
static unsigned served_domains(const struct obl_plan *plan, enum obl_domain d,
			       const struct obl_plan_env *env)
{
	const struct obl_plugin_plan *pd = &plan->plugins[d];
	unsigned mask = OBL_DOMAIN_BIT(d);
	bool worth_asking = false;
	for (int e = 0; e < OBL_DOMAIN_COUNT; e++)
		worth_asking |= claimable(plan, d, (enum obl_domain)e);
	if (!worth_asking)
		return mask;
	if (pd->kind == OBL_PLUGIN_REMOTE)
		return ~0u;
	char why[640];
	unsigned described;
	if (!env->describe || env->describe(env->describe_arg, pd->exe, &described, why,
					    sizeof(why)) < 0) {
		OB_DEBUG(CAT, "%s plugin %s: %s; taken to serve %s only", obl_domain_name(d),
			 pd->label, env->describe ? why : "not described", obl_domain_name(d));
		return mask;
	}
	/* One that does not serve d fails its Hello check: leave it alone. */
	return described & mask ? described : mask;
}

static int share_domains(struct obl_plan *plan, const struct obl_plan_env *env)
{
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		struct obl_plugin_plan *pd = &plan->plugins[d];
		if (!pd->chosen || (pd->kind != OBL_PLUGIN_LOCAL && pd->kind != OBL_PLUGIN_REMOTE))
			continue;
		unsigned mask = served_domains(plan, (enum obl_domain)d, env);
		for (int e = 0; e < OBL_DOMAIN_COUNT; e++) {
			if (!(mask & OBL_DOMAIN_BIT(e)) ||
			    !claimable(plan, (enum obl_domain)d, (enum obl_domain)e))
				continue;
			if (share(plan, (enum obl_domain)d, (enum obl_domain)e) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* ---- plugin command lines ---- */

/* A plugin's command line being built: an option already given wins over
 * a later one with the same key. */
struct plugin_argv {
	struct obl_strv argv;
	const char **keys;  /* not owned: the table's, the options' */
	size_t n_keys;
};

static void add_opt(struct plugin_argv *b, const char *key, const char *value)
{
	for (size_t i = 0; i < b->n_keys; i++)
		if (strcmp(b->keys[i], key) == 0)
			return;
	const char **grown = realloc(b->keys, (b->n_keys + 1) * sizeof(*grown));
	if (!grown) {
		b->argv.oom = true;
		return;
	}
	b->keys = grown;
	b->keys[b->n_keys++] = key;
	/* "true" is a bare flag; "false" leaves it out. */
	if (strcmp(value, "false") == 0)
		return;
	obl_strv_addf(&b->argv, "--%s", key);
	if (strcmp(value, "true") != 0)
		obl_strv_add(&b->argv, value);
}

/* The length of dir without trailing slashes (but "/" stays). */
static int dir_len(const char *dir)
{
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	return (int)len;
}

/*
 * Domain e's primary option (from ARG, or its default) for the plugin
 * serving it, and where e's output goes. A default output sets the
 * directory to create.
 */
static int add_primary(struct plugin_argv *b, const struct obl_options *o, enum obl_domain e,
		       const struct obl_plan_env *env, struct obl_plugin_plan *pe)
{
	const struct obl_domain_conf *dc = &o->dom[e];
	const struct primary *p = find_primary(e, domain_spec(o, e));
	const char *key = p ? p->key : DEFAULT_PRIMARY_KEY;
	/* A value from the config file is added with the file's options. */
	const char *value = obl_domain_get_opt(dc, key);
	char *fallback = NULL;
	if (dc->arg) {
		value = dc->arg;
		add_opt(b, key, value);
	} else if (!value && p && p->default_cwd) {
		value = env->cwd;
		add_opt(b, key, value);
	} else if (!value && p && p->out_name) {
		const char *out = o->run.out ? o->run.out : OBL_DEFAULT_OUT;
		value = fallback = str_printf("%.*s/%s", dir_len(out), out, p->out_name);
		if (!fallback)
			goto oom;
		pe->mkdir = p->out_is_dir ? strdup(fallback) : strndup(out, (size_t)dir_len(out));
		if (!pe->mkdir)
			goto oom;
		add_opt(b, key, value);
	}
	if (value && p && p->out_name && !(pe->output = strdup(value)))
		goto oom;
	free(fallback);
	return 0;
oom:
	free(fallback);
	return -ENOMEM;
}

static void add_file_opts(struct plugin_argv *b, const struct obl_domain_conf *dc)
{
	for (size_t i = 0; i < dc->n_opts; i++)
		add_opt(b, dc->opts[i].key, dc->opts[i].value);
}

/*
 * The command line of the process of domain d: its own options, then those
 * of every other domain that chose the same backend; the primary options
 * come first, then --screen (for a display plugin), then the config file's.
 * A domain it took over without being chosen for it adds nothing.
 */
static int plan_argv(const struct obl_options *o, struct obl_plan *plan, enum obl_domain d,
		     const struct obl_plan_env *env)
{
	struct obl_plugin_plan *pp = &plan->plugins[d];
	struct plugin_argv b = { 0 };
	obl_strv_add(&b.argv, pp->exe);
	obl_strv_add(&b.argv, "--listen");
	obl_strv_add(&b.argv, pp->url);
	if (plan->log_level >= 0) {
		obl_strv_add(&b.argv, "--log-level");
		obl_strv_add(&b.argv, ob_log_level_name((enum ob_log_level)plan->log_level));
	}
	bool from[OBL_DOMAIN_COUNT] = { false };
	for (int e = 0; e < OBL_DOMAIN_COUNT; e++)
		from[e] = e == (int)d || (plan->plugins[e].kind == OBL_PLUGIN_SHARED &&
					  plan->plugins[e].owner == d && plan->plugins[e].chosen);
	int rc = 0;
	for (int e = 0; e < OBL_DOMAIN_COUNT && rc == 0; e++)
		if (from[e])
			rc = add_primary(&b, o, (enum obl_domain)e, env, &plan->plugins[e]);
	if (o->run.screen && (pp->domains & OBL_DOMAIN_BIT(OBL_DISPLAY)))
		add_opt(&b, "screen", o->run.screen);
	for (int e = 0; e < OBL_DOMAIN_COUNT; e++)
		if (from[e])
			add_file_opts(&b, &o->dom[e]);
	free(b.keys);
	pp->argv = obl_strv_finish(&b.argv);
	return rc == 0 && pp->argv ? 0 : -ENOMEM;
}

/* ---- fs mounts (mounts.c plans them) ---- */

int obl_plan_fs_plugin(const char *spec, const char *arg, const struct obl_domain_conf *opts,
		       const struct obl_plan_env *env, struct obl_plan *plan,
		       struct obl_plugin_plan *pp, char *err, size_t errlen)
{
	int rc = resolve_plugin(spec, false, env, pp, err, errlen);
	if (rc < 0 || pp->kind != OBL_PLUGIN_LOCAL)
		return rc;
	/* Its own endpoint and a label naming the mount: "fs-mem@/tmp". */
	char *url = str_printf("ipc://%s/mount-%d.sock", env->rundir, pp->slot);
	char *label = str_printf("%s@%s", pp->label, pp->mount);
	if (!url || !label) {
		free(url);
		free(label);
		return -ENOMEM;
	}
	free(pp->url);
	free(pp->label);
	pp->url = url;
	pp->label = label;
	struct plugin_argv b = { 0 };
	obl_strv_add(&b.argv, pp->exe);
	obl_strv_add(&b.argv, "--listen");
	obl_strv_add(&b.argv, pp->url);
	if (plan->log_level >= 0) {
		obl_strv_add(&b.argv, "--log-level");
		obl_strv_add(&b.argv, ob_log_level_name((enum ob_log_level)plan->log_level));
	}
	const struct primary *p = find_primary(OBL_FS, spec);
	if (arg)
		add_opt(&b, p ? p->key : DEFAULT_PRIMARY_KEY, arg);
	if (pp->read_only)
		add_opt(&b, "read-only", "true");
	if (opts)
		add_file_opts(&b, opts);
	free(b.keys);
	pp->argv = obl_strv_finish(&b.argv);
	return pp->argv ? 0 : -ENOMEM;
}

/* ---- the CPU host ---- */

static int plan_cpu(const struct obl_options *o, const char *self_dir, struct obl_plan *plan,
		    char *err, size_t errlen)
{
	const char *cpu = o->cpu ? o->cpu : "outboard-cpu";
	int rc;
	if (strchr(cpu, '/')) {
		if (obl_check_executable(cpu) < 0) {
			obl_errf(err, errlen, "CPU host %s: not an executable file", cpu);
			return -ENOENT;
		}
		plan->cpu_exe = strdup(cpu);
		rc = plan->cpu_exe ? 0 : -ENOMEM;
	} else {
		rc = obl_find_executable(self_dir, cpu, &plan->cpu_exe);
		if (rc == -ENOENT)
			obl_errf(err, errlen, "CPU host: no executable %s in %s or PATH", cpu,
			     self_dir ? self_dir : "(launcher directory unknown)");
	}
	if (rc < 0)
		return rc;

	struct obl_strv argv = { 0 };
	obl_strv_add(&argv, plan->cpu_exe);
	/* It starts beside the plugins and dials them at Supervise{READY}
	 * (supervise.h); a replay dials none. */
	if (!o->run.replay)
		obl_strv_add(&argv, "--wait-ready");
	/* A shared domain gets its owner's URL: one process, named twice. */
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		const struct obl_plugin_plan *pp = &plan->plugins[d];
		if (pp->kind == OBL_PLUGIN_NONE)
			continue;
		if (d == OBL_FS && pp->read_only) {
			obl_strv_add(&argv, "--mount-ro");
			obl_strv_addf(&argv, "/=%s", pp->url);
			continue;
		}
		obl_strv_add(&argv, "--plugin");
		obl_strv_addf(&argv, "%s=%s", obl_domain_name((enum obl_domain)d), pp->url);
		if (pp->on_demand) {
			obl_strv_add(&argv, "--on-demand");
			obl_strv_addf(&argv, "%s=%s", obl_domain_name((enum obl_domain)d),
				      pp->label);
		}
	}
	for (int i = OBL_DOMAIN_COUNT; i < OBL_PLAN_SLOTS; i++) {
		const struct obl_plugin_plan *pp = &plan->plugins[i];
		if (pp->kind == OBL_PLUGIN_NONE || !pp->mount)
			continue;
		obl_strv_add(&argv, pp->read_only ? "--mount-ro" : "--mount");
		obl_strv_addf(&argv, "%s=%s", pp->mount, pp->url);
		if (pp->on_demand) { /* the backend: its label without "@/tmp" */
			obl_strv_add(&argv, "--on-demand");
			obl_strv_addf(&argv, "%s=%.*s", pp->mount, (int)strcspn(pp->label, "@"),
				      pp->label);
		}
	}
	obl_strv_add(&argv, "--control");
	obl_strv_add(&argv, plan->control_url);
	if (plan->log_level >= 0) {
		obl_strv_add(&argv, "--log-level");
		obl_strv_add(&argv, ob_log_level_name((enum ob_log_level)plan->log_level));
	}
	if (o->run.trace) {
		obl_strv_add(&argv, "--trace");
		obl_strv_add(&argv, o->run.trace);
	}
	if (o->run.trace_file) {
		obl_strv_add(&argv, "--trace-file");
		obl_strv_add(&argv, o->run.trace_file);
	}
	if (o->run.trace_time)
		obl_strv_add(&argv, "--trace-time");
	if (o->run.trace_durations)
		obl_strv_add(&argv, "--trace-durations");
	if (o->run.stats == 1)
		obl_strv_add(&argv, "--stats");
	if (o->run.gdb) {
		obl_strv_add(&argv, "--gdb");
		obl_strv_add(&argv, o->run.gdb);
	}
	if (o->run.heap_max) {
		obl_strv_add(&argv, "--heap-max");
		obl_strv_add(&argv, o->run.heap_max);
	}
	if (o->run.stack) {
		obl_strv_add(&argv, "--stack");
		obl_strv_add(&argv, o->run.stack);
	}
	if (o->run.key) {
		obl_strv_add(&argv, "--key");
		obl_strv_add(&argv, o->run.key);
	}
	if (o->run.fs_cache) {
		obl_strv_add(&argv, "--fs-cache");
		obl_strv_add(&argv, o->run.fs_cache);
	}
	if (o->run.record) {
		obl_strv_add(&argv, "--record");
		obl_strv_add(&argv, o->run.record);
	}
	if (o->run.replay) {
		obl_strv_add(&argv, "--replay");
		obl_strv_add(&argv, o->run.replay);
	}
	if (o->run.compare) {
		obl_strv_add(&argv, "--compare-recording");
		obl_strv_add(&argv, o->run.compare);
		obl_strv_add(&argv, "--compare-route");
		obl_strv_add(&argv, o->run.compare_route);
	}
	if (o->plugin_timeout_ms) { /* the host's own Hello, at the start and after a restart */
		obl_strv_add(&argv, "--plugin-timeout");
		obl_strv_addf(&argv, "%d", o->plugin_timeout_ms);
	}
	if (o->run.call_timeout_ms >= 0) {
		obl_strv_add(&argv, "--call-timeout");
		obl_strv_addf(&argv, "%d", o->run.call_timeout_ms);
	}
	if (o->run.time_limit_ms >= 0) {
		obl_strv_add(&argv, "--time-limit");
		obl_strv_addf(&argv, "%d", o->run.time_limit_ms);
	}
	char **env = NULL;
	if (obl_env_resolve(&o->run, &env) < 0)
		argv.oom = true; /* fails the argv below */
	for (size_t i = 0; env && env[i]; i++) {
		obl_strv_add(&argv, "--env");
		obl_strv_add(&argv, env[i]);
	}
	obl_env_free(env);
	if (o->guest_argc) /* none: the host compares a recording (recording.c) */
		obl_strv_add(&argv, "--");
	for (int i = 0; i < o->guest_argc; i++)
		obl_strv_add(&argv, o->guest_argv[i]);
	plan->cpu_argv = obl_strv_finish(&argv);
	return plan->cpu_argv ? 0 : -ENOMEM;
}

/* ---- the whole plan ---- */

/* A program that never draws, plays sound or reads input (most newlib
 * programs) should not pay for those processes: the default display,
 * sound and input backends start at their domain's first call
 * (docs/launcher.md, "Plugins started on demand"). Not a backend the user
 * chose, not one serving several domains, and not in a recording (its
 * header names every route's plugin at the start). Input events come
 * without a call, so input only as input-null, which never sends one:
 * its start at the guest's first input call changes nothing it sees. */
static void mark_on_demand(const struct obl_options *o, struct obl_plan *plan)
{
	static const enum obl_domain lazy[] = { OBL_DISPLAY, OBL_SOUND, OBL_INPUT };
	for (size_t i = 0; i < sizeof(lazy) / sizeof(lazy[0]); i++) {
		struct obl_plugin_plan *pp = &plan->plugins[lazy[i]];
		if (pp->kind == OBL_PLUGIN_LOCAL && !pp->chosen &&
		    pp->domains == OBL_DOMAIN_BIT(lazy[i]) && !o->run.record &&
		    (lazy[i] != OBL_INPUT || strcmp(pp->label, "input-null") == 0))
			pp->on_demand = true;
	}
}

static int plan_plugins(const struct obl_options *o, const struct obl_plan_env *env,
			struct obl_plan *plan, char *err, size_t errlen)
{
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		struct obl_plugin_plan *pp = &plan->plugins[d];
		pp->domain = (enum obl_domain)d;
		pp->slot = d;
		pp->chosen = o->dom[d].backend != NULL;
		if (!pp->chosen)
			continue;
		int rc = resolve_plugin(o->dom[d].backend, false, env, pp, err, errlen);
		if (rc < 0)
			return rc;
	}
	plan->plugins[OBL_FS].read_only = o->dom[OBL_FS].read_only;
	int rc = share_domains(plan, env);
	if (rc == 0)
		rc = resolve_defaults(plan, env);
	if (rc == 0)
		mark_on_demand(o, plan);
	for (int d = 0; d < OBL_DOMAIN_COUNT && rc == 0; d++)
		if (plan->plugins[d].kind == OBL_PLUGIN_LOCAL)
			rc = plan_argv(o, plan, (enum obl_domain)d, env);
	return rc;
}

int obl_plan_build(const struct obl_options *o, const struct obl_plan_env *env,
		   struct obl_plan *plan, char *err, size_t errlen)
{
	memset(plan, 0, sizeof(*plan));
	plan->log_level = obl_options_log_level(o);
	plan->plugin_timeout_ms = o->plugin_timeout_ms ? o->plugin_timeout_ms
						       : OBL_PLUGIN_TIMEOUT_MS;
	/* Children under a wrapper (valgrind: os_posix.c) start far slower. */
	if (!o->plugin_timeout_ms && getenv("OUTBOARD_WRAPPER"))
		plan->plugin_timeout_ms *= 6;
	if (o->run.key && !(plan->key_file = strdup(o->run.key)))
		return -ENOMEM;
	plan->restart = obl_restart_policy_default();
	if (o->run.restart_max >= 0)
		plan->restart.max = o->run.restart_max;
	if (o->run.restart_window_s > 0)
		plan->restart.window_ms = (int64_t)o->run.restart_window_s * 1000;
	plan->control_url = str_printf("ipc://%s/control.sock", env->rundir);
	if (!plan->control_url)
		goto oom;
	/* A replay starts no plugin: the recording answers (docs/debugging.md). */
	int rc = o->run.replay ? 0 : plan_plugins(o, env, plan, err, errlen);
	if (rc == 0 && !o->run.replay)
		rc = obl_plan_mounts(o, env, plan, err, errlen);
	if (rc == 0)
		rc = plan_cpu(o, env->self_dir, plan, err, errlen);
	if (rc == -ENOMEM)
		goto oom;
	return rc;
oom:
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

void obl_plan_free(struct obl_plan *plan)
{
	if (!plan)
		return;
	for (int d = 0; d < OBL_PLAN_SLOTS; d++) {
		struct obl_plugin_plan *pp = &plan->plugins[d];
		free(pp->label);
		free(pp->exe);
		free(pp->url);
		free(pp->output);
		free(pp->mkdir);
		free(pp->mount);
		obl_strv_free(pp->argv);
	}
	free(plan->cpu_exe);
	free(plan->key_file);
	obl_strv_free(plan->cpu_argv);
	free(plan->control_url);
	memset(plan, 0, sizeof(*plan));
}
