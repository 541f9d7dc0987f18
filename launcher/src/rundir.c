/*
 * The private runtime directory that holds a run's ipc:// endpoints.
 */
#include "rundir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outboard/log.h"

/* Longest directory that still leaves room for "/display.sock" in a
 * sockaddr_un path (108 bytes with its NUL). */
#define RUNDIR_MAX 80

static char *try_base(const char *base)
{
	if (!base || base[0] != '/' || strlen(base) + sizeof("/outboard-XXXXXX") > RUNDIR_MAX)
		return NULL;
	struct stat st;
	if (stat(base, &st) < 0 || !S_ISDIR(st.st_mode) || access(base, W_OK | X_OK) < 0)
		return NULL;
	size_t len = strlen(base) + sizeof("/outboard-XXXXXX");
	char *tmpl = malloc(len);
	if (!tmpl)
		return NULL;
	snprintf(tmpl, len, "%s/outboard-XXXXXX", base);
	/* mkdtemp creates the directory with mode 0700. */
	if (!mkdtemp(tmpl)) {
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

char *obl_rundir_create(void)
{
	char *dir = try_base(getenv("XDG_RUNTIME_DIR"));
	if (!dir)
		dir = try_base("/tmp");
	if (dir)
		OB_DEBUG("launcher", "runtime directory %s", dir);
	return dir;
}

void obl_rundir_remove(char *dir)
{
	if (!dir)
		return;
	/* Only sockets live here, one level deep. */
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			if (unlinkat(dirfd(d), e->d_name, 0) < 0)
				OB_WARN("launcher", "cannot remove %s/%s: %s", dir, e->d_name,
					strerror(errno));
		}
		closedir(d);
	}
	if (rmdir(dir) < 0 && errno != ENOENT)
		OB_WARN("launcher", "cannot remove %s: %s", dir, strerror(errno));
	free(dir);
}
