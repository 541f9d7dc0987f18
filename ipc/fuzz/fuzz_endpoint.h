/*
 * What the ipc fuzz targets share: a private ipc:// endpoint for the
 * connection each input opens (nanomsg needs a URL even for a connection
 * that only ever sees injected frames), removed at exit, and quiet logs
 * (every malformed frame is logged; at fuzzing speed that is noise).
 */
#ifndef OB_FUZZ_ENDPOINT_H
#define OB_FUZZ_ENDPOINT_H

/* Call from LLVMFuzzerInitialize: make the directory, silence the log.
 * Returns the endpoint's URL (static storage). Aborts on failure. */
const char *obz_fuzz_endpoint(const char *target);

#endif /* OB_FUZZ_ENDPOINT_H */
