/*
 * fs-hostdir's sandbox: every way out of the root a guest path could try,
 * each a separate assertion, all refused or kept inside the root.
 *
 * Layout of each test's temporary tree:
 *   base/outside/secret        "OUTSIDE"   (must never be reached)
 *   base/outside/only_outside
 *   base/outside/victim
 *   base/root/inside.txt       "INSIDE"    (the fs root)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#ifdef OBHD_HAVE_SECCOMP
#include <seccomp.h>
#endif

#include "fs_client.h"
#include "fs_tmp.h"
#include "hostdir.h"

struct sb {
	char *base;
	char root[4096];
	char outside[4096];
	struct obf_fs *fs;
};

static int sb_setup(void **state)
{
	struct sb *sb = calloc(1, sizeof(*sb));

	assert_non_null(sb);
	sb->base = tt_mkdtemp("sandbox");
	tt_mkdir(sb->base, "outside");
	tt_mkdir(sb->base, "root");
	tt_write(sb->base, "outside/secret", "OUTSIDE");
	tt_write(sb->base, "outside/only_outside", "x");
	tt_write(sb->base, "outside/victim", "v");
	tt_write(sb->base, "root/inside.txt", "INSIDE");
	tt_join(sb->root, sizeof(sb->root), sb->base, "root");
	tt_join(sb->outside, sizeof(sb->outside), sb->base, "outside");
	assert_int_equal(obhd_fs_create(sb->root, false, &sb->fs), 0);
	*state = sb;
	return 0;
}

static int sb_teardown(void **state)
{
	struct sb *sb = *state;

	obf_fs_destroy(sb->fs);
	tt_rm_rf(sb->base);
	free(sb->base);
	free(sb);
	return 0;
}

/* The outside tree is exactly as set up. */
static void assert_outside_untouched(const struct sb *sb)
{
	char path[4096], buf[16] = { 0 };
	int fd = open(tt_join(path, sizeof(path), sb->outside, "secret"), O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 7);
	assert_string_equal(buf, "OUTSIDE");
	close(fd);
	assert_true(tt_exists(sb->outside, "only_outside"));
	assert_true(tt_exists(sb->outside, "victim"));
	assert_false(tt_exists(sb->outside, "made"));
	assert_false(tt_exists(sb->base, "escaped"));
	assert_false(tt_exists(sb->base, "escaped.txt"));
	assert_false(tt_exists(sb->base, "moved"));
}

static void link_in_root(const struct sb *sb, const char *target, const char *name)
{
	char path[4096];

	assert_int_equal(symlink(target, tt_join(path, sizeof(path), sb->root, name)), 0);
}

