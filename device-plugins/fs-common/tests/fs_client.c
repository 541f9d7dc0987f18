/* The fs handler test client (see fs_client.h). */
#include "fs_client.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "outboard.pb-c.h"
#include "outboard/ipc.h"

/* Request fields are not const; the messages here never outlive the call. */
static void *unconst(const void *p)
{
	return (void *)(uintptr_t)p;
}

/* Unpack a request from wire bytes, run its handler, keep the result. */
static int run_wire(struct obf_fs *fs, uint32_t num, const ProtobufCMessageDescriptor *adesc,
		    const uint8_t *wire, size_t len, const ProtobufCMessageDescriptor *rdesc,
		    ProtobufCMessage **res)
{
	ob_handler_fn fn = obf_handler_for(num);
	ProtobufCMessage *a, *r;
	int st;

	*res = NULL;
	assert_non_null(fn);
	a = protobuf_c_message_unpack(adesc, NULL, len, wire);
	assert_non_null(a);
	r = malloc(rdesc->sizeof_message);
	assert_non_null(r);
	protobuf_c_message_init(rdesc, r);
	st = fn(fs, NULL, a, r);
	protobuf_c_message_free_unpacked(a, NULL);
	assert_true(st >= 0); /* a positive errno, never OB_DEFER */
	if (st != 0) {
		protobuf_c_message_free_unpacked(r, NULL);
		return -st;
	}
	assert_true(protobuf_c_message_get_packed_size(r) <= OB_DEFAULT_MAX_MESSAGE);
	*res = r;
	return 0;
}

static int run(struct obf_fs *fs, uint32_t num, const ProtobufCMessage *args,
	       const ProtobufCMessageDescriptor *rdesc, ProtobufCMessage **res)
{
	size_t len = protobuf_c_message_get_packed_size(args);
	uint8_t *wire = malloc(len ? len : 1);
	int rc;

	assert_non_null(wire);
	protobuf_c_message_pack(args, wire);
	rc = run_wire(fs, num, args->descriptor, wire, len, rdesc, res);
	free(wire);
	return rc;
}

/* Run a call whose result carries nothing the caller needs: 0 or -errno. */
static int run_plain(struct obf_fs *fs, uint32_t num, const ProtobufCMessage *args,
		     const ProtobufCMessageDescriptor *rdesc)
{
	ProtobufCMessage *res;
	int rc = run(fs, num, args, rdesc, &res);

	if (rc == 0)
		protobuf_c_message_free_unpacked(res, NULL);
	return rc;
}

/* Run a call whose result is { int64 ret = 1; }: ret or -errno. */
static int64_t run_ret(struct obf_fs *fs, uint32_t num, const ProtobufCMessage *args,
		       const ProtobufCMessageDescriptor *rdesc)
{
	ProtobufCMessage *res;
	int64_t rc = run(fs, num, args, rdesc, &res);
	const ProtobufCFieldDescriptor *fd;

	if (rc != 0)
		return rc;
	fd = protobuf_c_message_descriptor_get_field_by_name(rdesc, "ret");
	assert_non_null(fd);
	assert_int_equal(fd->type, PROTOBUF_C_TYPE_INT64);
	memcpy(&rc, (const char *)res + fd->offset, sizeof(rc));
	protobuf_c_message_free_unpacked(res, NULL);
	return rc;
}

