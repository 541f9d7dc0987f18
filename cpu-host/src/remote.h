/*
 * Domain calls: the dispatcher's path to a plugin, once the arguments are
 * decoded. Posted calls are sent (in bands of rows when large) under the
 * link's credit window; blocking calls park their thread until the reply,
 * which is written back to guest memory and r0.
 *
 * When a plugin dies or hangs (DESIGN.md, Faults and trust):
 * - a blocking call in flight that is idempotent (the table says so) waits
 *   for the restarted plugin and is sent again, after the host has
 *   reopened the guest's files on it (recovery.c);
 * - a non-idempotent one (write, rename, unlink...) gets -EIO: it may or may
 *   not have run, and it never runs twice;
 * - a call made while the plugin is restarting waits for it (it has not
 *   run anywhere, so sending it later is safe); a posted drawing call made
 *   then is dropped (the display sends expose when it is back);
 * - once the launcher gives up on the plugin, calls fail with -ENODEV.
 *
 * The guest fd table learns file offsets from the replies, so files can be
 * reopened where the guest left them.
 *
 * An fs call goes to the plugin of the mount that serves its path, or that
 * opened its fd (mounts.h); the rest to their domain's plugin.
 */
#ifndef OBH_REMOTE_H
#define OBH_REMOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "calls.h"
#include "dispatch.h"
#include "host.h"
#include "scheduler.h"

/*
 * Send call c for thread t. v are the guest's argument values, str the
 * host copies of its string arguments. Returns an immediate r0 (value or
 * -ABI errno), OBH_PARKED (t waits for credit and will be woken with its
 * r0), or OBH_BLOCKED: t waits for the reply, and the call has taken
 * ownership of the str entries (set to NULL here) and of result_arg.
 */
int64_t obh_remote_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			const uint32_t *v, char **str, obh_result_fn result, void *result_arg,
			bool free_result_arg);

#endif /* OBH_REMOTE_H */
