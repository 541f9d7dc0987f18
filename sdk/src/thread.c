/*
 * ob_thread_spawn: threads with their own C library state (outboard.h).
 *
 * The spawner allocates a start block holding fn, arg and a fresh newlib
 * struct _reent, so that running out of memory is reported to it rather
 * than to the new thread. The new thread begins in start_thread, which
 * makes the block's _reent its tls value (and so its _impure_ptr, see
 * init.c) before it touches the C library, runs fn, then reclaims the
 * block. The host enters a thread with r0 = arg and lr at a backstop that
 * ends the thread; start_thread never returns to it, it calls
 * ob_thread_exit with fn's result.
 */
#include <outboard.h>

#include <errno.h>
#include <reent.h>
#include <stdio.h>
#include <stdlib.h>

#include "sdk_internal.h"

struct start_block {
	ob_thread_fn fn;
	void *arg;
	struct _reent reent;
};

/*
 * The thread's stdin/stdout/stderr are its own FILEs on the process's
 * console fds. Reclaiming a _reent closes its FILEs; flush these and
 * unhook their close so that the console stays open for everyone else.
 */
static void detach_console_streams(struct _reent *r)
{
	FILE *std[3] = { r->_stdin, r->_stdout, r->_stderr };
	for (int i = 0; i < 3; i++) {
		if (r->__sdidinit)
			_fflush_r(r, std[i]);
		std[i]->_close = NULL;
	}
}

__attribute__((noreturn)) static void end_thread(struct start_block *b, int status)
{
	detach_console_streams(&b->reent);
	/* _reclaim_reent only reclaims a _reent that is not the current one;
	 * the last steps run on the main thread's (their errno is moot). */
	ob_tls_set(_global_impure_ptr);
	_reclaim_reent(&b->reent);
	free(b);
	ob_thread_exit(status);
}

static int start_thread(void *arg)
{
	struct start_block *b = arg;
	ob_tls_set(&b->reent);
	end_thread(b, b->fn(b->arg));
}

int ob_thread_spawn(ob_thread_fn fn, void *arg, int priority, uint32_t stack_size)
{
	if (!fn)
		return -EINVAL;
	/* Without the libc lock, malloc from two threads would corrupt it. */
	if (__ob_libc_lock < 0)
		return -EAGAIN;
	struct start_block *b = malloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->fn = fn;
	b->arg = arg;
	_REENT_INIT_PTR(&b->reent);
	int tid = ob_thread_create(start_thread, b, priority, stack_size);
	if (tid < 0)
		free(b);
	return tid;
}
