/*
 * Bringing a restarted plugin back to where the guest left the old one,
 * before any guest call reaches it (DESIGN.md, Faults and trust):
 *
 * - fs: every open guest file is reopened by path, with its flags minus
 *   O_CREAT, O_EXCL and O_TRUNC (they already did their work), and moved to
 *   the offset the guest's calls had reached; every open directory is
 *   reopened and advanced past the entries already read. A file that cannot
 *   be reopened (deleted meanwhile) goes stale: calls on it fail with EIO.
 * - sound: an open stream is opened again with the same rate and channels.
 * - input: the source is started again (a script starts over).
 * - display: nothing here; the plugin sends expose and the guest redraws.
 *
 * The host learns what to restore from the replies it sees
 * (obh_recovery_note), so restoring never asks the guest anything.
 */
#ifndef OBH_RECOVERY_H
#define OBH_RECOVERY_H

#include <stdint.h>

#include "calls.h"
#include "host.h"

/* A guest call succeeded: remember what a restart would have to redo. */
void obh_recovery_note(struct obh_host *h, const struct obh_call *c, const uint32_t *v);

/*
 * Restore the routes in route_mask (bit r: route r, router.h: a domain's
 * number, or an fs mount's) on their freshly connected plugin, sending
 * requests with obh_router_send_restore: an fs mount gets back the files
 * opened on it. done(arg) runs once everything has been answered (at once
 * if nothing was needed). 0 or -ENOMEM.
 */
int obh_recovery_restore(struct obh_host *h, uint64_t route_mask, void (*done)(void *arg),
			 void *arg);

#endif /* OBH_RECOVERY_H */
