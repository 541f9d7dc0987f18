/*
 * Host (Linux) errno <-> guest ABI errno (newlib's numbering, which is also
 * the numbering of Reply.status on the wire). See outboard/errno.h.
 *
 * One table, OBI_ERRNO_MAP, pairs each host name with its newlib value; both
 * directions are generated from it as switches, so adding a code is one line.
 * It holds every errno both libcs define (every code Linux file and socket
 * calls return that newlib can name). Aliases that share a value on one side
 * (EWOULDBLOCK, Linux's ENOTSUP and EDEADLOCK) are left out of the table,
 * because a switch cannot hold a value twice; newlib's separate values for
 * them are handled in from_abi_alias.
 */
#include <errno.h>

#include "outboard/errno.h"

/* X(host name, newlib value) */
#define OBI_ERRNO_MAP(X) \
	X(EPERM, 1) X(ENOENT, 2) X(ESRCH, 3) X(EINTR, 4) X(EIO, 5) X(ENXIO, 6) \
	X(E2BIG, 7) X(ENOEXEC, 8) X(EBADF, 9) X(ECHILD, 10) X(EAGAIN, 11) \
	X(ENOMEM, 12) X(EACCES, 13) X(EFAULT, 14) X(ENOTBLK, 15) X(EBUSY, 16) \
	X(EEXIST, 17) X(EXDEV, 18) X(ENODEV, 19) X(ENOTDIR, 20) X(EISDIR, 21) \
	X(EINVAL, 22) X(ENFILE, 23) X(EMFILE, 24) X(ENOTTY, 25) X(ETXTBSY, 26) \
	X(EFBIG, 27) X(ENOSPC, 28) X(ESPIPE, 29) X(EROFS, 30) X(EMLINK, 31) \
	X(EPIPE, 32) X(EDOM, 33) X(ERANGE, 34) X(ENOMSG, 35) X(EIDRM, 36) \
	X(ECHRNG, 37) X(EL2NSYNC, 38) X(EL3HLT, 39) X(EL3RST, 40) X(ELNRNG, 41) \
	X(EUNATCH, 42) X(ENOCSI, 43) X(EL2HLT, 44) X(EDEADLK, 45) X(ENOLCK, 46) \
	X(EBADE, 50) X(EBADR, 51) X(EXFULL, 52) X(ENOANO, 53) X(EBADRQC, 54) \
	X(EBADSLT, 55) X(EBFONT, 57) X(ENOSTR, 60) X(ENODATA, 61) X(ETIME, 62) \
	X(ENOSR, 63) X(ENONET, 64) X(ENOPKG, 65) X(EREMOTE, 66) X(ENOLINK, 67) \
	X(EADV, 68) X(ESRMNT, 69) X(ECOMM, 70) X(EPROTO, 71) X(EMULTIHOP, 74) \
	X(EDOTDOT, 76) X(EBADMSG, 77) X(ENOTUNIQ, 80) X(EBADFD, 81) \
	X(EREMCHG, 82) X(ELIBACC, 83) X(ELIBBAD, 84) X(ELIBSCN, 85) \
	X(ELIBMAX, 86) X(ELIBEXEC, 87) X(ENOSYS, 88) X(ENOTEMPTY, 90) \
	X(ENAMETOOLONG, 91) X(ELOOP, 92) X(EOPNOTSUPP, 95) X(EPFNOSUPPORT, 96) \
	X(ECONNRESET, 104) X(ENOBUFS, 105) X(EAFNOSUPPORT, 106) \
	X(EPROTOTYPE, 107) X(ENOTSOCK, 108) X(ENOPROTOOPT, 109) \
	X(ESHUTDOWN, 110) X(ECONNREFUSED, 111) X(EADDRINUSE, 112) \
	X(ECONNABORTED, 113) X(ENETUNREACH, 114) X(ENETDOWN, 115) \
	X(ETIMEDOUT, 116) X(EHOSTDOWN, 117) X(EHOSTUNREACH, 118) \
	X(EINPROGRESS, 119) X(EALREADY, 120) X(EDESTADDRREQ, 121) \
	X(EMSGSIZE, 122) X(EPROTONOSUPPORT, 123) X(ESOCKTNOSUPPORT, 124) \
	X(EADDRNOTAVAIL, 125) X(ENETRESET, 126) X(EISCONN, 127) \
	X(ENOTCONN, 128) X(ETOOMANYREFS, 129) X(EUSERS, 131) X(EDQUOT, 132) \
	X(ESTALE, 133) X(ENOMEDIUM, 135) X(EILSEQ, 138) X(EOVERFLOW, 139) \
	X(ECANCELED, 140) X(ENOTRECOVERABLE, 141) X(EOWNERDEAD, 142) \
	X(ESTRPIPE, 143)

/*
 * Linux codes newlib cannot name, mapped to the nearest newlib code a guest
 * can act on. Anything else unknown becomes EIO.
 */
static int to_abi_nearest(int host_errno)
{
	switch (host_errno) {
	case EMEDIUMTYPE: return 135;     /* ENOMEDIUM */
	case EREMOTEIO: return 5;         /* EIO */
	case EUCLEAN: return 5;           /* EIO: corrupted filesystem */
	case ERESTART: return 4;          /* EINTR */
	case ENOKEY: case EKEYEXPIRED: case EKEYREVOKED: case EKEYREJECTED:
		return 13;                /* EACCES */
	default: return OB_ABI_EIO;
	}
}

int ob_errno_to_abi(int host_errno)
{
	switch (host_errno) {
	case 0: return 0;
#define X(host, abi) case host: return abi;
	OBI_ERRNO_MAP(X)
#undef X
	default: return to_abi_nearest(host_errno);
	}
}

/* newlib values with no code of their own on Linux. */
static int from_abi_alias(int abi_errno)
{
	switch (abi_errno) {
	case 56: return EDEADLK;          /* EDEADLOCK */
	case 134: return ENOTSUP;         /* same value as EOPNOTSUPP on Linux */
	case 79: return EINVAL;           /* EFTYPE: inappropriate file type */
	case 89: return ENOENT;           /* ENMFILE: no more files */
	case 130: return EAGAIN;          /* EPROCLIM: too many processes */
	default: return EIO;
	}
}

int ob_errno_from_abi(int abi_errno)
{
	switch (abi_errno) {
	case 0: return 0;
#define X(host, abi) case abi: return host;
	OBI_ERRNO_MAP(X)
#undef X
	default: return from_abi_alias(abi_errno);
	}
}
