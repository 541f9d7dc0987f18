/* Conformance: calls on names (unlink, mkdir, rmdir, rename, stat of
 * dot paths), statvfs, and --read-only. */
#include "conf_internal.h"

#include <errno.h>
#include <string.h>

static void unlink_rules(void **state)
{
	struct obf_fs *fs = FS(state);

	assert_int_equal(tc_put(fs, "f", "x"), 0);
	assert_int_equal(tc_mkdir(fs, "d", 0755), 0);
	assert_int_equal(tc_unlink(fs, "missing"), -ENOENT);
	assert_int_equal(tc_unlink(fs, "nodir/f"), -ENOENT);
	assert_int_equal(tc_unlink(fs, "f/x"), -ENOTDIR);
	assert_int_equal(tc_unlink(fs, "d"), -EISDIR);
	assert_int_equal(tc_unlink(fs, "d/"), -EISDIR);
	assert_int_equal(tc_unlink(fs, "f/"), -ENOTDIR);
	assert_int_equal(tc_unlink(fs, "."), -EISDIR);
	assert_int_equal(tc_unlink(fs, "d/.."), -EISDIR);
	assert_int_equal(tc_unlink(fs, "/"), -EISDIR);
	assert_int_equal(tc_unlink(fs, ""), -ENOENT);
	assert_int_equal(tc_unlink(fs, "/f"), 0);
	assert_int_equal(tc_stat(fs, "f", NULL), -ENOENT);
	assert_int_equal(tc_unlink(fs, "f"), -ENOENT);
}

static void mkdir_rules(void **state)
{
	struct obf_fs *fs = FS(state);
	Ob__FileStat st;

	assert_int_equal(tc_put(fs, "f", "x"), 0);
	assert_int_equal(tc_mkdir(fs, "d", 0755), 0);
	assert_int_equal(tc_mkdir(fs, "d/e/", 0755), 0); /* a trailing '/' is fine */
	assert_int_equal(tc_stat(fs, "d/e", &st), 0);
	assert_int_equal(st.type, OB__FILE_TYPE__FILE_TYPE_DIRECTORY);
	assert_int_equal(tc_mkdir(fs, "d", 0755), -EEXIST);
	assert_int_equal(tc_mkdir(fs, "f", 0755), -EEXIST);
	assert_int_equal(tc_mkdir(fs, ".", 0755), -EEXIST);
	assert_int_equal(tc_mkdir(fs, "d/..", 0755), -EEXIST);
	assert_int_equal(tc_mkdir(fs, "/", 0755), -EEXIST);
	assert_int_equal(tc_mkdir(fs, "missing/x", 0755), -ENOENT);
	assert_int_equal(tc_mkdir(fs, "f/x", 0755), -ENOTDIR);
	assert_int_equal(tc_mkdir(fs, "", 0755), -ENOENT);
}

static void rmdir_rules(void **state)
{
	struct obf_fs *fs = FS(state);

	assert_int_equal(tc_mkdir(fs, "d", 0755), 0);
	assert_int_equal(tc_mkdir(fs, "d/e", 0755), 0);
	assert_int_equal(tc_put(fs, "f", "x"), 0);
	assert_int_equal(tc_rmdir(fs, "d"), -ENOTEMPTY);
	assert_int_equal(tc_rmdir(fs, "f"), -ENOTDIR);
	assert_int_equal(tc_rmdir(fs, "missing"), -ENOENT);
	assert_int_equal(tc_rmdir(fs, "."), -EINVAL);
	assert_int_equal(tc_rmdir(fs, "d/."), -EINVAL);
	assert_int_equal(tc_rmdir(fs, "d/e/.."), -ENOTEMPTY);
	assert_int_equal(tc_rmdir(fs, "/"), -EBUSY);
	assert_int_equal(tc_rmdir(fs, "d/e/"), 0);
	assert_int_equal(tc_rmdir(fs, "d"), 0);
	assert_int_equal(tc_stat(fs, "d", NULL), -ENOENT);
}

