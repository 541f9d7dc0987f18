/* Conformance: opendir, readdir, closedir, and seeded trees. */
#include "conf_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void seeded_tree_is_visible(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[256];
	Ob__FileStat st;

	assert_int_equal(tc_list(fs, "/", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "empty/ hello.txt sub/");
	assert_int_equal(tc_list(fs, "sub", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "deeper/ inner.txt");
	assert_int_equal(tc_list(fs, "empty", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(tc_get(fs, "sub/inner.txt", buf, sizeof(buf)), 5);
	assert_string_equal(buf, "inner");
	assert_int_equal(tc_stat(fs, "hello.txt", &st), 0);
	assert_int_equal(st.size, strlen(CONF_SEED_HELLO));
	assert_int_equal(st.mode, 0644);
	/* The seed is writable when not read-only. */
	assert_int_equal(tc_put(fs, "sub/deeper/new", "n"), 0);
	assert_int_equal(tc_list(fs, "sub/deeper", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "new");
}

static void listing_names_and_types(void **state)
{
	struct obf_fs *fs = FS(state);
	char buf[512];

	assert_int_equal(tc_list(fs, "/", buf, sizeof(buf)), 0);
	assert_int_equal(tc_put(fs, "b.txt", "b"), 0);
	assert_int_equal(tc_put(fs, "a.txt", "a"), 0);
	assert_int_equal(tc_mkdir(fs, "dir", 0755), 0);
	assert_int_equal(tc_put(fs, "dir/inside", "i"), 0);
	assert_int_equal(tc_list(fs, "/", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "a.txt b.txt dir/");
	/* Every spelling of the root lists the same. */
	assert_int_equal(tc_list(fs, ".", buf, sizeof(buf)), 3);
	assert_int_equal(tc_list(fs, "..", buf, sizeof(buf)), 3);
	assert_int_equal(tc_list(fs, "dir/..", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "a.txt b.txt dir/");
	assert_int_equal(tc_list(fs, "dir/", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "inside");
}

static void many_entries(void **state)
{
	struct obf_fs *fs = FS(state);
	char name[32], buf[8192];

	assert_int_equal(tc_mkdir(fs, "m", 0755), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "m/file-%03d", i);
		assert_int_equal(tc_put(fs, name, ""), 0);
	}
	assert_int_equal(tc_list(fs, "m", buf, sizeof(buf)), 300);
	assert_non_null(strstr(buf, "file-000 file-001 "));
	assert_non_null(strstr(buf, " file-299"));
}

static void opendir_errors(void **state)
{
	struct obf_fs *fs = FS(state);

	assert_int_equal(tc_put(fs, "f", "x"), 0);
	assert_int_equal(tc_opendir(fs, "missing"), -ENOENT);
	assert_int_equal(tc_opendir(fs, "f"), -ENOTDIR);
	assert_int_equal(tc_opendir(fs, "f/"), -ENOTDIR);
	assert_int_equal(tc_opendir(fs, "f/.."), -ENOTDIR);
	assert_int_equal(tc_opendir(fs, ""), -ENOENT);
}

static void name_len_is_respected(void **state)
{
	struct obf_fs *fs = FS(state);
	char name[64];
	int64_t d;

	assert_int_equal(tc_mkdir(fs, "d", 0755), 0);
	assert_int_equal(tc_put(fs, "d/longname", ""), 0);
	d = tc_opendir(fs, "d");
	assert_true(d > 0);
	/* "longname" needs 9 bytes with its NUL: 8 is too few, and the entry
	 * is kept for the next call. */
	assert_int_equal(tc_readdir(fs, d, name, 8), -ENAMETOOLONG);
	assert_int_equal(tc_readdir(fs, d, name, 3), -ENAMETOOLONG);
	assert_int_equal(tc_readdir(fs, d, name, 9), OB__FILE_TYPE__FILE_TYPE_REGULAR);
	assert_string_equal(name, "longname");
	assert_int_equal(tc_readdir(fs, d, name, 1), 0); /* the end needs only the NUL */
	assert_int_equal(tc_closedir(fs, d), 0);
	assert_int_equal(tc_closedir(fs, d), -EBADF);
}

/* "07" -> 7, checked to be one of the 20 files. */
static int index_of(const char *name)
{
	int i = atoi(name);

	assert_in_range(i, 0, 19);
	return i;
}

static void changes_while_listing(void **state)
{
	struct obf_fs *fs = FS(state);
	char name[64], path[80];
	int seen[20] = { 0 };
	int64_t d;
	int type, i;

	assert_int_equal(tc_mkdir(fs, "c", 0755), 0);
	for (i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "c/%02d", i);
		assert_int_equal(tc_put(fs, path, ""), 0);
	}
	d = tc_opendir(fs, "c");
	assert_true(d > 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(tc_readdir(fs, d, name, sizeof(name)),
				 OB__FILE_TYPE__FILE_TYPE_REGULAR);
		seen[index_of(name)]++;
	}
	/* Remove the even-numbered files, some already listed, some not. */
	for (i = 0; i < 20; i += 2) {
		snprintf(path, sizeof(path), "c/%02d", i);
		assert_int_equal(tc_unlink(fs, path), 0);
	}
	while ((type = tc_readdir(fs, d, name, sizeof(name))) > 0)
		seen[index_of(name)]++;
	assert_int_equal(type, 0);
	assert_int_equal(tc_closedir(fs, d), 0);
	/* Files never removed are listed exactly once (POSIX leaves the
	 * removed ones open). */
	for (i = 1; i < 20; i += 2)
		assert_int_equal(seen[i], 1);
	for (i = 0; i < 20; i += 2)
		assert_true(seen[i] <= 1);
}

static void removed_directory_reads_empty(void **state)
{
	struct obf_fs *fs = FS(state);
	char name[64];
	int64_t d;

	assert_int_equal(tc_mkdir(fs, "gone", 0755), 0);
	d = tc_opendir(fs, "gone");
	assert_true(d > 0);
	assert_int_equal(tc_rmdir(fs, "gone"), 0);
	/* The end of the listing, as POSIX asks (glibc turns the kernel's
	 * ENOENT for a dead directory into the end). */
	assert_int_equal(tc_readdir(fs, d, name, sizeof(name)), 0);
	assert_int_equal(tc_readdir(fs, d, name, sizeof(name)), 0);
	assert_int_equal(tc_closedir(fs, d), 0);
}

static const struct CMUnitTest dir_tests[] = {
	CONF_TEST_SEEDED(seeded_tree_is_visible),
	CONF_TEST(listing_names_and_types),
	CONF_TEST(many_entries),
	CONF_TEST(opendir_errors),
	CONF_TEST(name_len_is_respected),
	CONF_TEST(changes_while_listing),
	CONF_TEST(removed_directory_reads_empty),
};

int conf_run_dir_tests(const char *name)
{
	return _cmocka_run_group_tests(name, dir_tests, sizeof(dir_tests) / sizeof(dir_tests[0]),
				       NULL, NULL);
}
