/*
 * The dispatcher: the one path every guest call takes, whether it came from
 * an svc, an HLE thunk or a semihosting operation.
 *
 * It decodes the arguments by the table's kinds (copying strings, checking
 * that every guest buffer is mapped with the right permission: a bad
 * pointer gives -EFAULT), maps guest fds to plugin handles, then runs a
 * kernel handler, serves a console fd in the host, or sends the call to its
 * domain's plugin. A blocking domain call parks the thread until its reply
 * arrives; the scheduler runs other threads meanwhile.
 */
#ifndef OBH_DISPATCH_H
#define OBH_DISPATCH_H

#include <stdint.h>

#include "calls.h"
#include "host.h"
#include "scheduler.h"

/*
 * Rewrites a call's result before it reaches the guest's r0 (semihosting
 * uses this to turn POSIX results into its own conventions). arg is the
 * caller's; r0 is the result (value or -ABI errno); the return value is
 * what the guest gets, or OBH_BLOCKED when the rewriter has dispatched a
 * follow-up call for t (semihosting's remove: rmdir after unlink's EISDIR),
 * whose own completion then writes t's r0.
 */
typedef int64_t (*obh_result_fn)(struct obh_host *h, struct obh_thread *t, void *arg,
				 int64_t r0);

/*
 * Run call c for thread t with raw argument values v (registers, or values
 * the semihosting layer made up). The result is written to t's r0 now, or
 * when the thread wakes. result may be NULL; result_arg is freed with
 * free() once the call completes, if free_result_arg is set.
 */
void obh_dispatch(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		  const uint32_t v[OBH_MAX_ARGS], obh_result_fn result, void *result_arg,
		  bool free_result_arg);

/*
 * Deliver a call's r0: into the trace and the thread's recent calls,
 * through the result rewriter, then to the guest (waking it when woke).
 */
void obh_dispatch_finish(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			 const uint32_t *v, char *const *str, int64_t r0, obh_result_fn result,
			 void *result_arg, bool woke, int64_t start_ns);

/* Copy v to mapped with guest fds and directory handles replaced by the
 * plugin's own. 0, -EBADF, or -EIO for a file lost with its plugin. */
int64_t obh_dispatch_map_handles(struct obh_host *h, const struct obh_call *c,
				 const uint32_t *v, uint32_t *mapped);

/* A call number the table does not have: -ENOSYS, logged once per number. */
void obh_dispatch_unknown(struct obh_host *h, struct obh_thread *t, uint32_t num,
			  const char *how);

#endif /* OBH_DISPATCH_H */
