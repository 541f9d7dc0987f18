/*
 * The guest ABI's errno numbering (docs/abi.md), which is also the numbering
 * in Reply.status on the wire: newlib's values, since guests are built with
 * newlib. Host errno values differ for some codes (ENOSYS is 38 on Linux and
 * 88 in newlib), so every value that crosses to a guest or onto the wire
 * goes through ob_errno_to_abi, and back through ob_errno_from_abi.
 */
#ifndef OUTBOARD_ERRNO_H
#define OUTBOARD_ERRNO_H

/* Host errno (positive) -> ABI errno (positive). Unknown values map to
 * OB_ABI_EIO. 0 maps to 0. */
int ob_errno_to_abi(int host_errno);

/* ABI errno (positive) -> host errno (positive). Unknown values map to EIO. */
int ob_errno_from_abi(int abi_errno);

/* ABI values, for code that must name them without a host errno.h. */
#define OB_ABI_EPERM 1
#define OB_ABI_ENOENT 2
#define OB_ABI_EINTR 4
#define OB_ABI_EIO 5
#define OB_ABI_EBADF 9
#define OB_ABI_EAGAIN 11
#define OB_ABI_ENOMEM 12
#define OB_ABI_EACCES 13
#define OB_ABI_EFAULT 14
#define OB_ABI_EBUSY 16
#define OB_ABI_EEXIST 17
#define OB_ABI_EXDEV 18
#define OB_ABI_ENODEV 19
#define OB_ABI_ENOTDIR 20
#define OB_ABI_EISDIR 21
#define OB_ABI_EINVAL 22
#define OB_ABI_ENFILE 23
#define OB_ABI_EMFILE 24
#define OB_ABI_ENOTTY 25
#define OB_ABI_EFBIG 27
#define OB_ABI_ENOSPC 28
#define OB_ABI_ESPIPE 29
#define OB_ABI_EROFS 30
#define OB_ABI_EMLINK 31
#define OB_ABI_EPIPE 32
#define OB_ABI_ERANGE 34
#define OB_ABI_EDEADLK 45
#define OB_ABI_ENOSYS 88
#define OB_ABI_ENOTEMPTY 90
#define OB_ABI_ENAMETOOLONG 91
#define OB_ABI_ELOOP 92
#define OB_ABI_EOPNOTSUPP 95
#define OB_ABI_ECONNRESET 104
#define OB_ABI_ENOBUFS 105
#define OB_ABI_ENOTCONN 128
#define OB_ABI_ETIMEDOUT 116
#define OB_ABI_ECANCELED 140
#define OB_ABI_EOVERFLOW 139
#define OB_ABI_EPROTO 71
#define OB_ABI_EMSGSIZE 122

#endif /* OUTBOARD_ERRNO_H */