static void dotdot_paths(void **state)
{
	struct sb *sb = *state;
	struct obf_fs *fs = sb->fs;
	char buf[256];

	assert_int_equal(tc_open(fs, "../outside/secret", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_open(fs, "../../../../../outside/secret", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_open(fs, "/../outside/secret", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_open(fs, "../outside/secret", T_WRONLY | T_TRUNC, 0), -ENOENT);
	assert_int_equal(tc_stat(fs, "../outside", NULL), -ENOENT);
	assert_int_equal(tc_opendir(fs, "../outside"), -ENOENT);
	assert_int_equal(tc_unlink(fs, "../outside/secret"), -ENOENT);
	assert_int_equal(tc_unlink(fs, "../outside/victim"), -ENOENT);
	assert_int_equal(tc_rmdir(fs, "../outside"), -ENOENT);
	assert_int_equal(tc_rename(fs, "../outside/secret", "stolen"), -ENOENT);
	assert_int_equal(tc_mkdir(fs, "../outside/made", 0755), -ENOENT);
	/* ".." of the root is the root: these act inside it. */
	assert_int_equal(tc_list(fs, "..", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "inside.txt");
	assert_int_equal(tc_list(fs, "../../..", buf, sizeof(buf)), 1);
	assert_int_equal(tc_mkdir(fs, "../escaped", 0755), 0);
	assert_true(tt_exists(sb->root, "escaped"));
	assert_int_equal(tc_put(fs, "../../escaped.txt", "e"), 0);
	assert_true(tt_exists(sb->root, "escaped.txt"));
	assert_int_equal(tc_rename(fs, "inside.txt", "../moved"), 0);
	assert_true(tt_exists(sb->root, "moved"));
	assert_int_equal(tc_get(fs, "../../moved", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "INSIDE");
	assert_outside_untouched(sb);
}

static void absolute_paths(void **state)
{
	struct sb *sb = *state;
	struct obf_fs *fs = sb->fs;
	char path[4096], buf[64];

	/* A host absolute path means that path inside the root. */
	assert_int_equal(tc_open(fs, "/etc/passwd", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_stat(fs, "/etc", NULL), -ENOENT);
	assert_int_equal(tc_open(fs, tt_join(path, sizeof(path), sb->outside, "secret"), T_RDONLY,
				 0), -ENOENT);
	assert_int_equal(tc_opendir(fs, sb->outside), -ENOENT);
	assert_int_equal(tc_unlink(fs, path), -ENOENT);
	assert_int_equal(tc_open(fs, "/proc/self/root/etc/passwd", T_RDONLY, 0), -ENOENT);
	/* ... and finds the root's own copy when there is one. */
	tt_mkdir(sb->root, "etc");
	tt_write(sb->root, "etc/passwd", "FAKE");
	assert_int_equal(tc_get(fs, "/etc/passwd", buf, sizeof(buf)), 4);
	assert_string_equal(buf, "FAKE");
	assert_outside_untouched(sb);
}

static void symlink_out_absolute(void **state)
{
	struct sb *sb = *state;
	struct obf_fs *fs = sb->fs;
	char path[4096], buf[256];

	link_in_root(sb, sb->outside, "abs");
	link_in_root(sb, tt_join(path, sizeof(path), sb->outside, "secret"), "abs_file");
	link_in_root(sb, tt_join(path, sizeof(path), sb->outside, "newfile"), "abs_new");
	assert_int_equal(tc_open(fs, "abs/secret", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_open(fs, "abs_file", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_open(fs, "abs_file", T_WRONLY | T_TRUNC, 0), -ENOENT);
	assert_int_equal(tc_stat(fs, "abs", NULL), -ENOENT);
	assert_int_equal(tc_stat(fs, "abs_file", NULL), -ENOENT);
	assert_int_equal(tc_opendir(fs, "abs"), -ENOENT);
	assert_int_equal(tc_statvfs(fs, "abs", NULL), -ENOENT);
	assert_int_equal(tc_mkdir(fs, "abs/made", 0755), -ENOENT);
	assert_int_equal(tc_unlink(fs, "abs/victim"), -ENOENT);
	assert_int_equal(tc_rename(fs, "inside.txt", "abs/secret"), -ENOENT);
	assert_int_equal(tc_rename(fs, "abs/secret", "stolen"), -ENOENT);
	/* Creating through a link to a missing outside file creates nothing. */
	assert_int_equal(tc_open(fs, "abs_new", T_WRONLY | T_CREAT, 0644), -EEXIST);
	assert_false(tt_exists(sb->outside, "newfile"));
	/* Listing shows the links as dangling. */
	assert_int_equal(tc_list(fs, "/", buf, sizeof(buf)), 4);
	assert_string_equal(buf, "abs? abs_file? abs_new? inside.txt");
	/* Removing a link leaves its target alone. */
	assert_int_equal(tc_unlink(fs, "abs_file"), 0);
	assert_outside_untouched(sb);
}

static void symlink_out_relative(void **state)
{
	struct sb *sb = *state;
	struct obf_fs *fs = sb->fs;
	char buf[64];

	link_in_root(sb, "../outside", "rel");
	link_in_root(sb, "../../../../../../../outside/secret", "deep");
	tt_mkdir(sb->root, "sub");
	link_in_root(sb, "../../outside/secret", "sub/up2");
	assert_int_equal(tc_open(fs, "rel/secret", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_open(fs, "deep", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_open(fs, "sub/up2", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_opendir(fs, "rel"), -ENOENT);
	assert_int_equal(tc_mkdir(fs, "rel/made", 0755), -ENOENT);
	assert_int_equal(tc_unlink(fs, "rel/victim"), -ENOENT);
	/* The links are clamped to the root: give it its own "outside". */
	tt_mkdir(sb->root, "outside");
	tt_write(sb->root, "outside/secret", "INSIDE");
	assert_int_equal(tc_get(fs, "rel/secret", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "INSIDE");
	assert_int_equal(tc_get(fs, "deep", buf, sizeof(buf)), 6);
	assert_int_equal(tc_get(fs, "sub/up2", buf, sizeof(buf)), 6);
	assert_int_equal(tc_list(fs, "rel", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "secret");
	assert_outside_untouched(sb);
}

/* --- a directory swapped with links to the outside while we walk it --- */

struct swapper {
	const struct sb *sb;
	atomic_bool stop;
	atomic_long swaps;
};

static void *swap_loop(void *arg)
{
	struct swapper *sw = arg;
	char dir[4096], abs_link[4096], rel_link[4096];

	tt_join(dir, sizeof(dir), sw->sb->root, "sw");
	tt_join(abs_link, sizeof(abs_link), sw->sb->root, "sw_abs");
	tt_join(rel_link, sizeof(rel_link), sw->sb->root, "sw_rel");
	while (!atomic_load(&sw->stop)) {
		const char *link = (atomic_load(&sw->swaps) / 2) % 2 ? rel_link : abs_link;
		if (renameat2(AT_FDCWD, dir, AT_FDCWD, link, RENAME_EXCHANGE) != 0)
			break;
		atomic_fetch_add(&sw->swaps, 1);
	}
	return NULL;
}

static void swapped_symlink_race(void **state)
{
	struct sb *sb = *state;
	struct obf_fs *fs = sb->fs;
	struct swapper sw = { .sb = sb };
	long opened = 0, refused = 0;
	char buf[256];
	pthread_t t;

	tt_mkdir(sb->root, "sw");
	tt_write(sb->root, "sw/secret", "INSIDE");
	link_in_root(sb, sb->outside, "sw_abs");
	link_in_root(sb, "../outside", "sw_rel");
	assert_int_equal(pthread_create(&t, NULL, swap_loop, &sw), 0);
	for (int i = 0; i < 3000; i++) {
		int64_t fd = tc_open(fs, "sw/secret", T_RDONLY, 0);
		Ob__FileStat st;
		int64_t d;

		if (fd > 0) {
			int64_t n = tc_read(fs, fd, buf, sizeof(buf) - 1);
			assert_int_equal(n, 6);
			buf[n] = '\0';
			assert_string_equal(buf, "INSIDE");
			assert_int_equal(tc_close(fs, fd), 0);
			opened++;
		} else {
			assert_true(fd == -ENOENT || fd == -EAGAIN);
			refused++;
		}
		if (tc_stat(fs, "sw/secret", &st) == 0)
			assert_int_equal(st.size, 6);
		d = tc_opendir(fs, "sw");
		if (d > 0) {
			char name[256];
			while (tc_readdir(fs, d, name, sizeof(name)) > 0)
				assert_string_not_equal(name, "only_outside");
			assert_int_equal(tc_closedir(fs, d), 0);
		}
		/* Name calls through the swapped directory. */
		tc_unlink(fs, "sw/victim");
		tc_mkdir(fs, "sw/made", 0755);
		tc_rmdir(fs, "sw/made");
	}
	atomic_store(&sw.stop, true);
	assert_int_equal(pthread_join(t, NULL), 0);
	print_message("race: %ld swaps, %ld opened inside, %ld refused\n",
		      atomic_load(&sw.swaps), opened, refused);
	assert_true(atomic_load(&sw.swaps) > 0);
	assert_outside_untouched(sb);
}

/* --- lengths and bytes --- */

static void overlong_paths(void **state)
{
	struct sb *sb = *state;
	struct obf_fs *fs = sb->fs;
	char *p = malloc(8192);
	char buf[16];
	size_t n = 0;

	assert_non_null(p);
	/* 4095 bytes + NUL is PATH_MAX: accepted, and resolves. */
	while (n + 2 + strlen("inside.txt") < 4095) {
		memcpy(p + n, "./", 2);
		n += 2;
	}
	memset(p + n, '/', 4095 - n - strlen("inside.txt"));
	strcpy(p + 4095 - strlen("inside.txt"), "inside.txt");
	assert_int_equal(strlen(p), 4095);
	assert_int_equal(tc_get(fs, p, buf, sizeof(buf)), 6);
	/* One more byte is too long, for every call. */
	memmove(p + 1, p, 4096);
	p[0] = '/';
	assert_int_equal(tc_open(fs, p, T_RDONLY, 0), -ENAMETOOLONG);
	assert_int_equal(tc_stat(fs, p, NULL), -ENAMETOOLONG);
	assert_int_equal(tc_opendir(fs, p), -ENAMETOOLONG);
	assert_int_equal(tc_mkdir(fs, p, 0755), -ENAMETOOLONG);
	assert_int_equal(tc_unlink(fs, p), -ENAMETOOLONG);
	assert_int_equal(tc_rmdir(fs, p), -ENAMETOOLONG);
	assert_int_equal(tc_rename(fs, p, "x"), -ENAMETOOLONG);
	assert_int_equal(tc_rename(fs, "inside.txt", p), -ENAMETOOLONG);
	assert_int_equal(tc_statvfs(fs, p, NULL), -ENAMETOOLONG);
	/* Far too long. */
	memset(p, 'a', 8191);
	p[8191] = '\0';
	assert_int_equal(tc_open(fs, p, T_WRONLY | T_CREAT, 0644), -ENAMETOOLONG);
	/* A component over NAME_MAX. */
	p[256] = '\0';
	assert_int_equal(tc_open(fs, p, T_WRONLY | T_CREAT, 0644), -ENAMETOOLONG);
	free(p);
}

static void embedded_nul(void **state)
{
	struct sb *sb = *state;
	struct obf_fs *fs = sb->fs;
	static const char inside[] = "inside.txt\0/../../outside/secret";
	static const char escape[] = "../outside/secret\0tail";
	char buf[16];
	int64_t fd;

	/* protobuf-c hands the handler the prefix before the NUL (see
	 * obf/path.h); whatever that is, it resolves inside the root. */
	fd = tc_open_raw(fs, inside, sizeof(inside) - 1, T_RDONLY);
	assert_true(fd > 0);
	assert_int_equal(tc_read(fs, fd, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "INSIDE", 6);
	assert_int_equal(tc_close(fs, fd), 0);
	assert_int_equal(tc_open_raw(fs, escape, sizeof(escape) - 1, T_RDONLY), -ENOENT);
	assert_int_equal(tc_open_raw(fs, "\0etc", 4, T_RDONLY), -ENOENT);
	assert_int_equal(tc_open_raw(fs, "\0", 1, T_RDONLY), -ENOENT);
	assert_outside_untouched(sb);
}

/* --- special files --- */

/* A character device (as root) or, failing that, a FIFO at root/rel. */
static bool make_device(const struct sb *sb, const char *rel)
{
	char path[4096];

	tt_join(path, sizeof(path), sb->root, rel);
	if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) == 0)
		return true;
	assert_int_equal(mkfifo(path, 0666), 0);
	return false;
}

static void assert_refused(struct obf_fs *fs, const char *path)
{
	Ob__FileStat st;

	assert_int_equal(tc_open(fs, path, T_RDONLY, 0), -EACCES);
	assert_int_equal(tc_open(fs, path, T_WRONLY, 0), -EACCES);
	assert_int_equal(tc_open(fs, path, T_RDWR | T_TRUNC, 0), -EACCES);
	assert_int_equal(tc_open(fs, path, T_WRONLY | T_CREAT, 0644), -EACCES);
	assert_int_equal(tc_open(fs, path, T_WRONLY | T_CREAT | T_EXCL, 0644), -EEXIST);
	assert_int_equal(tc_opendir(fs, path), -ENOTDIR);
	/* stat describes it, as other. */
	assert_int_equal(tc_stat(fs, path, &st), 0);
	assert_int_equal(st.type, OB__FILE_TYPE__FILE_TYPE_OTHER);
}

static void device_nodes(void **state)
{
	struct sb *sb = *state;
	struct obf_fs *fs = sb->fs;
	char buf[256];
	bool dev;

	alarm(20); /* a FIFO stand-in must not block either */
	dev = make_device(sb, "null");
	print_message("special file: %s\n", dev ? "character device 1,3" : "FIFO (not root)");
	assert_refused(fs, "null");
	/* /dev/null through links resolves inside the root ... */
	link_in_root(sb, "/dev/null", "devnull");
	link_in_root(sb, "../../../../dev/null", "devnull_rel");
	assert_int_equal(tc_open(fs, "devnull", T_RDONLY, 0), -ENOENT);
	assert_int_equal(tc_open(fs, "devnull_rel", T_WRONLY, 0), -ENOENT);
	assert_int_equal(tc_open(fs, "/dev/null", T_RDONLY, 0), -ENOENT);
	/* ... and a device there is refused like any other. */
	tt_mkdir(sb->root, "dev");
	make_device(sb, "dev/null");
	assert_refused(fs, "devnull");
	assert_refused(fs, "devnull_rel");
	assert_refused(fs, "/dev/null");
	/* Listed as other, never as a file. */
	assert_int_equal(tc_list(fs, "/", buf, sizeof(buf)), 5);
	assert_string_equal(buf, "dev/ devnull? devnull_rel? inside.txt null?");
	alarm(0);
}

static void fifos_do_not_block(void **state)
{
	struct sb *sb = *state;
	struct obf_fs *fs = sb->fs;
	char path[4096];

	alarm(20); /* a blocked open fails the test instead of hanging it */
	assert_int_equal(mkfifo(tt_join(path, sizeof(path), sb->root, "fifo"), 0666), 0);
	assert_refused(fs, "fifo");
	link_in_root(sb, "fifo", "fifo_link");
	assert_refused(fs, "fifo_link");
	alarm(0);
}

static void sockets_are_refused(void **state)
{
	struct sb *sb = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	char path[4096];

	assert_true(s >= 0);
	tt_join(path, sizeof(path), sb->root, "sock");
	if (strlen(path) >= sizeof(sa.sun_path)) {
		close(s);
		skip(); /* TMPDIR too long for a socket path */
	}
	strcpy(sa.sun_path, path);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_refused(sb->fs, "sock");
	close(s);
}

/* --- start-up --- */

static void refuses_to_start_without_openat2(void **state)
{
#ifdef OBHD_HAVE_SECCOMP
	struct sb *sb = *state;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		struct obhd *hd = (struct obhd *)1;
		int rc;

		if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0) ||
		    seccomp_load(ctx))
			_exit(2);
		rc = obhd_create(sb->root, &hd);
		_exit(rc == -ENOSYS && hd == NULL ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
#else
	(void)state;
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(dotdot_paths, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(absolute_paths, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(symlink_out_absolute, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(symlink_out_relative, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(swapped_symlink_race, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(overlong_paths, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(embedded_nul, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(device_nodes, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(fifos_do_not_block, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(sockets_are_refused, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(refuses_to_start_without_openat2, sb_setup,
						sb_teardown),
	};

	umask(022);
	return cmocka_run_group_tests_name("fs-hostdir: sandbox", tests, NULL, NULL);
}
