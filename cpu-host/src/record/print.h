/*
 * `outboard trace FILE` (outboard-cpu --print-recording FILE): a recording
 * printed in the --trace format (trace.h). Each recorded request is turned
 * back into the guest call it came from (marshal.h, obh_marshal_unpack),
 * with its buffers in a scratch guest memory, and the reply applied as the
 * host applies it; then the trace printer prints the line. So every
 * argument and result reads as in a live trace, except that fd and
 * directory numbers are the plugin's handles, and paths are as the mount's
 * plugin got them. Posted calls print when sent, blocking ones at their
 * reply; events print as `--- event ... ---` lines, with their guest clock.
 */
#ifndef OBH_RECORD_PRINT_H
#define OBH_RECORD_PRINT_H

#include <stdint.h>
#include <stdio.h>

#include "host.h"
#include "record.pb-c.h"

/* Print h->opts.print_file to out. h->opts.trace_mask and trace_calls
 * filter as --trace does (both empty: everything). Returns 0, or
 * OBH_EXIT_HOST_ERROR with the reason (the offset of a bad record) printed
 * on stderr. h is otherwise empty. */
int obh_record_print(struct obh_host *h, FILE *out);

/* Make h able to print recorded calls to out: a scratch engine and guest
 * memory for their buffers, and the trace's settings. 0 or -errno. */
int obh_record_printer_open(struct obh_host *h, FILE *out);
void obh_record_printer_close(struct obh_host *h); /* after a failed open too */

struct obh_rec;
/* Print a decoded recording (its header, then every record) with a printer
 * open on h; name is for the header line. */
void obh_record_print_decoded(struct obh_host *h, const char *name, const struct obh_rec *rec);

/* One call as a --trace line: request record q and its reply (NULL: a
 * posted call, or one without a recorded reply). */
void obh_record_print_call(struct obh_host *h, const Ob__Record *q, const Ob__Record *reply);

#endif /* OBH_RECORD_PRINT_H */
