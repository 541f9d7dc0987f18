/*
 * The runtime directory's watcher: what it does once started (rundir.c
 * starts it).
 */
#define _GNU_SOURCE /* close_range */
#include "rundir_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Unlink every entry of dir (only sockets live there, one level deep),
 * then dir itself. */
static void remove_dir(const char *dir)
{
	char buf[4096];
	ssize_t n;
	int d = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (d < 0)
		return; /* removed by the launcher: the usual end */
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
}

void obl_rundir_watch_run(const char *dir, int fd)
{
	static const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP };
	struct sigaction ign = { .sa_handler = SIG_IGN };
	char buf[512];
	ssize_t n;

	setsid(); /* fails, harmlessly, when spawned as a session leader */
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		sigaction(ignored[i], &ign, NULL);
	if (fd != 3 && dup2(fd, 3) < 0)
		_exit(1);
	int null = open("/dev/null", O_RDWR);
	for (int i = 0; i < 3 && null >= 0; i++)
		dup2(null, i);
	close_range(4, ~0U, 0);
	while ((n = read(3, buf, sizeof(buf))) != 0)
		if (n < 0 && errno != EINTR)
			break;
	remove_dir(dir);
	_exit(0);
}
