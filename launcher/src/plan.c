/*
 * From options to a plan: backend names to executables, per-backend primary
 * options, and the command lines of every child.
 */
#include "plan.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outboard/log.h"

/* The backend each domain gets when nothing chooses one. */
static const char *const default_backend[OBL_DOMAIN_COUNT] = {
	[OBL_FS] = "hostdir",
	[OBL_DISPLAY] = "none",
	[OBL_SOUND] = "none",
	[OBL_INPUT] = "none",
};

/*
 * What NAME:ARG (or --fs DIR) means for each backend: ARG becomes the value
 * of this option. Backends not listed get "--arg ARG". fs-hostdir is rooted
 * at the current directory when nothing says otherwise.
 */
static const struct {
	enum obl_domain domain;
	const char *backend;
	const char *key;
	bool default_cwd;
} primary_options[] = {
	{ OBL_FS, "hostdir", "root", true },
	{ OBL_FS, "mem", "seed", false },
	{ OBL_INPUT, "script", "script", false },
};

#define DEFAULT_PRIMARY_KEY "arg"

/* ---- a growable NULL-terminated argv ---- */

struct strv {
	char **v;
	size_t n, cap;
	bool oom;
};

static void strv_add(struct strv *s, const char *str)
{
	if (s->oom)
		return;
	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **grown = realloc(s->v, cap * sizeof(*grown));
		if (!grown) {
			s->oom = true;
			return;
		}
		s->v = grown;
		s->cap = cap;
	}
	s->v[s->n] = strdup(str);
	if (!s->v[s->n]) {
		s->oom = true;
		return;
	}
	s->v[++s->n] = NULL;
}

__attribute__((format(printf, 2, 3)))
static void strv_addf(struct strv *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *buf = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (!buf) {
		s->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, (size_t)len + 1, fmt, ap);
	va_end(ap);
	strv_add(s, buf);
	free(buf);
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* The finished argv, or NULL after an allocation failure. */
static char **strv_finish(struct strv *s)
{
	if (s->oom || !s->v) {
		strv_free(s->v);
		return NULL;
	}
	return s->v;
}

/* ---- finding executables ---- */

static bool is_executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static char *join_path(const char *dir, size_t dir_len, const char *name)
{
	size_t len = dir_len + 1 + strlen(name) + 1;
	char *p = malloc(len);
	if (p)
		snprintf(p, len, "%.*s/%s", (int)dir_len, dir, name);
	return p;
}

int obl_find_executable(const char *dir, const char *name, char **out)
{
	char *p;
	if (dir) {
		if (!(p = join_path(dir, strlen(dir), name)))
			return -ENOMEM;
		if (is_executable(p)) {
			*out = p;
			return 0;
		}
		free(p);
	}
	const char *path = getenv("PATH");
	while (path && *path) {
		size_t len = strcspn(path, ":");
		/* An empty PATH entry means the current directory. */
		if (!(p = len ? join_path(path, len, name) : join_path(".", 1, name)))
			return -ENOMEM;
		if (is_executable(p)) {
			*out = p;
			return 0;
		}
		free(p);
		path += len + (path[len] == ':');
	}
	return -ENOENT;
}

char *obl_self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (len <= 0)
		return NULL;
	buf[len] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return strdup(slash == buf ? "/" : buf);
}

const char *obl_exe_label(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strncmp(base, "outboard-", 9) == 0 && base[9])
		base += 9;
	return base;
}

