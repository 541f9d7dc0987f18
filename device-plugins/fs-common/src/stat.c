/* FileStat/FsSpace filling and clock helpers (see obf/stat.h). */
#include "obf/stat.h"

uint64_t obf_timespec_ns(const struct timespec *ts)
{
	if (ts->tv_sec < 0)
		return 0;
	return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

uint64_t obf_now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return obf_timespec_ns(&ts);
}

uint32_t obf_type_from_mode(mode_t mode)
{
	if (S_ISREG(mode))
		return OB__FILE_TYPE__FILE_TYPE_REGULAR;
	if (S_ISDIR(mode))
		return OB__FILE_TYPE__FILE_TYPE_DIRECTORY;
	return OB__FILE_TYPE__FILE_TYPE_OTHER;
}

void obf_stat_from_host(const struct stat *st, Ob__FileStat *out)
{
	out->type = obf_type_from_mode(st->st_mode);
	out->mode = (uint32_t)(st->st_mode & 0777);
	out->size = st->st_size > 0 ? (uint64_t)st->st_size : 0;
	out->mtime_ns = obf_timespec_ns(&st->st_mtim);
	out->atime_ns = obf_timespec_ns(&st->st_atim);
	out->ctime_ns = obf_timespec_ns(&st->st_ctim);
	out->nlink = (uint32_t)st->st_nlink;
	out->blksize = st->st_blksize > 0 ? (uint32_t)st->st_blksize : 4096u;
	out->ino = (uint64_t)st->st_ino;
}

void obf_space_from_host(const struct statvfs *sv, Ob__FsSpace *out)
{
	/* f_frsize is the unit of the block counts; f_bsize only a hint. */
	unsigned long bs = sv->f_frsize ? sv->f_frsize : sv->f_bsize;

	out->block_size = bs > UINT32_MAX ? UINT32_MAX : (uint32_t)bs;
	out->name_max = sv->f_namemax > UINT32_MAX ? UINT32_MAX : (uint32_t)sv->f_namemax;
	out->total_blocks = sv->f_blocks;
	out->free_blocks = sv->f_bfree;
	out->avail_blocks = sv->f_bavail;
	out->files = sv->f_files;
	out->free_files = sv->f_ffree;
}

mode_t obf_process_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}
