/*
 * files: exercises every fs call, through the C library where it has the
 * function (newlib, plus the SDK's POSIX additions: pread, pwrite,
 * ftruncate, fsync, rmdir, opendir/readdir, statvfs) and through ob_*
 * calls for the raw results. It checks contents and error codes itself and
 * prints one line per check:
 *
 *   ok <check>
 *   FAIL <check>: <what happened>
 *
 * then `files: <n> checks, <m> failed`, and exits with 0 only when every
 * check passed. Run it in an empty writable directory: it creates
 * files.dir/ there and removes everything it made, so it runs the same
 * against every fs backend.
 */
#include <outboard.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "check.h"

#define DIR_ "files.dir"
#define A DIR_ "/a.txt"
#define B DIR_ "/b.txt"
#define C DIR_ "/c.txt"
#define D DIR_ "/d.txt"
#define SUB DIR_ "/sub"
#define SUB2 DIR_ "/sub2"
#define MISSING DIR_ "/missing"

static char buf[8192];

/* Reads a whole file into buf (NUL-terminated); its length, or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* A file's size, or -1 with errno set. */
static long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void directories(void)
{
	check_ok("mkdir", mkdir(DIR_, 0755));
	check_errno("mkdir_exists", mkdir(DIR_, 0755), EEXIST);
	check_errno("mkdir_no_parent", mkdir("files.nope/sub", 0755), ENOENT);
	check_raw_errno("ob_mkdir_exists", ob_mkdir(DIR_, 0755), EEXIST);
}

