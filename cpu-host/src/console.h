/*
 * The console: guest fds 0, 1 and 2. They never leave the host: stdout and
 * stderr go straight to outboard-cpu's own (which the launcher passes
 * through), stdin reads end of file.
 */
#ifndef OBH_CONSOLE_H
#define OBH_CONSOLE_H

#include <stdint.h>

#include "calls.h"
#include "fdtable.h"

struct obh_mem;

/* Serve an fs call whose fd argument (v[0]) is a console fd. Returns r0. */
int64_t obh_console_call(struct obh_mem *mem, const struct obh_call *c, const struct obh_fd *f,
			 const uint32_t *v);

/* Write len bytes to host fd (1 or 2) in full. 0 or -errno. */
int obh_console_write(int host_fd, const void *buf, uint32_t len);

#endif /* OBH_CONSOLE_H */
