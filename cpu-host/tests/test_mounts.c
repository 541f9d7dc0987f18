/*
 * Unit tests of the fs namespace's paths (src/mounts.c): lexical
 * normalisation (".." never climbs out of "/", so never across a mount
 * point), the longest-prefix lookup on whole components, mount point
 * checks, and the mount points a directory lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mounts.h"

static void expect_norm(const char *in, bool keep_last, const char *want)
{
	char out[64];
	int rc = obh_path_normalise(in, keep_last, out, sizeof(out));
	if (rc != 0 || strcmp(out, want) != 0)
		fail_msg("normalise(\"%s\", %d) = %d \"%s\", want \"%s\"", in, keep_last, rc,
			 rc ? "" : out, want);
}

static void normalise_lexically(void **state)
{
	(void)state;
	expect_norm("/", false, "/");
	expect_norm("a", false, "/a");
	expect_norm("/a/b", false, "/a/b");
	expect_norm("//a///b//", false, "/a/b/");
	expect_norm("./a/./b", false, "/a/b");
	expect_norm("a/..", false, "/");
	expect_norm("a/b/..", false, "/a/");
	expect_norm("/tmp/../etc/passwd", false, "/etc/passwd");
	expect_norm("/..", false, "/");
	expect_norm("../../..", false, "/");
	expect_norm("/tmp/../../../x", false, "/x");
	expect_norm("a/.", false, "/a/");
	expect_norm(".", false, "/");
	expect_norm("...", false, "/...");
	expect_norm("a/..b", false, "/a/..b");
	/* Name calls keep a last "." or ".." for the plugin to refuse. */
	expect_norm("/tmp/..", true, "/tmp/..");
	expect_norm("/tmp/x/../.", true, "/tmp/.");
	expect_norm("a/../..//", true, "/..");
	expect_norm("/a/../b", true, "/b");
}

static void normalise_errors(void **state)
{
	char small[8];
	(void)state;
	assert_int_equal(obh_path_normalise("", false, small, sizeof(small)), -ENOENT);
	assert_int_equal(obh_path_normalise("/abcdefgh", false, small, sizeof(small)),
			 -ENAMETOOLONG);
	assert_int_equal(obh_path_normalise("/abcdef/", false, small, sizeof(small)),
			 -ENAMETOOLONG);
	/* What ".." removes does not count against the size. */
	assert_int_equal(obh_path_normalise("/abcdef/../x", false, small, sizeof(small)), 0);
	assert_string_equal(small, "/x");
}

static void setup_ns(struct obh_mounts *ns)
{
	memset(ns, 0, sizeof(*ns));
	assert_int_equal(obh_mounts_add(ns, "/", "ipc://root", false), 0);
	assert_int_equal(obh_mounts_add(ns, "/tmp/", "ipc://tmp", false), 0);
	assert_int_equal(obh_mounts_add(ns, "/rom", "ipc://rom", true), 0);
	assert_int_equal(obh_mounts_add(ns, "/rom/sub", "ipc://sub", false), 0);
	assert_int_equal(obh_mounts_add(ns, "/mnt/cd", "ipc://cd", false), 0);
}

static void expect_find(const struct obh_mounts *ns, const char *norm, const char *point,
			const char *rel)
{
	const char *got_rel = NULL;
	const struct obh_mount *m = obh_mounts_find(ns, norm, &got_rel);
	if (!point) {
		assert_null(m);
		return;
	}
	assert_non_null(m);
	if (strcmp(m->point, point) != 0 || strcmp(got_rel, rel) != 0)
		fail_msg("find(\"%s\") = %s \"%s\", want %s \"%s\"", norm, m->point, got_rel,
			 point, rel);
}

