/*
 * Finding executables: backends and the CPU host live beside the launcher
 * or in PATH (plan.h).
 */
#include "plan.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static char *join_path(const char *dir, size_t dir_len, const char *name)
{
	size_t len = dir_len + 1 + strlen(name) + 1;
	char *p = malloc(len);
	if (p)
		snprintf(p, len, "%.*s/%s", (int)dir_len, dir, name);
	return p;
}

int obl_check_executable(const char *path)
{
	if (is_executable(path))
		return 0;
	return access(path, F_OK) == 0 ? -EACCES : -ENOENT;
}

int obl_find_executable(const char *dir, const char *name, char **out)
{
	char *p;
	if (dir) {
		if (!(p = join_path(dir, strlen(dir), name)))
			return -ENOMEM;
		if (is_executable(p)) {
			*out = p;
			return 0;
		}
		free(p);
	}
	const char *path = getenv("PATH");
	while (path && *path) {
		size_t len = strcspn(path, ":");
		/* An empty PATH entry means the current directory. */
		if (!(p = len ? join_path(path, len, name) : join_path(".", 1, name)))
			return -ENOMEM;
		if (is_executable(p)) {
			*out = p;
			return 0;
		}
		free(p);
		path += len + (path[len] == ':');
	}
	return -ENOENT;
}

char *obl_self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (len <= 0)
		return NULL;
	buf[len] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return strdup(slash == buf ? "/" : buf);
}

const char *obl_exe_label(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strncmp(base, "outboard-", 9) == 0 && base[9])
		base += 9;
	return base;
}
