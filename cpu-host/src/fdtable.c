/*
 * Guest file descriptors (see fdtable.h).
 */
#include "fdtable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "fs.pb-c.h"

struct obh_fdtable {
	struct obh_fd fds[OBH_MAX_FDS];
};

int obh_fdtable_create(struct obh_fdtable **out)
{
	struct obh_fdtable *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (int i = 0; i < 3; i++) {
		t->fds[i].kind = OBH_FD_CONSOLE;
		t->fds[i].host_fd = i;
	}
	*out = t;
	return 0;
}

void obh_fdtable_destroy(struct obh_fdtable *t)
{
	if (!t)
		return;
	for (int i = 0; i < OBH_MAX_FDS; i++) {
		free(t->fds[i].path);
		free(t->fds[i].mount_names);
	}
	free(t);
}

struct obh_fd *obh_fd_get(struct obh_fdtable *t, int32_t fd)
{
	if (fd < 0 || fd >= OBH_MAX_FDS || t->fds[fd].kind == OBH_FD_FREE)
		return NULL;
	return &t->fds[fd];
}

int obh_fd_alloc(struct obh_fdtable *t, enum obh_fd_kind kind, uint32_t remote,
		 const char *path, uint32_t flags)
{
	for (int fd = 3; fd < OBH_MAX_FDS; fd++) {
		struct obh_fd *f = &t->fds[fd];
		if (f->kind != OBH_FD_FREE)
			continue;
		char *copy = NULL;
		if (path && !(copy = strdup(path)))
			return -ENOMEM;
		*f = (struct obh_fd){ .kind = kind, .remote = remote, .host_fd = -1,
				      .path = copy, .flags = flags, .route = OBH_DOMAIN_FS };
		/* O_APPEND writes land at the end, wherever that is by then. */
		f->offset = (flags & OB__OPEN_FLAG__OPEN_APPEND) ? -1 : 0;
		return fd;
	}
	return -EMFILE;
}

void obh_fd_release(struct obh_fdtable *t, int32_t fd)
{
	struct obh_fd *f = obh_fd_get(t, fd);
	if (!f || f->kind == OBH_FD_CONSOLE)
		return;
	free(f->path);
	free(f->mount_names);
	*f = (struct obh_fd){ .kind = OBH_FD_FREE, .host_fd = -1 };
}

int32_t obh_fd_next_remote(struct obh_fdtable *t, int32_t from)
{
	for (int32_t fd = from < 3 ? 3 : from; fd < OBH_MAX_FDS; fd++)
		if (t->fds[fd].kind == OBH_FD_FILE || t->fds[fd].kind == OBH_FD_DIR)
			return fd;
	return -1;
}
