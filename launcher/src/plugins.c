/*
 * `outboard plugins`: every executable outboard-* in the places `--plugin
 * NAME` searches (the launcher's own directory, then each PATH entry; the
 * first of a name wins, as it would for a run) is asked to --describe
 * itself, and the answers are printed as a table. Executables that cannot
 * describe themselves are reported on stderr, never skipped in silence.
 *
 * Not candidates: outboard-cpu, outboard-keygen and outboard-rundir-watch
 * (programs, not backends), and outboard-test-* (the build's test-only
 * backends, which are never installed either).
 */
#define _DEFAULT_SOURCE /* realpath */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
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
#include "rundir_watch.h"

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

/* Executables named outboard-* that are not backends. */
static bool is_backend_name(const char *name)
{
	static const char *const programs[] = { "outboard-cpu", "outboard-keygen",
						OBL_RUNDIR_WATCHER };
	if (strncmp(name, "outboard-", 9) != 0 || !name[9] || strncmp(name, "outboard-test-", 14) == 0)
		return false;
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
		if (strcmp(name, programs[i]) == 0)
			return false;
	return true;
}

/* Is a path with base name `name` already in paths (found earlier)? */
static bool shadowed(char *const *paths, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(paths[i], '/');
		if (strcmp(base ? base + 1 : paths[i], name) == 0)
			return true;
	}
	return false;
}

/* Add dir's candidates to *paths (n entries, grown), those of each name
 * not found in an earlier directory, in name order. A directory that cannot
 * be read is skipped (PATH often names some that do not exist). 0 or
 * -ENOMEM. */
static int add_candidates(const char *dir, char ***paths, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t first = *n;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_backend_name(e->d_name) || shadowed(*paths, first, e->d_name))
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
		char **grown = realloc(*paths, (*n + 1) * sizeof(**paths));
		if (!grown) {
			free(path);
			rc = -ENOMEM;
			break;
		}
		*paths = grown;
		(*paths)[(*n)++] = path;
	}
	closedir(d);
	if (*n > first + 1)
		qsort(*paths + first, *n - first, sizeof(**paths), by_path);
	return rc;
}

/* Is dir the same directory as one searched before (seen, n entries)? */
static bool seen_dir(const char *dir, char *const *seen, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(seen[i], dir) == 0)
			return true;
	return false;
}

/* The candidates of self_dir (may be NULL), then of each PATH entry (an
 * empty one is the current directory, as for a run): 0 with *paths_out
 * and *n_out set (the caller frees them), or -ENOMEM. */
static int list_candidates(const char *self_dir, char ***paths_out, size_t *n_out)
{
	char **paths = NULL, **dirs = NULL;
	size_t n = 0, n_dirs = 0;
	int rc = 0;
	const char *path = getenv("PATH");
	const char *next = self_dir;
	size_t next_len = self_dir ? strlen(self_dir) : 0;
	for (;;) {
		if (next) {
			char *dir = next_len ? strndup(next, next_len) : strdup(".");
			char real[PATH_MAX];
			char **grown = dir ? realloc(dirs, (n_dirs + 1) * sizeof(*dirs)) : NULL;
			if (!grown) {
				free(dir);
				rc = -ENOMEM;
				break;
			}
			dirs = grown;
			/* The same directory twice (the launcher's own in PATH) once. */
			if (realpath(dir, real) && !seen_dir(real, dirs, n_dirs)) {
				dirs[n_dirs] = strdup(real);
				if (!dirs[n_dirs] || add_candidates(dir, &paths, &n) < 0) {
					free(dirs[n_dirs]);
					free(dir);
					rc = -ENOMEM;
					break;
				}
				n_dirs++;
			}
			free(dir);
		}
		if (!path || !*path)
			break;
		next = path;
		next_len = strcspn(path, ":");
		path += next_len + (path[next_len] == ':');
	}
	free_paths(dirs, n_dirs);
	if (rc < 0) {
		free_paths(paths, n);
		return rc;
	}
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
			printf("Usage: outboard plugins\n\nList the backends a run can use: the "
			       "executables outboard-* beside the\nlauncher, then in each PATH "
			       "directory (the first of a name wins, as for\n--plugin NAME), "
			       "as each describes itself with --describe.\n");
			return 0;
		}
		OB_ERROR(CAT, "plugins: unexpected argument '%s'", argv[1]);
		return OBL_EXIT_FAILURE;
	}
	/* Without its own directory the launcher still searches PATH. */
	char *dir = obl_self_dir();
	size_t n = 0, good = 0;
	char **paths = NULL;
	if (list_candidates(dir, &paths, &n) < 0) {
		OB_ERROR(CAT, "out of memory");
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
