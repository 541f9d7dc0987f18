/*
 * Start-up of the C library for outboard guests, and its locks.
 *
 * Per-thread C library state: newlib keeps errno, stdio streams and the
 * like in a struct _reent that _impure_ptr points at. The host keeps one
 * "tls" word per thread and, when it switches threads, stores the incoming
 * thread's word in the guest word named by ob_tls_bind. Binding
 * &_impure_ptr therefore gives every thread its own _impure_ptr; the main
 * thread's is newlib's static one, other threads' are made by
 * ob_thread_spawn (thread.c).
 *
 * Locks: this newlib is built without retargetable locking, so its only
 * lock hooks are the __malloc_lock/__env_lock functions, which are no-ops in
 * libc.a. The SDK's versions below take one recursive kernel mutex. They
 * win over libc.a's because crt0 calls __ob_sdk_init, which pulls this
 * object (and so these symbols) into the link before libc.a is searched.
 * newlib's stdio does not lock: two threads must not share one FILE
 * without their own mutex (each thread's stdin/stdout/stderr are its own).
 */
#include <outboard.h>

#include <reent.h>
#include <stdint.h>

#include "sdk_internal.h"

/* The libc lock: a recursive kernel mutex handle, or a negative errno
 * when it could not be created (then the locks do nothing and
 * ob_thread_spawn refuses to start threads). */
int __ob_libc_lock = -1;

void __ob_sdk_init(void);
void __ob_sdk_init(void)
{
	struct _reent *main_reent = _impure_ptr;
	/* Set before bind: binding stores the thread's value in the slot. */
	ob_tls_set(main_reent);
	ob_tls_bind((void **)&_impure_ptr);
	_impure_ptr = main_reent;
	__ob_libc_lock = ob_mutex_create(OB_MUTEX_RECURSIVE);
}

static void libc_lock(void)
{
	if (__ob_libc_lock >= 0)
		ob_mutex_lock(__ob_libc_lock, OB_FOREVER);
}

static void libc_unlock(void)
{
	if (__ob_libc_lock >= 0)
		ob_mutex_unlock(__ob_libc_lock);
}

void __malloc_lock(struct _reent *r);
void __malloc_unlock(struct _reent *r);
void __env_lock(struct _reent *r);
void __env_unlock(struct _reent *r);

void __malloc_lock(struct _reent *r)
{
	(void)r;
	libc_lock();
}

void __malloc_unlock(struct _reent *r)
{
	(void)r;
	libc_unlock();
}

void __env_lock(struct _reent *r)
{
	(void)r;
	libc_lock();
}

void __env_unlock(struct _reent *r)
{
	(void)r;
	libc_unlock();
}

uint64_t ob_monotonic_ns(void)
{
	uint64_t ns = 0;
	if (ob_clock_get(OB_CLOCK_MONOTONIC, &ns) < 0)
		return 0;
	return ns;
}
