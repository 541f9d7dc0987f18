/*
 * The guest's filesystem namespace: fs plugins mounted at path prefixes
 * (`--plugin fs=URL` is the mount at "/", `--mount /tmp=URL` another one,
 * `--mount-ro` a read-only one). Every fs call goes through here, from an
 * svc, an import or semihosting alike (dispatch.c -> remote.c):
 *
 * - A path is normalised lexically in the host first: "." and empty
 *   components go, ".." removes the component before it and stays at "/".
 *   So ".." never crosses a mount point, and a plugin only ever sees a path
 *   inside its own root ("/tmp/../etc/x" is "/etc/x" on the "/" mount; the
 *   /tmp plugin is not asked). The name calls (unlink, rename, mkdir,
 *   rmdir) keep a last "." or ".." so the plugin can refuse it as Linux
 *   does, without resolving it.
 * - The longest mount point that is a whole-component prefix of the path
 *   serves it, and gets the rest of the path ("/tmp/t1.0" -> "/t1.0").
 * - A read-only mount refuses every modifying call with EROFS in the host
 *   (open for writing, creating or truncating, unlink, rename, mkdir,
 *   rmdir), whatever its plugin would do.
 * - rename across two mounts is EXDEV.
 * - Calls on an open file or directory go to the mount that opened it
 *   (the guest fd remembers its route, fdtable.h), so restarts restore each
 *   mount's files on its own plugin (recovery.c).
 * - Directories that hold mount points list them after their own entries
 *   (once, even when the plugin has a directory of that name). Without a
 *   mount at "/", "/" and the other directories above mount points are
 *   virtual: they can be listed and stat'ed, and hold nothing else.
 *
 * Names: obh_ is private to the CPU host.
 */
#ifndef OBH_MOUNTS_H
#define OBH_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls.h"
#include "host.h"
#include "outboard.pb-c.h"
#include "scheduler.h"

/* The router's routes (router.h): one per domain, then one per fs mount
 * other than "/" (the mount at "/" is the fs domain's own route). */
#define OBH_MAX_ROUTES (OBH_DOMAIN_COUNT + OBH_MAX_MOUNTS)
/* The route of a directory handle on a virtual directory: served here. */
#define OBH_ROUTE_VIRTUAL OBH_MAX_ROUTES

struct obh_mount {
	char *point;    /* normalised: "/" or "/tmp" (no trailing slash) */
	size_t len;     /* strlen(point) */
	char *url;      /* the plugin's endpoint */
	bool read_only;
	bool on_demand; /* its plugin starts at the first call (--on-demand) */
	char backend[32]; /* on demand: the plugin's name before its Hello gives it */
	unsigned route; /* OBH_DOMAIN_FS for "/", else OBH_DOMAIN_COUNT + index */
	char label[64]; /* "fs" for "/", "fs /tmp" for the others: for messages */
};

struct obh_mounts {
	struct obh_mount m[OBH_MAX_MOUNTS];
	unsigned n;
};

/*
 * Normalise a guest path lexically into out (always absolute: the guest
 * has no working directory, a relative path starts at "/"). A trailing '/'
 * is kept (it means "a directory"); with keep_last, a last "." or ".." is
 * kept as a component. 0, -ENOENT for "", or -ENAMETOOLONG when out
 * (size bytes) is too small.
 */
int obh_path_normalise(const char *path, bool keep_last, char *out, size_t size);

/* Add a mount of url at point (normalised here; must be absolute). 0, or
 * -EINVAL (a relative point), -EEXIST (that point is mounted already),
 * -ENOSPC (OBH_MAX_MOUNTS reached), -ENOMEM. */
int obh_mounts_add(struct obh_mounts *ns, const char *point, const char *url, bool read_only);
void obh_mounts_clear(struct obh_mounts *ns);

/*
 * The mount serving the normalised path norm, or NULL when none does. *rel
 * gets the path inside that mount: a pointer into norm, or "/" for the
 * mount point itself.
 */
const struct obh_mount *obh_mounts_find(const struct obh_mounts *ns, const char *norm,
					const char **rel);

/* The mount whose route is route, or NULL. */
const struct obh_mount *obh_mounts_by_route(const struct obh_mounts *ns, unsigned route);
/* The mount at point (normalised), or NULL. */
const struct obh_mount *obh_mounts_by_point(const struct obh_mounts *ns, const char *point);

/*
 * The names of the mount points right under directory norm (first
 * components of the mount points strictly below it: "tmp" and "mnt" for
 * "/" with /tmp and /mnt/cd), as "tmp\0mnt\0\0" in a malloc'd block, or
 * NULL when there are none (or no memory). *count gets how many.
 */
char *obh_mounts_children(const struct obh_mounts *ns, const char *norm, unsigned *count);

/* Build h->mounts from h->opts (--plugin fs=URL is the mount at "/",
 * then each --mount / --mount-ro). Errors are logged. 0 or -errno. */
int obh_mounts_setup(struct obh_host *h);
void obh_mounts_teardown(struct obh_host *h);

/* Where one call goes, decided before it is sent. */
struct obh_routed {
	unsigned route;
	const struct obh_mount *mount; /* NULL for a call that is not a path's */
	char *path[OBH_MAX_ARGS];      /* STR args as the plugin gets them (owned), or NULL */
	char *full;                    /* open/opendir: the normalised guest path (owned) */
};

/*
 * Route call c of thread t (v: the guest's argument values, str: host
 * copies of its strings). Returns true with *rt filled (the caller sends
 * the call to rt->route, then frees rt with obh_routed_free), or false
 * when the call was answered here: *r0 is its result (a value, or a
 * -ABI errno: EROFS, EXDEV, ENOENT, EBADF...).
 */
bool obh_mounts_route(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		      const uint32_t *v, char *const *str, struct obh_routed *rt, int64_t *r0);
void obh_routed_free(struct obh_routed *rt);

/* A successful open or opendir bound guest fd to rt's plugin handle:
 * remember the route, the path and (directories) the mount points to list. */
void obh_mounts_bound(struct obh_host *h, int32_t fd, const struct obh_routed *rt);

/*
 * A readdir on guest dir handle v[0] was answered (r0: the entry's type,
 * 0 at the end, or -errno; name: the entry's name or NULL): returns the r0
 * the guest gets. At the end of the plugin's entries, the mount points
 * below the directory that it did not list come next (written to v[1],
 * capacity v[2]).
 */
int64_t obh_mounts_readdir_done(struct obh_host *h, const uint32_t *v, const char *name,
				int64_t r0);

/*
 * A stat, statvfs or opendir that its mount answered with ENOENT (*r0) on
 * a directory above a mount point ("/mnt" of "/mnt/cd" on a "/" that has
 * no mnt): true with *r0 replaced by the virtual directory's answer.
 */
bool obh_mounts_above(struct obh_host *h, const struct obh_call *c, const uint32_t *v,
		      const struct obh_routed *rt, int64_t *r0);

/* The path inside its mount of an open fd's normalised path full
 * (recovery): a pointer into full, or to a static "/". */
char *obh_mounts_rel(const struct obh_host *h, unsigned route, char *full);

#endif /* OBH_MOUNTS_H */
