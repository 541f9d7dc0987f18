/*
 * Routing fs calls through the namespace (see mounts.h): which mount's
 * plugin a call goes to, with which path, and what the host answers itself
 * (EROFS, EXDEV, the virtual directories above mount points).
 */
#include "mounts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fdtable.h"
#include "fs.pb-c.h"
#include "marshal.h"
#include "mem.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "router.h"

#define CAT "mounts"

/* ---- setup ---- */

/* "PATH=VALUE": PATH into point (OBH_STR_MAX bytes); VALUE, or NULL when
 * either part is missing or PATH is too long. */
static const char *split_point(const char *arg, char *point)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || !eq[1] || (size_t)(eq - arg) >= OBH_STR_MAX)
		return NULL;
	memcpy(point, arg, (size_t)(eq - arg));
	point[eq - arg] = '\0';
	return eq + 1;
}

static int add_arg(struct obh_mounts *ns, const char *arg, bool ro)
{
	char point[OBH_STR_MAX];
	const char *url = split_point(arg, point);
	if (!url) {
		OB_ERROR(CAT, "--mount wants PATH=URL, got '%s'", arg);
		return -EINVAL;
	}
	int err = obh_mounts_add(ns, point, url, ro);
	if (err == -EINVAL)
		OB_ERROR(CAT, "--mount %s: the mount point must be an absolute path", arg);
	else if (err == -EEXIST)
		OB_ERROR(CAT, "--mount %s: %s is mounted twice", arg, point);
	else if (err == -ENOSPC)
		OB_ERROR(CAT, "--mount %s: at most %d mounts", arg, OBH_MAX_MOUNTS);
	else if (err)
		OB_ERROR(CAT, "--mount %s: %s", arg, strerror(-err));
	return err;
}

/* --on-demand PATH=BACKEND. Only the launcher starts a plugin on demand:
 * without its control connection nobody would. */
static int mark_on_demand(struct obh_host *h, struct obh_mounts *ns, const char *arg)
{
	char point[OBH_STR_MAX];
	const char *backend = split_point(arg, point);
	if (!backend) {
		OB_ERROR(CAT, "--on-demand wants PATH=BACKEND, got '%s'", arg);
		return -EINVAL;
	}
	const struct obh_mount *found = obh_mounts_by_point(ns, point);
	if (!found || found->len == 1) {
		OB_ERROR(CAT, "--on-demand %s: not a mount given with --mount", arg);
		return -EINVAL;
	}
	if (!h->opts.control_url) {
		OB_ERROR(CAT, "--on-demand %s: needs the launcher (--control)", arg);
		return -EINVAL;
	}
	struct obh_mount *m = &ns->m[found - ns->m];
	m->on_demand = true;
	snprintf(m->backend, sizeof(m->backend), "%s", backend);
	return 0;
}

int obh_mounts_setup(struct obh_host *h)
{
	struct obh_mounts *ns = calloc(1, sizeof(*ns));
	int err = 0;
	if (!ns)
		return -ENOMEM;
	h->mounts = ns;
	if (h->opts.plugin_url[OBH_DOMAIN_FS] &&
	    (err = obh_mounts_add(ns, "/", h->opts.plugin_url[OBH_DOMAIN_FS], false)))
		return err;
	for (unsigned i = 0; i < h->opts.n_mounts && !err; i++)
		err = add_arg(ns, h->opts.mount_arg[i], h->opts.mount_ro[i]);
	for (unsigned i = 0; i < h->opts.n_on_demand && !err; i++)
		err = mark_on_demand(h, ns, h->opts.on_demand[i]);
	return err;
}

void obh_mounts_teardown(struct obh_host *h)
{
	if (!h->mounts)
		return;
	obh_mounts_clear(h->mounts);
	free(h->mounts);
	h->mounts = NULL;
}

char *obh_mounts_rel(const struct obh_host *h, unsigned route, char *full)
{
	static char root[] = "/"; /* only ever read */
	const struct obh_mount *m = obh_mounts_by_route(h->mounts, route);
	if (!m || m->len == 1 || !full || strncmp(full, m->point, m->len) != 0)
		return full;
	return full[m->len] ? full + m->len : root;
}

