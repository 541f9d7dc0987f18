/*
 * Check reporting and thread helpers for the kernel test programs.
 */
#include "kcheck.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

void check(const char *name, int ok, const char *fmt, ...)
{
	if (ok) {
		printf("ok %s\n", name);
		return;
	}
	failures++;
	printf("FAIL %s: ", name);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int check_failures(void)
{
	return failures;
}

int spawn(ob_thread_fn fn, void *arg, int prio)
{
	return ob_thread_spawn(fn, arg, prio, 0);
}

int32_t join(int tid)
{
	uint32_t status;
	if (tid < 0 || ob_thread_join(tid, &status, OB_FOREVER) != 0)
		return JOIN_FAILED;
	return (int32_t)status;
}

const char *errname(int r)
{
	switch (-r) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case EDEADLK: return "EDEADLK";
	case ENOSYS: return "ENOSYS";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ELOOP: return "ELOOP";
	case ENXIO: return "ENXIO";
	case EXDEV: return "EXDEV";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EOVERFLOW: return "EOVERFLOW";
	case EMSGSIZE: return "EMSGSIZE";
	default: return r < 0 ? "E?" : "positive";
	}
}
