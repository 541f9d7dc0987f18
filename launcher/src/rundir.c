/*
 * The private runtime directory that holds a run's ipc:// endpoints.
 */
#include "rundir.h"

#define _GNU_SOURCE /* POSIX_SPAWN_SETSID */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outboard/log.h"
#include "plan.h"
#include "rundir_watch.h"

extern char **environ;

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
 * either. A watcher does (rundir_watch.h): a process of its own, not
 * supervised, that waits for the end of a pipe only the launcher holds.
 */
static int watcher_fd = -1; /* the launcher's end: closed at remove */
static pid_t watcher_pid;   /* a spawned watcher, reaped at remove; 0: none or forked */

/* outboard-rundir-watch beside the launcher, spawned: no copy of the
 * launcher's address space (a fork of it cost 4-5 ms of CPU, two
 * processes' worth, on the machines of docs/performance.md). It is the
 * launcher's child, in a session of its own, not supervised (every wait
 * of the supervisor names its pid), and reaped at obl_rundir_remove.
 * 0 or -errno. */
static int spawn_watcher(const char *exe, const char *dir, int rfd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	char name[] = OBL_RUNDIR_WATCHER, path[PATH_MAX];
	char *argv[] = { name, path, NULL };
	pid_t pid;
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	int err = posix_spawn_file_actions_init(&fa);
	if (err)
		return -err;
	if ((err = posix_spawnattr_init(&attr))) {
		posix_spawn_file_actions_destroy(&fa);
		return -err;
	}
	sigemptyset(&none);
	if ((rfd == 3 || !(err = posix_spawn_file_actions_adddup2(&fa, rfd, 3))) &&
	    !(err = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0)) &&
	    !(err = posix_spawn_file_actions_adddup2(&fa, 0, 1)) &&
	    !(err = posix_spawn_file_actions_adddup2(&fa, 0, 2)) &&
	    !(err = posix_spawnattr_setsigmask(&attr, &none)) &&
	    !(err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK)))
		err = posix_spawn(&pid, exe, &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (!err)
		watcher_pid = pid;
	return -err;
}

/* Without outboard-rundir-watch: a grandchild forked from the launcher. */
static int fork_watcher(const char *dir, int rfd)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (fork() == 0)
			obl_rundir_watch_run(dir, rfd);
		_exit(0);
	}
	if (pid < 0)
		return -errno;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return 0;
}

/* Without a watcher, a SIGKILL of the launcher leaves the directory
 * behind: a warning, not a failure. */
void obl_rundir_watch(const char *dir, const char *self_dir)
{
	if (!dir || watcher_fd >= 0)
		return;
	/* Where the launcher finds the host and the backends: beside itself,
	 * then in PATH. */
	char *exe = NULL;
	if (obl_find_executable(self_dir, OBL_RUNDIR_WATCHER, &exe) == -ENOMEM) {
		OB_WARN("launcher", "no watcher for %s: %s", dir, strerror(ENOMEM));
		return;
	}
	/* The read end stays open across exec, for the spawned watcher (the
	 * launcher closes it at once, and spawns nothing meanwhile); the
	 * write end is the launcher's alone. */
	int p[2], err = 0;
	if (pipe(p) < 0) {
		err = -errno;
	} else if (fcntl(p[1], F_SETFD, FD_CLOEXEC) < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
	} else {
		err = exe ? spawn_watcher(exe, dir, p[0]) : fork_watcher(dir, p[0]);
		close(p[0]);
		if (err)
			close(p[1]);
	}
	free(exe);
	if (err) {
		OB_WARN("launcher", "no watcher for %s: %s", dir, strerror(-err));
		return;
	}
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
	/* A spawned one is our child: gone before we are, like every other
	 * (a moment: it only finds the directory gone). */
	if (watcher_pid > 0) {
		while (waitpid(watcher_pid, NULL, 0) < 0 && errno == EINTR)
			;
		watcher_pid = 0;
	}
}