/* ---- what a call does ---- */

static bool is_name_call(uint32_t num)
{
	return num == OB__REQUEST__CALL_FS_UNLINK || num == OB__REQUEST__CALL_FS_RENAME ||
	       num == OB__REQUEST__CALL_FS_MKDIR || num == OB__REQUEST__CALL_FS_RMDIR;
}

/* Whether the call changes the filesystem (refused on a read-only mount). */
static bool modifies(const struct obh_call *c, const uint32_t *v)
{
	if (c->num == OB__REQUEST__CALL_FS_OPEN)
		return (v[1] & 3u) != OB__OPEN_FLAG__OPEN_RDONLY ||
		       (v[1] & (OB__OPEN_FLAG__OPEN_CREAT | OB__OPEN_FLAG__OPEN_TRUNC));
	return is_name_call(c->num);
}

static void routed_init(struct obh_routed *rt, unsigned route)
{
	memset(rt, 0, sizeof(*rt));
	rt->route = route;
}

void obh_routed_free(struct obh_routed *rt)
{
	for (int i = 0; i < OBH_MAX_ARGS; i++)
		free(rt->path[i]);
	free(rt->full);
	memset(rt->path, 0, sizeof(rt->path));
	rt->full = NULL;
}

static void trace_route(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			const struct obh_routed *rt)
{
	if (!h->trace_out || !(h->opts.trace_mask & (1u << OBH_DOMAIN_FS)) || h->mounts->n < 2)
		return;
	const char *backend = obh_router_backend(h->router, rt->route);
	fprintf(h->trace_out, "[t%u] %s: mount %s (%s) serves \"%s\"", t->id, c->name,
		rt->mount->point, backend ? backend : "?", rt->path[0]);
	if (rt->path[1])
		fprintf(h->trace_out, ", \"%s\"", rt->path[1]);
	fputc('\n', h->trace_out);
}

/* ---- virtual directories (no mount covers them, mount points below) ---- */

static int64_t virtual_stat(struct obh_host *h, const struct obh_call *c, const uint32_t *v)
{
	Ob__Reply rep = OB__REPLY__INIT;
	Ob__FsStatResult res = OB__FS_STAT_RESULT__INIT;
	Ob__FsStatvfsResult vres = OB__FS_STATVFS_RESULT__INIT;
	Ob__FileStat st = OB__FILE_STAT__INIT;
	Ob__FsSpace sp = OB__FS_SPACE__INIT;
	int64_t ret;
	if (c->num == OB__REQUEST__CALL_FS_STAT) {
		st.type = OB__FILE_TYPE__FILE_TYPE_DIRECTORY;
		st.mode = 0555;
		st.nlink = 2;
		st.blksize = 4096;
		st.mtime_ns = st.atime_ns = st.ctime_ns = (uint64_t)h->start_ns;
		res.st = &st;
		rep.result_case = OB__REPLY__RESULT_FS_STAT;
		rep.fs_stat = &res;
	} else {
		sp.block_size = 4096;
		sp.name_max = 255;
		vres.st = &sp;
		rep.result_case = OB__REPLY__RESULT_FS_STATVFS;
		rep.fs_statvfs = &vres;
	}
	return obh_marshal_reply(h->mem, c, v, &rep, &ret);
}

static int64_t virtual_opendir(struct obh_host *h, const char *norm)
{
	unsigned n;
	int fd = obh_fd_alloc(h->fds, OBH_FD_DIR, 0, norm, 0);
	if (fd < 0)
		return -ob_errno_to_abi(-fd);
	struct obh_fd *f = obh_fd_get(h->fds, fd);
	f->route = OBH_ROUTE_VIRTUAL;
	f->mount_names = obh_mounts_children(h->mounts, norm, &n);
	return fd;
}

/*
 * A path no mount serves: "/" or a directory above mount points is a
 * read-only directory holding them; anything else does not exist, and
 * cannot be made (no mount would hold it).
 */
