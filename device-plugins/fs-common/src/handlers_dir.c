/*
 * Directory listing: opendir, readdir (one entry per call, never "." or
 * "..", ret = FileType or 0 at the end), closedir.
 */
#include "fs_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int obf_h_opendir(void *ctx, ob_call *call, const ProtobufCMessage *args,
		  ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsOpendir *a = (const Ob__FsOpendir *)args;
	Ob__FsOpendirResult *r = (Ob__FsOpendirResult *)res;
	struct obf_dir *d;
	void *obj = NULL;
	int64_t h;
	int rc;

	(void)call;
	rc = obf_path_check(a->path);
	if (rc < 0)
		return -rc;
	if (fs->handles.used >= fs->handles.max)
		return EMFILE;
	d = calloc(1, sizeof(*d));
	if (!d)
		return ENOMEM;
	rc = fs->ops->opendir(fs->be, a->path, &obj);
	if (rc < 0) {
		free(d);
		return -rc;
	}
	d->obj = obj;
	h = obf_handles_add(&fs->handles, OBF_HANDLE_DIR, d);
	if (h < 0) {
		fs->ops->closedir(fs->be, obj);
		free(d);
		return (int)-h;
	}
	r->ret = h;
	return 0;
}

/*
 * name_len is the size of the caller's name buffer, NUL included (the CPU
 * host passes the guest's). An entry that does not fit fails the call with
 * ENAMETOOLONG and stays next, so a retry with a bigger buffer gets it.
 * 0 means no limit (a client without a buffer size).
 */
int obf_h_readdir(void *ctx, ob_call *call, const ProtobufCMessage *args,
		  ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsReaddir *a = (const Ob__FsReaddir *)args;
	Ob__FsReaddirResult *r = (Ob__FsReaddirResult *)res;
	struct obf_dir *d = obf_handles_get(&fs->handles, a->dir, OBF_HANDLE_DIR);
	char *name;

	(void)call;
	if (!d)
		return EBADF;
	if (!d->pending) {
		int rc = fs->ops->readdir(fs->be, d->obj, d->pending_name, &d->pending_type);
		if (rc < 0)
			return -rc;
		if (rc == 0) {
			r->ret = OB__FILE_TYPE__FILE_TYPE_NONE;
			return 0;
		}
		d->pending = true;
	}
	if (a->name_len != 0 && strlen(d->pending_name) >= a->name_len)
		return ENAMETOOLONG;
	name = strdup(d->pending_name);
	if (!name)
		return ENOMEM;
	d->pending = false;
	r->name = name;
	r->ret = d->pending_type;
	return 0;
}

int obf_h_closedir(void *ctx, ob_call *call, const ProtobufCMessage *args,
		   ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsClosedir *a = (const Ob__FsClosedir *)args;
	struct obf_dir *d = obf_handles_remove(&fs->handles, a->dir, OBF_HANDLE_DIR);

	(void)call;
	(void)res;
	if (!d)
		return EBADF;
	fs->ops->closedir(fs->be, d->obj);
	free(d);
	return 0;
}
