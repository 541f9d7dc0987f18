/* fs-hostdir: the conformance suite, plus what only a host directory has
 * (symlinks inside the root, a root that is not a directory). */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs_client.h"
#include "fs_conformance.h"
#include "fs_tmp.h"
#include "hostdir.h"

/* Conformance backend: the seed directory itself is the root; without a
 * seed, a fresh temporary directory that destroy removes. */
static struct obf_fs *make(const char *seed_dir, bool read_only, void **state)
{
	char *own = seed_dir ? NULL : tt_mkdtemp("hostdir");
	struct obf_fs *fs;

	assert_int_equal(obhd_fs_create(seed_dir ? seed_dir : own, read_only, &fs), 0);
	*state = own;
	return fs;
}

static void destroy(struct obf_fs *fs, void *state)
{
	obf_fs_destroy(fs);
	if (state) {
		tt_rm_rf(state);
		free(state);
	}
}

static void bad_roots(void **state)
{
	char *dir = tt_mkdtemp("hostdir-root");
	char path[4096];
	struct obhd *hd;
	struct obf_fs *fs;

	(void)state;
	tt_write(dir, "file", "x");
	assert_int_equal(obhd_create(tt_join(path, sizeof(path), dir, "missing"), &hd), -ENOENT);
	assert_null(hd);
	assert_int_equal(obhd_create(tt_join(path, sizeof(path), dir, "file"), &hd), -ENOTDIR);
	assert_int_equal(obhd_fs_create(path, false, &fs), -ENOTDIR);
	assert_null(fs);
	assert_int_equal(obhd_create(dir, &hd), 0);
	obhd_destroy(hd);
	obhd_destroy(NULL);
	tt_rm_rf(dir);
	free(dir);
}

static void symlinks_inside_are_followed(void **state)
{
	char *root = tt_mkdtemp("hostdir-links");
	char buf[64];
	char path[4096];
	Ob__FileStat st;
	struct obf_fs *fs;

	(void)state;
	tt_write(root, "target.txt", "target");
	tt_mkdir(root, "sub");
	tt_write(root, "sub/in.txt", "in");
	assert_int_equal(symlink("target.txt", tt_join(path, sizeof(path), root, "rel")), 0);
	assert_int_equal(symlink("/sub", tt_join(path, sizeof(path), root, "absdir")), 0);
	assert_int_equal(symlink("../target.txt", tt_join(path, sizeof(path), root, "sub/up")), 0);
	assert_int_equal(symlink("nowhere", tt_join(path, sizeof(path), root, "dangling")), 0);
	assert_int_equal(obhd_fs_create(root, false, &fs), 0);

	assert_int_equal(tc_get(fs, "rel", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "target");
	/* An absolute target resolves inside the root. */
	assert_int_equal(tc_get(fs, "absdir/in.txt", buf, sizeof(buf)), 2);
	assert_int_equal(tc_get(fs, "sub/up", buf, sizeof(buf)), 6);
	assert_int_equal(tc_stat(fs, "absdir", &st), 0);
	assert_int_equal(st.type, OB__FILE_TYPE__FILE_TYPE_DIRECTORY);
	/* Listing shows a link as what it leads to; a dangling one as other. */
	assert_int_equal(tc_list(fs, "/", buf, sizeof(buf)), 5);
	assert_string_equal(buf, "absdir/ dangling? rel sub/ target.txt");
	/* O_CREAT does not create through a dangling link. */
	assert_int_equal(tc_open(fs, "dangling", T_WRONLY | T_CREAT, 0644), -EEXIST);
	assert_false(tt_exists(root, "nowhere"));
	/* Unlinking a link removes the link, not its target. */
	assert_int_equal(tc_unlink(fs, "rel"), 0);
	assert_true(tt_exists(root, "target.txt"));
	obf_fs_destroy(fs);
	tt_rm_rf(root);
	free(root);
}

int main(void)
{
	static const struct obf_conf_backend backend = {
		.name = "fs-hostdir", .make = make, .destroy = destroy,
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_roots),
		cmocka_unit_test(symlinks_inside_are_followed),
	};
	int failed;

	umask(022);
	failed = obf_conformance_run(&backend);
	failed += cmocka_run_group_tests_name("fs-hostdir: host directory", tests, NULL, NULL);
	return failed;
}
