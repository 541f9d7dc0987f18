/*
 * The engine: Unicorn set up as an ARM926EJ-S in User mode, its hooks
 * (software interrupts, invalid memory accesses, and, only while something
 * needs it, a block hook that ends a slice when the preemption watcher says
 * so: preempt.h explains why the watcher cannot stop the engine itself),
 * and the host page of HLE thunks and return backstops. There is no
 * per-instruction hook anywhere.
 */
#ifndef OBH_ENGINE_H
#define OBH_ENGINE_H

#include <stdint.h>

#include "host.h"

/* Open the engine (h->uc). 0 or -errno, with the reason logged. */
int obh_engine_open(struct obh_host *h);
/* The engine's softmmu page size in *size (4 KiB once open). */
uc_err obh_engine_page_size(uc_engine *uc, uint32_t *size);

/* Install the hooks and map the host page (needs h->mem). 0 or -errno. */
int obh_engine_setup(struct obh_host *h);

/*
 * Turn on time slicing: install the block hook that ends a slice when the
 * preemption watcher says so. The run loop calls this between slices when
 * something needs it (slicing.h). It drops the translations of every
 * executable region, so that every block calls the hook. 0 or -errno.
 */
int obh_engine_enable_slicing(struct obh_host *h);

/* Remove the block hook again (between slices); Unicorn drops the blocks
 * translated with it. */
void obh_engine_disable_slicing(struct obh_host *h);

/* Close the engine. Safe on a half-built host. */
void obh_engine_close(struct obh_host *h);

/* Run from pc (bit 0: Thumb) until something stops the engine. */
uc_err obh_engine_run(struct obh_host *h, uint32_t pc);

/* The guest address of call num's thunk. */
uint32_t obh_engine_thunk(uint32_t num);

#endif /* OBH_ENGINE_H */
