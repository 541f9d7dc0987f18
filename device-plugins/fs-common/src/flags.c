/* ABI open flags -> struct obf_open_flags -> host flags (see obf/flags.h). */
#include "obf/flags.h"

#include <errno.h>
#include <fcntl.h>

#include "fs.pb-c.h"

#define ABI_ACCMODE 3u

/* Flags with a meaning the backends implement. */
#define ABI_HONOURED                                                                   \
	((uint32_t)OB__OPEN_FLAG__OPEN_APPEND | OB__OPEN_FLAG__OPEN_CREAT |            \
	 OB__OPEN_FLAG__OPEN_TRUNC | OB__OPEN_FLAG__OPEN_EXCL | OBF_ABI_O_SYNC)

/* Flags that mean nothing for a plugin-served regular file. */
#define ABI_IGNORED                                                                    \
	(OBF_ABI_O_NBIO | OBF_ABI_O_NONBLOCK | OBF_ABI_O_NOCTTY | OBF_ABI_O_CLOEXEC |   \
	 OBF_ABI_O_BINARY | OBF_ABI_O_TEXT)

uint32_t obf_open_flags_unsupported(uint32_t abi)
{
	return abi & ~(ABI_ACCMODE | ABI_HONOURED | ABI_IGNORED);
}

int obf_open_flags_parse(uint32_t abi, struct obf_open_flags *out)
{
	uint32_t acc = abi & ABI_ACCMODE;

	*out = (struct obf_open_flags){ 0 };
	if (obf_open_flags_unsupported(abi))
		return -EINVAL;
	switch (acc) {
	case OB__OPEN_FLAG__OPEN_RDONLY:
		out->read = true;
		break;
	case OB__OPEN_FLAG__OPEN_WRONLY:
		out->write = true;
		break;
	case OB__OPEN_FLAG__OPEN_RDWR:
		out->read = true;
		out->write = true;
		break;
	default:
		return -EINVAL;
	}
	out->append = (abi & OB__OPEN_FLAG__OPEN_APPEND) != 0;
	out->create = (abi & OB__OPEN_FLAG__OPEN_CREAT) != 0;
	out->excl = (abi & OB__OPEN_FLAG__OPEN_EXCL) != 0;
	out->trunc = (abi & OB__OPEN_FLAG__OPEN_TRUNC) != 0;
	out->sync = (abi & OBF_ABI_O_SYNC) != 0;
	return 0;
}

bool obf_open_flags_mutate(const struct obf_open_flags *f)
{
	return f->write || f->create || f->trunc;
}

int obf_open_flags_to_host(const struct obf_open_flags *f)
{
	int fl;

	if (f->read && f->write)
		fl = O_RDWR;
	else if (f->write)
		fl = O_WRONLY;
	else
		fl = O_RDONLY;
	if (f->create)
		fl |= O_CREAT;
	if (f->create && f->excl)
		fl |= O_EXCL;
	if (f->trunc)
		fl |= O_TRUNC;
	if (f->sync)
		fl |= O_SYNC;
	return fl;
}