/* ---- plugins ---- */

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool is_url(const char *spec)
{
	return strstr(spec, "://") != NULL;
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

static int find_primary(enum obl_domain d, const char *backend)
{
	for (size_t i = 0; i < sizeof(primary_options) / sizeof(primary_options[0]); i++)
		if (primary_options[i].domain == d &&
		    strcmp(primary_options[i].backend, backend) == 0)
			return (int)i;
	return -1;
}

/* The plugin's own options: the config file's, with the primary argument
 * (or its default) put in; "true" is a bare flag and "false" leaves it out. */
static void add_plugin_opts(struct strv *argv, enum obl_domain d, const char *spec,
			    const struct obl_domain_conf *dc, const char *cwd)
{
	int p = find_primary(d, short_backend(d, spec));
	const char *key = p >= 0 ? primary_options[p].key : DEFAULT_PRIMARY_KEY;
	const char *arg = dc->arg;
	if (!arg && p >= 0 && primary_options[p].default_cwd && !obl_domain_get_opt(dc, key))
		arg = cwd;
	if (arg) {
		strv_addf(argv, "--%s", key);
		strv_add(argv, arg);
	}
	for (size_t i = 0; i < dc->n_opts; i++) {
		const struct obl_kv *kv = &dc->opts[i];
		if ((arg && strcmp(kv->key, key) == 0) || strcmp(kv->value, "false") == 0)
			continue;
		strv_addf(argv, "--%s", kv->key);
		if (strcmp(kv->value, "true") != 0)
			strv_add(argv, kv->value);
	}
}

static int resolve_exe(enum obl_domain d, const char *spec, const char *self_dir, char **exe,
		       char *err, size_t errlen)
{
	const char *dn = obl_domain_name(d);
	if (strchr(spec, '/')) {
		if (!is_executable(spec)) {
			int e = access(spec, F_OK) == 0 ? EACCES : ENOENT;
			fail(err, errlen, "%s plugin %s: %s", dn, spec,
			     e == ENOENT ? "no such file" : "not an executable file");
			return -e;
		}
		*exe = strdup(spec);
		return *exe ? 0 : -ENOMEM;
	}
	char name[256];
	snprintf(name, sizeof(name), "outboard-%s-%s", dn, spec);
	int rc = obl_find_executable(self_dir, name, exe);
	if (rc == -ENOENT)
		fail(err, errlen, "%s backend '%s': no executable %s in %s or PATH", dn, spec,
		     name, self_dir ? self_dir : "(launcher directory unknown)");
	return rc;
}

static int plan_plugin(const struct obl_options *o, enum obl_domain d, const char *self_dir,
		       const char *rundir, const char *cwd, struct obl_plugin_plan *pp,
		       char *err, size_t errlen)
{
	const struct obl_domain_conf *dc = &o->dom[d];
	const char *spec = dc->backend ? dc->backend : default_backend[d];
	pp->domain = d;
	if (strcmp(spec, "none") == 0) {
		pp->kind = OBL_PLUGIN_NONE;
		return 0;
	}
	if (is_url(spec)) {
		if (strncmp(spec, "tcp://", 6) != 0 && strncmp(spec, "ipc://", 6) != 0)
			return fail(err, errlen, "%s plugin %s: only tcp:// and ipc:// URLs work",
				    obl_domain_name(d), spec);
		pp->kind = OBL_PLUGIN_REMOTE;
		pp->url = strdup(spec);
		pp->label = strdup(spec);
		return pp->url && pp->label ? 0 : -ENOMEM;
	}
	pp->kind = OBL_PLUGIN_LOCAL;
	int rc = resolve_exe(d, spec, self_dir, &pp->exe, err, errlen);
	if (rc < 0)
		return rc;
	size_t len = strlen(rundir) + 32;
	if (!(pp->url = malloc(len)) || !(pp->label = strdup(obl_exe_label(pp->exe))))
		return -ENOMEM;
	snprintf(pp->url, len, "ipc://%s/%s.sock", rundir, obl_domain_name(d));

	struct strv argv = { 0 };
	strv_add(&argv, pp->exe);
	strv_add(&argv, "--listen");
	strv_add(&argv, pp->url);
	if (o->run.log_level >= 0 || o->run.verbose) {
		strv_add(&argv, "--log-level");
		strv_add(&argv, ob_log_level_name((enum ob_log_level)obl_options_log_level(o)));
	}
	add_plugin_opts(&argv, d, spec, dc, cwd);
	pp->argv = strv_finish(&argv);
	return pp->argv ? 0 : -ENOMEM;
}

/* ---- the CPU host ---- */

static int plan_cpu(const struct obl_options *o, const char *self_dir, struct obl_plan *plan,
		    char *err, size_t errlen)
{
	const char *cpu = o->cpu ? o->cpu : "outboard-cpu";
	int rc;
	if (strchr(cpu, '/')) {
		if (!is_executable(cpu)) {
			fail(err, errlen, "CPU host %s: not an executable file", cpu);
			return -ENOENT;
		}
		plan->cpu_exe = strdup(cpu);
		rc = plan->cpu_exe ? 0 : -ENOMEM;
	} else {
		rc = obl_find_executable(self_dir, cpu, &plan->cpu_exe);
		if (rc == -ENOENT)
			fail(err, errlen, "CPU host: no executable %s in %s or PATH", cpu,
			     self_dir ? self_dir : "(launcher directory unknown)");
	}
	if (rc < 0)
		return rc;

	struct strv argv = { 0 };
	strv_add(&argv, plan->cpu_exe);
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		const struct obl_plugin_plan *pp = &plan->plugins[d];
		if (pp->kind == OBL_PLUGIN_NONE)
			continue;
		strv_add(&argv, "--plugin");
		strv_addf(&argv, "%s=%s", obl_domain_name((enum obl_domain)d), pp->url);
	}
	strv_add(&argv, "--control");
	strv_add(&argv, plan->control_url);
	if (plan->log_level >= 0) {
		strv_add(&argv, "--log-level");
		strv_add(&argv, ob_log_level_name((enum ob_log_level)plan->log_level));
	}
	if (o->run.trace) {
		strv_add(&argv, "--trace");
		strv_add(&argv, o->run.trace);
	}
	if (o->run.stats == 1)
		strv_add(&argv, "--stats");
	if (o->run.heap_max) {
		strv_add(&argv, "--heap-max");
		strv_add(&argv, o->run.heap_max);
	}
	if (o->run.stack) {
		strv_add(&argv, "--stack");
		strv_add(&argv, o->run.stack);
	}
	strv_add(&argv, "--");
	for (int i = 0; i < o->guest_argc; i++)
		strv_add(&argv, o->guest_argv[i]);
	plan->cpu_argv = strv_finish(&argv);
	return plan->cpu_argv ? 0 : -ENOMEM;
}

