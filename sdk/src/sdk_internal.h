/*
 * Internals shared by the SDK's sources. Not installed.
 */
#ifndef OB_SDK_INTERNAL_H
#define OB_SDK_INTERNAL_H

#include <errno.h>

/* The recursive mutex behind malloc and the environment (init.c). */
extern int __ob_libc_lock;

/*
 * The C library's convention from an ob_* result: a negated errno becomes
 * errno and -1; anything else passes through.
 */
static inline int __ob_ret(int r)
{
	if (r < 0 && r >= -4095) {
		errno = -r;
		return -1;
	}
	return r;
}

#endif /* OB_SDK_INTERNAL_H */
