/*
 * The console fds (see console.h).
 */
#include "console.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs.pb-c.h"
#include "layout.h"
#include "mem.h"
#include "outboard.pb-c.h"
#include "outboard/errno.h"

int obh_console_write(int host_fd, const void *buf, uint32_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(host_fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (uint32_t)n;
	}
	return 0;
}

static int64_t console_write(struct obh_mem *mem, const struct obh_fd *f, uint32_t addr,
			     uint32_t len)
{
	if (f->host_fd == 0)
		return -OB_ABI_EBADF;
	const void *direct = obh_mem_host_ptr(mem, addr, len, OBH_PROT_R);
	void *copy = NULL;
	if (!direct && len) {
		copy = malloc(len);
		if (!copy)
			return -OB_ABI_ENOMEM;
		if (obh_mem_read(mem, addr, copy, len)) {
			free(copy);
			return -OB_ABI_EFAULT;
		}
		direct = copy;
	}
	int err = obh_console_write(f->host_fd, direct, len);
	free(copy);
	return err ? -ob_errno_to_abi(-err) : (int64_t)len;
}

static int64_t console_fstat(struct obh_mem *mem, uint32_t addr)
{
	Ob__FileStat st = OB__FILE_STAT__INIT;
	uint8_t buf[128];
	st.type = OB__FILE_TYPE__FILE_TYPE_OTHER;
	st.mode = 0620;
	st.nlink = 1;
	st.blksize = 1024;
	obh_layout_encode(&ob__file_stat__descriptor, &st.base, buf);
	int err = obh_mem_write(mem, addr, buf, obh_layout_size(&ob__file_stat__descriptor));
	return err ? -OB_ABI_EFAULT : 0;
}

int64_t obh_console_call(struct obh_mem *mem, const struct obh_call *c, const struct obh_fd *f,
			 const uint32_t *v)
{
	switch (c->num) {
	case OB__REQUEST__CALL_FS_WRITE:
		return console_write(mem, f, v[1], v[2]);
	case OB__REQUEST__CALL_FS_READ:
		return f->host_fd == 0 ? 0 : -OB_ABI_EBADF;
	case OB__REQUEST__CALL_FS_FSTAT:
		return console_fstat(mem, v[1]);
	case OB__REQUEST__CALL_FS_CLOSE:
	case OB__REQUEST__CALL_FS_FSYNC:
		return 0;
	case OB__REQUEST__CALL_FS_LSEEK:
	case OB__REQUEST__CALL_FS_PREAD:
	case OB__REQUEST__CALL_FS_PWRITE:
		return -OB_ABI_ESPIPE;
	default:
		return -OB_ABI_EINVAL;
	}
}