int64_t tc_open(struct obf_fs *fs, const char *path, uint32_t flags, uint32_t mode)
{
	Ob__FsOpen a;

	ob__fs_open__init(&a);
	a.path = unconst(path);
	a.flags = flags;
	a.mode = mode;
	return run_ret(fs, OB__REQUEST__CALL_FS_OPEN, &a.base, &ob__fs_open_result__descriptor);
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	do {
		p[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			p[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

int64_t tc_open_raw(struct obf_fs *fs, const char *path, size_t len, uint32_t flags)
{
	uint8_t *wire = malloc(len + 32);
	size_t n = 0;
	ProtobufCMessage *res;
	int64_t rc;

	assert_non_null(wire);
	wire[n++] = 0x0a; /* field 1 (path), length-delimited */
	n += put_varint(wire + n, len);
	memcpy(wire + n, path, len);
	n += len;
	wire[n++] = 0x10; /* field 2 (flags), varint */
	n += put_varint(wire + n, flags);
	rc = run_wire(fs, OB__REQUEST__CALL_FS_OPEN, &ob__fs_open__descriptor, wire, n,
		      &ob__fs_open_result__descriptor, &res);
	free(wire);
	if (rc == 0) {
		rc = ((Ob__FsOpenResult *)res)->ret;
		protobuf_c_message_free_unpacked(res, NULL);
	}
	return rc;
}

int tc_close(struct obf_fs *fs, int64_t fd)
{
	Ob__FsClose a;

	ob__fs_close__init(&a);
	a.fd = (uint32_t)fd;
	return run_plain(fs, OB__REQUEST__CALL_FS_CLOSE, &a.base,
			 &ob__fs_close_result__descriptor);
}

/* Copy a read result's bytes out: the count, after checking it. */
static int64_t take_bytes(ProtobufCMessage *res, const ProtobufCBinaryData *b, void *buf,
			  uint32_t count)
{
	int64_t n = (int64_t)b->len;

	assert_true(b->len <= count);
	assert_true(b->len <= OBF_IO_MAX);
	if (b->len)
		memcpy(buf, b->data, b->len);
	protobuf_c_message_free_unpacked(res, NULL);
	return n;
}

int64_t tc_read(struct obf_fs *fs, int64_t fd, void *buf, uint32_t count)
{
	Ob__FsRead a;
	ProtobufCMessage *res;
	int rc;

	ob__fs_read__init(&a);
	a.fd = (uint32_t)fd;
	a.count = count;
	rc = run(fs, OB__REQUEST__CALL_FS_READ, &a.base, &ob__fs_read_result__descriptor, &res);
	if (rc < 0)
		return rc;
	return take_bytes(res, &((Ob__FsReadResult *)res)->buf, buf, count);
}

int64_t tc_pread(struct obf_fs *fs, int64_t fd, void *buf, uint32_t count, int64_t off)
{
	Ob__FsPread a;
	ProtobufCMessage *res;
	int rc;

	ob__fs_pread__init(&a);
	a.fd = (uint32_t)fd;
	a.count = count;
	a.offset = off;
	rc = run(fs, OB__REQUEST__CALL_FS_PREAD, &a.base, &ob__fs_pread_result__descriptor,
		 &res);
	if (rc < 0)
		return rc;
	return take_bytes(res, &((Ob__FsPreadResult *)res)->buf, buf, count);
}

int64_t tc_write_count(struct obf_fs *fs, int64_t fd, const void *buf, size_t len,
		       uint32_t count)
{
	Ob__FsWrite a;

	ob__fs_write__init(&a);
	a.fd = (uint32_t)fd;
	a.buf.data = (uint8_t *)unconst(buf);
	a.buf.len = len;
	a.count = count;
	return run_ret(fs, OB__REQUEST__CALL_FS_WRITE, &a.base, &ob__fs_write_result__descriptor);
}

int64_t tc_write(struct obf_fs *fs, int64_t fd, const void *buf, size_t len)
{
	return tc_write_count(fs, fd, buf, len, (uint32_t)len);
}

int64_t tc_pwrite(struct obf_fs *fs, int64_t fd, const void *buf, size_t len, int64_t off)
{
	Ob__FsPwrite a;

	ob__fs_pwrite__init(&a);
	a.fd = (uint32_t)fd;
	a.buf.data = (uint8_t *)unconst(buf);
	a.buf.len = len;
	a.count = (uint32_t)len;
	a.offset = off;
	return run_ret(fs, OB__REQUEST__CALL_FS_PWRITE, &a.base,
		       &ob__fs_pwrite_result__descriptor);
}

int64_t tc_lseek(struct obf_fs *fs, int64_t fd, int64_t off, uint32_t whence)
{
	Ob__FsLseek a;

	ob__fs_lseek__init(&a);
	a.fd = (uint32_t)fd;
	a.offset = off;
	a.whence = whence;
	return run_ret(fs, OB__REQUEST__CALL_FS_LSEEK, &a.base, &ob__fs_lseek_result__descriptor);
}

/* Copy a stat result out (st may be NULL). */
static int take_stat(ProtobufCMessage *res, const Ob__FileStat *got, Ob__FileStat *st)
{
	assert_non_null(got);
	if (st) {
		*st = *got;
		st->base.unknown_fields = NULL;
		st->base.n_unknown_fields = 0;
	}
	protobuf_c_message_free_unpacked(res, NULL);
	return 0;
}

int tc_fstat(struct obf_fs *fs, int64_t fd, Ob__FileStat *st)
{
	Ob__FsFstat a;
	ProtobufCMessage *res;
	int rc;

	ob__fs_fstat__init(&a);
	a.fd = (uint32_t)fd;
	rc = run(fs, OB__REQUEST__CALL_FS_FSTAT, &a.base, &ob__fs_fstat_result__descriptor, &res);
	if (rc < 0)
		return rc;
	return take_stat(res, ((Ob__FsFstatResult *)res)->st, st);
}

int tc_stat(struct obf_fs *fs, const char *path, Ob__FileStat *st)
{
	Ob__FsStat a;
	ProtobufCMessage *res;
	int rc;

	ob__fs_stat__init(&a);
	a.path = unconst(path);
	rc = run(fs, OB__REQUEST__CALL_FS_STAT, &a.base, &ob__fs_stat_result__descriptor, &res);
	if (rc < 0)
		return rc;
	return take_stat(res, ((Ob__FsStatResult *)res)->st, st);
}

int tc_ftruncate(struct obf_fs *fs, int64_t fd, int64_t len)
{
	Ob__FsFtruncate a;

	ob__fs_ftruncate__init(&a);
	a.fd = (uint32_t)fd;
	a.length = len;
	return run_plain(fs, OB__REQUEST__CALL_FS_FTRUNCATE, &a.base,
			 &ob__fs_ftruncate_result__descriptor);
}

int tc_fsync(struct obf_fs *fs, int64_t fd)
{
	Ob__FsFsync a;

	ob__fs_fsync__init(&a);
	a.fd = (uint32_t)fd;
	return run_plain(fs, OB__REQUEST__CALL_FS_FSYNC, &a.base,
			 &ob__fs_fsync_result__descriptor);
}

int tc_unlink(struct obf_fs *fs, const char *path)
{
	Ob__FsUnlink a;

	ob__fs_unlink__init(&a);
	a.path = unconst(path);
	return run_plain(fs, OB__REQUEST__CALL_FS_UNLINK, &a.base,
			 &ob__fs_unlink_result__descriptor);
}

int tc_rename(struct obf_fs *fs, const char *from, const char *to)
{
	Ob__FsRename a;

	ob__fs_rename__init(&a);
	a.old_path = unconst(from);
	a.new_path = unconst(to);
	return run_plain(fs, OB__REQUEST__CALL_FS_RENAME, &a.base,
			 &ob__fs_rename_result__descriptor);
}

int tc_mkdir(struct obf_fs *fs, const char *path, uint32_t mode)
{
	Ob__FsMkdir a;

	ob__fs_mkdir__init(&a);
	a.path = unconst(path);
	a.mode = mode;
	return run_plain(fs, OB__REQUEST__CALL_FS_MKDIR, &a.base,
			 &ob__fs_mkdir_result__descriptor);
}

int tc_rmdir(struct obf_fs *fs, const char *path)
{
	Ob__FsRmdir a;

	ob__fs_rmdir__init(&a);
	a.path = unconst(path);
	return run_plain(fs, OB__REQUEST__CALL_FS_RMDIR, &a.base,
			 &ob__fs_rmdir_result__descriptor);
}

int64_t tc_opendir(struct obf_fs *fs, const char *path)
{
	Ob__FsOpendir a;

	ob__fs_opendir__init(&a);
	a.path = unconst(path);
	return run_ret(fs, OB__REQUEST__CALL_FS_OPENDIR, &a.base,
		       &ob__fs_opendir_result__descriptor);
}

int tc_readdir(struct obf_fs *fs, int64_t dir, char *name, uint32_t name_size)
{
	Ob__FsReaddir a;
	Ob__FsReaddirResult *r;
	ProtobufCMessage *res;
	int rc;

	ob__fs_readdir__init(&a);
	a.dir = (uint32_t)dir;
	a.name_len = name_size;
	rc = run(fs, OB__REQUEST__CALL_FS_READDIR, &a.base, &ob__fs_readdir_result__descriptor,
		 &res);
	if (rc < 0)
		return rc;
	r = (Ob__FsReaddirResult *)res;
	assert_non_null(r->name);
	assert_true(strlen(r->name) < name_size);
	assert_true(r->ret >= 0 && r->ret <= OB__FILE_TYPE__FILE_TYPE_OTHER);
	if (r->ret == 0)
		assert_string_equal(r->name, "");
	strcpy(name, r->name);
	rc = (int)r->ret;
	protobuf_c_message_free_unpacked(res, NULL);
	return rc;
}

int tc_closedir(struct obf_fs *fs, int64_t dir)
{
	Ob__FsClosedir a;

	ob__fs_closedir__init(&a);
	a.dir = (uint32_t)dir;
	return run_plain(fs, OB__REQUEST__CALL_FS_CLOSEDIR, &a.base,
			 &ob__fs_closedir_result__descriptor);
}

int tc_statvfs(struct obf_fs *fs, const char *path, Ob__FsSpace *sp)
{
	Ob__FsStatvfs a;
	Ob__FsStatvfsResult *r;
	ProtobufCMessage *res;
	int rc;

	ob__fs_statvfs__init(&a);
	a.path = unconst(path);
	rc = run(fs, OB__REQUEST__CALL_FS_STATVFS, &a.base, &ob__fs_statvfs_result__descriptor,
		 &res);
	if (rc < 0)
		return rc;
	r = (Ob__FsStatvfsResult *)res;
	assert_non_null(r->st);
	if (sp) {
		*sp = *r->st;
		sp->base.unknown_fields = NULL;
		sp->base.n_unknown_fields = 0;
	}
	protobuf_c_message_free_unpacked(res, NULL);
	return 0;
}

int tc_put(struct obf_fs *fs, const char *path, const char *content)
{
	int64_t fd = tc_open(fs, path, T_WRONLY | T_CREAT | T_TRUNC, 0644);
	int64_t n;

	if (fd < 0)
		return (int)fd;
	n = tc_write(fs, fd, content, strlen(content));
	assert_int_equal(tc_close(fs, fd), 0);
	return n < 0 ? (int)n : 0;
}

int64_t tc_get(struct obf_fs *fs, const char *path, char *buf, size_t size)
{
	int64_t fd = tc_open(fs, path, T_RDONLY, 0);
	int64_t got = 0, n;

	if (fd < 0)
		return fd;
	while ((size_t)got + 1 < size &&
	       (n = tc_read(fs, fd, buf + got, (uint32_t)(size - 1 - (size_t)got))) > 0)
		got += n;
	buf[got] = '\0';
	assert_int_equal(tc_close(fs, fd), 0);
	return got;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tc_list(struct obf_fs *fs, const char *path, char *out, size_t size)
{
	char *names[1024];
	char name[OBF_NAME_MAX + 1];
	int64_t d = tc_opendir(fs, path);
	int n = 0, type;
	size_t used = 0;

	if (d < 0)
		return (int)d;
	while ((type = tc_readdir(fs, d, name, sizeof(name))) > 0) {
		assert_true(n < 1024);
		assert_string_not_equal(name, ".");
		assert_string_not_equal(name, "..");
		names[n] = malloc(strlen(name) + 2);
		assert_non_null(names[n]);
		sprintf(names[n], "%s%s", name,
			type == OB__FILE_TYPE__FILE_TYPE_DIRECTORY ? "/"
			: type == OB__FILE_TYPE__FILE_TYPE_REGULAR ? ""
								   : "?");
		n++;
	}
	assert_int_equal(type, 0);
	/* The end stays the end. */
	assert_int_equal(tc_readdir(fs, d, name, sizeof(name)), 0);
	assert_int_equal(tc_closedir(fs, d), 0);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		used += (size_t)snprintf(out + used, size > used ? size - used : 0, "%s%s",
					 i ? " " : "", names[i]);
		free(names[i]);
	}
	assert_true(used < size);
	return n;
}
