/*
 * The scratch directory of fuzz_plugins (scratch.h). Everything here works
 * relative to directory fds and never follows a symlink, so cleaning up
 * after the fuzzer cannot itself wander out of T, whatever the fuzzer left.
 */
#define _GNU_SOURCE /* O_PATH, fdopendir, the *at calls */
#include "scratch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char canary_text[] = "fs-hostdir must never let a guest reach this file\n";
#define CANARY_MODE 0644
/* The contents of the planted file root/hello.txt (planted[] below). */
static const char hello_text[] = "hello from the fuzzer's root\n";

/* The entries of T: anything else there is an escape. */
static const char *const top_entries[] = { "root", "outside", "display", "sound",
					   "input.script" };
#define N_TOP (sizeof(top_entries) / sizeof(top_entries[0]))

static const char script_text[] =
	"# fuzz_plugins: some events due at once, some never during a run\n"
	"+0ms key down LEFT\n"
	"+0ms key up LEFT\n"
	"+0ms pointer down 10 -20\n"
	"+0ms pointer move 2147483647 -2147483647\n"
	"+0ms pointer up 0 0\n"
	"+3600s key down F12\n"
	"+0ms quit\n";

static char base[PATH_MAX];
static char paths[OBZ_PLACE_COUNT][PATH_MAX];
static int base_fd = -1;

void obz_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_plugins: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void write_file_at(int dirfd, const char *name, const char *text, mode_t mode)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	size_t len = strlen(text);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len || fchmod(fd, mode) < 0)
		obz_die("cannot write %s/%s: %s", base, name, strerror(errno));
	close(fd);
}

static int open_dir_at(int dirfd, const char *name)
{
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* What the root holds before every input. */
enum planted_kind { PLANTED_LINK, PLANTED_DIR, PLANTED_FILE };

static struct planted {
	const char *name;
	enum planted_kind kind;
	const char *text; /* link target or file contents */
} planted[] = {
	{ "up", PLANTED_LINK, ".." },
	{ "out", PLANTED_LINK, "../outside" },
	{ "abs", PLANTED_LINK, NULL }, /* T/outside, set at init */
	{ "sub", PLANTED_DIR, NULL },
	{ "hello.txt", PLANTED_FILE, hello_text },
};
#define N_PLANTED (sizeof(planted) / sizeof(planted[0]))

static bool dir_is_empty_at(int dirfd, const char *name)
{
	int fd = open_dir_at(dirfd, name);
	struct dirent *e;
	bool empty = true;
	DIR *d;

	if (fd < 0)
		return false;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return false;
	}
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

static bool file_has_at(int dirfd, const char *name, const char *text)
{
	char buf[256];
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

/* Whether entry `name` of the root (st from lstat) is a planted one, as
 * planted: then it stays and is not made again, which spares the
 * filesystem most of the churn. */
static bool planted_intact(int dirfd, const char *name, const struct stat *st)
{
	char target[PATH_MAX];
	ssize_t n;

	for (size_t i = 0; i < N_PLANTED; i++) {
		const struct planted *pl = &planted[i];

		if (strcmp(name, pl->name))
			continue;
		switch (pl->kind) {
		case PLANTED_LINK:
			n = readlinkat(dirfd, name, target, sizeof(target));
			return S_ISLNK(st->st_mode) && n == (ssize_t)strlen(pl->text) &&
			       memcmp(target, pl->text, (size_t)n) == 0;
		case PLANTED_DIR:
			return S_ISDIR(st->st_mode) && (st->st_mode & 07777) == 0755 &&
			       dir_is_empty_at(dirfd, name);
		case PLANTED_FILE:
			return S_ISREG(st->st_mode) && (st->st_mode & 07777) == 0644 &&
			       file_has_at(dirfd, name, pl->text);
		}
	}
	return false;
}

typedef bool keep_fn(int dirfd, const char *name, const struct stat *st);

/*
 * Remove everything inside directory `name` of dirfd but what keep (may be
 * NULL) keeps, keeping the directory. Directories are made searchable
 * first (a guest may mkdir with mode 0), and a directory is listed again
 * until a pass removes nothing, since removing entries while reading a
 * directory may make readdir skip some. 0 or -errno.
 */
static int empty_dir_at(int dirfd, const char *name, keep_fn *keep)
{
	int fd = open_dir_at(dirfd, name), err = 0;
	bool removed = true;
	DIR *d;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		err = -errno;
		close(fd);
		return err;
	}
	while (removed && !err) {
		struct dirent *e;

		removed = false;
		rewinddir(d);
		while (!err && (e = readdir(d))) {
			struct stat st;

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				err = -errno;
				break;
			}
			if (keep && keep(fd, e->d_name, &st))
				continue;
			if (S_ISDIR(st.st_mode)) {
				if (fchmodat(fd, e->d_name, 0700, 0) < 0)
					err = -errno;
				else
					err = empty_dir_at(fd, e->d_name, NULL);
				if (!err && unlinkat(fd, e->d_name, AT_REMOVEDIR) < 0)
					err = -errno;
			} else if (unlinkat(fd, e->d_name, 0) < 0) {
				err = -errno;
			}
			removed = true;
		}
	}
	closedir(d);
	return err;
}

