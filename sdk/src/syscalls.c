/*
 * newlib's system calls (the _open/_read/... functions libc.a leaves
 * undefined), on top of the outboard calls. Each returns what newlib
 * expects: the result, or -1 with errno set from the call's negated errno.
 *
 * Calls with no outboard counterpart (processes, links, fcntl) fail with
 * ENOSYS, so programs that reach them link and get a clear error.
 */
#include <outboard.h>

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

#include "sdk_internal.h"

/* The guest's only process. */
#define OB_PID 1

/* Prototypes: newlib calls these but declares few of them. */
int _open(const char *path, int flags, int mode);
int _close(int fd);
int _read(int fd, void *buf, int count);
int _write(int fd, const void *buf, int count);
int _lseek(int fd, int offset, int whence);
int _fstat(int fd, struct stat *st);
int _stat(const char *path, struct stat *st);
int _isatty(int fd);
int _unlink(const char *path);
int _link(const char *old_path, const char *new_path);
int _mkdir(const char *path, mode_t mode);
void *_sbrk(ptrdiff_t increment);
void _exit(int status);
int _kill(int pid, int sig);
int _getpid(void);
int _gettimeofday(struct timeval *tv, void *tz);
clock_t _times(struct tms *t);
int _fork(void);
int _execve(const char *path, char *const argv[], char *const envp[]);
int _wait(int *status);
int _fcntl(int fd, int cmd, int arg);
int getentropy(void *buf, size_t len);

int _open(const char *path, int flags, int mode)
{
	return __ob_ret(ob_open(path, (uint32_t)flags, (uint32_t)mode));
}

int _close(int fd)
{
	return __ob_ret(ob_close(fd));
}

int _read(int fd, void *buf, int count)
{
	return __ob_ret(ob_read(fd, buf, (uint32_t)count));
}

int _write(int fd, const void *buf, int count)
{
	return __ob_ret(ob_write(fd, buf, (uint32_t)count));
}

int _lseek(int fd, int offset, int whence)
{
	return __ob_ret(ob_lseek(fd, offset, (uint32_t)whence));
}

static void timespec_from_ns(struct timespec *ts, uint64_t ns)
{
	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
}

/* struct stat from the ABI's struct ob_file_stat. */
static void stat_from_ob(struct stat *st, const struct ob_file_stat *o)
{
	*st = (struct stat){ 0 };
	st->st_mode = (mode_t)(o->mode & 07777);
	st->st_mode |= o->type == OB_DT_DIR ? S_IFDIR : o->type == OB_DT_FILE ? S_IFREG : 0;
	st->st_ino = (ino_t)o->ino;
	st->st_nlink = (nlink_t)o->nlink;
	st->st_size = (off_t)o->size;
	st->st_blksize = (blksize_t)o->blksize;
	st->st_blocks = (blkcnt_t)((o->size + 511) / 512);
	timespec_from_ns(&st->st_atim, o->atime_ns);
	timespec_from_ns(&st->st_mtim, o->mtime_ns);
	timespec_from_ns(&st->st_ctim, o->ctime_ns);
}

/*
 * The console (fds 0-2) never reaches the fs domain; it is a character
 * device, which is also what makes newlib line-buffer stdout.
 */
int _fstat(int fd, struct stat *st)
{
	int tty = ob_isatty(fd);
	if (tty < 0)
		return __ob_ret(tty);
	if (tty) {
		*st = (struct stat){ 0 };
		st->st_mode = S_IFCHR | 0620;
		st->st_nlink = 1;
		return 0;
	}
	struct ob_file_stat o;
	int r = ob_fstat(fd, &o);
	if (r < 0)
		return __ob_ret(r);
	stat_from_ob(st, &o);
	return 0;
}

int _stat(const char *path, struct stat *st)
{
	struct ob_file_stat o;
	int r = ob_stat(path, &o);
	if (r < 0)
		return __ob_ret(r);
	stat_from_ob(st, &o);
	return 0;
}

/* newlib's convention: 1, or 0 with errno set (ENOTTY or EBADF). */
int _isatty(int fd)
{
	int r = ob_isatty(fd);
	if (r < 0) {
		errno = -r;
		return 0;
	}
	if (r == 0)
		errno = ENOTTY;
	return r;
}

int _unlink(const char *path)
{
	return __ob_ret(ob_unlink(path));
}

int _link(const char *old_path, const char *new_path)
{
	(void)old_path;
	(void)new_path;
	errno = ENOSYS;
	return -1;
}

int _mkdir(const char *path, mode_t mode)
{
	return __ob_ret(ob_mkdir(path, (uint32_t)mode));
}

void *_sbrk(ptrdiff_t increment)
{
	int r = ob_sbrk((int32_t)increment);
	if (r < 0 && r >= -4095) {
		errno = -r;
		return (void *)-1;
	}
	return (void *)(uintptr_t)(uint32_t)r;
}

void _exit(int status)
{
	ob_exit(status & 0xff);
}

/*
 * Signals: raise() and abort() end up here. The program has no signal
 * delivery, so a signal to itself ends it as a shell reports a death by
 * signal: status 128 + sig (abort: 134).
 */
int _kill(int pid, int sig)
{
	if (pid != OB_PID && pid != 0 && pid != -1) {
		errno = ESRCH;
		return -1;
	}
	if (sig == 0)
		return 0; /* "does the process exist": it does */
	if (sig < 0 || sig >= 32) {
		errno = EINVAL;
		return -1;
	}
	ob_exit(128 + sig);
}

int _getpid(void)
{
	return OB_PID;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	uint64_t ns;
	int r = ob_clock_get(OB_CLOCK_REALTIME, &ns);
	if (r < 0)
		return __ob_ret(r);
	if (tv) {
		tv->tv_sec = (time_t)(ns / 1000000000u);
		tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
	}
	return 0;
}

/*
 * clock() adds up tms_utime and friends in CLOCKS_PER_SEC ticks. The host
 * does not account CPU time per program, so the time since the program
 * started stands in for it (the program is the emulator's only tenant).
 */
clock_t _times(struct tms *t)
{
	uint64_t ns;
	int r = ob_clock_get(OB_CLOCK_MONOTONIC, &ns);
	if (r < 0)
		return (clock_t)__ob_ret(r);
	clock_t ticks = (clock_t)(ns / (1000000000u / CLOCKS_PER_SEC));
	if (t)
		*t = (struct tms){ .tms_utime = ticks };
	return ticks;
}

/* No processes besides this one. */
int _fork(void)
{
	errno = ENOSYS;
	return -1;
}

int _execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	errno = ENOSYS;
	return -1;
}

int _wait(int *status)
{
	(void)status;
	errno = ECHILD;
	return -1;
}

int _fcntl(int fd, int cmd, int arg)
{
	(void)fd;
	(void)cmd;
	(void)arg;
	errno = ENOSYS;
	return -1;
}

/* No entropy source in ABI v1: arc4random and friends fail cleanly. */
int getentropy(void *buf, size_t len)
{
	(void)buf;
	(void)len;
	errno = ENOSYS;
	return -1;
}
