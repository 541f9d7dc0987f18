/*
 * Open flags: the guest ABI's numbering (newlib's <fcntl.h>, proto/fs.proto
 * OpenFlag) parsed into a host-neutral form that both fs backends share.
 *
 * Accepted: the access mode (O_RDONLY 0, O_WRONLY 1, O_RDWR 2), O_APPEND,
 * O_CREAT, O_TRUNC, O_EXCL and O_SYNC, which are honoured; and O_NONBLOCK,
 * newlib's _FNBIO, O_NOCTTY, O_CLOEXEC, O_BINARY (arm-none-eabi newlib's
 * fopen passes it for every "b" mode) and O_TEXT (newlib's Cygwin value,
 * which portable programs may pass), which mean nothing for a regular file
 * served by a plugin (the CPU host owns close-on-exec; files have no text
 * mode) and are ignored. Anything else (access mode 3, O_DIRECTORY,
 * O_NOFOLLOW, unknown bits) is EINVAL: a backend must not silently drop a
 * flag whose meaning it does not implement. obf_open_flags_unsupported
 * names those bits for the error message.
 *
 * Names: obf_ is shared by the fs backends (device-plugins/fs-common).
 */
#ifndef OBF_FLAGS_H
#define OBF_FLAGS_H

#include <stdbool.h>
#include <stdint.h>

/* newlib's values for the flags that have no OpenFlag enum entry. */
#define OBF_ABI_O_SYNC 0x2000u
#define OBF_ABI_O_NBIO 0x1000u
#define OBF_ABI_O_NONBLOCK 0x4000u
#define OBF_ABI_O_NOCTTY 0x8000u
#define OBF_ABI_O_CLOEXEC 0x40000u
#define OBF_ABI_O_BINARY 0x10000u
#define OBF_ABI_O_TEXT 0x20000u

struct obf_open_flags {
	bool read;   /* access mode allows reads */
	bool write;  /* access mode allows writes */
	bool append; /* every write() goes to the end (pwrite is not affected) */
	bool create;
	bool excl;   /* with create: fail with EEXIST if the name exists */
	bool trunc;  /* truncate an existing file to 0 (Linux: also with O_RDONLY) */
	bool sync;
};

/* Parse ABI flags into *out. Returns 0 or -EINVAL (see above). */
int obf_open_flags_parse(uint32_t abi, struct obf_open_flags *out);

/* The bits of abi that obf_open_flags_parse refuses (0 when it accepts
 * them all; an access mode of 3 is refused but is not a bit here). */
uint32_t obf_open_flags_unsupported(uint32_t abi);

/* Whether an open with these flags may modify the filesystem: write access,
 * O_CREAT or O_TRUNC. Such opens fail with EROFS on a read-only fs. */
bool obf_open_flags_mutate(const struct obf_open_flags *f);

/*
 * The host open(2) flags for f: access mode, O_CREAT, O_EXCL, O_TRUNC and
 * O_SYNC. O_APPEND is deliberately left out: the common layer implements
 * append itself (it writes at the file's size), because a host O_APPEND
 * would also turn every pwrite into an append (a Linux quirk) and the
 * backends must behave alike.
 */
int obf_open_flags_to_host(const struct obf_open_flags *f);

#endif /* OBF_FLAGS_H */
