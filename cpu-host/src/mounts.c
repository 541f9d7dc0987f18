/*
 * The namespace's paths and mount points (see mounts.h): lexical
 * normalisation, the longest-prefix lookup and the mount points a directory
 * holds. Nothing here talks to a plugin; mounts_route.c does.
 */
#include "mounts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_dot(const char *s, size_t n)
{
	return n == 1 && s[0] == '.';
}

static bool is_dotdot(const char *s, size_t n)
{
	return n == 2 && s[0] == '.' && s[1] == '.';
}

/* Whether only slashes follow p. */
static bool only_slashes(const char *p)
{
	while (*p == '/')
		p++;
	return !*p;
}

int obh_path_normalise(const char *path, bool keep_last, char *out, size_t size)
{
	size_t len = 0; /* out[0..len) is "/a/b" without a trailing '/'; "" for the root */
	bool dir = false; /* the path names a directory: ends in '/', "." or ".." */
	const char *p = path;

	if (!path[0])
		return -ENOENT;
	if (size < 2)
		return -ENAMETOOLONG;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p) {
			dir = true;
			break;
		}
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - s);
		bool dots = is_dot(s, n) || is_dotdot(s, n);
		if (dots && keep_last && only_slashes(p)) {
			/* A name call's last "." or "..": the plugin refuses it. */
			dir = false;
			if (len + 1 + n + 1 > size)
				return -ENAMETOOLONG;
			out[len++] = '/';
			memcpy(out + len, s, n);
			len += n;
			break;
		}
		dir = dots;
		if (is_dot(s, n))
			continue;
		if (is_dotdot(s, n)) {
			while (len && out[len - 1] != '/')
				len--;
			if (len)
				len--; /* and its '/'; at the root ".." stays there */
			continue;
		}
		if (len + 1 + n + 1 > size)
			return -ENAMETOOLONG;
		out[len++] = '/';
		memcpy(out + len, s, n);
		len += n;
	}
	if (len == 0) {
		out[len++] = '/';
	} else if (dir) {
		if (len + 2 > size)
			return -ENAMETOOLONG;
		out[len++] = '/';
	}
	out[len] = '\0';
	return 0;
}

/* Whether mount point (len bytes, no trailing '/') is a whole-component
 * prefix of path. */
static bool covers(const char *point, size_t len, const char *path)
{
	if (len == 1)
		return path[0] == '/';
	return strncmp(point, path, len) == 0 && (path[len] == '/' || path[len] == '\0');
}

int obh_mounts_add(struct obh_mounts *ns, const char *point, const char *url, bool read_only)
{
	char norm[OBH_STR_MAX];
	if (point[0] != '/')
		return -EINVAL;
	int err = obh_path_normalise(point, false, norm, sizeof(norm));
	if (err)
		return err;
	size_t len = strlen(norm);
	if (len > 1 && norm[len - 1] == '/')
		norm[--len] = '\0';
	if (obh_mounts_by_point(ns, norm))
		return -EEXIST;
	if (ns->n >= OBH_MAX_MOUNTS)
		return -ENOSPC;
	struct obh_mount *m = &ns->m[ns->n];
	*m = (struct obh_mount){ .point = strdup(norm), .len = len, .url = strdup(url),
				 .read_only = read_only };
	if (!m->point || !m->url) {
		free(m->point);
		free(m->url);
		return -ENOMEM;
	}
	m->route = len == 1 ? OBH_DOMAIN_FS : OBH_DOMAIN_COUNT + ns->n;
	if (len == 1)
		snprintf(m->label, sizeof(m->label), "fs");
	else
		snprintf(m->label, sizeof(m->label), "fs %s", norm);
	ns->n++;
	return 0;
}

void obh_mounts_clear(struct obh_mounts *ns)
{
	for (unsigned i = 0; i < ns->n; i++) {
		free(ns->m[i].point);
		free(ns->m[i].url);
	}
	ns->n = 0;
}

const struct obh_mount *obh_mounts_find(const struct obh_mounts *ns, const char *norm,
					const char **rel)
{
	const struct obh_mount *best = NULL;
	for (unsigned i = 0; i < ns->n; i++) {
		const struct obh_mount *m = &ns->m[i];
		if (covers(m->point, m->len, norm) && (!best || m->len > best->len))
			best = m;
	}
	if (best && rel)
		*rel = best->len == 1 ? norm : norm[best->len] ? norm + best->len : "/";
	return best;
}

const struct obh_mount *obh_mounts_by_route(const struct obh_mounts *ns, unsigned route)
{
	for (unsigned i = 0; ns && i < ns->n; i++)
		if (ns->m[i].route == route)
			return &ns->m[i];
	return NULL;
}

const struct obh_mount *obh_mounts_by_point(const struct obh_mounts *ns, const char *point)
{
	for (unsigned i = 0; ns && i < ns->n; i++)
		if (strcmp(ns->m[i].point, point) == 0)
			return &ns->m[i];
	return NULL;
}

/* Whether name (n bytes) is already in the list list[0..used). */
static bool listed(const char *list, size_t used, const char *name, size_t n)
{
	for (size_t off = 0; off < used; off += strlen(list + off) + 1)
		if (strlen(list + off) == n && memcmp(list + off, name, n) == 0)
			return true;
	return false;
}

char *obh_mounts_children(const struct obh_mounts *ns, const char *norm, unsigned *count)
{
	size_t dlen = strlen(norm), used = 0, cap = 1;
	while (dlen > 1 && norm[dlen - 1] == '/')
		dlen--;
	*count = 0;
	for (unsigned i = 0; i < ns->n; i++)
		cap += ns->m[i].len + 1;
	char *list = malloc(cap);
	if (!list)
		return NULL;
	for (unsigned i = 0; i < ns->n; i++) {
		const struct obh_mount *m = &ns->m[i];
		/* Strictly below the directory: its point extends norm by a component. */
		if (m->len <= dlen || (dlen > 1 && (strncmp(m->point, norm, dlen) != 0 ||
						     m->point[dlen] != '/')))
			continue;
		const char *name = m->point + (dlen > 1 ? dlen + 1 : 1);
		size_t n = strcspn(name, "/");
		if (listed(list, used, name, n))
			continue;
		memcpy(list + used, name, n);
		list[used + n] = '\0';
		used += n + 1;
		(*count)++;
	}
	list[used] = '\0';
	if (!*count) {
		free(list);
		return NULL;
	}
	return list;
}
