/*
 * fs mounts (docs/launcher.md, "Mounts"): --mount PATH=SPEC and the
 * [mount] section checked and kept in the options, then planned as one
 * plugin process per mount. Everything here is checked before any process
 * starts, so a bad mount ends the run with exit 125 and its reason.
 *
 * The mount at "/" is the fs domain itself (--fs, --plugin fs=...); /tmp
 * gets a fresh fs-mem by default, so a guest's tmpnam() files work and
 * never reach the host (`--mount /tmp=none` turns it off).
 */
#define _GNU_SOURCE /* strndup */
#include "options.h"
#include "plan.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outboard/log.h"

#define CAT "launcher"
/* The longest mount point: well inside the CPU host's guest path limit. */
#define POINT_MAX 1024

/* Check a mount point and write it without repeated or trailing '/'. */
static int normalise_point(const char *point, char *out, size_t size, char *err,
			   size_t errlen)
{
	size_t len = 0;
	if (point[0] != '/')
		return obl_errf(err, errlen, "mount point '%s' is not an absolute path", point);
	for (const char *p = point; *p;) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (!n)
			break;
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return obl_errf(err, errlen, "mount point '%s' has a '.' or '..' component",
				    point);
		if (len + n + 2 > size)
			return obl_errf(err, errlen, "mount point '%.40s...' is too long", point);
		out[len++] = '/';
		memcpy(out + len, p, n);
		len += n;
		p += n;
	}
	if (!len)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

/* SPEC: none | URL | NAME[:ARG] | PATH, then an optional ":ro". */
static int parse_spec(const char *spec, char **backend, char **arg, bool *ro, char *err,
		      size_t errlen)
{
	size_t len = strlen(spec);
	*backend = *arg = NULL;
	*ro = len > 3 && strcmp(spec + len - 3, ":ro") == 0;
	if (*ro)
		len -= 3;
	const char *colon = memchr(spec, ':', len);
	if (strstr(spec, "://"))
		colon = NULL; /* a URL is taken whole */
	size_t blen = colon ? (size_t)(colon - spec) : len;
	if (!blen)
		return obl_errf(err, errlen, "'%s' names no backend (SPEC is NAME[:ARG][:ro], a "
				    "path, a URL or none)", spec);
	if (colon && (size_t)(colon - spec) + 1 == len)
		return obl_errf(err, errlen, "'%s': nothing after ':'", spec);
	*backend = strndup(spec, blen);
	if (colon)
		*arg = strndup(colon + 1, len - blen - 1);
	if (!*backend || (colon && !*arg)) {
		free(*backend);
		free(*arg);
		*backend = *arg = NULL;
		return -ENOMEM;
	}
	if (strcmp(*backend, "none") == 0 && (*arg || *ro)) {
		free(*backend);
		free(*arg);
		*backend = *arg = NULL;
		return obl_errf(err, errlen, "'%s': none takes nothing more", spec);
	}
	return 0;
}

static struct obl_mount_conf *find_mount(struct obl_options *o, const char *point)
{
	for (size_t i = 0; i < o->n_mounts; i++)
		if (strcmp(o->mounts[i].point, point) == 0)
			return &o->mounts[i];
	return NULL;
}

/* "/" is the fs domain's own backend. */
static int set_root(struct obl_options *o, char *backend, char *arg, bool ro)
{
	struct obl_domain_conf *dc = &o->dom[OBL_FS];
	free(dc->backend);
	free(dc->arg);
	dc->backend = backend;
	dc->arg = arg;
	dc->read_only = ro;
	if (ro && obl_domain_set_opt(dc, "read-only", "true") < 0)
		return -ENOMEM;
	return 0;
}

int obl_mount_add(struct obl_options *o, const char *point, const char *spec, char *err,
		  size_t errlen)
{
	char norm[POINT_MAX], *backend, *arg;
	bool ro;
	int rc = normalise_point(point, norm, sizeof(norm), err, errlen);
	if (rc < 0)
		return rc;
	rc = parse_spec(spec, &backend, &arg, &ro, err, errlen);
	if (rc == -EINVAL) {
		char why[256];
		snprintf(why, sizeof(why), "%s", err);
		return obl_errf(err, errlen, "mount %s: %s", norm, why);
	}
	if (rc < 0)
		return rc;
	if (strcmp(norm, "/") == 0)
		return set_root(o, backend, arg, ro);
	if (find_mount(o, norm)) {
		free(backend);
		free(arg);
		return obl_errf(err, errlen, "mount point %s is given twice", norm);
	}
	if (o->n_mounts >= OBL_MAX_MOUNTS) {
		free(backend);
		free(arg);
		return obl_errf(err, errlen, "mount %s: at most %d mounts besides /", norm,
			    OBL_MAX_MOUNTS);
	}
	struct obl_mount_conf *grown = realloc(o->mounts, (o->n_mounts + 1) * sizeof(*grown));
	char *p = strdup(norm);
	if (grown)
		o->mounts = grown;
	if (!grown || !p) {
		free(p);
		free(backend);
		free(arg);
		return -ENOMEM;
	}
	o->mounts[o->n_mounts++] = (struct obl_mount_conf){ .point = p, .backend = backend,
							    .arg = arg, .read_only = ro };
	return 0;
}

