/* Conformance: open files (open, close, read, write, pread, pwrite, lseek,
 * fstat, ftruncate, fsync) and their errors. */
#include "conf_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "obf/stat.h"

static void write_read_back(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[64] = { 0 };
	Ob__FileStat st;
	int64_t fd = tc_open(fs, "/a.txt", T_RDWR | T_CREAT, 0644);

	assert_true(fd > 0);
	assert_int_equal(tc_write(fs, fd, "hello world", 11), 11);
	assert_int_equal(tc_lseek(fs, fd, 0, OB__WHENCE__WHENCE_SET), 0);
	assert_int_equal(tc_read(fs, fd, buf, 5), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(tc_read(fs, fd, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, " world", 6);
	assert_int_equal(tc_read(fs, fd, buf, sizeof(buf)), 0); /* end of file */
	assert_int_equal(tc_read(fs, fd, buf, 0), 0);
	assert_int_equal(tc_fstat(fs, fd, &st), 0);
	assert_int_equal(st.type, OB__FILE_TYPE__FILE_TYPE_REGULAR);
	assert_int_equal(st.size, 11);
	assert_int_equal(st.nlink, 1);
	assert_true(st.blksize > 0);
	assert_true(st.ino != 0);
	assert_int_equal(tc_fsync(fs, fd), 0);
	assert_int_equal(tc_close(fs, fd), 0);
	/* Relative and absolute paths name the same file. */
	assert_int_equal(tc_get(fs, "a.txt", buf, sizeof(buf)), 11);
	assert_string_equal(buf, "hello world");
}

static void open_errors(void **state)
{
	struct obf_fs *fs = FS(state);
	char longpath[5000];
	char longname[300];

	assert_int_equal(tc_put(fs, "f", "x"), 0);
	assert_int_equal(tc_mkdir(fs, "d", 0755), 0);
	assert_int_equal(tc_open(fs, "missing", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_open(fs, "missing/x", T_WRONLY | T_CREAT, 0644), -ENOENT);
	assert_int_equal(tc_open(fs, "f", T_WRONLY | T_CREAT | T_EXCL, 0644), -EEXIST);
	assert_int_equal(tc_open(fs, "d", T_WRONLY | T_CREAT | T_EXCL, 0644), -EEXIST);
	assert_int_equal(tc_open(fs, "d", T_RDONLY, 0), -EISDIR);
	assert_int_equal(tc_open(fs, "d", T_RDWR, 0), -EISDIR);
	assert_int_equal(tc_open(fs, "d", T_WRONLY | T_CREAT, 0644), -EISDIR);
	assert_int_equal(tc_open(fs, ".", T_RDONLY, 0), -EISDIR);
	assert_int_equal(tc_open(fs, "/", T_RDONLY, 0), -EISDIR);
	assert_int_equal(tc_open(fs, "d/..", T_RDONLY, 0), -EISDIR);
	assert_int_equal(tc_open(fs, "f/", T_RDONLY, 0), -ENOTDIR);
	assert_int_equal(tc_open(fs, "f/x", T_RDONLY, 0), -ENOTDIR);
	assert_int_equal(tc_open(fs, "f/x", T_WRONLY | T_CREAT, 0644), -ENOTDIR);
	assert_int_equal(tc_open(fs, "newfile/", T_WRONLY | T_CREAT, 0644), -EISDIR);
	assert_int_equal(tc_open(fs, "", T_RDONLY, 0), -ENOENT);
	/* Flags: access mode 3 and flags the backends do not implement. */
	assert_int_equal(tc_open(fs, "f", 3, 0), -EINVAL);
	assert_int_equal(tc_open(fs, "f", T_RDONLY | T_DIRECTORY, 0), -EINVAL);
	assert_int_equal(tc_open(fs, "f", T_RDONLY | 0x80000000u, 0), -EINVAL);
	/* Harmless flags are accepted. */
	int64_t fd = tc_open(fs, "f", T_RDONLY | T_NONBLOCK, 0);
	assert_true(fd > 0);
	assert_int_equal(tc_close(fs, fd), 0);
	/* Lengths: a path of PATH_MAX bytes, a component of NAME_MAX + 1. */
	memset(longpath, 'a', sizeof(longpath));
	for (size_t i = 100; i < sizeof(longpath); i += 100)
		longpath[i] = '/';
	longpath[4096] = '\0';
	assert_int_equal(tc_open(fs, longpath, T_RDONLY, 0), -ENAMETOOLONG);
	assert_int_equal(tc_open(fs, longpath, T_WRONLY | T_CREAT, 0644), -ENAMETOOLONG);
	memset(longname, 'n', sizeof(longname));
	longname[256] = '\0';
	assert_int_equal(tc_open(fs, longname, T_WRONLY | T_CREAT, 0644), -ENAMETOOLONG);
	longname[255] = '\0'; /* NAME_MAX itself is fine */
	fd = tc_open(fs, longname, T_WRONLY | T_CREAT, 0644);
	assert_true(fd > 0);
	assert_int_equal(tc_close(fs, fd), 0);
}

static void access_modes(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[8];
	int64_t ro, wo;

	assert_int_equal(tc_put(fs, "f", "data"), 0);
	ro = tc_open(fs, "f", T_RDONLY, 0);
	wo = tc_open(fs, "f", T_WRONLY, 0);
	assert_true(ro > 0 && wo > 0 && ro != wo);
	assert_int_equal(tc_write(fs, ro, "x", 1), -EBADF);
	assert_int_equal(tc_pwrite(fs, ro, "x", 1, 0), -EBADF);
	assert_int_equal(tc_ftruncate(fs, ro, 0), -EINVAL);
	assert_int_equal(tc_read(fs, wo, buf, sizeof(buf)), -EBADF);
	assert_int_equal(tc_pread(fs, wo, buf, sizeof(buf), 0), -EBADF);
	/* O_WRONLY without O_TRUNC keeps the contents and writes over them. */
	assert_int_equal(tc_write(fs, wo, "D", 1), 1);
	assert_int_equal(tc_pread(fs, ro, buf, sizeof(buf), 0), 4);
	assert_memory_equal(buf, "Data", 4);
	assert_int_equal(tc_close(fs, ro), 0);
	assert_int_equal(tc_close(fs, wo), 0);
}

static void truncate_on_open(void **state)
{
	struct obf_fs *fs = FS(state);
	Ob__FileStat st;
	int64_t fd;

	assert_int_equal(tc_put(fs, "f", "0123456789"), 0);
	fd = tc_open(fs, "f", T_WRONLY | T_TRUNC, 0);
	assert_true(fd > 0);
	assert_int_equal(tc_fstat(fs, fd, &st), 0);
	assert_int_equal(st.size, 0);
	assert_int_equal(tc_close(fs, fd), 0);
	/* O_CREAT on an existing file without O_EXCL opens it. */
	fd = tc_open(fs, "f", T_RDWR | T_CREAT, 0644);
	assert_true(fd > 0);
	assert_int_equal(tc_close(fs, fd), 0);
}

static void append_mode(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[32];
	int64_t fd;

	assert_int_equal(tc_put(fs, "log", "one\n"), 0);
	fd = tc_open(fs, "log", T_RDWR | T_APPEND, 0);
	assert_true(fd > 0);
	assert_int_equal(tc_lseek(fs, fd, 0, OB__WHENCE__WHENCE_SET), 0);
	assert_int_equal(tc_write(fs, fd, "two\n", 4), 4);
	/* The offset follows the append. */
	assert_int_equal(tc_lseek(fs, fd, 0, OB__WHENCE__WHENCE_CUR), 8);
	/* pwrite writes at its offset even in append mode (POSIX). */
	assert_int_equal(tc_pwrite(fs, fd, "ONE", 3, 0), 3);
	assert_int_equal(tc_write(fs, fd, "3\n", 2), 2);
	assert_int_equal(tc_close(fs, fd), 0);
	assert_int_equal(tc_get(fs, "log", buf, sizeof(buf)), 10);
	assert_string_equal(buf, "ONE\ntwo\n3\n");
}

static void pread_pwrite(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[32];
	int64_t fd = tc_open(fs, "p", T_RDWR | T_CREAT, 0644);

	assert_true(fd > 0);
	assert_int_equal(tc_write(fs, fd, "abcdef", 6), 6);
	assert_int_equal(tc_pread(fs, fd, buf, 3, 2), 3);
	assert_memory_equal(buf, "cde", 3);
	assert_int_equal(tc_pwrite(fs, fd, "XY", 2, 1), 2);
	/* Neither moved the offset. */
	assert_int_equal(tc_lseek(fs, fd, 0, OB__WHENCE__WHENCE_CUR), 6);
	assert_int_equal(tc_pread(fs, fd, buf, sizeof(buf), 0), 6);
	assert_memory_equal(buf, "aXYdef", 6);
	assert_int_equal(tc_pread(fs, fd, buf, sizeof(buf), 6), 0);
	assert_int_equal(tc_pread(fs, fd, buf, sizeof(buf), 1000), 0);
	/* Past the end: the gap reads as zeros. */
	assert_int_equal(tc_pwrite(fs, fd, "Z", 1, 10), 1);
	assert_int_equal(tc_pread(fs, fd, buf, sizeof(buf), 0), 11);
	assert_memory_equal(buf, "aXYdef\0\0\0\0Z", 11);
	assert_int_equal(tc_pread(fs, fd, buf, 4, -1), -EINVAL);
	assert_int_equal(tc_pwrite(fs, fd, "x", 1, -1), -EINVAL);
	assert_int_equal(tc_pwrite(fs, fd, "", 0, 3), 0);
	/* The far end of the offset range: nothing there, nothing fits. */
	assert_int_equal(tc_pread(fs, fd, buf, sizeof(buf), INT64_MAX), 0);
	assert_int_equal(tc_pread(fs, fd, buf, sizeof(buf), INT64_MAX - 4), 0);
	assert_int_equal(tc_pwrite(fs, fd, "x", 1, INT64_MAX), -EFBIG);
	assert_int_equal(tc_lseek(fs, fd, INT64_MAX, OB__WHENCE__WHENCE_SET), INT64_MAX);
	assert_int_equal(tc_read(fs, fd, buf, sizeof(buf)), 0);
	assert_int_equal(tc_write(fs, fd, "x", 1), -EFBIG);
	assert_int_equal(tc_close(fs, fd), 0);
}

static void seek_rules(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[16];
	int64_t fd = tc_open(fs, "s", T_RDWR | T_CREAT, 0644);

	assert_true(fd > 0);
	assert_int_equal(tc_write(fs, fd, "0123456789", 10), 10);
	assert_int_equal(tc_lseek(fs, fd, 3, OB__WHENCE__WHENCE_SET), 3);
	assert_int_equal(tc_lseek(fs, fd, 2, OB__WHENCE__WHENCE_CUR), 5);
	assert_int_equal(tc_lseek(fs, fd, -1, OB__WHENCE__WHENCE_CUR), 4);
	assert_int_equal(tc_read(fs, fd, buf, 2), 2);
	assert_memory_equal(buf, "45", 2);
	assert_int_equal(tc_lseek(fs, fd, -2, OB__WHENCE__WHENCE_END), 8);
	assert_int_equal(tc_lseek(fs, fd, -11, OB__WHENCE__WHENCE_END), -EINVAL);
	assert_int_equal(tc_lseek(fs, fd, -1, OB__WHENCE__WHENCE_SET), -EINVAL);
	assert_int_equal(tc_lseek(fs, fd, 0, 3), -EINVAL);
	assert_int_equal(tc_lseek(fs, fd, INT64_MAX, OB__WHENCE__WHENCE_END), -EOVERFLOW);
	/* A failed seek leaves the offset alone. */
	assert_int_equal(tc_lseek(fs, fd, 0, OB__WHENCE__WHENCE_CUR), 8);
	/* Seeking past the end and writing leaves a zero gap. */
	assert_int_equal(tc_lseek(fs, fd, 12, OB__WHENCE__WHENCE_SET), 12);
	assert_int_equal(tc_read(fs, fd, buf, sizeof(buf)), 0);
	assert_int_equal(tc_write(fs, fd, "E", 1), 1);
	assert_int_equal(tc_pread(fs, fd, buf, sizeof(buf), 8), 5);
	assert_memory_equal(buf, "89\0\0E", 5);
	assert_int_equal(tc_close(fs, fd), 0);
}

static void read_is_capped(void **state)
{
	struct obf_fs *fs = FS(state);
	size_t len = OBF_IO_MAX + OBF_IO_MAX / 2;
	char *big = malloc(len), *back = malloc(len);
	int64_t fd = tc_open(fs, "big", T_RDWR | T_CREAT, 0644);

	assert_non_null(big);
	assert_non_null(back);
	for (size_t i = 0; i < len; i++)
		big[i] = (char)(i * 7 + i / 251);
	assert_true(fd > 0);
	assert_int_equal(tc_write(fs, fd, big, len), (int64_t)len);
	assert_int_equal(tc_lseek(fs, fd, 0, OB__WHENCE__WHENCE_SET), 0);
	/* Asking for more than the cap returns the cap, then the rest. */
	assert_int_equal(tc_read(fs, fd, back, (uint32_t)len + 100), OBF_IO_MAX);
	assert_int_equal(tc_read(fs, fd, back + OBF_IO_MAX, UINT32_MAX),
			 (int64_t)(len - OBF_IO_MAX));
	assert_memory_equal(big, back, len);
	assert_int_equal(tc_pread(fs, fd, back, UINT32_MAX, 0), OBF_IO_MAX);
	assert_int_equal(tc_close(fs, fd), 0);
	free(big);
	free(back);
}

static void write_count_must_match(void **state)
{
	struct obf_fs *fs = FS(state);
	int64_t fd = tc_open(fs, "w", T_RDWR | T_CREAT, 0644);

	assert_true(fd > 0);
	assert_int_equal(tc_write_count(fs, fd, "abc", 3, 5), -EINVAL);
	assert_int_equal(tc_write_count(fs, fd, "abc", 3, 2), -EINVAL);
	assert_int_equal(tc_write(fs, fd, "", 0), 0);
	assert_int_equal(tc_close(fs, fd), 0);
}

static void bad_handles(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[8];
	int64_t fd, d;

	/* Never opened. */
	assert_int_equal(tc_read(fs, 4242, buf, 1), -EBADF);
	assert_int_equal(tc_write(fs, 0, "x", 1), -EBADF);
	assert_int_equal(tc_pread(fs, 77, buf, 1, 0), -EBADF);
	assert_int_equal(tc_pwrite(fs, 77, "x", 1, 0), -EBADF);
	assert_int_equal(tc_lseek(fs, 77, 0, 0), -EBADF);
	assert_int_equal(tc_fstat(fs, 77, NULL), -EBADF);
	assert_int_equal(tc_ftruncate(fs, 77, 0), -EBADF);
	assert_int_equal(tc_fsync(fs, 77), -EBADF);
	assert_int_equal(tc_close(fs, 77), -EBADF);
	assert_int_equal(tc_close(fs, UINT32_MAX), -EBADF);
	assert_int_equal(tc_readdir(fs, 77, buf, sizeof(buf)), -EBADF);
	assert_int_equal(tc_closedir(fs, 77), -EBADF);
	/* Closed. */
	fd = tc_open(fs, "f", T_RDWR | T_CREAT, 0644);
	assert_true(fd > 0);
	assert_int_equal(tc_close(fs, fd), 0);
	assert_int_equal(tc_close(fs, fd), -EBADF);
	assert_int_equal(tc_read(fs, fd, buf, 1), -EBADF);
	/* A file handle is not a directory handle, and the reverse. */
	fd = tc_open(fs, "f", T_RDWR, 0);
	d = tc_opendir(fs, "/");
	assert_true(fd > 0 && d > 0 && fd != d);
	assert_int_equal(tc_readdir(fs, fd, buf, sizeof(buf)), -EBADF);
	assert_int_equal(tc_closedir(fs, fd), -EBADF);
	assert_int_equal(tc_read(fs, d, buf, 1), -EBADF);
	assert_int_equal(tc_write(fs, d, "x", 1), -EBADF);
	assert_int_equal(tc_fstat(fs, d, NULL), -EBADF);
	assert_int_equal(tc_lseek(fs, d, 0, 0), -EBADF);
	assert_int_equal(tc_close(fs, d), -EBADF);
	/* Both still work after the mix-ups. */
	assert_int_equal(tc_write(fs, fd, "ok", 2), 2);
	assert_int_equal(tc_closedir(fs, d), 0);
	assert_int_equal(tc_close(fs, fd), 0);
	/* Numbers are reused lowest first. */
	int64_t a = tc_open(fs, "f", T_RDONLY, 0), b = tc_open(fs, "f", T_RDONLY, 0);
	assert_int_equal(tc_close(fs, a), 0);
	assert_int_equal(tc_open(fs, "f", T_RDONLY, 0), a);
	assert_int_equal(tc_close(fs, a), 0);
	assert_int_equal(tc_close(fs, b), 0);
}

static void ftruncate_sizes(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[16];
	Ob__FileStat st;
	int64_t fd = tc_open(fs, "t", T_RDWR | T_CREAT, 0644);

	assert_true(fd > 0);
	assert_int_equal(tc_write(fs, fd, "abcdef", 6), 6);
	assert_int_equal(tc_ftruncate(fs, fd, 3), 0);
	assert_int_equal(tc_fstat(fs, fd, &st), 0);
	assert_int_equal(st.size, 3);
	assert_int_equal(tc_ftruncate(fs, fd, 8), 0);
	assert_int_equal(tc_pread(fs, fd, buf, sizeof(buf), 0), 8);
	assert_memory_equal(buf, "abc\0\0\0\0\0", 8);
	assert_int_equal(tc_ftruncate(fs, fd, -1), -EINVAL);
	/* The offset is not moved by truncation: a write there extends again. */
	assert_int_equal(tc_lseek(fs, fd, 0, OB__WHENCE__WHENCE_CUR), 6);
	assert_int_equal(tc_ftruncate(fs, fd, 0), 0);
	assert_int_equal(tc_write(fs, fd, "x", 1), 1);
	assert_int_equal(tc_fstat(fs, fd, &st), 0);
	assert_int_equal(st.size, 7);
	assert_int_equal(tc_close(fs, fd), 0);
}

static void stat_fields(void **state)
{
	struct obf_fs *fs = FS(state);
	Ob__FileStat a, b, d, via_fd;
	uint64_t now = obf_now_ns(), day = 86400ull * 1000000000ull;
	int64_t fd;

	fd = tc_open(fs, "a", T_WRONLY | T_CREAT, 0640);
	assert_true(fd > 0);
	assert_int_equal(tc_write(fs, fd, "12345", 5), 5);
	assert_int_equal(tc_fstat(fs, fd, &via_fd), 0);
	assert_int_equal(tc_close(fs, fd), 0);
	assert_int_equal(tc_put(fs, "b", ""), 0);
	assert_int_equal(tc_mkdir(fs, "d", 0750), 0);
	assert_int_equal(tc_stat(fs, "a", &a), 0);
	assert_int_equal(tc_stat(fs, "/b", &b), 0);
	assert_int_equal(tc_stat(fs, "d", &d), 0);
	assert_int_equal(a.type, OB__FILE_TYPE__FILE_TYPE_REGULAR);
	assert_int_equal(a.size, 5);
	assert_int_equal(a.mode, 0640 & ~022); /* the suite runs with umask 022 */
	assert_int_equal(d.type, OB__FILE_TYPE__FILE_TYPE_DIRECTORY);
	assert_int_equal(d.mode, 0750 & ~022);
	assert_int_equal(b.size, 0);
	/* Inode numbers: unique, and the same through a path and a handle. */
	assert_int_equal(a.ino, via_fd.ino);
	assert_true(a.ino != b.ino && a.ino != d.ino && b.ino != d.ino);
	/* Times come from the host clock. */
	assert_true(a.mtime_ns > now - day && a.mtime_ns < now + day);
	assert_true(a.ctime_ns > now - day && a.atime_ns > now - day);
	assert_int_equal(tc_stat(fs, "/", &d), 0);
	assert_int_equal(d.type, OB__FILE_TYPE__FILE_TYPE_DIRECTORY);
	assert_int_equal(tc_stat(fs, "missing", NULL), -ENOENT);
	assert_int_equal(tc_stat(fs, "a/", NULL), -ENOTDIR);
	assert_int_equal(tc_stat(fs, "a/x", NULL), -ENOTDIR);
	assert_int_equal(tc_stat(fs, "", NULL), -ENOENT);
}

static void unlinked_file_stays_open(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[32];
	Ob__FileStat st;
	int64_t fd;

	assert_int_equal(tc_put(fs, "tmp", "still here"), 0);
	fd = tc_open(fs, "tmp", T_RDWR, 0);
	assert_true(fd > 0);
	assert_int_equal(tc_unlink(fs, "tmp"), 0);
	assert_int_equal(tc_stat(fs, "tmp", NULL), -ENOENT);
	assert_int_equal(tc_open(fs, "tmp", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_read(fs, fd, buf, sizeof(buf)), 10);
	assert_memory_equal(buf, "still here", 10);
	assert_int_equal(tc_write(fs, fd, "!", 1), 1);
	assert_int_equal(tc_fstat(fs, fd, &st), 0);
	assert_int_equal(st.size, 11);
	assert_int_equal(st.nlink, 0);
	/* A new file of the same name is another file. */
	assert_int_equal(tc_put(fs, "tmp", "new"), 0);
	assert_int_equal(tc_pread(fs, fd, buf, sizeof(buf), 0), 11);
	assert_int_equal(tc_close(fs, fd), 0);
	assert_int_equal(tc_get(fs, "tmp", buf, sizeof(buf)), 3);
}

static const struct CMUnitTest file_tests[] = {
	CONF_TEST(write_read_back),
	CONF_TEST(open_errors),
	CONF_TEST(access_modes),
	CONF_TEST(truncate_on_open),
	CONF_TEST(append_mode),
	CONF_TEST(pread_pwrite),
	CONF_TEST(seek_rules),
	CONF_TEST(read_is_capped),
	CONF_TEST(write_count_must_match),
	CONF_TEST(bad_handles),
	CONF_TEST(ftruncate_sizes),
	CONF_TEST(stat_fields),
	CONF_TEST(unlinked_file_stays_open),
};

int conf_run_file_tests(const char *name)
{
	return _cmocka_run_group_tests(name, file_tests, sizeof(file_tests) / sizeof(file_tests[0]),
				       NULL, NULL);
}
