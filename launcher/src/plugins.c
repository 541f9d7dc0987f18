/*
 * `outboard plugins`: every executable outboard-* beside the launcher
 * (except outboard-cpu) is asked to --describe itself, and the answers are
 * printed as a table. Executables that cannot describe themselves are
 * reported on stderr, never skipped in silence.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "describe.h"
#include "os.h"
#include "outboard/log.h"
#include "plan.h"

#define CAT "launcher"

struct backend {
	char *path;
	struct obl_backend_info info;
};

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_paths(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* Executable regular file? */
static bool is_candidate(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The candidate executables in dir, sorted: 0 with *paths_out and *n_out
 * set (the caller frees them), or -ENOMEM / the errno of opendir. */
static int list_candidates(const char *dir, char ***paths_out, size_t *n_out)
{
	DIR *d = opendir(dir);
	if (!d)
		return -errno;
	char **paths = NULL;
	size_t n = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "outboard-", 9) != 0 || strcmp(e->d_name, "outboard-cpu") == 0)
			continue;
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		char *path = malloc(len);
		if (!path) {
			rc = -ENOMEM;
			break;
		}
		snprintf(path, len, "%s/%s", dir, e->d_name);
		if (!is_candidate(path)) {
			free(path);
			continue;
		}
		char **grown = realloc(paths, (n + 1) * sizeof(*paths));
		if (!grown) {
			free(path);
			rc = -ENOMEM;
			break;
		}
		paths = grown;
		paths[n++] = path;
	}
	closedir(d);
	if (rc < 0) {
		free_paths(paths, n);
		return rc;
	}
	if (n)
		qsort(paths, n, sizeof(*paths), by_path);
	*paths_out = paths;
	*n_out = n;
	return 0;
}

static void print_table(const struct backend *bs, size_t n)
{
	int wn = 7, wv = 7, wd = 7; /* the headers' widths */
	for (size_t i = 0; i < n; i++) {
		wn = (int)strlen(bs[i].info.name) > wn ? (int)strlen(bs[i].info.name) : wn;
		wv = (int)strlen(bs[i].info.version) > wv ? (int)strlen(bs[i].info.version) : wv;
		wd = (int)strlen(bs[i].info.domains) > wd ? (int)strlen(bs[i].info.domains) : wd;
	}
	printf("%-*s  %-*s  %-*s  %s\n", wn, "BACKEND", wv, "VERSION", wd, "DOMAINS", "PATH");
	for (size_t i = 0; i < n; i++)
		printf("%-*s  %-*s  %-*s  %s\n", wn, bs[i].info.name, wv, bs[i].info.version, wd,
		       bs[i].info.domains, bs[i].path);
}

int obl_cmd_plugins(int argc, char **argv)
{
	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
			printf("Usage: outboard plugins\n\nList the backends installed beside "
			       "the launcher (executables outboard-*),\nas each describes "
			       "itself with --describe.\n");
			return 0;
		}
		OB_ERROR(CAT, "plugins: unexpected argument '%s'", argv[1]);
		return OBL_EXIT_FAILURE;
	}
	char *dir = obl_self_dir();
	if (!dir) {
		OB_ERROR(CAT, "cannot find the launcher's own directory");
		return OBL_EXIT_FAILURE;
	}
	size_t n = 0, good = 0;
	char **paths = NULL;
	int rc = list_candidates(dir, &paths, &n);
	if (rc < 0) {
		OB_ERROR(CAT, "cannot list %s: %s", dir, strerror(-rc));
		free(dir);
		return OBL_EXIT_FAILURE;
	}
	struct backend *bs = calloc(n ? n : 1, sizeof(*bs));
	int status = bs ? 0 : OBL_EXIT_FAILURE;
	for (size_t i = 0; bs && i < n; i++) {
		char why[640];
		if (obl_describe(&obl_os_posix, paths[i], &bs[good].info, why, sizeof(why)) < 0) {
			fprintf(stderr, "outboard: %s: cannot describe itself: %s\n", paths[i], why);
			status = 1;
			continue;
		}
		bs[good++].path = paths[i];
	}
	if (bs)
		print_table(bs, good);
	free_paths(paths, n);
	free(bs);
	free(dir);
	return status;
}
