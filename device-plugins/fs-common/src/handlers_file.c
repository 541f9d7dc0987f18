/*
 * Handlers for calls on open files: open, close, read, write, pread,
 * pwrite, lseek, fstat, ftruncate, fsync. The file offset lives here, so
 * read/write/lseek reach the backend as pread/pwrite/fstat.
 */
#include "fs_internal.h"

#include <errno.h>
#include <stdlib.h>

#include "outboard/log.h"

int obf_h_open(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsOpen *a = (const Ob__FsOpen *)args;
	Ob__FsOpenResult *r = (Ob__FsOpenResult *)res;
	struct obf_open_flags fl;
	struct obf_file *f;
	void *obj = NULL;
	int64_t h;
	int rc;

	(void)call;
	rc = obf_open_flags_parse(a->flags, &fl);
	if (rc < 0) {
		uint32_t bad = obf_open_flags_unsupported(a->flags);
		if (bad)
			OB_GUEST_ERROR("fs", "open %s: flags 0x%x are not supported "
				       "(docs/abi.md, Open flags); EINVAL", a->path, bad);
		else
			OB_GUEST_ERROR("fs", "open %s: access mode 3 is none of O_RDONLY, "
				       "O_WRONLY, O_RDWR; EINVAL", a->path);
		return -rc;
	}
	rc = obf_path_check(a->path);
	if (rc < 0)
		return -rc;
	if (fs->read_only && obf_open_flags_mutate(&fl))
		return EROFS;
	/* Refuse before the backend runs: a created file must not be left
	 * behind by an open that then fails for want of a handle. */
	if (fs->handles.used >= fs->handles.max)
		return EMFILE;
	f = calloc(1, sizeof(*f));
	if (!f)
		return ENOMEM;
	rc = fs->ops->open(fs->be, a->path, &fl, a->mode & 0777, &obj);
	if (rc < 0) {
		free(f);
		return -rc;
	}
	*f = (struct obf_file){ .obj = obj, .readable = fl.read, .writable = fl.write,
				.append = fl.append };
	h = obf_handles_add(&fs->handles, OBF_HANDLE_FILE, f);
	if (h < 0) {
		fs->ops->close(fs->be, obj);
		free(f);
		return (int)-h;
	}
	r->ret = h;
	return 0;
}

int obf_h_close(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsClose *a = (const Ob__FsClose *)args;
	struct obf_file *f = obf_handles_remove(&fs->handles, a->fd, OBF_HANDLE_FILE);
	int rc;

	(void)call;
	(void)res;
	if (!f)
		return EBADF;
	rc = fs->ops->close(fs->be, f->obj);
	free(f);
	return obf_status(rc);
}

/* Read up to count bytes at off into a malloc'd out (the SDK frees it). */
static int64_t read_at(struct obf_fs *fs, struct obf_file *f, uint32_t count, uint64_t off,
		       ProtobufCBinaryData *out)
{
	size_t n = count < OBF_IO_MAX ? count : OBF_IO_MAX;
	uint8_t *buf;
	int64_t got;

	if (off >= (uint64_t)INT64_MAX)
		return 0; /* nothing can be stored there */
	if (n > (uint64_t)INT64_MAX - off)
		n = (size_t)((uint64_t)INT64_MAX - off);
	if (n == 0)
		return 0;
	buf = malloc(n);
	if (!buf)
		return -ENOMEM;
	got = fs->ops->pread(fs->be, f->obj, buf, n, off);
	if (got <= 0) {
		free(buf);
		return got;
	}
	out->data = buf;
	out->len = (size_t)got;
	return got;
}

/* Write buf at off; refuses a count that disagrees with the bytes sent. */
static int64_t write_at(struct obf_fs *fs, struct obf_file *f, ProtobufCBinaryData buf,
			uint32_t count, uint64_t off)
{
	if (count != buf.len)
		return -EINVAL;
	if (buf.len == 0)
		return 0;
	if (off > (uint64_t)INT64_MAX - buf.len)
		return -EFBIG;
	return fs->ops->pwrite(fs->be, f->obj, buf.data, buf.len, off);
}

/* The checks every write-type call makes, in Linux's order. */
static int writable_file(struct obf_fs *fs, uint32_t fd, struct obf_file **out)
{
	*out = obf_file_get(fs, fd);
	if (!*out)
		return EBADF;
	if (fs->read_only)
		return EROFS;
	return (*out)->writable ? 0 : EBADF;
}

int obf_h_read(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsRead *a = (const Ob__FsRead *)args;
	Ob__FsReadResult *r = (Ob__FsReadResult *)res;
	struct obf_file *f = obf_file_get(fs, a->fd);
	int64_t n;

	(void)call;
	if (!f || !f->readable)
		return EBADF;
	n = read_at(fs, f, a->count, f->offset, &r->buf);
	if (n < 0)
		return obf_status(n);
	f->offset += (uint64_t)n;
	return 0;
}

