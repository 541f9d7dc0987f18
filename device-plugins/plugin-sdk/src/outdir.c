/*
 * Output files of a backend (plugin.h): the restart count the launcher
 * passes, and output directories made on first use.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outboard/plugin.h"

unsigned ob_plugin_restart_count(void)
{
	const char *v = getenv("OUTBOARD_PLUGIN_RESTART");
	char *end;
	unsigned long n;

	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	return errno || *end || n > UINT_MAX ? 0 : (unsigned)n;
}

/* Cut the last component off buf (in place). False at the root or when
 * nothing is left ("name" alone: the current directory follows). */
static bool parent(char *buf)
{
	size_t len = strlen(buf);

	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash) {
		strcpy(buf, ".");
		return true;
	}
	if (slash == buf) {
		if (buf[1] == '\0')
			return false;
		buf[1] = '\0';
		return true;
	}
	*slash = '\0';
	return true;
}

int ob_out_dir_check(const char *dir)
{
	char buf[PATH_MAX];
	struct stat st;

	if (!dir || !*dir)
		return -EINVAL;
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (;;) {
		if (stat(buf, &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				return -ENOTDIR;
			return access(buf, W_OK | X_OK) == 0 ? 0 : -errno;
		}
		if (errno != ENOENT)
			return -errno;
		if (strcmp(buf, ".") == 0 || !parent(buf))
			return -ENOENT;
	}
}

int ob_out_dir_make(const char *dir)
{
	char buf[PATH_MAX];
	struct stat st;

	if (!dir || !*dir)
		return -EINVAL;
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, 0777) < 0 && errno != EEXIST)
			return -errno;
		*p = c;
		if (!c)
			break;
	}
	if (stat(buf, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}
