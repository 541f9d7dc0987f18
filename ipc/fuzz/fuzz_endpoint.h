/*
 * What the ipc fuzz targets share: a private ipc:// endpoint for the
 * connection each input opens (nanomsg needs a URL even for a connection
 * that only ever sees injected frames), removed at exit, and quiet logs
 * (every malformed frame is logged; at fuzzing speed that is noise); and,
 * for the targets that fuzz the receive path without a key, the connection
 * itself.
 */
#ifndef OB_FUZZ_ENDPOINT_H
#define OB_FUZZ_ENDPOINT_H

#include <stdint.h>

#include "outboard/ipc.h"

/* Call from LLVMFuzzerInitialize: make the directory, silence the log.
 * Returns the endpoint's URL (static storage). Aborts on failure. */
const char *obz_fuzz_endpoint(const char *target);

/* A keyless connection on url with every callback set (each touches what
 * a real caller reads, so the sanitizers see bad data): listening when
 * flags bit 0 is set, else dialing; with bit 1, OBZ_FUZZ_CALLS fs_read
 * calls outstanding (ids 1..OBZ_FUZZ_CALLS, the first with a 1 ms
 * deadline), so that the fuzzer can find replies that match. Aborts on
 * failure; close it with ob_conn_close. */
#define OBZ_FUZZ_CALLS 4
ob_conn *obz_fuzz_conn(const char *url, uint8_t flags, const char *name);

#endif /* OB_FUZZ_ENDPOINT_H */
