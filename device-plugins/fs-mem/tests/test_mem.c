/* fs-mem: the conformance suite, plus seeding, --max-bytes, deep trees
 * and the size parser. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs_client.h"
#include "fs_conformance.h"
#include "fs_tmp.h"
#include "mem.h"

static struct obf_fs *make(const char *seed_dir, bool read_only, void **state)
{
	struct obf_fs *fs;

	assert_int_equal(obm_fs_create(seed_dir, 0, read_only, &fs), 0);
	*state = NULL;
	return fs;
}

static void destroy(struct obf_fs *fs, void *state)
{
	(void)state;
	obf_fs_destroy(fs);
}

static void seeding(void **state)
{
	char *seed = tt_mkdtemp("mem-seed");
	char path[4096], buf[4096], *big = malloc(100000), *back = malloc(100001);
	struct timeval times[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	Ob__FileStat st;
	struct obf_fs *fs;

	(void)state;
	assert_non_null(big);
	assert_non_null(back);
	for (int i = 0; i < 100000; i++)
		big[i] = (char)('a' + i % 26);
	big[99999] = '\0';
	tt_write(seed, "big", big);
	tt_write(seed, "private", "p");
	assert_int_equal(chmod(tt_join(path, sizeof(path), seed, "private"), 0600), 0);
	assert_int_equal(utimes(path, times), 0);
	tt_mkdir(seed, "a");
	tt_mkdir(seed, "a/b");
	tt_mkdir(seed, "a/b/c");
	tt_write(seed, "a/b/c/leaf", "leaf");
	tt_write(seed, "a/empty-file", "");
	/* Skipped with a warning: links and special files. */
	assert_int_equal(symlink("big", tt_join(path, sizeof(path), seed, "link")), 0);
	assert_int_equal(symlink("/etc", tt_join(path, sizeof(path), seed, "a/etc")), 0);
	assert_int_equal(mkfifo(tt_join(path, sizeof(path), seed, "fifo"), 0644), 0);

	assert_int_equal(obm_fs_create(seed, 0, false, &fs), 0);
	assert_int_equal(tc_list(fs, "/", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "a/ big private");
	assert_int_equal(tc_list(fs, "a", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "b/ empty-file");
	assert_int_equal(tc_get(fs, "a/b/c/leaf", buf, sizeof(buf)), 4);
	assert_int_equal(tc_get(fs, "big", back, 100001), 99999);
	assert_memory_equal(back, big, 99999);
	assert_int_equal(tc_stat(fs, "private", &st), 0);
	assert_int_equal(st.mode, 0600);
	assert_int_equal(st.mtime_ns, 1000000000ull * 1000000000ull);
	assert_int_equal(tc_stat(fs, "a/b", &st), 0);
	assert_int_equal(st.type, OB__FILE_TYPE__FILE_TYPE_DIRECTORY);
	assert_int_equal(st.mode, 0755);
	assert_int_equal(st.nlink, 3);
	/* The seed is a copy: changing the fs leaves the host alone. */
	assert_int_equal(tc_put(fs, "a/b/c/leaf", "changed"), 0);
	assert_int_equal(tc_unlink(fs, "big"), 0);
	obf_fs_destroy(fs);
	assert_true(tt_exists(seed, "big"));
	assert_true(tt_exists(seed, "a/b/c/leaf"));
	tt_rm_rf(seed);
	free(seed);
	free(big);
	free(back);
}

static void seeding_errors(void **state)
{
	char *seed = tt_mkdtemp("mem-seed-err");
	char path[4096];
	struct obf_fs *fs;

	(void)state;
	assert_int_equal(obm_fs_create(tt_join(path, sizeof(path), seed, "missing"), 0, false,
				       &fs),
			 -ENOENT);
	assert_null(fs);
	tt_write(seed, "file", "x");
	assert_int_equal(obm_fs_create(tt_join(path, sizeof(path), seed, "file"), 0, false, &fs),
			 -ENOTDIR);
	/* More than --max-bytes. */
	tt_write(seed, "more", "0123456789");
	assert_int_equal(obm_fs_create(seed, 8, false, &fs), -ENOSPC);
	assert_null(fs);
	assert_int_equal(obm_fs_create(seed, 11, false, &fs), 0);
	obf_fs_destroy(fs);
	tt_rm_rf(seed);
	free(seed);
}

static void max_bytes(void **state)
{
	struct obf_fs *fs;
	char block[6000];
	Ob__FsSpace sp;
	int64_t a, b;

	(void)state;
	memset(block, 'x', sizeof(block));
	assert_int_equal(obm_fs_create(NULL, 10000, false, &fs), 0);
	assert_int_equal(tc_statvfs(fs, "/", &sp), 0);
	assert_int_equal(sp.block_size, OBM_BLOCK);
	assert_int_equal(sp.total_blocks, 10000 / OBM_BLOCK);
	a = tc_open(fs, "a", T_RDWR | T_CREAT, 0644);
	assert_true(a > 0);
	assert_int_equal(tc_write(fs, a, block, 6000), 6000);
	/* Only 4000 bytes remain: a short write, then ENOSPC. */
	assert_int_equal(tc_write(fs, a, block, 6000), 4000);
	assert_int_equal(tc_write(fs, a, block, 1), -ENOSPC);
	assert_int_equal(tc_statvfs(fs, "/", &sp), 0);
	assert_int_equal(sp.free_blocks, 0);
	/* Overwriting in place needs no room. */
	assert_int_equal(tc_pwrite(fs, a, "yy", 2, 0), 2);
	/* Growth by a gap or by ftruncate is counted too. */
	assert_int_equal(tc_pwrite(fs, a, "z", 1, 20000), -ENOSPC);
	assert_int_equal(tc_ftruncate(fs, a, 10001), -ENOSPC);
	b = tc_open(fs, "b", T_RDWR | T_CREAT, 0644);
	assert_true(b > 0);
	assert_int_equal(tc_write(fs, b, "1", 1), -ENOSPC);
	/* An unlinked file keeps its bytes until its last handle closes. */
	assert_int_equal(tc_unlink(fs, "a"), 0);
	assert_int_equal(tc_write(fs, b, "1", 1), -ENOSPC);
	assert_int_equal(tc_close(fs, a), 0);
	assert_int_equal(tc_write(fs, b, block, 6000), 6000);
	/* Shrinking frees. */
	assert_int_equal(tc_ftruncate(fs, b, 1000), 0);
	assert_int_equal(tc_ftruncate(fs, b, 10000), 0);
	assert_int_equal(tc_ftruncate(fs, b, 10001), -ENOSPC);
	/* O_TRUNC frees. */
	assert_int_equal(tc_close(fs, b), 0);
	b = tc_open(fs, "b", T_WRONLY | T_TRUNC, 0);
	assert_true(b > 0);
	assert_int_equal(tc_write(fs, b, block, 6000), 6000);
	assert_int_equal(tc_close(fs, b), 0);
	obf_fs_destroy(fs);
}

/* Build a tree deeper than any path can name, by renaming, and free it. */
static void deep_tree(void **state)
{
	struct obf_fs *fs;
	Ob__FileStat st;

	(void)state;
	assert_int_equal(obm_fs_create(NULL, 0, false, &fs), 0);
	assert_int_equal(tc_mkdir(fs, "a", 0755), 0);
	for (int i = 0; i < 20000; i++) {
		assert_int_equal(tc_mkdir(fs, "n", 0755), 0);
		assert_int_equal(tc_rename(fs, "a", "n/a"), 0);
		assert_int_equal(tc_rename(fs, "n", "a"), 0);
	}
	assert_int_equal(tc_put(fs, "a/a/a/a/file", "deep"), 0);
	/* Moving a directory under itself is still refused at any depth. */
	assert_int_equal(tc_rename(fs, "a", "a/a/a/a/x"), -EINVAL);
	assert_int_equal(tc_stat(fs, "a/a/a", &st), 0);
	assert_int_equal(st.nlink, 3);
	obf_fs_destroy(fs); /* ASan checks that every node was freed */
}

static void inode_numbers_are_unique(void **state)
{
	struct obf_fs *fs;
	uint64_t inos[100];
	char name[32];
	Ob__FileStat st;

	(void)state;
	assert_int_equal(obm_fs_create(NULL, 0, false, &fs), 0);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), i % 2 ? "f%d" : "d%d", i);
		assert_int_equal(i % 2 ? tc_put(fs, name, "") : tc_mkdir(fs, name, 0755), 0);
		assert_int_equal(tc_stat(fs, name, &st), 0);
		inos[i] = st.ino;
		for (int j = 0; j < i; j++)
			assert_true(inos[j] != inos[i]);
	}
	/* Numbers are not reused after removal either. */
	assert_int_equal(tc_unlink(fs, "f1"), 0);
	assert_int_equal(tc_put(fs, "again", ""), 0);
	assert_int_equal(tc_stat(fs, "again", &st), 0);
	for (int j = 0; j < 100; j++)
		assert_true(inos[j] != st.ino);
	obf_fs_destroy(fs);
}