static void longest_prefix_wins(void **state)
{
	struct obh_mounts ns;
	(void)state;
	setup_ns(&ns);
	expect_find(&ns, "/", "/", "/");
	expect_find(&ns, "/a/b", "/", "/a/b");
	expect_find(&ns, "/tmp", "/tmp", "/");
	expect_find(&ns, "/tmp/", "/tmp", "/");
	expect_find(&ns, "/tmp/t1.0", "/tmp", "/t1.0");
	expect_find(&ns, "/tmpfile", "/", "/tmpfile"); /* whole components only */
	expect_find(&ns, "/rom/x", "/rom", "/x");
	expect_find(&ns, "/rom/sub", "/rom/sub", "/");
	expect_find(&ns, "/rom/sub/deep/f", "/rom/sub", "/deep/f");
	expect_find(&ns, "/rom/subway", "/rom", "/subway");
	expect_find(&ns, "/mnt", "/", "/mnt");
	expect_find(&ns, "/tmp/..", "/tmp", "/.."); /* a kept last "..": refused by the plugin */
	assert_true(obh_mounts_by_point(&ns, "/rom")->read_only);
	assert_false(obh_mounts_by_point(&ns, "/tmp")->read_only);
	obh_mounts_clear(&ns);
}

static void routes_and_labels(void **state)
{
	struct obh_mounts ns;
	(void)state;
	setup_ns(&ns);
	const struct obh_mount *root = obh_mounts_by_point(&ns, "/");
	const struct obh_mount *tmp = obh_mounts_by_point(&ns, "/tmp");
	assert_int_equal(root->route, OBH_DOMAIN_FS);
	assert_true(tmp->route >= OBH_DOMAIN_COUNT && tmp->route < OBH_MAX_ROUTES);
	assert_ptr_equal(obh_mounts_by_route(&ns, tmp->route), tmp);
	assert_string_equal(root->label, "fs");
	assert_string_equal(tmp->label, "fs /tmp");
	obh_mounts_clear(&ns);
}

static void bad_mount_points(void **state)
{
	struct obh_mounts ns;
	(void)state;
	setup_ns(&ns);
	assert_int_equal(obh_mounts_add(&ns, "tmp2", "ipc://x", false), -EINVAL);
	assert_int_equal(obh_mounts_add(&ns, "/tmp", "ipc://x", false), -EEXIST);
	assert_int_equal(obh_mounts_add(&ns, "/x/../tmp//", "ipc://x", false), -EEXIST);
	assert_int_equal(obh_mounts_add(&ns, "", "ipc://x", false), -EINVAL);
	while (ns.n < OBH_MAX_MOUNTS) {
		char p[32];
		snprintf(p, sizeof(p), "/m%u", ns.n);
		assert_int_equal(obh_mounts_add(&ns, p, "ipc://m", false), 0);
	}
	assert_int_equal(obh_mounts_add(&ns, "/one-more", "ipc://m", false), -ENOSPC);
	obh_mounts_clear(&ns);
	assert_int_equal(ns.n, 0);
}

static void expect_children(const struct obh_mounts *ns, const char *dir, const char *want,
			    unsigned want_n)
{
	unsigned n = 99;
	char *got = obh_mounts_children(ns, dir, &n);
	assert_int_equal(n, want_n);
	if (!want_n) {
		assert_null(got);
		return;
	}
	/* "a\0b\0\0" compared as one block */
	size_t len = 0;
	while (got[len])
		len += strlen(got + len) + 1;
	assert_memory_equal(got, want, len + 1);
	free(got);
}

static void directories_list_mount_points(void **state)
{
	struct obh_mounts ns;
	(void)state;
	setup_ns(&ns);
	expect_children(&ns, "/", "tmp\0rom\0mnt\0", 3);
	expect_children(&ns, "/rom", "sub\0", 1);
	expect_children(&ns, "/rom/", "sub\0", 1);
	expect_children(&ns, "/mnt", "cd\0", 1);
	expect_children(&ns, "/tmp", "", 0);
	expect_children(&ns, "/ro", "", 0);
	expect_children(&ns, "/mnt/cd", "", 0);
	obh_mounts_clear(&ns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalise_lexically),
		cmocka_unit_test(normalise_errors),
		cmocka_unit_test(longest_prefix_wins),
		cmocka_unit_test(routes_and_labels),
		cmocka_unit_test(bad_mount_points),
		cmocka_unit_test(directories_list_mount_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