static int64_t uncovered(struct obh_host *h, const struct obh_call *c, const uint32_t *v,
			 const char *norm)
{
	unsigned n;
	char *names = obh_mounts_children(h->mounts, norm, &n);
	bool dir = names != NULL || strcmp(norm, "/") == 0;
	free(names);
	if (!dir) {
		bool creates = c->num == OB__REQUEST__CALL_FS_MKDIR ||
			       (c->num == OB__REQUEST__CALL_FS_OPEN &&
				(v[1] & OB__OPEN_FLAG__OPEN_CREAT));
		return creates ? -OB_ABI_EROFS : -OB_ABI_ENOENT;
	}
	switch (c->num) {
	case OB__REQUEST__CALL_FS_STAT:
	case OB__REQUEST__CALL_FS_STATVFS:
		return virtual_stat(h, c, v);
	case OB__REQUEST__CALL_FS_OPENDIR:
		return virtual_opendir(h, norm);
	case OB__REQUEST__CALL_FS_OPEN:
	case OB__REQUEST__CALL_FS_UNLINK:
		return -OB_ABI_EISDIR;
	case OB__REQUEST__CALL_FS_MKDIR:
		return -OB_ABI_EEXIST;
	default:
		return -OB_ABI_EBUSY; /* rmdir, rename */
	}
}

/* The next mount point of directory f not listed yet, into the guest's
 * buffer: the entry's type (a directory), or 0 when there is none. */
static int64_t next_mount_name(struct obh_host *h, struct obh_fd *f, const uint32_t *v)
{
	unsigned i = 0;
	for (const char *s = f->mount_names; s && *s; s += strlen(s) + 1, i++) {
		if (i >= 32 || (f->mount_names_done & (1u << i)))
			continue;
		size_t len = strlen(s);
		if (len + 1 > v[2])
			return -OB_ABI_ENAMETOOLONG;
		if (obh_mem_write(h->mem, v[1], s, (uint32_t)len + 1))
			return -OB_ABI_EFAULT;
		f->mount_names_done |= 1u << i;
		return OB__FILE_TYPE__FILE_TYPE_DIRECTORY;
	}
	return 0;
}

int64_t obh_mounts_readdir_done(struct obh_host *h, const uint32_t *v, const char *name,
				int64_t r0)
{
	struct obh_fd *f = obh_fd_get(h->fds, (int32_t)v[0]);
	if (!f || !f->mount_names || r0 < 0)
		return r0;
	if (r0 == 0)
		return next_mount_name(h, f, v);
	unsigned i = 0;
	for (const char *s = f->mount_names; name && *s && i < 32; s += strlen(s) + 1, i++)
		if (strcmp(s, name) == 0)
			f->mount_names_done |= 1u << i; /* the plugin has it: list it once */
	return r0;
}

/* ---- routing ---- */

/* A call on an open guest fd or directory handle: its mount's route. */
static bool route_handle(struct obh_host *h, const struct obh_call *c, const uint32_t *v,
			 struct obh_routed *rt, int64_t *r0)
{
	struct obh_fd *f = obh_fd_get(h->fds, (int32_t)v[0]);
	if (!f || f->route != OBH_ROUTE_VIRTUAL) {
		rt->route = f ? f->route : OBH_DOMAIN_FS;
		return true;
	}
	if (c->num == OB__REQUEST__CALL_FS_READDIR)
		*r0 = next_mount_name(h, f, v);
	else if (c->num == OB__REQUEST__CALL_FS_CLOSEDIR)
		*r0 = 0;
	else
		*r0 = -OB_ABI_EBADF;
	return false;
}

/* Resolve STR argument i into rt->path[i]; its mount in *m (NULL: none,
 * then *r0 is the host's answer). false when the call is answered. */
static bool route_path(struct obh_host *h, const struct obh_call *c, const uint32_t *v,
		       const char *path, unsigned i, struct obh_routed *rt,
		       const struct obh_mount **m, int64_t *r0)
{
	char *norm = malloc(OBH_STR_MAX + 2);
	const char *rel;
	if (!norm) {
		*r0 = -OB_ABI_ENOMEM;
		return false;
	}
	int err = obh_path_normalise(path, is_name_call(c->num), norm, OBH_STR_MAX + 2);
	if (err) {
		*r0 = -ob_errno_to_abi(-err);
		free(norm);
		return false;
	}
	*m = obh_mounts_find(h->mounts, norm, &rel);
	if (!*m) {
		*r0 = uncovered(h, c, v, norm);
		free(norm);
		return false;
	}
	rt->path[i] = strdup(rel);
	if (i == 0)
		rt->full = norm;
	else
		free(norm);
	if (!rt->path[i]) {
		*r0 = -OB_ABI_ENOMEM;
		return false;
	}
	return true;
}

