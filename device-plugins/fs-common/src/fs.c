/* The common fs: lifecycle and the handler table (see obf/fs.h). */
#include "fs_internal.h"

#include <errno.h>
#include <stdlib.h>

#include "outboard.pb-c.h"

const struct ob_handler obf_handlers[OBF_N_HANDLERS] = {
	{ OB__REQUEST__CALL_FS_OPEN, obf_h_open },
	{ OB__REQUEST__CALL_FS_CLOSE, obf_h_close },
	{ OB__REQUEST__CALL_FS_READ, obf_h_read },
	{ OB__REQUEST__CALL_FS_WRITE, obf_h_write },
	{ OB__REQUEST__CALL_FS_PREAD, obf_h_pread },
	{ OB__REQUEST__CALL_FS_PWRITE, obf_h_pwrite },
	{ OB__REQUEST__CALL_FS_LSEEK, obf_h_lseek },
	{ OB__REQUEST__CALL_FS_FSTAT, obf_h_fstat },
	{ OB__REQUEST__CALL_FS_STAT, obf_h_stat },
	{ OB__REQUEST__CALL_FS_FTRUNCATE, obf_h_ftruncate },
	{ OB__REQUEST__CALL_FS_FSYNC, obf_h_fsync },
	{ OB__REQUEST__CALL_FS_UNLINK, obf_h_unlink },
	{ OB__REQUEST__CALL_FS_RENAME, obf_h_rename },
	{ OB__REQUEST__CALL_FS_MKDIR, obf_h_mkdir },
	{ OB__REQUEST__CALL_FS_RMDIR, obf_h_rmdir },
	{ OB__REQUEST__CALL_FS_OPENDIR, obf_h_opendir },
	{ OB__REQUEST__CALL_FS_READDIR, obf_h_readdir },
	{ OB__REQUEST__CALL_FS_CLOSEDIR, obf_h_closedir },
	{ OB__REQUEST__CALL_FS_STATVFS, obf_h_statvfs },
};

ob_handler_fn obf_handler_for(uint32_t call)
{
	for (size_t i = 0; i < OBF_N_HANDLERS; i++)
		if (obf_handlers[i].call == call)
			return obf_handlers[i].fn;
	return NULL;
}

static bool ops_complete(const struct obf_ops *o)
{
	return o && o->size >= sizeof(*o) && o->open && o->close && o->pread && o->pwrite &&
	       o->fstat && o->ftruncate && o->fsync && o->stat && o->unlink && o->rename &&
	       o->mkdir && o->rmdir && o->opendir && o->readdir && o->closedir && o->statvfs;
}

int obf_fs_create(const struct obf_ops *ops, void *be, bool read_only, struct obf_fs **out)
{
	struct obf_fs *fs;

	*out = NULL;
	if (!ops_complete(ops))
		return -EINVAL;
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->ops = ops;
	fs->be = be;
	fs->read_only = read_only;
	obf_handles_init(&fs->handles, 0);
	*out = fs;
	return 0;
}

static void drop_handle(void *arg, enum obf_handle_kind kind, void *obj)
{
	struct obf_fs *fs = arg;

	if (kind == OBF_HANDLE_FILE) {
		struct obf_file *f = obj;
		fs->ops->close(fs->be, f->obj);
		free(f);
	} else {
		struct obf_dir *d = obj;
		fs->ops->closedir(fs->be, d->obj);
		free(d);
	}
}

void obf_fs_destroy(struct obf_fs *fs)
{
	if (!fs)
		return;
	obf_handles_fini(&fs->handles, drop_handle, fs);
	if (fs->ops->destroy)
		fs->ops->destroy(fs->be);
	free(fs);
}

struct obf_file *obf_file_get(struct obf_fs *fs, uint32_t fd)
{
	return obf_handles_get(&fs->handles, fd, OBF_HANDLE_FILE);
}
