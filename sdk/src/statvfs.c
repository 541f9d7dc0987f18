/*
 * statvfs() over ob_statvfs (<sys/statvfs.h>).
 */
#include <outboard.h>

#include <stdint.h>
#include <sys/statvfs.h>

#include "sdk_internal.h"

/* fsfilcnt_t is 32 bits in newlib; the wire's counts are 64. */
static fsfilcnt_t saturate(uint64_t v)
{
	fsfilcnt_t max = (fsfilcnt_t)-1;
	return v > max ? max : (fsfilcnt_t)v;
}

int statvfs(const char *path, struct statvfs *buf)
{
	struct ob_fs_space s;
	int r = ob_statvfs(path, &s);
	if (r < 0)
		return __ob_ret(r);
	*buf = (struct statvfs){
		.f_bsize = s.block_size,
		.f_frsize = s.block_size,
		.f_blocks = s.total_blocks,
		.f_bfree = s.free_blocks,
		.f_bavail = s.avail_blocks,
		.f_files = saturate(s.files),
		.f_ffree = saturate(s.free_files),
		.f_favail = saturate(s.free_files),
		.f_namemax = s.name_max,
	};
	return 0;
}
