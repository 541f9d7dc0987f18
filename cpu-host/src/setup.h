/*
 * Building the host for one run (engine, memory, kernel, plugins, image,
 * main thread) and tearing it down. obh_teardown accepts a host that
 * obh_setup left half built.
 */
#ifndef OBH_SETUP_H
#define OBH_SETUP_H

#include "host.h"

/* 0, or -errno with the reason logged. */
int obh_setup(struct obh_host *h);
void obh_teardown(struct obh_host *h);

#endif /* OBH_SETUP_H */
