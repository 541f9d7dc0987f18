/*
 * ARM semihosting, as newlib's rdimon uses it (docs/abi.md lists the
 * operations). File operations become ordinary fs calls through the
 * dispatcher, so they reach the fs plugin, may block the thread like any
 * other call, and are traced. Results are turned into semihosting's own
 * conventions (bytes *not* transferred, -1 and SYS_ERRNO), and errno values
 * are reported in Linux numbering, as qemu-arm does, so the same rdimon
 * binary behaves the same under both.
 */
#ifndef OBH_SEMIHOST_H
#define OBH_SEMIHOST_H

#include <stdint.h>

#include "host.h"
#include "scheduler.h"

/* Set up semihosting state for h (h->semihost). heap/stack describe what
 * SYS_HEAPINFO reports. 0 or -ENOMEM. */
struct obh_semihost_layout {
	uint32_t image_end;     /* rdimon's heap starts at the image's `end` */
	uint32_t heap_start, heap_max;
	uint32_t stack_lo, stack_hi;
};
int obh_semihost_init(struct obh_host *h, const struct obh_semihost_layout *layout);
void obh_semihost_fini(struct obh_host *h);

/* Serve the semihosting call of thread t (operation in r0, block in r1). */
void obh_semihost(struct obh_host *h, struct obh_thread *t);

#endif /* OBH_SEMIHOST_H */
