/*
 * POSIX functions that newlib declares (<unistd.h>, <sched.h>) but leaves
 * to the platform, on top of the outboard calls. Each returns -1 with errno
 * set on failure.
 */
#include <outboard.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sdk_internal.h"

ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
	return __ob_ret(ob_pread(fd, buf, (uint32_t)count, (int32_t)offset));
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	return __ob_ret(ob_pwrite(fd, buf, (uint32_t)count, (int32_t)offset));
}

int fsync(int fd)
{
	return __ob_ret(ob_fsync(fd));
}

int ftruncate(int fd, off_t length)
{
	return __ob_ret(ob_ftruncate(fd, (int32_t)length));
}

int truncate(const char *path, off_t length)
{
	int fd = ob_open(path, O_WRONLY, 0);
	if (fd < 0)
		return __ob_ret(fd);
	int r = ob_ftruncate(fd, (int32_t)length);
	ob_close(fd);
	return __ob_ret(r);
}

int mkdir(const char *path, mode_t mode)
{
	return __ob_ret(ob_mkdir(path, (uint32_t)mode));
}

int rmdir(const char *path)
{
	return __ob_ret(ob_rmdir(path));
}

/* <sched.h> declares it only for some targets. */
int sched_yield(void);
int sched_yield(void)
{
	return __ob_ret(ob_thread_yield());
}

int usleep(useconds_t usec)
{
	/* The kernel sleeps in ms; round up so the sleep is at least usec. */
	return __ob_ret(ob_thread_sleep((uint32_t)((usec + 999u) / 1000u)));
}

unsigned sleep(unsigned seconds)
{
	int r = ob_thread_sleep(seconds * 1000u);
	return r < 0 ? seconds : 0;
}
