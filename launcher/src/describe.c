/*
 * Running `EXE --describe` with a deadline and parsing its one line.
 */
#define _GNU_SOURCE /* pipe2 */
#include "describe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

#define DESCRIBE_MAX OBL_DESCRIBE_MAX

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

/* Run path FLAG (--describe, --describe-options) and collect its stdout
 * (at most DESCRIBE_MAX bytes) within the timeout. 0, or a negated errno
 * with why filled. */
static int run_describe(const struct obl_os *os, const char *path, const char *flag, char *out,
			char *why, size_t whylen)
{
	int pipefd[2], devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		int e = errno;
		snprintf(why, whylen, "cannot make a pipe: %s", strerror(e));
		if (devnull >= 0)
			close(devnull);
		return -e;
	}
	/* exec does not write to argv; the casts only drop const */
	char *const argv[] = { (char *)(uintptr_t)path, (char *)(uintptr_t)flag, NULL };
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
	int64_t deadline = os->now_ms() + OBL_DESCRIBE_TIMEOUT_MS;
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
		snprintf(why, whylen, "did not answer %s within %d ms", flag,
			 OBL_DESCRIBE_TIMEOUT_MS);
		return -ETIMEDOUT;
	}
	if (status != 0) {
		char how[64];
		obl_describe_status(status, how, sizeof(how));
		snprintf(why, whylen, "%s %s", flag, how);
		return -EPROTO;
	}
	return 0;
}

/* "<name> <version> <domain>[,<domain>...]" on one line. */
static int parse_describe(const char *out, struct obl_backend_info *b, char *why,
			  size_t whylen)
{
	char extra[2];
	const char *nl = strchr(out, '\n');
	int fields = sscanf(out, "%63s %63s %63s %1s", b->name, b->version, b->domains, extra);
	if (!nl || nl[1] != '\0' || fields != 3 || obl_domain_mask(b->domains, &b->mask) < 0) {
		snprintf(why, whylen, "--describe printed '%.*s', not one line "
			 "'<name> <version> <domain>[,<domain>...]'",
			 (int)(nl ? nl - out : (ptrdiff_t)strlen(out)), out);
		return -EPROTO;
	}
	return 0;
}

int obl_describe(const struct obl_os *os, const char *path, struct obl_backend_info *info,
		 char *why, size_t whylen)
{
	char out[DESCRIBE_MAX];
	memset(info, 0, sizeof(*info));
	int rc = run_describe(os, path, "--describe", out, why, whylen);
	return rc < 0 ? rc : parse_describe(out, info, why, whylen);
}

int obl_describe_options(const struct obl_os *os, const char *path, char out[OBL_DESCRIBE_MAX],
			 char *why, size_t whylen)
{
	int rc = run_describe(os, path, "--describe-options", out, why, whylen);
	if (rc < 0)
		return rc;
	size_t len = strlen(out);
	if (len == DESCRIBE_MAX - 1 || (len && out[len - 1] != '\n')) {
		snprintf(why, whylen, "--describe-options printed more than %d bytes or no "
			 "final newline", DESCRIBE_MAX - 1);
		return -EPROTO;
	}
	return 0;
}

bool obl_option_listed(const char *answer, const char *key)
{
	size_t klen = strlen(key);
	for (const char *line = answer; *line;) {
		size_t n = strcspn(line, " \n");
		if (n == klen && strncmp(line, key, klen) == 0)
			return true;
		line += strcspn(line, "\n");
		line += *line == '\n';
	}
	return false;
}
