/*
 * mounts: runs file commands given as arguments, one after the other, and
 * prints one line per command with its result, so a test can drive the fs
 * namespace (read-only mounts, rename across mounts, "..", /tmp) and read
 * what the guest saw:
 *
 *   write PATH TEXT   create or truncate PATH and write TEXT: "write PATH: ok"
 *   append PATH TEXT  the same, appending
 *   read PATH         "read PATH: TEXT" (the whole file)
 *   rename OLD NEW    "rename OLD NEW: ok"
 *   remove PATH       remove() a file (or an empty directory)
 *   tmp               tmpnam(), write, read back and remove that file:
 *                     "tmp NAME: ok"
 *   wait PATH         until PATH can be opened for reading: "wait PATH: ok"
 *   hold PATH         open PATH for reading and keep it open: "hold PATH: ok"
 *   next N            read N bytes from the held file: "next N: TEXT" (or
 *                     the errno's name)
 *   mkdir PATH        (SDK build only)
 *   ls DIR            (SDK build only) the sorted names, "ls DIR: a b c"
 *
 * A failure prints the errno's name instead of "ok": "write /rom/x: EROFS".
 * The exit status is 0 when every command ran (whatever its result).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef MOUNTS_SDK
#include <dirent.h>
#include <outboard.h>
#include <sys/stat.h>
#endif

static const char *err_name(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case EROFS: return "EROFS";
	case EXDEV: return "EXDEV";
	case EACCES: return "EACCES";
	case EISDIR: return "EISDIR";
	case ENOTDIR: return "ENOTDIR";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENOTEMPTY: return "ENOTEMPTY";
	case EINVAL: return "EINVAL";
	case EIO: return "EIO";
	case ENODEV: return "ENODEV";
	case ENOSYS: return "ENOSYS";
	case EBADF: return "EBADF";
	default: return "E?";
	}
}

static char text[4096];
static FILE *held;

static int put(const char *path, const char *mode, const char *s)
{
	FILE *f = fopen(path, mode);
	if (!f)
		return errno;
	int rc = fputs(s, f) < 0 ? errno : 0;
	if (fclose(f) != 0 && !rc)
		rc = errno;
	return rc;
}

static int get(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return errno;
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	int rc = ferror(f) ? errno : 0;
	fclose(f);
	return rc;
}

static void result(const char *what, const char *arg, int e)
{
	printf("%s %s: %s\n", what, arg, e ? err_name(e) : "ok");
}

static void tmp_file(void)
{
	char name[L_tmpnam];
	if (!tmpnam(name)) {
		printf("tmp: tmpnam failed\n");
		return;
	}
	int e = put(name, "w", "scratch\n");
	if (!e)
		e = get(name);
	if (!e && strcmp(text, "scratch\n") != 0)
		e = EIO;
	if (!e && remove(name) != 0)
		e = errno;
	result("tmp", name, e);
}

static void wait_for(const char *path)
{
	FILE *f;
	while (!(f = fopen(path, "r"))) {
#ifdef MOUNTS_SDK
		ob_thread_sleep(20);
#endif
	}
	fclose(f);
	result("wait", path, 0);
}

#ifdef MOUNTS_SDK
static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path)
{
	static char names[64][256];
	char *sorted[64];
	int n = 0;
	DIR *d = opendir(path);
	if (!d) {
		result("ls", path, errno);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) && n < 64) {
		snprintf(names[n], sizeof(names[n]), "%s", e->d_name);
		sorted[n] = names[n];
		n++;
	}
	closedir(d);
	qsort(sorted, (size_t)n, sizeof(sorted[0]), by_name);
	printf("ls %s:", path);
	for (int i = 0; i < n; i++)
		printf(" %s", sorted[i]);
	printf("\n");
}
#endif

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *cmd = argv[i];
		const char *a = i + 1 < argc ? argv[i + 1] : "";
		const char *b = i + 2 < argc ? argv[i + 2] : "";
		if (strcmp(cmd, "write") == 0 || strcmp(cmd, "append") == 0) {
			result(cmd, a, put(a, cmd[0] == 'w' ? "w" : "a", b));
			i += 2;
		} else if (strcmp(cmd, "read") == 0) {
			int e = get(a);
			if (e)
				result(cmd, a, e);
			else
				printf("read %s: %s\n", a, text);
			i += 1;
		} else if (strcmp(cmd, "rename") == 0) {
			int e = rename(a, b) == 0 ? 0 : errno;
			printf("rename %s %s: %s\n", a, b, e ? err_name(e) : "ok");
			i += 2;
		} else if (strcmp(cmd, "remove") == 0) {
			result(cmd, a, remove(a) == 0 ? 0 : errno);
			i += 1;
		} else if (strcmp(cmd, "tmp") == 0) {
			tmp_file();
		} else if (strcmp(cmd, "hold") == 0) {
			/* unbuffered: each next is one read at the file's offset */
			held = fopen(a, "r");
			if (held)
				setvbuf(held, NULL, _IONBF, 0);
			result(cmd, a, held ? 0 : errno);
			i += 1;
		} else if (strcmp(cmd, "next") == 0) {
			size_t want = (size_t)atoi(a), got;
			if (want >= sizeof(text))
				want = sizeof(text) - 1;
			got = held ? fread(text, 1, want, held) : 0;
			text[got] = '\0';
			if (!held || (!got && ferror(held)))
				result(cmd, a, held ? errno : EBADF);
			else
				printf("next %s: %s\n", a, text);
			i += 1;
		} else if (strcmp(cmd, "wait") == 0) {
			wait_for(a);
			i += 1;
#ifdef MOUNTS_SDK
		} else if (strcmp(cmd, "mkdir") == 0) {
			result(cmd, a, mkdir(a, 0755) == 0 ? 0 : errno);
			i += 1;
		} else if (strcmp(cmd, "ls") == 0) {
			list(a);
			i += 1;
#endif
		} else {
			printf("unknown command %s\n", cmd);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}
