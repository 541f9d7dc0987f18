/*
 * The private runtime directory that holds a run's ipc:// endpoints.
 */
#include "rundir.h"

#define _GNU_SOURCE /* close_range */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

/*
 * A launcher killed with SIGKILL cannot remove its directory, and its
 * children die with it (PR_SET_PDEATHSIG SIGKILL), so none of them can
 * either. A watcher does: a process of its own (a grandchild, so not one
 * of the children the launcher supervises; in a session of its own, so a
 * terminal's ^C does not reach it) that waits for the end of a pipe only
 * the launcher holds. At the launcher's exit, whatever the cause, it
 * removes what is left of the directory and exits.
 */
static int watcher_fd = -1; /* the launcher's end: closed at remove */

/* In the watcher, after fork: async-signal-safe calls only (the parent
 * may have had threads). Never returns. */
__attribute__((noreturn))
static void watch(const char *dir, int fd)
{
	static const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP };
	struct sigaction ign = { .sa_handler = SIG_IGN };
	char buf[4096];
	ssize_t n;

	setsid();
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		sigaction(ignored[i], &ign, NULL);
	/* Hold nothing of the launcher's: a pipe reading its output would
	 * otherwise wait for us. */
	if (dup2(fd, 3) < 0)
		_exit(1);
	int null = open("/dev/null", O_RDWR);
	for (int i = 0; i < 3 && null >= 0; i++)
		dup2(null, i);
	close_range(4, ~0U, 0);
	while ((n = read(3, buf, sizeof(buf))) != 0)
		if (n < 0 && errno != EINTR)
			break;
	int d = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (d < 0)
		_exit(0); /* removed by the launcher: the usual end */
	while ((n = syscall(SYS_getdents64, d, buf, sizeof(buf))) > 0) {
		for (ssize_t at = 0; at < n;) {
			/* struct linux_dirent64: ino, off, reclen, type, name */
			unsigned short reclen;
			const char *name = buf + at + 19;
			memcpy(&reclen, buf + at + 16, sizeof(reclen));
			if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
				unlinkat(d, name, 0);
			at += reclen;
		}
	}
	close(d);
	rmdir(dir);
	_exit(0);
}

/* Without a watcher, a SIGKILL of the launcher leaves the directory
 * behind: a warning, not a failure. */
void obl_rundir_watch(const char *dir)
{
	if (!dir || watcher_fd >= 0)
		return;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		OB_WARN("launcher", "no watcher for %s: %s", dir, strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		if (fork() == 0)
			watch(dir, p[0]);
		_exit(0);
	}
	close(p[0]);
	if (pid < 0) {
		OB_WARN("launcher", "no watcher for %s: %s", dir, strerror(errno));
		close(p[1]);
		return;
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	watcher_fd = p[1];
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
	if (watcher_fd >= 0) { /* the watcher finds nothing left and exits */
		close(watcher_fd);
		watcher_fd = -1;
	}
}
