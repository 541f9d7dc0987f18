/*
 * <sys/statvfs.h> for outboard guests (newlib for arm-none-eabi has none),
 * over ob_statvfs.
 */
#ifndef OUTBOARD_SYS_STATVFS_H
#define OUTBOARD_SYS_STATVFS_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* f_flag bits. The fs domain reports neither, so f_flag is 0. */
#define ST_RDONLY 1
#define ST_NOSUID 2

struct statvfs {
	unsigned long f_bsize;   /* block size */
	unsigned long f_frsize;  /* fundamental block size (= f_bsize) */
	fsblkcnt_t f_blocks;     /* size of the filesystem, in f_frsize units */
	fsblkcnt_t f_bfree;      /* free blocks */
	fsblkcnt_t f_bavail;     /* free blocks for this program */
	fsfilcnt_t f_files;      /* file nodes (saturated at the type's maximum) */
	fsfilcnt_t f_ffree;      /* free file nodes (saturated) */
	fsfilcnt_t f_favail;     /* = f_ffree */
	unsigned long f_fsid;    /* 0 */
	unsigned long f_flag;    /* 0 */
	unsigned long f_namemax; /* longest file name */
};

/* Describes the filesystem holding path; 0, or -1 with errno set. */
int statvfs(const char *path, struct statvfs *buf);

#ifdef __cplusplus
}
#endif

#endif /* OUTBOARD_SYS_STATVFS_H */
