/*
 * `outboard plugins`: every executable outboard-* beside the launcher
 * (except outboard-cpu) is asked to --describe itself, and the answers are
 * printed as a table. Executables that cannot describe themselves are
 * reported on stderr, never skipped in silence.
 */
#define _GNU_SOURCE /* pipe2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "os.h"
#include "outboard/log.h"
#include "plan.h"

#define CAT "launcher"
#define DESCRIBE_TIMEOUT_MS 2000
#define DESCRIBE_MAX 512

struct backend {
	char *path;
	char name[64], version[64], domains[64];
};

/* Read fd into out (NUL-terminated, at most DESCRIBE_MAX - 1 bytes) until
 * end of file or deadline; true at end of file (or when out is full). */
static bool read_until(const struct obl_os *os, int fd, char *out, int64_t deadline)
{
	size_t len = 0;
	bool eof = false;
	while (!eof && os->now_ms() < deadline) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (os->poll(&pfd, 1, (int)(deadline - os->now_ms())) <= 0 || !pfd.revents)
			continue;
		ssize_t n = read(fd, out + len, DESCRIBE_MAX - 1 - len);
		if (n > 0)
			len += (size_t)n;
		eof = n == 0 || (n < 0 && errno != EINTR) || len == DESCRIBE_MAX - 1;
	}
	out[len] = '\0';
	return eof;
}

/* Run path --describe and collect its stdout (at most DESCRIBE_MAX bytes)
 * within the timeout. 0, or a negated errno with why filled. */
static int run_describe(const struct obl_os *os, char *path, char *out, char *why,
			size_t whylen)
{
	int pipefd[2], devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		int e = errno;
		snprintf(why, whylen, "cannot make a pipe: %s", strerror(e));
		if (devnull >= 0)
			close(devnull);
		return -e;
	}
	char describe[] = "--describe";
	char *const argv[] = { path, describe, NULL };
	struct obl_spawn sp = {
		.path = path, .argv = argv, .stdin_fd = devnull, .stdout_fd = pipefd[1],
		.stderr_fd = devnull, .new_group = true,
	};
	pid_t pid;
	int rc = os->spawn(&sp, &pid);
	close(pipefd[1]);
	close(devnull);
	if (rc < 0) {
		snprintf(why, whylen, "cannot run it: %s", strerror(-rc));
		close(pipefd[0]);
		return rc;
	}
	int64_t deadline = os->now_ms() + DESCRIBE_TIMEOUT_MS;
	bool eof = read_until(os, pipefd[0], out, deadline);
	close(pipefd[0]);
	/* It may close stdout and linger: the deadline bounds the exit too. */
	int status = 0;
	bool reaped = false;
	while (eof && !reaped && os->now_ms() < deadline) {
		reaped = os->wait(pid, &status, false) == pid;
		if (!reaped)
			os->poll(NULL, 0, 10);
	}
	if (!reaped) {
		os->kill(-pid, SIGKILL);
		os->wait(pid, &status, true);
		snprintf(why, whylen, "did not answer --describe within %d ms",
			 DESCRIBE_TIMEOUT_MS);
		return -ETIMEDOUT;
	}
	if (status != 0) {
		char how[64];
		obl_describe_status(status, how, sizeof(how));
		snprintf(why, whylen, "--describe %s", how);
		return -EPROTO;
	}
	return 0;
}

static bool valid_domains(char *list)
{
	char copy[64];
	snprintf(copy, sizeof(copy), "%s", list);
	char *save = NULL;
	int n = 0;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save), n++)
		if (obl_domain_from_name(t) < 0)
			return false;
	return n > 0;
}

/* "<name> <version> <domain>[,<domain>...]" on one line. */
static int parse_describe(const char *out, struct backend *b, char *why, size_t whylen)
{
	char extra[2];
	const char *nl = strchr(out, '\n');
	int fields = sscanf(out, "%63s %63s %63s %1s", b->name, b->version, b->domains, extra);
	if (!nl || nl[1] != '\0' || fields != 3 || !valid_domains(b->domains)) {
		snprintf(why, whylen, "--describe printed '%.*s', not one line "
			 "'<name> <version> <domain>[,<domain>...]'",
			 (int)(nl ? nl - out : (ptrdiff_t)strlen(out)), out);
		return -EPROTO;
	}
	return 0;
}

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
		wn = (int)strlen(bs[i].name) > wn ? (int)strlen(bs[i].name) : wn;
		wv = (int)strlen(bs[i].version) > wv ? (int)strlen(bs[i].version) : wv;
		wd = (int)strlen(bs[i].domains) > wd ? (int)strlen(bs[i].domains) : wd;
	}
	printf("%-*s  %-*s  %-*s  %s\n", wn, "BACKEND", wv, "VERSION", wd, "DOMAINS", "PATH");
	for (size_t i = 0; i < n; i++)
		printf("%-*s  %-*s  %-*s  %s\n", wn, bs[i].name, wv, bs[i].version, wd,
		       bs[i].domains, bs[i].path);
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
		char out[DESCRIBE_MAX], why[640];
		if (run_describe(&obl_os_posix, paths[i], out, why, sizeof(why)) < 0 ||
		    parse_describe(out, &bs[good], why, sizeof(why)) < 0) {
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