static void rename_files(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[32];
	int64_t fd;

	assert_int_equal(tc_put(fs, "a", "AAA"), 0);
	assert_int_equal(tc_put(fs, "b", "B"), 0);
	assert_int_equal(tc_rename(fs, "a", "c"), 0);
	assert_int_equal(tc_stat(fs, "a", NULL), -ENOENT);
	assert_int_equal(tc_get(fs, "c", buf, sizeof(buf)), 3);
	/* Over an existing file, which an open handle keeps alive. */
	fd = tc_open(fs, "b", T_RDONLY, 0);
	assert_true(fd > 0);
	assert_int_equal(tc_rename(fs, "c", "b"), 0);
	assert_int_equal(tc_stat(fs, "c", NULL), -ENOENT);
	assert_int_equal(tc_get(fs, "b", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "AAA");
	assert_int_equal(tc_read(fs, fd, buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 'B');
	assert_int_equal(tc_close(fs, fd), 0);
	/* Onto itself: nothing happens. */
	assert_int_equal(tc_rename(fs, "b", "./b"), 0);
	assert_int_equal(tc_get(fs, "b", buf, sizeof(buf)), 3);
	/* Into another directory. */
	assert_int_equal(tc_mkdir(fs, "d", 0755), 0);
	assert_int_equal(tc_rename(fs, "b", "d/moved"), 0);
	assert_int_equal(tc_get(fs, "d/moved", buf, sizeof(buf)), 3);
	/* Errors. */
	assert_int_equal(tc_rename(fs, "missing", "x"), -ENOENT);
	assert_int_equal(tc_rename(fs, "d/moved", "nodir/x"), -ENOENT);
	/* Onto a directory holding the source: Linux checks ancestry first. */
	assert_int_equal(tc_rename(fs, "d/moved", "d"), -ENOTEMPTY);
	assert_int_equal(tc_rename(fs, "d/moved/", "y"), -ENOTDIR);
	assert_int_equal(tc_rename(fs, "d/moved", "y/"), -ENOTDIR);
	assert_int_equal(tc_rename(fs, "d/moved", "d/moved/x"), -ENOTDIR);
	assert_int_equal(tc_rename(fs, ".", "x"), -EBUSY);
	assert_int_equal(tc_rename(fs, "d/moved", ".."), -EBUSY);
	assert_int_equal(tc_rename(fs, "/", "x"), -EBUSY);
	assert_int_equal(tc_rename(fs, "", "x"), -ENOENT);
	assert_int_equal(tc_rename(fs, "d/moved", ""), -ENOENT);
}

static void rename_dirs(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[32];

	assert_int_equal(tc_mkdir(fs, "d", 0755), 0);
	assert_int_equal(tc_put(fs, "d/f", "in d"), 0);
	assert_int_equal(tc_mkdir(fs, "empty", 0755), 0);
	assert_int_equal(tc_mkdir(fs, "full", 0755), 0);
	assert_int_equal(tc_put(fs, "full/x", "x"), 0);
	assert_int_equal(tc_put(fs, "file", "x"), 0);
	assert_int_equal(tc_rename(fs, "d", "d/sub"), -EINVAL);
	assert_int_equal(tc_rename(fs, "d", "d/sub/deeper"), -ENOENT);
	assert_int_equal(tc_rename(fs, "d", "full"), -ENOTEMPTY);
	assert_int_equal(tc_rename(fs, "d", "file"), -ENOTDIR);
	assert_int_equal(tc_rename(fs, "file", "empty"), -EISDIR);
	/* Over an empty directory, then with a trailing '/'. */
	assert_int_equal(tc_rename(fs, "d", "empty"), 0);
	assert_int_equal(tc_stat(fs, "d", NULL), -ENOENT);
	assert_int_equal(tc_get(fs, "empty/f", buf, sizeof(buf)), 4);
	assert_int_equal(tc_rename(fs, "empty/", "e2/"), 0);
	assert_int_equal(tc_get(fs, "e2/f", buf, sizeof(buf)), 4);
	/* Into a subdirectory of another directory; ".." follows the move. */
	assert_int_equal(tc_rename(fs, "e2", "full/e3"), 0);
	assert_int_equal(tc_get(fs, "full/e3/../x", buf, sizeof(buf)), 1);
	assert_int_equal(tc_get(fs, "full/e3/f", buf, sizeof(buf)), 4);
	assert_string_equal(buf, "in d");
}

static void dotdot_stays_in_root(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[32];

	assert_int_equal(tc_put(fs, "top", "top"), 0);
	assert_int_equal(tc_mkdir(fs, "d", 0755), 0);
	assert_int_equal(tc_get(fs, "../top", buf, sizeof(buf)), 3);
	assert_int_equal(tc_get(fs, "/../../../top", buf, sizeof(buf)), 3);
	assert_int_equal(tc_get(fs, "d/../../top", buf, sizeof(buf)), 3);
	assert_int_equal(tc_get(fs, "./d/./../top", buf, sizeof(buf)), 3);
	assert_int_equal(tc_get(fs, "//d//..//top", buf, sizeof(buf)), 3);
	assert_int_equal(tc_put(fs, "../../made", "m"), 0);
	assert_int_equal(tc_stat(fs, "/made", NULL), 0);
	assert_int_equal(tc_mkdir(fs, "../../nd", 0755), 0);
	assert_int_equal(tc_stat(fs, "nd", NULL), 0);
	assert_int_equal(tc_rename(fs, "../made", "../../nd/made"), 0);
	assert_int_equal(tc_unlink(fs, "/../nd/made"), 0);
	assert_int_equal(tc_rmdir(fs, "../nd"), 0);
	/* Paths that name the root. */
	Ob__FileStat root, up;
	assert_int_equal(tc_stat(fs, "/", &root), 0);
	assert_int_equal(tc_stat(fs, "../..", &up), 0);
	assert_int_equal(root.ino, up.ino);
	assert_int_equal(tc_stat(fs, ".", &up), 0);
	assert_int_equal(root.ino, up.ino);
}

static void statvfs_works(void **state)
{
	struct obf_fs *fs = FS(state);
	Ob__FsSpace sp;

	assert_int_equal(tc_put(fs, "f", "x"), 0);
	assert_int_equal(tc_statvfs(fs, "/", &sp), 0);
	assert_true(sp.block_size > 0);
	assert_int_equal(sp.name_max, 255);
	assert_true(sp.total_blocks > 0);
	assert_true(sp.free_blocks <= sp.total_blocks);
	assert_true(sp.avail_blocks <= sp.free_blocks);
	assert_int_equal(tc_statvfs(fs, "f", &sp), 0);
	assert_int_equal(tc_statvfs(fs, "missing", NULL), -ENOENT);
	assert_int_equal(tc_statvfs(fs, "f/", NULL), -ENOTDIR);
	assert_int_equal(tc_statvfs(fs, "", NULL), -ENOENT);
}

static void read_only_refuses_changes(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[32];
	Ob__FileStat st;
	int64_t fd;

	/* Reading works. */
	assert_int_equal(tc_get(fs, "hello.txt", buf, sizeof(buf)), strlen(CONF_SEED_HELLO));
	assert_string_equal(buf, CONF_SEED_HELLO);
	assert_int_equal(tc_stat(fs, "sub/inner.txt", &st), 0);
	assert_int_equal(tc_statvfs(fs, "/", NULL), 0);
	/* Every change is EROFS. */
	assert_int_equal(tc_open(fs, "hello.txt", T_WRONLY, 0), -EROFS);
	assert_int_equal(tc_open(fs, "hello.txt", T_RDWR, 0), -EROFS);
	assert_int_equal(tc_open(fs, "hello.txt", T_RDONLY | T_TRUNC, 0), -EROFS);
	assert_int_equal(tc_open(fs, "new", T_RDONLY | T_CREAT, 0644), -EROFS);
	assert_int_equal(tc_open(fs, "new", T_WRONLY | T_CREAT | T_EXCL, 0644), -EROFS);
	assert_int_equal(tc_unlink(fs, "hello.txt"), -EROFS);
	assert_int_equal(tc_unlink(fs, "missing"), -EROFS);
	assert_int_equal(tc_mkdir(fs, "nd", 0755), -EROFS);
	assert_int_equal(tc_rmdir(fs, "empty"), -EROFS);
	assert_int_equal(tc_rename(fs, "hello.txt", "x"), -EROFS);
	fd = tc_open(fs, "hello.txt", T_RDONLY, 0);
	assert_true(fd > 0);
	assert_int_equal(tc_write(fs, fd, "x", 1), -EROFS);
	assert_int_equal(tc_pwrite(fs, fd, "x", 1, 0), -EROFS);
	assert_int_equal(tc_ftruncate(fs, fd, 0), -EROFS);
	assert_int_equal(tc_fsync(fs, fd), 0);
	assert_int_equal(tc_close(fs, fd), 0);
	/* And nothing changed. */
	assert_int_equal(tc_get(fs, "hello.txt", buf, sizeof(buf)), strlen(CONF_SEED_HELLO));
	assert_int_equal(tc_stat(fs, "empty", NULL), 0);
	assert_int_equal(tc_stat(fs, "nd", NULL), -ENOENT);
}

static const struct CMUnitTest name_tests[] = {
	CONF_TEST(unlink_rules),
	CONF_TEST(mkdir_rules),
	CONF_TEST(rmdir_rules),
	CONF_TEST(rename_files),
	CONF_TEST(rename_dirs),
	CONF_TEST(dotdot_stays_in_root),
	CONF_TEST(statvfs_works),
	CONF_TEST_RO(read_only_refuses_changes),
};

int conf_run_name_tests(const char *name)
{
	return _cmocka_run_group_tests(name, name_tests, sizeof(name_tests) / sizeof(name_tests[0]),
				       NULL, NULL);
}
