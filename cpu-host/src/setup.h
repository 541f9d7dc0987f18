/*
 * Building the host for one run (engine, memory, kernel, plugins, image,
 * main thread) and tearing it down. obh_teardown accepts a host that
 * obh_setup left half built.
 */
#ifndef OBH_SETUP_H
#define OBH_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "host.h"

/* 0, or -errno with the reason logged. obh_setup loads h->opts.program;
 * obh_setup_image an ELF image already in memory (the caller keeps it). */
int obh_setup(struct obh_host *h);
int obh_setup_image(struct obh_host *h, const uint8_t *data, size_t len);
void obh_teardown(struct obh_host *h);

/* The same, at the end of the process: everything the guest's data or a
 * plugin depends on is finished as obh_teardown does it, but the engine
 * and the guest's memory are left to exit(2) (setup.c says why). */
void obh_teardown_for_exit(struct obh_host *h);

#endif /* OBH_SETUP_H */
