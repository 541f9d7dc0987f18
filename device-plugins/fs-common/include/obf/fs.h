/*
 * The common fs plugin: the 19 fs-domain handlers of proto/fs.proto,
 * written once on top of a small backend interface (struct obf_ops).
 *
 * The common layer does everything that does not depend on where the
 * files live, so both backends answer every request alike:
 * - handle tables (fd and dir numbers, kind checks: EBADF);
 * - ABI open flags (flags.h), the access mode checks of read/write
 *   (EBADF) and ftruncate (EINVAL);
 * - the file offset: read/write/lseek are pread/pwrite at an offset kept
 *   here, and O_APPEND writes at the file's size;
 * - path string checks (ENOENT for "", ENAMETOOLONG) and the last-component
 *   rules of unlink/rename/mkdir/rmdir ("." / ".." / "/" and trailing '/');
 * - --read-only: every mutating request is EROFS before a backend sees it;
 * - size caps: one read returns at most OBF_IO_MAX bytes, so a reply stays
 *   well within the IPC frame limit;
 * - readdir's one-entry-per-call protocol and name_len.
 *
 * A backend implements struct obf_ops and nothing else.
 *
 * Error convention: ops return 0 (or a count) or a negated host errno;
 * handlers return 0 or a positive host errno (outboard/plugin.h).
 */
#ifndef OBF_FS_H
#define OBF_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fs.pb-c.h"
#include "obf/flags.h"
#include "obf/handles.h"
#include "obf/path.h"
#include "outboard/plugin.h"

/* Most bytes one read or pread returns. */
#define OBF_IO_MAX (1u << 20)

/*
 * A backend. `be` is the backend's own state, given to obf_fs_create.
 * Paths given to ops have passed obf_path_check. File and directory
 * objects are the backend's; the common layer holds each until it is
 * closed, and calls close/closedir exactly once for each.
 */
struct obf_ops {
	size_t size; /* sizeof(struct obf_ops) */

	/*
	 * Open the regular file at path. f is validated, and on a read-only fs
	 * never asks for write, create or truncate. mode (0777 bits) applies
	 * when the file is created. Must fail with EISDIR for a directory
	 * (including ".", ".." and "/"), ENOTDIR when a trailing '/' follows a
	 * non-directory, and refuse anything that is neither a regular file nor
	 * a directory. On success *file is the new file object.
	 */
	int (*open)(void *be, const char *path, const struct obf_open_flags *f, uint32_t mode,
		    void **file);
	/* Release a file object (always released, even on error). */
	int (*close)(void *be, void *file);
	/* Read up to count (<= OBF_IO_MAX) bytes at offset: the count read,
	 * 0 at or past the end, or -errno. */
	int64_t (*pread)(void *be, void *file, void *buf, size_t count, uint64_t offset);
	/* Write count bytes at offset, growing the file (a gap reads as zeros):
	 * the count written (> 0 unless count is 0), or -errno (ENOSPC, EFBIG). */
	int64_t (*pwrite)(void *be, void *file, const void *buf, size_t count, uint64_t offset);
	int (*fstat)(void *be, void *file, Ob__FileStat *st);
	int (*ftruncate)(void *be, void *file, uint64_t length);
	int (*fsync)(void *be, void *file);

	/* Describe path, following symlinks inside the root. */
	int (*stat)(void *be, const char *path, Ob__FileStat *st);
	/* Name ops get p->kind == OBF_LAST_NAME only; dir_only is informational
	 * (the common layer has applied the trailing-slash rules). */
	int (*unlink)(void *be, const struct obf_path *p);
	int (*rename)(void *be, const struct obf_path *from, const struct obf_path *to);
	int (*mkdir)(void *be, const struct obf_path *p, uint32_t mode);
	int (*rmdir)(void *be, const struct obf_path *p);

	/* Open the directory at path for listing (ENOTDIR if it is not one). */
	int (*opendir)(void *be, const char *path, void **dir);
	/* The next entry other than "." and "..": 1 with name and *type
	 * (OB__FILE_TYPE__*) filled, 0 at the end, or -errno. */
	int (*readdir)(void *be, void *dir, char name[OBF_NAME_MAX + 1], uint32_t *type);
	void (*closedir)(void *be, void *dir);

	int (*statvfs)(void *be, const char *path, Ob__FsSpace *sp);

	/* Free the backend after every object was closed. May be NULL. */
	void (*destroy)(void *be);
};

struct obf_fs;

/*
 * A common fs over backend be. On success (0) the fs owns be and destroys
 * it with ops->destroy; on failure (-ENOMEM, -EINVAL for a bad ops table)
 * the caller still owns be. ops must outlive the fs.
 */
int obf_fs_create(const struct obf_ops *ops, void *be, bool read_only, struct obf_fs **out);

/* Close every open handle, destroy the backend and free fs. NULL is fine. */
void obf_fs_destroy(struct obf_fs *fs);

/*
 * The handler table for struct ob_plugin: ctx is the struct obf_fs *.
 * Handlers never use their ob_call argument, so tests may pass NULL.
 */
#define OBF_N_HANDLERS 19
extern const struct ob_handler obf_handlers[OBF_N_HANDLERS];

/* The handler for a call number (OB__REQUEST__CALL_FS_*), or NULL. */
ob_handler_fn obf_handler_for(uint32_t call);

/* The plugin option --read-only, shared by the backends' option tables. */
#define OBF_OPTION_READ_ONLY \
	{ .name = "read-only", .has_arg = false, .help = "refuse every change (EROFS)" }

#endif /* OBF_FS_H */
