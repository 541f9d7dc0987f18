/* Host-side temporary trees for fs tests (see fs_tmp.h). */
#define _GNU_SOURCE
#include "fs_tmp.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

char *tt_mkdtemp(const char *tag)
{
	const char *base = getenv("TMPDIR");
	char *path;

	if (!base || !base[0])
		base = "/tmp";
	assert_true(asprintf(&path, "%s/ob-%s-XXXXXX", base, tag) > 0);
	assert_non_null(mkdtemp(path));
	return path;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) == 0 ? 0 : -1;
	return unlink(path) == 0 ? 0 : -1;
}

void tt_rm_rf(const char *path)
{
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return;
	assert_int_equal(nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

char *tt_join(char *buf, size_t size, const char *dir, const char *rel)
{
	int n = snprintf(buf, size, "%s/%s", dir, rel);

	assert_true(n > 0 && (size_t)n < size);
	return buf;
}

void tt_write(const char *dir, const char *rel, const char *content)
{
	char path[4096];
	size_t len = strlen(content);
	int fd = open(tt_join(path, sizeof(path), dir, rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

void tt_mkdir(const char *dir, const char *rel)
{
	char path[4096];

	assert_int_equal(mkdir(tt_join(path, sizeof(path), dir, rel), 0755), 0);
}

int tt_exists(const char *dir, const char *rel)
{
	char path[4096];
	struct stat st;

	return lstat(tt_join(path, sizeof(path), dir, rel), &st) == 0;
}
