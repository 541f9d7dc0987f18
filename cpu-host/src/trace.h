/*
 * The call trace (--trace=kernel,fs,...): one line per call, like strace,
 * with arguments decoded by the call table's kinds and the result named:
 *
 *   [t1] open("data/scores.txt", 0x601, 0644) = 3 <0.081 ms>
 *   [t2] read(3, 0x0002a000, 4096) = -9 EBADF
 */
#ifndef OBH_TRACE_H
#define OBH_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "calls.h"
#include "host.h"
#include "scheduler.h"

/* --trace lists are parsed by ob_trace_parse (outboard/host_options.h). */

/* One finished call. str holds host copies of STR args (may be all NULL:
 * then strings are read from guest memory again). */
void obh_trace_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		    const uint32_t *v, char *const *str, int64_t r0, bool waited,
		    int64_t start_ns);

/* A kernel call that parked its thread. */
void obh_trace_blocked(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		       const uint32_t *v, char *const *str);

/* The name of an ABI errno ("ENOENT"), or NULL. */
const char *obh_errno_name(int abi_errno);

#endif /* OBH_TRACE_H */