/* rmdir, rename or mkdir of a directory that holds a mount point (it is
 * busy, and it exists in the namespace). */
static bool holds_mounts(struct obh_host *h, const struct obh_call *c, const char *full)
{
	unsigned n;
	if (c->num != OB__REQUEST__CALL_FS_RMDIR && c->num != OB__REQUEST__CALL_FS_RENAME &&
	    c->num != OB__REQUEST__CALL_FS_MKDIR)
		return false;
	char *names = obh_mounts_children(h->mounts, full, &n);
	free(names);
	return names != NULL;
}

bool obh_mounts_route(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		      const uint32_t *v, char *const *str, struct obh_routed *rt, int64_t *r0)
{
	routed_init(rt, c->domain);
	if (c->domain != OBH_DOMAIN_FS || !c->nargs || !h->mounts)
		return true;
	if (c->args[0].kind == OBH_A_FD || c->args[0].kind == OBH_A_DIR)
		return route_handle(h, c, v, rt, r0);
	if (c->args[0].kind != OBH_A_STR)
		return true;
	const struct obh_mount *m = NULL, *m2 = NULL;
	if (!route_path(h, c, v, str[0], 0, rt, &m, r0))
		goto answered;
	if (c->nargs > 1 && c->args[1].kind == OBH_A_STR &&
	    !route_path(h, c, v, str[1], 1, rt, &m2, r0)) {
		/* rename to a place no mount serves: another filesystem */
		if (!m2 && *r0 != -OB_ABI_ENOMEM && *r0 != -OB_ABI_ENAMETOOLONG)
			*r0 = -OB_ABI_EXDEV;
		goto answered;
	}
	if (m2 && m2 != m) {
		*r0 = -OB_ABI_EXDEV;
		goto answered;
	}
	if (m->len > 1 && is_name_call(c->num) && strcmp(rt->path[0], "/") == 0) {
		/* The mount point itself: it cannot go, nor be made again. */
		*r0 = c->num == OB__REQUEST__CALL_FS_UNLINK  ? -OB_ABI_EISDIR
		    : c->num == OB__REQUEST__CALL_FS_MKDIR ? -OB_ABI_EEXIST : -OB_ABI_EBUSY;
		goto answered;
	}
	if (m->read_only && modifies(c, v)) {
		*r0 = -OB_ABI_EROFS;
		goto answered;
	}
	if (holds_mounts(h, c, rt->full)) {
		*r0 = c->num == OB__REQUEST__CALL_FS_MKDIR ? -OB_ABI_EEXIST : -OB_ABI_EBUSY;
		goto answered;
	}
	rt->mount = m;
	rt->route = m->route;
	trace_route(h, t, c, rt);
	return true;
answered:
	obh_routed_free(rt);
	return false;
}

void obh_mounts_bound(struct obh_host *h, int32_t fd, const struct obh_routed *rt)
{
	struct obh_fd *f = obh_fd_get(h->fds, fd);
	unsigned n;
	if (!f || !rt->mount)
		return;
	f->route = rt->route;
	if (f->kind == OBH_FD_DIR && rt->full)
		f->mount_names = obh_mounts_children(h->mounts, rt->full, &n);
}

bool obh_mounts_above(struct obh_host *h, const struct obh_call *c, const uint32_t *v,
		      const struct obh_routed *rt, int64_t *r0)
{
	unsigned n;
	if (*r0 != -OB_ABI_ENOENT || !rt->full ||
	    (c->num != OB__REQUEST__CALL_FS_STAT && c->num != OB__REQUEST__CALL_FS_STATVFS &&
	     c->num != OB__REQUEST__CALL_FS_OPENDIR))
		return false;
	char *names = obh_mounts_children(h->mounts, rt->full, &n);
	free(names);
	if (!names)
		return false;
	*r0 = uncovered(h, c, v, rt->full);
	return true;
}