/* Make the planted entries the root lacks. */
static void plant_root(void)
{
	int fd = open_dir_at(base_fd, "root"), rc = 0;

	if (fd < 0)
		obz_die("cannot open %s/root: %s", base, strerror(errno));
	for (size_t i = 0; i < N_PLANTED && rc == 0; i++) {
		const struct planted *pl = &planted[i];

		if (faccessat(fd, pl->name, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		switch (pl->kind) {
		case PLANTED_LINK:
			rc = symlinkat(pl->text, fd, pl->name);
			break;
		case PLANTED_DIR:
			rc = mkdirat(fd, pl->name, 0755);
			if (rc == 0)
				rc = fchmodat(fd, pl->name, 0755, 0); /* past the umask */
			break;
		case PLANTED_FILE:
			write_file_at(fd, pl->name, pl->text, 0644);
			break;
		}
	}
	if (rc < 0)
		obz_die("cannot plant %s/root: %s", base, strerror(errno));
	close(fd);
}

static void remove_scratch(void)
{
	if (base_fd < 0)
		return;
	close(base_fd);
	base_fd = -1;
	/* The parent is not ours: only T itself goes, by path, after its
	 * contents went relative to it. */
	if (empty_dir_at(AT_FDCWD, base, NULL) == 0)
		rmdir(base);
}

/* T's directories and files, as the top of scratch.h shows them. */
static void make_scratch(void)
{
	static const char *const dirs[] = { "root", "outside", "display", "sound" };
	static char abs_outside[PATH_MAX + 16];
	int out;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mkdirat(base_fd, dirs[i], 0755) < 0)
			obz_die("mkdir %s/%s: %s", base, dirs[i], strerror(errno));
	out = open_dir_at(base_fd, "outside");
	if (out < 0)
		obz_die("cannot open %s/outside: %s", base, strerror(errno));
	write_file_at(out, "canary", canary_text, CANARY_MODE);
	close(out);
	write_file_at(base_fd, "input.script", script_text, 0644);
	snprintf(abs_outside, sizeof(abs_outside), "%s/outside", base);
	for (size_t i = 0; i < N_PLANTED; i++)
		if (!strcmp(planted[i].name, "abs"))
			planted[i].text = abs_outside;
	plant_root();
}

void obz_scratch_init(void)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !tmp[0])
		tmp = "/tmp";
	snprintf(base, sizeof(base), "%s/ob-fuzz-plugins-XXXXXX", tmp);
	if (!mkdtemp(base))
		obz_die("mkdtemp %s: %s", base, strerror(errno));
	base_fd = open_dir_at(AT_FDCWD, base);
	if (base_fd < 0)
		obz_die("cannot open %s: %s", base, strerror(errno));
	atexit(remove_scratch);
	make_scratch();
	snprintf(paths[OBZ_PLACE_ROOT], PATH_MAX, "%s/root", base);
	snprintf(paths[OBZ_PLACE_DISPLAY], PATH_MAX, "%s/display", base);
	snprintf(paths[OBZ_PLACE_WAV], PATH_MAX, "%s/sound/sound.wav", base);
	snprintf(paths[OBZ_PLACE_SCRIPT], PATH_MAX, "%s/input.script", base);
}

const char *obz_scratch_path(enum obz_place place)
{
	return paths[place];
}

void obz_scratch_reset(void)
{
	static const char *const emptied[] = { "root", "display", "sound" };
	int err;

	for (size_t i = 0; i < sizeof(emptied) / sizeof(emptied[0]); i++) {
		err = empty_dir_at(base_fd, emptied[i], i == 0 ? planted_intact : NULL);
		if (err)
			obz_die("cannot empty %s/%s: %s", base, emptied[i], strerror(-err));
	}
	plant_root();
}

/* Every entry of directory `name` of dirfd is in `allowed`. */
static void check_entries(int dirfd, const char *name, const char *const *allowed, size_t n)
{
	int fd = open_dir_at(dirfd, name);
	struct dirent *e;
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd)))
		obz_die("fs-hostdir escaped its root: %s/%s is gone (%s)", base, name,
		    strerror(errno));
	while ((e = readdir(d))) {
		bool ok = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");

		for (size_t i = 0; i < n && !ok; i++)
			ok = !strcmp(e->d_name, allowed[i]);
		if (!ok)
			obz_die("fs-hostdir escaped its root: %s/%s/%s appeared", base, name,
			    e->d_name);
	}
	closedir(d);
}

void obz_scratch_check_escape(void)
{
	static const char *const outside[] = { "canary" };
	char buf[sizeof(canary_text) + 16];
	struct stat st;
	ssize_t n;
	int fd;

	check_entries(base_fd, ".", top_entries, N_TOP);
	check_entries(base_fd, "outside", outside, 1);
	fd = openat(base_fd, "outside/canary", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		obz_die("fs-hostdir escaped its root: the canary is gone (%s)", strerror(errno));
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (!S_ISREG(st.st_mode) || (st.st_mode & 07777) != CANARY_MODE ||
	    n != (ssize_t)strlen(canary_text) || memcmp(buf, canary_text, (size_t)n) != 0)
		obz_die("fs-hostdir escaped its root: the canary %s/outside/canary changed", base);
}