static void size_parser(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(obm_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(obm_parse_size("64k", &v), 0);
	assert_int_equal(v, 64u << 10);
	assert_int_equal(obm_parse_size("3M", &v), 0);
	assert_int_equal(v, 3u << 20);
	assert_int_equal(obm_parse_size("2G", &v), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(obm_parse_size("0", &v), -EINVAL);
	assert_int_equal(obm_parse_size("", &v), -EINVAL);
	assert_int_equal(obm_parse_size("-5", &v), -EINVAL);
	assert_int_equal(obm_parse_size(" 5", &v), -EINVAL);
	assert_int_equal(obm_parse_size("5T", &v), -EINVAL);
	assert_int_equal(obm_parse_size("5MB", &v), -EINVAL);
	assert_int_equal(obm_parse_size("99999999999999999999", &v), -EINVAL);
	assert_int_equal(obm_parse_size("17179869184G", &v), -EINVAL); /* overflows */
	assert_int_equal(obm_parse_size(NULL, &v), -EINVAL);
}

int main(void)
{
	static const struct obf_conf_backend backend = {
		.name = "fs-mem", .make = make, .destroy = destroy,
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seeding),
		cmocka_unit_test(seeding_errors),
		cmocka_unit_test(max_bytes),
		cmocka_unit_test(deep_tree),
		cmocka_unit_test(inode_numbers_are_unique),
		cmocka_unit_test(size_parser),
	};
	int failed;

	umask(022);
	failed = obf_conformance_run(&backend);
	failed += cmocka_run_group_tests_name("fs-mem: memory", tests, NULL, NULL);
	return failed;
}
