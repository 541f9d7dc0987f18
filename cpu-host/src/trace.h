/*
 * The call trace (--trace=kernel,fs,open,...): one line per call, like
 * strace, with arguments decoded by the call table's kinds and names and
 * the result named:
 *
 *   [t1] open("data/scores.txt", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3
 *   [t1] lseek(3, 0, SEEK_END) = 12
 *   [t1] fstat(3, {size=12, mode=33188, ...}) = 0
 *   [t2] read(3, 0x0002a000, 4096) = -9 EBADF
 *   [t1] display_fill_rect(0, 0, 9, 9, 0x30b040)
 *   [t2] sem_wait(4, -1) <unfinished ...>
 *   [t2] <... sem_wait resumed>) = 0
 *
 * Open flags are newlib's, named; the mode only with O_CREAT; whence
 * named; colours 0xRRGGBB; output buffers, strings and structs shown after
 * success only; a string over 64 bytes cut with "...". A kernel call that
 * parks its thread is printed when it parks (<unfinished ...>) and its
 * result when the thread wakes (<... resumed>). A device call's line comes
 * when its reply arrives, with every argument. --trace-time prefixes
 * seconds since the guest started, --trace-durations appends how long
 * each call took in ms; --trace-file sends the lines to a file.
 */
#ifndef OBH_TRACE_H
#define OBH_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls.h"
#include "trace_filter.h"
#include "host.h"
#include "scheduler.h"

/* One finished call. str holds host copies of STR args (may be all NULL:
 * then strings are read from guest memory again). */
void obh_trace_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		    const uint32_t *v, char *const *str, int64_t r0, bool waited,
		    int64_t start_ns);

/* A device call was sent and its thread waits for the reply: printed whole
 * by obh_trace_call at the reply, or split in two halves when another
 * trace line comes first. v is copied. */
void obh_trace_sent(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		    const uint32_t *v);

/* A kernel call that parked its thread: "<unfinished ...>". */
void obh_trace_blocked(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		       const uint32_t *v, char *const *str);

/* The thread woke with r0 from a call printed as unfinished: "<... NAME
 * resumed>) = r0". Nothing when it has none. */
void obh_trace_resumed(struct obh_host *h, struct obh_thread *t, int64_t r0);

/* The name of an ABI errno ("ENOENT"), or NULL. */
const char *obh_errno_name(int abi_errno);

#endif /* OBH_TRACE_H */
