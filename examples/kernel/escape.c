/*
 * escape: tries to get out of the fs plugin's root from inside the guest.
 * Run with `--fs ROOT`; the test puts a secret file beside ROOT (in its
 * parent) and, in ROOT, symlinks pointing out of it, a FIFO, a device
 * node and inside.txt. Each attempt prints one line:
 *
 *   <what>: <ERRNO>             the call failed
 *   <what>: read "<text>"       it opened a file: its first line
 *   <what>: ok                  it created or listed something
 *
 * The test checks every line; whatever a line says, the outside file's
 * content must never appear. Exits with 0 once every attempt has run.
 */
#include <outboard.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "kcheck.h"

#define LONG_PATH 5000

static void try_open(const char *what, const char *path)
{
	int fd = ob_open(path, O_RDONLY, 0);
	if (fd < 0) {
		printf("%s: %s\n", what, errname(fd));
		return;
	}
	char buf[64];
	int n = ob_read(fd, buf, sizeof(buf) - 1);
	ob_close(fd);
	if (n < 0) {
		printf("%s: opened, read %s\n", what, errname(n));
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("%s: read \"%s\"\n", what, buf);
}

static void try_stat(const char *what, const char *path)
{
	struct ob_file_stat st;
	int r = ob_stat(path, &st);
	if (r < 0)
		printf("%s: %s\n", what, errname(r));
	else
		printf("%s: ok, size %lu\n", what, (unsigned long)st.size);
}

static void try_create(const char *what, const char *path)
{
	int fd = ob_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		printf("%s: %s\n", what, errname(fd));
		return;
	}
	int n = ob_write(fd, "escape\n", 7);
	ob_close(fd);
	printf("%s: ok, wrote %d\n", what, n);
}

/* Which of inside.txt and outside.txt a listing of path shows. */
static void try_list(const char *what, const char *path)
{
	int d = ob_opendir(path);
	if (d < 0) {
		printf("%s: %s\n", what, errname(d));
		return;
	}
	char name[256];
	int inside = 0, outside = 0, r;
	while ((r = ob_readdir(d, name, sizeof(name))) > 0) {
		inside |= strcmp(name, "inside.txt") == 0;
		outside |= strcmp(name, "outside.txt") == 0;
	}
	ob_closedir(d);
	printf("%s: ok, inside.txt %s, outside.txt %s%s%s\n", what, inside ? "listed" : "absent",
	       outside ? "listed" : "absent", r < 0 ? ", readdir " : "", r < 0 ? errname(r) : "");
}

int main(void)
{
	try_open("open ../outside.txt", "../outside.txt");
	try_open("open ../../../../outside.txt", "../../../../outside.txt");
	try_open("open /etc/passwd", "/etc/passwd");
	try_open("open abs_link", "abs_link");
	try_open("open rel_link", "rel_link");
	try_open("open dir_link/outside.txt", "dir_link/outside.txt");
	try_stat("stat abs_link", "abs_link");
	try_stat("stat ../outside.txt", "../outside.txt");

	static char long_path[LONG_PATH + 1];
	for (int i = 0; i < LONG_PATH; i++)
		long_path[i] = i % 64 == 63 ? '/' : 'a';
	long_path[LONG_PATH] = '\0';
	try_open("open long path", long_path);

	try_open("open fifo", "fifo");
	try_open("open device", "device");

	try_open("open /inside.txt", "/inside.txt");
	try_open("open ../inside.txt", "../inside.txt");
	try_create("create ../created.txt", "../created.txt");
	try_create("create abs_link", "abs_link");
	try_list("list ..", "..");
	printf("escape: done\n");
	return 0;
}