static void create_and_write(void)
{
	int fd = open(A, O_WRONLY | O_CREAT | O_EXCL, 0644);
	check("open_create_excl", fd >= 3, "fd %d (errno %d)", fd, errno);
	check_errno("open_excl_exists", open(A, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	check_eq("write", write(fd, "hello world\n", 12), 12);
	struct stat st = { 0 };
	int r = fstat(fd, &st);
	check("fstat", r == 0 && S_ISREG(st.st_mode) && st.st_size == 12 &&
		       (st.st_mode & (S_IRUSR | S_IWUSR)) == (S_IRUSR | S_IWUSR),
	      "r %d mode %o size %ld", r, (unsigned)st.st_mode, (long)st.st_size);
	check_ok("close", close(fd));
	check_errno("close_twice", close(fd), EBADF);
	check_raw_errno("ob_close_bad", ob_close(fd), EBADF);
	check_errno("open_missing", open(MISSING, O_RDONLY), ENOENT);
	check_raw_errno("ob_open_missing", ob_open(MISSING, O_RDONLY, 0), ENOENT);
}

static void read_and_seek(void)
{
	int fd = open(A, O_RDONLY);
	check_ok("open_rdonly", fd);
	long n = read(fd, buf, 64);
	check("read", n == 12 && memcmp(buf, "hello world\n", 12) == 0, "read %ld bytes", n);
	check_eq("read_eof", read(fd, buf, 64), 0);
	check_eq("lseek_set", lseek(fd, 6, SEEK_SET), 6);
	n = read(fd, buf, 5);
	check("read_after_seek", n == 5 && memcmp(buf, "world", 5) == 0, "read %ld bytes", n);
	check_eq("lseek_cur", lseek(fd, -5, SEEK_CUR), 6);
	check_eq("lseek_end", lseek(fd, 0, SEEK_END), 12);
	check_errno("lseek_negative", lseek(fd, -100, SEEK_SET), EINVAL);
	check_errno("lseek_bad_whence", lseek(fd, 0, 7), EINVAL);
	/* O_BINARY has no meaning here and is accepted; O_DIRECTORY is refused. */
	int bin = open(A, O_RDONLY | O_BINARY);
	check_ok("open_binary", bin);
	check_ok("close_binary", close(bin));
	check_errno("open_directory_flag_refused", open(A, O_RDONLY | O_DIRECTORY), EINVAL);
	memset(buf, 0, 8);
	n = pread(fd, buf, 5, 0);
	check("pread", n == 5 && memcmp(buf, "hello", 5) == 0, "read %ld bytes", n);
	check_eq("pread_keeps_offset", lseek(fd, 0, SEEK_CUR), 12);
	check_eq("pread_past_end", pread(fd, buf, 5, 100), 0);
	check_errno("write_rdonly", write(fd, "x", 1), EBADF);
	check_errno("read_bad_fd", read(99, buf, 1), EBADF);
	check_raw_errno("ob_read_bad_fd", ob_read(99, buf, 1), EBADF);
	check_raw_errno("ob_lseek_bad_fd", ob_lseek(99, 0, SEEK_SET), EBADF);
	close(fd);
}

static void write_modes(void)
{
	int fd = open(A, O_RDWR);
	check_ok("open_rdwr", fd);
	check_eq("pwrite", pwrite(fd, "HELLO", 5, 0), 5);
	check_eq("pwrite_keeps_offset", lseek(fd, 0, SEEK_CUR), 0);
	long n = read(fd, buf, 64);
	check("read_after_pwrite", n == 12 && memcmp(buf, "HELLO world\n", 12) == 0, "read %ld", n);
	close(fd);

	fd = open(A, O_WRONLY | O_APPEND);
	check_ok("open_append", fd);
	lseek(fd, 0, SEEK_SET);
	check_eq("write_append", write(fd, "more\n", 5), 5);
	close(fd);
	n = slurp(A);
	check("append_at_end", n == 17 && strcmp(buf, "HELLO world\nmore\n") == 0, "content %ld", n);

	fd = open(A, O_WRONLY | O_CREAT, 0644);
	check_ok("open_creat_existing", fd);
	close(fd);
	check_eq("creat_keeps_content", size_of(A), 17);

	fd = open(B, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check_eq("write_b", write(fd, "0123456789", 10), 10);
	close(fd);
	fd = open(B, O_WRONLY | O_TRUNC);
	check_ok("open_trunc", fd);
	close(fd);
	check_eq("trunc_empties", size_of(B), 0);
}

static void truncate_and_sync(void)
{
	int fd = open(A, O_RDWR);
	check_ok("ftruncate_shrink", ftruncate(fd, 5));
	check_eq("size_after_shrink", size_of(A), 5);
	check_ok("ftruncate_grow", ftruncate(fd, 4096));
	struct stat st = { 0 };
	fstat(fd, &st);
	check_eq("size_after_grow", (long)st.st_size, 4096);
	memset(buf, 'x', 16);
	long n = pread(fd, buf, 16, 4000);
	int zeros = n == 16;
	for (int i = 0; i < 16 && zeros; i++)
		zeros = buf[i] == 0;
	check("grown_reads_zero", zeros, "read %ld bytes", n);
	n = pread(fd, buf, 5, 0);
	check("shrink_kept_head", n == 5 && memcmp(buf, "HELLO", 5) == 0, "read %ld", n);
	check_ok("fsync", fsync(fd));
	check_errno("fsync_bad_fd", fsync(99), EBADF);
	check_errno("ftruncate_bad_fd", ftruncate(99, 0), EBADF);
	check_eq("isatty_file", isatty(fd), 0);
	/* The console answers for the launcher's own stdout, which every test
	 * running this program captures in a file (guest_stdin_tty has the
	 * terminal's side). */
	check_eq("isatty_console_captured", isatty(1), 0);
	close(fd);
}

static void stats(void)
{
	struct stat st = { 0 };
	int r = stat(A, &st);
	check("stat_file", r == 0 && S_ISREG(st.st_mode) && st.st_size == 4096 && st.st_nlink >= 1,
	      "r %d mode %o size %ld", r, (unsigned)st.st_mode, (long)st.st_size);
	r = stat(DIR_, &st);
	check("stat_dir", r == 0 && S_ISDIR(st.st_mode), "r %d mode %o", r, (unsigned)st.st_mode);
	check_errno("stat_missing", stat(MISSING, &st), ENOENT);
	check_errno("stat_under_file", stat(A "/x", &st), ENOTDIR);
	struct ob_file_stat o = { 0 };
	r = ob_stat(A, &o);
	check("ob_stat", r == 0 && o.type == OB_DT_FILE && o.size == 4096, "r %d type %u", r,
	      (unsigned)o.type);
	check_errno("open_dir_for_write", open(DIR_, O_WRONLY), EISDIR);
	static char long_name[5000];
	memset(long_name, 'n', sizeof(long_name) - 1);
	check_errno("open_name_too_long", open(long_name, O_RDONLY), ENAMETOOLONG);
}

static void stdio_files(void)
{
	FILE *f = fopen(C, "w");
	check("fopen_w", f != NULL, "errno %d", errno);
	if (!f)
		return;
	fprintf(f, "line %d\nline %d\n", 1, 2);
	check_eq("fclose", fclose(f), 0);
	f = fopen(C, "r");
	check("fopen_r", f != NULL, "errno %d", errno);
	if (!f)
		return;
	char line[32] = "";
	char *got = fgets(line, sizeof(line), f);
	check("fgets", got && strcmp(line, "line 1\n") == 0, "got '%s'", line);
	fseek(f, 0, SEEK_END);
	check_eq("ftell_end", ftell(f), 14);
	fclose(f);
	f = fopen(MISSING, "r");
	check("fopen_missing", f == NULL && errno == ENOENT, "errno %d", errno);
}

static void renames(void)
{
	check_ok("rename", rename(C, D));
	check_errno("rename_old_gone", size_of(C), ENOENT);
	check_eq("rename_new_there", size_of(D), 14);
	check_ok("rename_replace", rename(B, D));
	check_eq("rename_replaced", size_of(D), 0);
	check_errno("rename_missing", rename(MISSING, DIR_ "/x"), ENOENT);
	check_ok("mkdir_sub", mkdir(SUB, 0755));
	int fd = open(SUB "/e.txt", O_WRONLY | O_CREAT, 0644);
	check_ok("create_in_sub", fd);
	close(fd);
	check_ok("rename_dir", rename(SUB, SUB2));
	check_eq("rename_dir_moved_file", size_of(SUB2 "/e.txt"), 0);
	check_raw_errno("ob_rename_missing", ob_rename(MISSING, DIR_ "/y"), ENOENT);
}

/* Lists DIR_: expects exactly a.txt and d.txt (files) and sub2 (dir). */
static void list_once(const char *name, DIR *d)
{
	int a = 0, dd = 0, sub2 = 0, other = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, "a.txt") == 0 && e->d_type == DT_REG)
			a++;
		else if (strcmp(e->d_name, "d.txt") == 0 && e->d_type == DT_REG)
			dd++;
		else if (strcmp(e->d_name, "sub2") == 0 && e->d_type == DT_DIR)
			sub2++;
		else
			other++;
	}
	check(name, a == 1 && dd == 1 && sub2 == 1 && other == 0 && errno == 0,
	      "a.txt %d d.txt %d sub2 %d other %d errno %d", a, dd, sub2, other, errno);
}

