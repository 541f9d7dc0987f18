/*
 * Shared-key files for authenticated connections (struct ob_conn_opts.key,
 * docs/security.md).
 *
 * A key file holds one line: the OB_KEY_BYTES-byte key as 64 hexadecimal
 * digits (surrounding whitespace is ignored). It must be a regular file,
 * owned by the user running the process (or by root), and readable by
 * nobody else: any group or other permission bit makes ob_key_load refuse
 * it, as ssh does with private keys. `outboard-keygen FILE` writes one.
 *
 * Every function here logs its failure (with the path and what to do about
 * it) and returns 0 or a negated errno. Key bytes are wiped from every
 * buffer of ours once used (sodium_memzero); the caller's key buffer is its
 * own to wipe.
 */
#ifndef OUTBOARD_KEY_H
#define OUTBOARD_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "outboard/ipc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Room for a key id: 16 hex digits and a NUL. */
#define OB_KEY_ID_LEN 17u

/*
 * Read the key in path into key[OB_KEY_BYTES].
 * Errors: -EPERM (group or other may access the file, or it belongs to
 * another user: the message says which chmod/chown fixes it), -EINVAL (not
 * a regular file, or not 64 hex digits), -EIO (libsodium failed to start),
 * or the errno of open/read (-ENOENT, -EACCES...). key is untouched (and
 * wiped of partial data) on failure.
 */
int ob_key_load(const char *path, uint8_t key[OB_KEY_BYTES]);

/*
 * Write a new random key to path, created with mode 0600 (O_EXCL: an
 * existing file is never replaced). If key_out is not NULL it receives the
 * key. Errors: -EEXIST, -EIO, or the errno of open/write.
 */
int ob_key_generate(const char *path, uint8_t key_out[OB_KEY_BYTES]);

/*
 * A short, public name for a key, so that two machines' logs can show they
 * hold the same key without showing the key: the first 8 bytes of a keyed
 * BLAKE2b hash of a fixed label, in hex, into id[OB_KEY_ID_LEN].
 */
void ob_key_id(const uint8_t key[OB_KEY_BYTES], char id[OB_KEY_ID_LEN]);

#ifdef __cplusplus
}
#endif

#endif /* OUTBOARD_KEY_H */
