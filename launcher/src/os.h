/*
 * The launcher's one OS seam: process creation, reaping, signals, polling
 * and the clock. The supervisor reaches the OS only through a
 * struct obl_os, so a test can stand in for any of it; obl_os_posix is the
 * real one (os_posix.c).
 *
 * Error convention: 0 (or a non-negative count) on success, a negated errno
 * on failure.
 */
#ifndef OBL_OS_H
#define OBL_OS_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* How to start a child. */
struct obl_spawn {
	const char *path;    /* executable, used as is (no PATH search) */
	char *const *argv;   /* NULL-terminated; argv[0] is what the child sees */
	/* Descriptors that become the child's 0, 1 and 2; -1 inherits ours. */
	int stdin_fd, stdout_fd, stderr_fd;
	/* Start a process group of its own, so a terminal's ^C reaches only the
	 * launcher's foreground group (launcher and CPU host), not plugins. */
	bool new_group;
	/* "NAME=VALUE" added to the child's environment (our own otherwise),
	 * or NULL. */
	const char *env_add;
};

/* A signal the launcher caught, as its handler recorded it. */
struct obl_signal {
	int signo;
	/* Sent by the kernel (a terminal's ^C), not by kill(2): it reached
	 * the whole foreground process group, the CPU host included. */
	bool from_terminal;
};

struct obl_os {
	/*
	 * fork + exec. The child dies with SIGKILL when the launcher does
	 * (PR_SET_PDEATHSIG, checked against the fork race), starts with
	 * default signal dispositions and an empty signal mask, and keeps no
	 * descriptor of ours beyond 0-2 that is not close-on-exec (every
	 * descriptor the launcher opens is). Returns 0 with *pid set, or the
	 * negated errno of the failed exec (so a missing executable is known
	 * at once), or of fork.
	 */
	int (*spawn)(const struct obl_spawn *s, pid_t *pid);

	/* waitpid(pid, WNOHANG unless block). Returns the reaped pid with
	 * *status set, 0 when nothing exited, or -ECHILD. pid -1: any child. */
	pid_t (*wait)(pid_t pid, int *status, bool block);

	int (*kill)(pid_t pid, int signo);

	/* poll(2); -EINTR is returned as 0 ready descriptors. */
	int (*poll)(struct pollfd *fds, nfds_t n, int timeout_ms);

	int64_t (*now_ms)(void);

	/*
	 * Catch SIGINT, SIGTERM, SIGHUP and SIGCHLD (ignore SIGPIPE). Returns
	 * a descriptor that becomes readable when a signal arrived; each is
	 * then read with next_signal. Once per process.
	 */
	int (*catch_signals)(void);

	/* The next caught signal: 1 with *sig set, 0 when none is pending. */
	int (*next_signal)(struct obl_signal *sig);
};

extern const struct obl_os obl_os_posix;

/* "killed by SIGABRT" or "exited with status 3", for a waitpid status. */
void obl_describe_status(int status, char *buf, size_t size);

/* "SIGTERM", in buf. */
const char *obl_signal_name(int signo, char *buf, size_t size);

/* The exit status a shell would show for a waitpid status: the exit
 * code, or 128 + signal. */
int obl_shell_status(int status);

#endif /* OBL_OS_H */
