/*
 * fs-hostdir: the fs domain served from a host directory, which is a
 * security boundary: nothing outside --root may be read, written, listed
 * or even opened, and nothing but regular files and directories may be
 * opened inside it.
 *
 * How (sandbox.c):
 * - One O_PATH dirfd of the root is opened at start. Every path is
 *   resolved by openat2(2) relative to it with RESOLVE_IN_ROOT |
 *   RESOLVE_NO_MAGICLINKS: absolute paths, ".." and symlinks (absolute or
 *   relative) resolve as if the root were "/", atomically, so a symlink
 *   swapped in mid-walk cannot lead out either.
 * - Calls on a last component (unlink, rename, mkdir, rmdir) resolve the
 *   parent that way (O_PATH | O_DIRECTORY) and act with the *at() calls on
 *   the name, which the common layer guarantees is not ".", ".." or empty.
 * - Files are opened in two steps: O_PATH first (no driver open, no FIFO
 *   wait) and fstat; only a regular file is then opened for real, with
 *   O_NONBLOCK | O_NOCTTY, and must be the same inode. Directories are
 *   EISDIR (they are listed with opendir); every other type is EACCES.
 * - Without openat2 (ENOSYS: kernel < 5.6 or a seccomp filter) the plugin
 *   refuses to start: there is no safe fallback.
 *
 * Names: obhd_ is private to fs-hostdir.
 */
#ifndef OBHD_HOSTDIR_H
#define OBHD_HOSTDIR_H

#include <sys/types.h>

#include "obf/fs.h"
#include "outboard/plugin.h"

#define OBHD_LOG "fs-hostdir"

struct obhd {
	int root; /* O_PATH | O_DIRECTORY fd of --root */
};

/*
 * Open root and check that openat2 with RESOLVE_IN_ROOT works. Returns 0
 * and a new backend in *out, or a negated errno (logged): -ENOSYS when
 * openat2 is unavailable, the open error for root otherwise.
 */
int obhd_create(const char *root, struct obhd **out);

/* Close the root fd and free hd. NULL is fine. */
void obhd_destroy(struct obhd *hd);

/* The backend's ops for obf_fs_create (be is the struct obhd *). */
extern const struct obf_ops obhd_ops;

/* Create the common fs over a new hostdir backend in one step. */
int obhd_fs_create(const char *root, bool read_only, struct obf_fs **out);

/* sandbox.c */

/* openat2(root, path, flags, mode) confined to the root; retries the
 * kernel's EAGAIN (a concurrent rename during ".." resolution) a few
 * times. Returns the fd or a negated errno. */
int obhd_open_in_root(const struct obhd *hd, const char *path, int flags, mode_t mode);

/* The O_PATH | O_DIRECTORY fd of the directory holding p->last. */
int obhd_open_parent(const struct obhd *hd, const struct obf_path *p);

/* Open the regular file at path as f asks (see above). The fd or -errno. */
int obhd_open_regular(const struct obhd *hd, const char *path, const struct obf_open_flags *f,
		      mode_t mode);

/* Whether openat2 with RESOLVE_IN_ROOT works on this dirfd: 0 or -errno. */
int obhd_probe_openat2(int dirfd);

/* The plugin (plugin.c): what outboard-fs-hostdir runs. */
extern const struct ob_plugin obhd_plugin;

#endif /* OBHD_HOSTDIR_H */