static void listing(void)
{
	DIR *d = opendir(DIR_);
	check("opendir", d != NULL, "errno %d", errno);
	if (d) {
		list_once("readdir", d);
		rewinddir(d);
		list_once("readdir_after_rewind", d);
		check_ok("closedir", closedir(d));
	}
	d = opendir(MISSING);
	check("opendir_missing", d == NULL && errno == ENOENT, "errno %d", errno);
	d = opendir(A);
	check("opendir_file", d == NULL && errno == ENOTDIR, "errno %d", errno);

	int h = ob_opendir(SUB2);
	check("ob_opendir", h >= 0, "returned %d", h);
	char name[64] = "";
	int t = ob_readdir(h, name, sizeof(name));
	check("ob_readdir", t == OB_DT_FILE && strcmp(name, "e.txt") == 0, "type %d name '%s'", t,
	      name);
	check_eq("ob_readdir_end", ob_readdir(h, name, sizeof(name)), OB_DT_END);
	check_eq("ob_closedir", ob_closedir(h), 0);
	check_raw_errno("ob_readdir_closed", ob_readdir(h, name, sizeof(name)), EBADF);
	check_raw_errno("ob_opendir_file", ob_opendir(A), ENOTDIR);
}

static void space(void)
{
	struct statvfs sv = { 0 };
	int r = statvfs(".", &sv);
	check("statvfs", r == 0 && sv.f_bsize > 0 && sv.f_namemax > 0 && sv.f_bavail <= sv.f_bfree &&
				 sv.f_bfree <= sv.f_blocks,
	      "r %d bsize %lu namemax %lu", r, sv.f_bsize, sv.f_namemax);
	check_errno("statvfs_missing", statvfs(MISSING, &sv), ENOENT);
	struct ob_fs_space s = { 0 };
	r = ob_statvfs(DIR_, &s);
	check("ob_statvfs", r == 0 && s.block_size > 0 && s.free_blocks <= s.total_blocks,
	      "r %d", r);
}

static void removal(void)
{
	check_errno("rmdir_not_empty", rmdir(SUB2), ENOTEMPTY);
	check_errno("rmdir_file", rmdir(A), ENOTDIR);
	check_errno("unlink_missing", unlink(MISSING), ENOENT);
	check_raw_errno("ob_unlink_missing", ob_unlink(MISSING), ENOENT);
	check_raw_errno("ob_rmdir_missing", ob_rmdir(MISSING), ENOENT);
	check_ok("unlink_in_sub", unlink(SUB2 "/e.txt"));
	check_ok("rmdir_sub", rmdir(SUB2));
	check_ok("unlink_a", unlink(A));
	check_ok("unlink_d", unlink(D));
	check_ok("rmdir", rmdir(DIR_));
	check_errno("all_gone", size_of(DIR_), ENOENT);
}

int main(void)
{
	directories();
	create_and_write();
	read_and_seek();
	write_modes();
	truncate_and_sync();
	stats();
	stdio_files();
	renames();
	listing();
	space();
	removal();
	printf("files: %d checks, %d failed\n", check_count(), check_failures());
	return check_failures() ? 1 : 0;
}
