/*
 * A test client for the fs handlers: each call packs its request message,
 * unpacks it again (so strings and bytes are heap copies, as the SDK hands
 * them over), runs the handler found with obf_handler_for, checks that the
 * result packs within the IPC frame limit, and frees everything with
 * protobuf_c_message_free_unpacked, as the SDK does. ASan then checks the
 * ownership rules of plugin.h.
 *
 * Every function returns what the guest would see: a value >= 0, or a
 * negated host errno.
 */
#ifndef OBF_FS_CLIENT_H
#define OBF_FS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "fs.pb-c.h"
#include "obf/fs.h"

/* newlib's flag values, as a guest passes them. */
#define T_RDONLY 0u
#define T_WRONLY 1u
#define T_RDWR 2u
#define T_APPEND 0x0008u
#define T_CREAT 0x0200u
#define T_TRUNC 0x0400u
#define T_EXCL 0x0800u
#define T_NONBLOCK 0x4000u
#define T_DIRECTORY 0x200000u

int64_t tc_open(struct obf_fs *fs, const char *path, uint32_t flags, uint32_t mode);
/* Like tc_open with a path of len bytes that may hold NULs on the wire. */
int64_t tc_open_raw(struct obf_fs *fs, const char *path, size_t len, uint32_t flags);
int tc_close(struct obf_fs *fs, int64_t fd);
int64_t tc_read(struct obf_fs *fs, int64_t fd, void *buf, uint32_t count);
int64_t tc_write(struct obf_fs *fs, int64_t fd, const void *buf, size_t len);
/* A write whose count field says count while buf holds len bytes. */
int64_t tc_write_count(struct obf_fs *fs, int64_t fd, const void *buf, size_t len,
		       uint32_t count);
int64_t tc_pread(struct obf_fs *fs, int64_t fd, void *buf, uint32_t count, int64_t off);
int64_t tc_pwrite(struct obf_fs *fs, int64_t fd, const void *buf, size_t len, int64_t off);
int64_t tc_lseek(struct obf_fs *fs, int64_t fd, int64_t off, uint32_t whence);
int tc_fstat(struct obf_fs *fs, int64_t fd, Ob__FileStat *st);
int tc_stat(struct obf_fs *fs, const char *path, Ob__FileStat *st);
int tc_ftruncate(struct obf_fs *fs, int64_t fd, int64_t len);
int tc_fsync(struct obf_fs *fs, int64_t fd);
int tc_unlink(struct obf_fs *fs, const char *path);
int tc_rename(struct obf_fs *fs, const char *from, const char *to);
int tc_mkdir(struct obf_fs *fs, const char *path, uint32_t mode);
int tc_rmdir(struct obf_fs *fs, const char *path);
int64_t tc_opendir(struct obf_fs *fs, const char *path);
/* One entry into name (name_size bytes, also sent as name_len): its type,
 * 0 at the end (name ""), or -errno. */
int tc_readdir(struct obf_fs *fs, int64_t dir, char *name, uint32_t name_size);
int tc_closedir(struct obf_fs *fs, int64_t dir);
int tc_statvfs(struct obf_fs *fs, const char *path, Ob__FsSpace *sp);

/* Conveniences built on the calls above. */

/* Create or truncate path and write content: 0 or -errno. */
int tc_put(struct obf_fs *fs, const char *path, const char *content);
/* Read all of path into buf (NUL-terminated, at most size - 1 bytes):
 * the length, or -errno. */
int64_t tc_get(struct obf_fs *fs, const char *path, char *buf, size_t size);
/* The listing of a directory as sorted "name/" (directory), "name"
 * (regular) or "name?" (other) joined by spaces: the entry count or -errno. */
int tc_list(struct obf_fs *fs, const char *path, char *out, size_t size);

#endif /* OBF_FS_CLIENT_H */
