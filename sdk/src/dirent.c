/*
 * opendir/readdir/rewinddir/closedir over the fs domain's directory
 * handles (<dirent.h>). A DIR owns its handle and a copy of the path
 * (rewinddir reopens it: the fs domain has no rewind).
 */
#include <outboard.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sdk_internal.h"

struct __ob_dir {
	int handle; /* the fs domain's, via ob_opendir; -1 after a failed rewind */
	char *path;
	struct dirent entry;
};

DIR *opendir(const char *path)
{
	DIR *d = calloc(1, sizeof(*d));
	char *copy = path ? strdup(path) : NULL;
	if (!d || !copy) {
		free(d);
		free(copy);
		errno = path ? ENOMEM : EFAULT;
		return NULL;
	}
	int h = ob_opendir(path);
	if (h < 0) {
		free(d);
		free(copy);
		errno = -h;
		return NULL;
	}
	d->handle = h;
	d->path = copy;
	return d;
}

static unsigned char d_type_from_ob(int type)
{
	return type == OB_DT_FILE ? DT_REG : type == OB_DT_DIR ? DT_DIR : DT_UNKNOWN;
}

struct dirent *readdir(DIR *d)
{
	if (!d || d->handle < 0) {
		errno = EBADF;
		return NULL;
	}
	int r = ob_readdir(d->handle, d->entry.d_name, sizeof(d->entry.d_name));
	if (r < 0) {
		errno = -r;
		return NULL;
	}
	if (r == OB_DT_END)
		return NULL;
	d->entry.d_type = d_type_from_ob(r);
	return &d->entry;
}

void rewinddir(DIR *d)
{
	if (!d)
		return;
	if (d->handle >= 0)
		ob_closedir(d->handle);
	d->handle = ob_opendir(d->path);
	if (d->handle < 0)
		d->handle = -1; /* readdir then fails with EBADF */
}

int closedir(DIR *d)
{
	if (!d) {
		errno = EBADF;
		return -1;
	}
	int r = d->handle >= 0 ? ob_closedir(d->handle) : 0;
	free(d->path);
	free(d);
	return __ob_ret(r);
}
