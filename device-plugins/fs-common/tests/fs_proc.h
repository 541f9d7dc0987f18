/*
 * The fs plugins as processes: start a real backend executable on a
 * private ipc:// endpoint and talk to it with an ob_conn, as the CPU host
 * does, then run one suite that both backends must pass. It checks what
 * only the whole path shows: the Hello, errno in the ABI numbering on the
 * wire, the read cap against the frame limit, and a clean shutdown.
 */
#ifndef OBF_FS_PROC_H
#define OBF_FS_PROC_H

/* Run the suite against binary, started with --listen URL, --read-only
 * where a test needs it, and the options in extra (NULL-terminated, may be
 * NULL), where "{dir}" stands for a fresh empty temporary directory.
 * Returns the number of failed tests. */
int obf_process_suite_run(const char *name, const char *binary, const char *const *extra);

#endif /* OBF_FS_PROC_H */
