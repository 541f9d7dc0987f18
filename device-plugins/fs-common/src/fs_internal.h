/* Private to fs-common: the common fs state and the handler functions. */
#ifndef OBF_FS_INTERNAL_H
#define OBF_FS_INTERNAL_H

#include "obf/fs.h"

struct obf_fs {
	const struct obf_ops *ops;
	void *be;
	bool read_only;
	struct obf_handles handles;
};

/* An open file: the backend's object plus what the common layer tracks. */
struct obf_file {
	void *obj;
	uint64_t offset;
	bool readable;
	bool writable;
	bool append;
};

/* An open directory, with one entry held back when it did not fit the
 * caller's name_len (readdir then fails without losing the entry). */
struct obf_dir {
	void *obj;
	bool pending;
	uint32_t pending_type;
	char pending_name[OBF_NAME_MAX + 1];
};

/* A handler's return value from an op's negated errno. */
static inline int obf_status(int64_t rc)
{
	return rc < 0 ? (int)-rc : 0;
}

struct obf_file *obf_file_get(struct obf_fs *fs, uint32_t fd);

/* handlers_file.c */
int obf_h_open(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_close(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_read(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_write(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_pread(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_pwrite(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_lseek(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_fstat(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_ftruncate(void *ctx, ob_call *call, const ProtobufCMessage *args,
		    ProtobufCMessage *res);
int obf_h_fsync(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);

/* handlers_path.c */
int obf_h_stat(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_unlink(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_rename(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_mkdir(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_rmdir(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res);
int obf_h_statvfs(void *ctx, ob_call *call, const ProtobufCMessage *args,
		  ProtobufCMessage *res);

/* handlers_dir.c */
int obf_h_opendir(void *ctx, ob_call *call, const ProtobufCMessage *args,
		  ProtobufCMessage *res);
int obf_h_readdir(void *ctx, ob_call *call, const ProtobufCMessage *args,
		  ProtobufCMessage *res);
int obf_h_closedir(void *ctx, ob_call *call, const ProtobufCMessage *args,
		   ProtobufCMessage *res);

#endif /* OBF_FS_INTERNAL_H */
