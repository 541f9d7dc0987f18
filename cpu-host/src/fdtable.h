/*
 * Guest file descriptors. Guest fds are the host's own numbers: the fs
 * plugin's handles never reach the guest, so a plugin can be replaced (and,
 * later, files reopened on a new instance) without the guest noticing.
 * fds 0-2 are the console and never leave the host.
 */
#ifndef OBH_FDTABLE_H
#define OBH_FDTABLE_H

#include <stdbool.h>
#include <stdint.h>

#define OBH_MAX_FDS 256

enum obh_fd_kind {
	OBH_FD_FREE = 0,
	OBH_FD_CONSOLE, /* 0 stdin, 1 stdout, 2 stderr */
	OBH_FD_FILE,    /* a plugin fd */
	OBH_FD_DIR,     /* a plugin directory handle */
};

struct obh_fd {
	enum obh_fd_kind kind;
	uint32_t remote;    /* the plugin's handle */
	int host_fd;        /* console: the host fd it writes to */
	char *path;         /* as opened, for reports and reopening */
	uint32_t flags;     /* open flags (ABI numbering) */
	/* What reopening on a restarted plugin needs (recovery.c): */
	int64_t offset;     /* file offset as the guest's calls moved it; -1 unknown */
	uint32_t dir_pos;   /* entries already read from a directory */
	bool stale;         /* could not be reopened: calls on it fail with EIO */
	/* The namespace (mounts.h): the route of the mount that opened it, and
	 * for a directory the mount points it lists after its own entries
	 * ("a\0b\0\0", owned) with a bit for each one listed already. */
	unsigned route;
	char *mount_names;
	uint32_t mount_names_done;
};

struct obh_fdtable;

/* A table with 0, 1, 2 bound to the console. 0 or -ENOMEM. */
int obh_fdtable_create(struct obh_fdtable **out);
void obh_fdtable_destroy(struct obh_fdtable *t); /* accepts NULL */

/* The entry for fd, or NULL if fd is not open. */
struct obh_fd *obh_fd_get(struct obh_fdtable *t, int32_t fd);

/* Bind the lowest free fd (>= 3) to a plugin handle; path is copied and
 * may be NULL. Returns the fd, or -EMFILE / -ENOMEM. */
int obh_fd_alloc(struct obh_fdtable *t, enum obh_fd_kind kind, uint32_t remote,
		 const char *path, uint32_t flags);

/* Release fd. Console fds stay bound: closing them is a no-op. */
void obh_fd_release(struct obh_fdtable *t, int32_t fd);

/* Iterate over open entries: the first fd >= from that is a plugin file or
 * directory, or -1. */
int32_t obh_fd_next_remote(struct obh_fdtable *t, int32_t from);

#endif /* OBH_FDTABLE_H */