int obf_h_pread(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsPread *a = (const Ob__FsPread *)args;
	Ob__FsPreadResult *r = (Ob__FsPreadResult *)res;
	struct obf_file *f = obf_file_get(fs, a->fd);

	(void)call;
	if (!f || !f->readable)
		return EBADF;
	if (a->offset < 0)
		return EINVAL;
	return obf_status(read_at(fs, f, a->count, (uint64_t)a->offset, &r->buf));
}

int obf_h_write(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsWrite *a = (const Ob__FsWrite *)args;
	Ob__FsWriteResult *r = (Ob__FsWriteResult *)res;
	struct obf_file *f;
	uint64_t off;
	int64_t n;
	int rc;

	(void)call;
	rc = writable_file(fs, a->fd, &f);
	if (rc)
		return rc;
	off = f->offset;
	if (f->append && a->buf.len > 0) {
		Ob__FileStat st = OB__FILE_STAT__INIT;
		rc = fs->ops->fstat(fs->be, f->obj, &st);
		if (rc < 0)
			return -rc;
		off = st.size;
	}
	n = write_at(fs, f, a->buf, a->count, off);
	if (n < 0)
		return obf_status(n);
	f->offset = off + (uint64_t)n;
	r->ret = n;
	return 0;
}

int obf_h_pwrite(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsPwrite *a = (const Ob__FsPwrite *)args;
	Ob__FsPwriteResult *r = (Ob__FsPwriteResult *)res;
	struct obf_file *f;
	int64_t n;
	int rc;

	(void)call;
	rc = writable_file(fs, a->fd, &f);
	if (rc)
		return rc;
	if (a->offset < 0)
		return EINVAL;
	/* POSIX pwrite: at offset even with O_APPEND (Linux differs; see flags.h). */
	n = write_at(fs, f, a->buf, a->count, (uint64_t)a->offset);
	if (n < 0)
		return obf_status(n);
	r->ret = n;
	return 0;
}

int obf_h_lseek(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsLseek *a = (const Ob__FsLseek *)args;
	Ob__FsLseekResult *r = (Ob__FsLseekResult *)res;
	struct obf_file *f = obf_file_get(fs, a->fd);
	Ob__FileStat st = OB__FILE_STAT__INIT;
	int64_t base;
	int rc;

	(void)call;
	if (!f)
		return EBADF;
	switch (a->whence) {
	case OB__WHENCE__WHENCE_SET:
		base = 0;
		break;
	case OB__WHENCE__WHENCE_CUR:
		base = (int64_t)f->offset;
		break;
	case OB__WHENCE__WHENCE_END:
		rc = fs->ops->fstat(fs->be, f->obj, &st);
		if (rc < 0)
			return -rc;
		base = st.size > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)st.size;
		break;
	default:
		return EINVAL;
	}
	if (a->offset > 0 && base > INT64_MAX - a->offset)
		return EOVERFLOW; /* POSIX: the offset cannot be represented */
	if (base + a->offset < 0)
		return EINVAL;
	f->offset = (uint64_t)(base + a->offset);
	r->ret = (int64_t)f->offset;
	return 0;
}

int obf_h_fstat(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsFstat *a = (const Ob__FsFstat *)args;
	Ob__FsFstatResult *r = (Ob__FsFstatResult *)res;
	struct obf_file *f = obf_file_get(fs, a->fd);
	Ob__FileStat *st;
	int rc;

	(void)call;
	if (!f)
		return EBADF;
	st = malloc(sizeof(*st));
	if (!st)
		return ENOMEM;
	ob__file_stat__init(st);
	rc = fs->ops->fstat(fs->be, f->obj, st);
	if (rc < 0) {
		free(st);
		return -rc;
	}
	r->st = st;
	return 0;
}

int obf_h_ftruncate(void *ctx, ob_call *call, const ProtobufCMessage *args,
		    ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsFtruncate *a = (const Ob__FsFtruncate *)args;
	struct obf_file *f = obf_file_get(fs, a->fd);

	(void)call;
	(void)res;
	if (!f)
		return EBADF;
	if (fs->read_only)
		return EROFS;
	/* Linux: EINVAL, not EBADF, for a file not open for writing. */
	if (a->length < 0 || !f->writable)
		return EINVAL;
	return obf_status(fs->ops->ftruncate(fs->be, f->obj, (uint64_t)a->length));
}

int obf_h_fsync(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *res)
{
	struct obf_fs *fs = ctx;
	const Ob__FsFsync *a = (const Ob__FsFsync *)args;
	struct obf_file *f = obf_file_get(fs, a->fd);

	(void)call;
	(void)res;
	if (!f)
		return EBADF;
	return obf_status(fs->ops->fsync(fs->be, f->obj));
}
