/*
 * The real OS behind struct obl_os: Linux (prctl is Linux-only).
 *
 * Signals use the self-pipe trick: handlers write a two-byte record
 * (signo, from_terminal) into a non-blocking pipe the supervisor polls, so
 * all real work happens in the main loop and nothing but write(2) runs in a
 * handler.
 */
#define _GNU_SOURCE /* pipe2, close_range, sigabbrev_np */
#include "os.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "outboard/sanitizer.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* Signals the launcher catches; a child gets them back at their default. */
static const int caught_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };

static int signal_pipe[2] = { -1, -1 };

/* ---- spawning ---- */

static void child_reset_signals(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&dfl.sa_mask);
	for (size_t i = 0; i < sizeof(caught_signals) / sizeof(caught_signals[0]); i++)
		sigaction(caught_signals[i], &dfl, NULL);
	sigaction(SIGPIPE, &dfl, NULL);
}

/* Put fd on target for the exec: dup2 clears close-on-exec on the copy;
 * when it is already there, clear the flag by hand. */
static int child_move_fd(int fd, int target)
{
	if (fd < 0)
		return 0;
	if (fd == target)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, target) < 0 ? -1 : 0;
}

/* Between fork and exec: only async-signal-safe calls. Never returns. */
__attribute__((noreturn))
static void child_exec(const struct obl_spawn *s, int errfd, pid_t parent, int max_fd,
		       bool search_path, char *const *envp)
{
	int err;
	child_reset_signals();
	/* Die with the launcher, even when it is SIGKILLed. If it already died
	 * between fork and prctl, we were reparented: give up now. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	if (s->new_group && setpgid(0, 0) < 0)
		goto fail;
	if (child_move_fd(s->stdin_fd, 0) < 0 || child_move_fd(s->stdout_fd, 1) < 0 ||
	    child_move_fd(s->stderr_fd, 2) < 0)
		goto fail;
	/* Nothing of ours beyond 0-2 crosses exec (nanomsg's sockets included). */
	if (close_range(3, UINT_MAX, CLOSE_RANGE_CLOEXEC) < 0)
		for (int fd = 3; fd < max_fd; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (search_path)
		execvpe(s->path, s->argv, envp); /* the wrapper, by name */
	else
		execve(s->path, s->argv, envp);
fail:
	err = errno;
	if (write(errfd, &err, sizeof(err)) < 0) {
		/* nothing left to tell anyone */
	}
	_exit(127);
}

/*
 * OUTBOARD_WRAPPER="valgrind --error-exitcode=99 ..." runs every child (the
 * CPU host and the plugins) under that command: how the integration suite
 * runs under valgrind (make check-valgrind). OUTBOARD_WRAPPER_EXCEPT lists
 * executable names to run as they are (valgrind 3.19 does not know
 * openat2, which fs-hostdir cannot do without). Built before fork: the
 * child may not allocate. Returns the argv to exec (s->argv when no
 * wrapper), with *path the program; *owned gets what the caller frees.
 */
static bool wrapper_skips(const char *path)
{
	const char *except = getenv("OUTBOARD_WRAPPER_EXCEPT");
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t bl = strlen(base);
	for (const char *p = except; p && *p;) {
		size_t n = strcspn(p, " ");
		if (n == bl && strncmp(p, base, n) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

#define MAX_WRAPPER_WORDS 16
static char *const *wrapped_argv(const struct obl_spawn *s, const char **path, char ***owned,
				 char **words)
{
	const char *w = getenv("OUTBOARD_WRAPPER");
	*owned = NULL;
	*words = NULL;
	*path = s->path;
	if (!w || !*w || wrapper_skips(s->path))
		return s->argv;
	size_t n = 0;
	while (s->argv[n])
		n++;
	/* The wrapper's words, then a copy of the program's path, in one block. */
	size_t wl = strlen(w), pl = strlen(s->path);
	char **v = calloc(n + MAX_WRAPPER_WORDS + 1, sizeof(*v));
	char *copy = malloc(wl + 1 + pl + 1);
	if (!v || !copy) {
		free(v);
		free(copy);
		return s->argv;
	}
	memcpy(copy, w, wl + 1);
	memcpy(copy + wl + 1, s->path, pl + 1);
	size_t k = 0;
	char *save = NULL;
	for (char *tok = strtok_r(copy, " ", &save); tok && k < MAX_WRAPPER_WORDS;
	     tok = strtok_r(NULL, " ", &save))
		v[k++] = tok;
	v[k++] = copy + wl + 1;
	for (size_t i = 1; i < n; i++)
		v[k++] = s->argv[i];
	*owned = v;
	*words = copy;
	*path = v[0];
	return v;
}

/* environ plus add ("NAME=VALUE", replacing NAME's value), built before
 * fork (the child may not allocate); NULL for none or without memory (the
 * child then gets environ as it is). The strings stay environ's. */
static char **with_env(const char *add)
{
	if (!add)
		return NULL;
	size_t n = 0, name = strcspn(add, "=");
	while (environ[n])
		n++;
	char **v = calloc(n + 2, sizeof(*v));
	if (!v)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], add, name + 1) != 0)
			v[k++] = environ[i];
	/* execve takes char *const[] but never writes: the cast only drops
	 * what the old prototype lacks. */
	union { const char *c; char *m; } u = { .c = add };
	v[k] = u.m;
	return v;
}

/* vfork: the child borrows our memory until it execs, so nothing is
 * copied; fork copied the launcher's page tables first, about 4 ms a
 * plugin on a VM, a fifth of `outboard run`'s start-up. child_exec makes
 * only system calls, writes only its own stack, and never returns. Under
 * a sanitizer its interceptors (sigaction's) would write the runtime's
 * state in our memory: fork there. A function of its own, so that no
 * variable of the caller lives across the vfork. */
__attribute__((noinline))
static pid_t start_child(const struct obl_spawn *run, int errfd, int max_fd, bool search_path,
			 char *const *envp)
{
	pid_t parent = getpid();
#if OB_SANITIZER
	pid_t pid = fork();
#else
	pid_t pid = vfork();
#endif
	if (pid == 0)
		child_exec(run, errfd, parent, max_fd, search_path, envp);
	return pid;
}

static int posix_spawn_child(const struct obl_spawn *s, pid_t *pid_out)
{
	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) < 0)
		return -errno;
	struct rlimit rl;
	int max_fd = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536
			     ? (int)rl.rlim_cur : 65536;
	/* Block every signal across fork so no handler of ours runs in the
	 * child before it has reset them. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	const char *path;
	char **owned, *words;
	char *const *argv = wrapped_argv(s, &path, &owned, &words);
	char **envp = with_env(s->env_add);
	struct obl_spawn run = *s;
	run.path = path;
	run.argv = argv;
	pid_t pid = start_child(&run, errpipe[1], max_fd, owned != NULL, envp ? envp : environ);
	int fork_errno = errno;
	free(envp);
	free(owned);
	free(words);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(errpipe[1]);
	if (pid < 0) {
		close(errpipe[0]);
		return -fork_errno;
	}
	/* The pipe closes at exec (EOF), or carries the errno of a failure. */
	int child_errno = 0;
	ssize_t n;
	do
		n = read(errpipe[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	close(errpipe[0]);
	if (n == (ssize_t)sizeof(child_errno)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return -(child_errno ? child_errno : EIO);
	}
	*pid_out = pid;
	return 0;
}

/* ---- reaping, killing, polling, time ---- */

static pid_t posix_wait(pid_t pid, int *status, bool block)
{
	for (;;) {
		pid_t r = waitpid(pid, status, block ? 0 : WNOHANG);
		if (r >= 0)
			return r;
		if (errno != EINTR)
			return -errno;
	}
}

static int posix_kill(pid_t pid, int signo)
{
	return kill(pid, signo) < 0 ? -errno : 0;
}

static int posix_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	int r = poll(fds, n, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	return r;
}

static int64_t posix_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- signals ---- */

static void on_signal(int signo, siginfo_t *info, void *uctx)
{
	(void)uctx;
	int saved = errno;
	unsigned char rec[2] = { (unsigned char)signo,
				 (unsigned char)(info && info->si_code == SI_KERNEL) };
	/* A full pipe already holds a wake-up; losing this record only loses
	 * a duplicate SIGCHLD or a third ^C. */
	if (write(signal_pipe[1], rec, sizeof(rec)) < 0) {
		/* nothing to do in a handler */
	}
	errno = saved;
}

static int posix_catch_signals(void)
{
	if (signal_pipe[0] >= 0)
		return signal_pipe[0];
	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_RESTART };
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(caught_signals) / sizeof(caught_signals[0]); i++)
		if (sigaction(caught_signals[i], &sa, NULL) < 0)
			return -errno;
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, NULL);
	return signal_pipe[0];
}