int obl_fs_option(struct obl_options *o, const char *value, char *err, size_t errlen)
{
	size_t word = 0;
	while (isalnum((unsigned char)value[word]) || value[word] == '-' || value[word] == '_')
		word++;
	if (word && value[word] == ':' && !strstr(value, "://"))
		return obl_mount_add(o, "/", value, err, errlen);
	char *backend = strdup("hostdir"), *arg = strdup(value);
	if (!backend || !arg) {
		free(backend);
		free(arg);
		return -ENOMEM;
	}
	return set_root(o, backend, arg, false);
}

static void mount_conf_free(struct obl_mount_conf *m)
{
	free(m->point);
	free(m->backend);
	free(m->arg);
}

void obl_mounts_free(struct obl_options *o)
{
	for (size_t i = 0; i < o->n_mounts; i++)
		mount_conf_free(&o->mounts[i]);
	free(o->mounts);
	o->mounts = NULL;
	o->n_mounts = 0;
}

void obl_mounts_merge(struct obl_options *cli, struct obl_options *file)
{
	for (size_t i = 0; i < file->n_mounts; i++) {
		struct obl_mount_conf *m = &file->mounts[i];
		if (find_mount(cli, m->point))
			continue; /* the command line's wins */
		struct obl_mount_conf *grown =
			realloc(cli->mounts, (cli->n_mounts + 1) * sizeof(*grown));
		if (!grown)
			continue; /* out of memory: the run goes on without it */
		cli->mounts = grown;
		cli->mounts[cli->n_mounts++] = *m;
		*m = (struct obl_mount_conf){ 0 };
	}
}

/* ---- the plan ---- */

/* A hostdir root or a mem seed must be a directory now, not at start. */
static int check_dir(const char *point, const char *backend, const char *arg, char *err,
		     size_t errlen)
{
	struct stat st;
	bool hostdir = strcmp(backend, "hostdir") == 0, mem = strcmp(backend, "mem") == 0;
	if (!hostdir && !mem)
		return 0;
	if (!arg) {
		if (hostdir)
			return obl_errf(err, errlen, "mount %s: hostdir needs a directory "
					    "(%s=hostdir:DIR)", point, point);
		return 0;
	}
	if (stat(arg, &st) < 0)
		return obl_errf(err, errlen, "mount %s: %s directory %s: %s", point,
			    hostdir ? "the" : "the seed", arg, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return obl_errf(err, errlen, "mount %s: %s is not a directory", point, arg);
	return 0;
}

static int plan_one(const struct obl_mount_conf *m, bool is_default,
		    const struct obl_plan_env *env, struct obl_plan *plan, int slot, char *err,
		    size_t errlen)
{
	struct obl_plugin_plan *pp = &plan->plugins[slot];
	char why[512];
	*pp = (struct obl_plugin_plan){ .domain = OBL_FS, .slot = slot, .chosen = !is_default,
					.read_only = m->read_only };
	if (!(pp->mount = strdup(m->point)))
		return -ENOMEM;
	int rc = check_dir(m->point, m->backend, m->arg, err, errlen);
	if (rc < 0)
		return rc;
	rc = obl_plan_fs_plugin(m->backend, m->arg, NULL, env, plan, pp, why, sizeof(why));
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0 && is_default) {
		/* Not a warning: a partial install (or a test's) runs on without it. */
		OB_INFO(CAT, "default mount %s skipped: %s", m->point, why);
		free(pp->mount);
		free(pp->exe);
		free(pp->url);
		free(pp->label);
		*pp = (struct obl_plugin_plan){ .domain = OBL_FS, .slot = slot };
		return 0;
	}
	if (rc < 0)
		snprintf(err, errlen, "mount %s: %s", m->point, why);
	return rc;
}

int obl_plan_mounts(const struct obl_options *o, const struct obl_plan_env *env,
		    struct obl_plan *plan, char *err, size_t errlen)
{
	int slot = OBL_DOMAIN_COUNT, rc = 0;
	bool tmp_given = false;
	for (size_t i = 0; i < o->n_mounts && rc == 0; i++) {
		const struct obl_mount_conf *m = &o->mounts[i];
		tmp_given |= strcmp(m->point, "/tmp") == 0;
		if (strcmp(m->backend, "none") == 0)
			continue;
		rc = plan_one(m, false, env, plan, slot++, err, errlen);
	}
	/* The default /tmp: only beside a filesystem at "/". */
	if (rc == 0 && !tmp_given && plan->plugins[OBL_FS].kind != OBL_PLUGIN_NONE) {
		char point[] = "/tmp", backend[] = "mem";
		struct obl_mount_conf tmp = { .point = point, .backend = backend };
		rc = plan_one(&tmp, true, env, plan, slot, err, errlen);
		/* Most programs never open /tmp: its process starts when one
		 * does (docs/launcher.md, "Plugins started on demand"). Not
		 * in a recording, whose header names every route's plugin and
		 * calls at the start. */
		if (rc == 0 && plan->plugins[slot].kind == OBL_PLUGIN_LOCAL && !o->run.record)
			plan->plugins[slot].on_demand = true;
	}
	return rc;
}
