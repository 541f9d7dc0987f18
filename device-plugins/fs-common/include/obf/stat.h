/*
 * Filling the wire's FileStat and FsSpace (proto/fs.proto), and the clock
 * and type helpers both fs backends use for them.
 */
#ifndef OBF_STAT_H
#define OBF_STAT_H

#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include "fs.pb-c.h"

/* Nanoseconds since the epoch; 0 for times before it. */
uint64_t obf_timespec_ns(const struct timespec *ts);

/* The host's wall clock (CLOCK_REALTIME) in ns since the epoch. */
uint64_t obf_now_ns(void);

/* OB__FILE_TYPE__REGULAR, __DIRECTORY, or __OTHER for everything else
 * (symlinks, devices, FIFOs, sockets). */
uint32_t obf_type_from_mode(mode_t mode);

/* Fill out (initialised by the caller) from a host stat. */
void obf_stat_from_host(const struct stat *st, Ob__FileStat *out);

/* Fill out (initialised by the caller) from a host statvfs. */
void obf_space_from_host(const struct statvfs *sv, Ob__FsSpace *out);

/* The process umask, read without changing it for longer than two calls.
 * Call it once at start-up (it is not thread-safe against umask users). */
mode_t obf_process_umask(void);

#endif /* OBF_STAT_H */