static int posix_next_signal(struct obl_signal *sig)
{
	unsigned char rec[2];
	ssize_t n;
	do
		n = read(signal_pipe[0], rec, sizeof(rec));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(rec))
		return 0;
	sig->signo = rec[0];
	sig->from_terminal = rec[1] != 0;
	return 1;
}

const struct obl_os obl_os_posix = {
	.spawn = posix_spawn_child,
	.wait = posix_wait,
	.kill = posix_kill,
	.poll = posix_poll,
	.now_ms = posix_now_ms,
	.catch_signals = posix_catch_signals,
	.next_signal = posix_next_signal,
};

/* ---- describing how a process ended ---- */

const char *obl_signal_name(int signo, char *buf, size_t size)
{
	const char *abbrev = sigabbrev_np(signo);
	if (abbrev)
		snprintf(buf, size, "SIG%s", abbrev);
	else
		snprintf(buf, size, "signal %d", signo);
	return buf;
}

void obl_describe_status(int status, char *buf, size_t size)
{
	char name[16];
	if (WIFEXITED(status)) {
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		snprintf(buf, size, "killed by %s",
			 obl_signal_name(WTERMSIG(status), name, sizeof(name)));
	} else {
		snprintf(buf, size, "stopped (status 0x%x)", (unsigned)status);
	}
}

int obl_shell_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 125;
}