int obl_plan_build(const struct obl_options *o, const char *self_dir, const char *rundir,
		   const char *cwd, struct obl_plan *plan, char *err, size_t errlen)
{
	memset(plan, 0, sizeof(*plan));
	plan->log_level = obl_options_log_level(o);
	plan->plugin_timeout_ms = o->plugin_timeout_ms ? o->plugin_timeout_ms
						       : OBL_PLUGIN_TIMEOUT_MS;
	size_t len = strlen(rundir) + 32;
	if (!(plan->control_url = malloc(len)))
		goto oom;
	snprintf(plan->control_url, len, "ipc://%s/control.sock", rundir);
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		int rc = plan_plugin(o, (enum obl_domain)d, self_dir, rundir, cwd,
				     &plan->plugins[d], err, errlen);
		if (rc == -ENOMEM)
			goto oom;
		if (rc < 0)
			return rc;
	}
	int rc = plan_cpu(o, self_dir, plan, err, errlen);
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
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		struct obl_plugin_plan *pp = &plan->plugins[d];
		free(pp->label);
		free(pp->exe);
		free(pp->url);
		strv_free(pp->argv);
	}
	free(plan->cpu_exe);
	strv_free(plan->cpu_argv);
	free(plan->control_url);
	memset(plan, 0, sizeof(*plan));
}
