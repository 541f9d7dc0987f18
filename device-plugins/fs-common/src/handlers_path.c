/*
 * Handlers for calls on paths: stat, unlink, rename, mkdir, rmdir,
 * statvfs. The rules for a last component of ".", ".." or "/" and for a
 * trailing '/' are applied here, with Linux's errno for each call, so the
 * backends only ever act on an ordinary name.
 */
#include "fs_internal.h"

#include <errno.h>
#include <stdlib.h>

int obf_h_stat(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsStat *a = (const Ob__FsStat *)args;
	Ob__FsStatResult *r = (Ob__FsStatResult *)res;
	Ob__FileStat *st;
	int rc;

	(void)call;
	rc = obf_path_check(a->path);
	if (rc < 0)
		return -rc;
	st = malloc(sizeof(*st));
	if (!st)
		return ENOMEM;
	ob__file_stat__init(st);
	rc = fs->ops->stat(fs->be, a->path, st);
	if (rc < 0) {
		free(st);
		return -rc;
	}
	r->st = st;
	return 0;
}

int obf_h_statvfs(void *ctx, ob_call *call, const ProtobufCMessage *args,
		  ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsStatvfs *a = (const Ob__FsStatvfs *)args;
	Ob__FsStatvfsResult *r = (Ob__FsStatvfsResult *)res;
	Ob__FsSpace *sp;
	int rc;

	(void)call;
	rc = obf_path_check(a->path);
	if (rc < 0)
		return -rc;
	sp = malloc(sizeof(*sp));
	if (!sp)
		return ENOMEM;
	ob__fs_space__init(sp);
	rc = fs->ops->statvfs(fs->be, a->path, sp);
	if (rc < 0) {
		free(sp);
		return -rc;
	}
	r->st = sp;
	return 0;
}

/* The type of what path names: 0 with *type set, or -errno. */
static int type_of(struct obf_fs *fs, const char *path, uint32_t *type)
{
	Ob__FileStat st = OB__FILE_STAT__INIT;
	int rc = fs->ops->stat(fs->be, path, &st);

	*type = st.type;
	return rc;
}

/* Split a path for a mutating name call: 0, or a positive errno. */
static int split_for_change(struct obf_fs *fs, const char *path, struct obf_path *p)
{
	int rc = obf_path_split(path, p);

	if (rc < 0)
		return -rc;
	return fs->read_only ? EROFS : 0;
}

int obf_h_unlink(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsUnlink *a = (const Ob__FsUnlink *)args;
	struct obf_path p;
	uint32_t type;
	int rc;

	(void)call;
	(void)res;
	rc = split_for_change(fs, a->path, &p);
	if (rc)
		return rc;
	if (p.kind != OBF_LAST_NAME)
		return EISDIR; /* ".", ".." and "/" are directories */
	if (p.dir_only) {
		/* "name/": a directory is EISDIR, anything else ENOTDIR. */
		rc = type_of(fs, a->path, &type);
		if (rc < 0)
			return -rc;
		return type == OB__FILE_TYPE__FILE_TYPE_DIRECTORY ? EISDIR : ENOTDIR;
	}
	return obf_status(fs->ops->unlink(fs->be, &p));
}

int obf_h_mkdir(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsMkdir *a = (const Ob__FsMkdir *)args;
	struct obf_path p;
	int rc;

	(void)call;
	(void)res;
	rc = split_for_change(fs, a->path, &p);
	if (rc)
		return rc;
	if (p.kind != OBF_LAST_NAME)
		return EEXIST;
	return obf_status(fs->ops->mkdir(fs->be, &p, a->mode & 0777));
}

int obf_h_rmdir(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsRmdir *a = (const Ob__FsRmdir *)args;
	struct obf_path p;
	int rc;

	(void)call;
	(void)res;
	rc = split_for_change(fs, a->path, &p);
	if (rc)
		return rc;
	switch (p.kind) {
	case OBF_LAST_DOT:
		return EINVAL;
	case OBF_LAST_DOTDOT:
		return ENOTEMPTY;
	case OBF_LAST_ROOT:
		return EBUSY;
	case OBF_LAST_NAME:
		break;
	}
	return obf_status(fs->ops->rmdir(fs->be, &p));
}

int obf_h_rename(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsRename *a = (const Ob__FsRename *)args;
	struct obf_path *from, *to;
	uint32_t type;
	int rc;

	(void)call;
	(void)res;
	/* Two paths of 4 KiB each: keep them off the stack. */
	from = malloc(sizeof(*from));
	to = malloc(sizeof(*to));
	rc = from && to ? 0 : ENOMEM;
	if (!rc)
		rc = split_for_change(fs, a->old_path, from);
	if (!rc)
		rc = split_for_change(fs, a->new_path, to);
	if (rc)
		goto out;
	if (from->kind != OBF_LAST_NAME || to->kind != OBF_LAST_NAME) {
		rc = EBUSY;
		goto out;
	}
	if (from->dir_only || to->dir_only) {
		/* A trailing '/' on either side means old must be a directory. */
		rc = -type_of(fs, a->old_path, &type);
		if (!rc && type != OB__FILE_TYPE__FILE_TYPE_DIRECTORY)
			rc = ENOTDIR;
		if (rc)
			goto out;
	}
	rc = obf_status(fs->ops->rename(fs->be, from, to));
out:
	free(from);
	free(to);
	return rc;
}
