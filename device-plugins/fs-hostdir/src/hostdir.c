/* fs-hostdir's backend operations (see hostdir.h). */
#define _GNU_SOURCE
#include "hostdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "obf/stat.h"
#include "outboard/log.h"

struct hd_file {
	int fd;
};

struct hd_dir {
	DIR *d;
	char *path; /* the guest path it was opened with, to resolve symlinked entries */
};

static int neg_errno(void)
{
	return -errno;
}

/* --- open files --- */

static int hd_open(void *be, const char *path, const struct obf_open_flags *f, uint32_t mode,
		   void **file)
{
	struct hd_file *hf = malloc(sizeof(*hf));
	int fd;

	if (!hf)
		return -ENOMEM;
	fd = obhd_open_regular(be, path, f, (mode_t)mode);
	if (fd < 0) {
		free(hf);
		return fd;
	}
	hf->fd = fd;
	*file = hf;
	return 0;
}

static int hd_close(void *be, void *file)
{
	struct hd_file *hf = file;
	int rc = close(hf->fd) == 0 || errno == EINTR ? 0 : neg_errno();

	(void)be;
	free(hf);
	return rc;
}

static int64_t hd_pread(void *be, void *file, void *buf, size_t count, uint64_t offset)
{
	struct hd_file *hf = file;
	ssize_t n;

	(void)be;
	do
		n = pread(hf->fd, buf, count, (off_t)offset);
	while (n < 0 && errno == EINTR);
	return n < 0 ? neg_errno() : n;
}

static int64_t hd_pwrite(void *be, void *file, const void *buf, size_t count, uint64_t offset)
{
	struct hd_file *hf = file;
	ssize_t n;

	(void)be;
	do
		n = pwrite(hf->fd, buf, count, (off_t)offset);
	while (n < 0 && errno == EINTR);
	return n < 0 ? neg_errno() : n;
}

static int hd_fstat(void *be, void *file, Ob__FileStat *st)
{
	struct hd_file *hf = file;
	struct stat s;

	(void)be;
	if (fstat(hf->fd, &s) != 0)
		return neg_errno();
	obf_stat_from_host(&s, st);
	return 0;
}

static int hd_ftruncate(void *be, void *file, uint64_t length)
{
	struct hd_file *hf = file;

	(void)be;
	return ftruncate(hf->fd, (off_t)length) == 0 ? 0 : neg_errno();
}

static int hd_fsync(void *be, void *file)
{
	struct hd_file *hf = file;

	(void)be;
	return fsync(hf->fd) == 0 ? 0 : neg_errno();
}

/* --- paths --- */

static int hd_stat(void *be, const char *path, Ob__FileStat *st)
{
	struct stat s;
	int fd = obhd_open_in_root(be, path, O_PATH, 0);
	int rc = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, &s) == 0)
		obf_stat_from_host(&s, st);
	else
		rc = neg_errno();
	close(fd);
	return rc;
}

static int hd_statvfs(void *be, const char *path, Ob__FsSpace *sp)
{
	struct statvfs sv;
	int fd = obhd_open_in_root(be, path, O_PATH, 0);
	int rc = 0;

	if (fd < 0)
		return fd;
	if (fstatvfs(fd, &sv) == 0)
		obf_space_from_host(&sv, sp);
	else
		rc = neg_errno();
	close(fd);
	return rc;
}

static int hd_unlink(void *be, const struct obf_path *p)
{
	int dfd = obhd_open_parent(be, p);
	int rc;

	if (dfd < 0)
		return dfd;
	rc = unlinkat(dfd, p->last, 0) == 0 ? 0 : neg_errno();
	close(dfd);
	return rc;
}

static int hd_rmdir(void *be, const struct obf_path *p)
{
	int dfd = obhd_open_parent(be, p);
	int rc;

	if (dfd < 0)
		return dfd;
	rc = unlinkat(dfd, p->last, AT_REMOVEDIR) == 0 ? 0 : neg_errno();
	close(dfd);
	return rc;
}

static int hd_mkdir(void *be, const struct obf_path *p, uint32_t mode)
{
	int dfd = obhd_open_parent(be, p);
	int rc;

	if (dfd < 0)
		return dfd;
	rc = mkdirat(dfd, p->last, (mode_t)mode) == 0 ? 0 : neg_errno();
	close(dfd);
	return rc;
}

static int hd_rename(void *be, const struct obf_path *from, const struct obf_path *to)
{
	int sfd = obhd_open_parent(be, from);
	int dfd, rc;

	if (sfd < 0)
		return sfd;
	dfd = obhd_open_parent(be, to);
	if (dfd < 0) {
		close(sfd);
		return dfd;
	}
	rc = renameat(sfd, from->last, dfd, to->last) == 0 ? 0 : neg_errno();
	close(dfd);
	close(sfd);
	return rc;
}

/* --- directories --- */

static int hd_opendir(void *be, const char *path, void **dir)
{
	struct hd_dir *hd = calloc(1, sizeof(*hd));
	int pfd, fd, rc = -ENOMEM;

	if (!hd || !(hd->path = strdup(path)))
		goto fail;
	pfd = obhd_open_in_root(be, path, O_PATH | O_DIRECTORY, 0);
	if (pfd < 0) {
		rc = pfd;
		goto fail;
	}
	/* "." of the directory itself: nothing to resolve, nothing to escape. */
	fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = fd < 0 ? neg_errno() : 0;
	close(pfd);
	if (rc < 0)
		goto fail;
	hd->d = fdopendir(fd);
	if (!hd->d) {
		rc = neg_errno();
		close(fd);
		goto fail;
	}
	*dir = hd;
	return 0;
fail:
	if (hd)
		free(hd->path);
	free(hd);
	return rc;
}

/* A symlink entry's type is its target's, resolved inside the root; a
 * dangling link or one to a special file is OTHER. */
static uint32_t link_type(const struct obhd *h, const struct hd_dir *hd, const char *name)
{
	char path[OBF_PATH_MAX];
	struct stat st;
	uint32_t type = OB__FILE_TYPE__FILE_TYPE_OTHER;
	int n = snprintf(path, sizeof(path), "%s/%s", hd->path, name);
	int fd;

	if (n < 0 || (size_t)n >= sizeof(path))
		return type;
	fd = obhd_open_in_root(h, path, O_PATH, 0);
	if (fd < 0)
		return type;
	if (fstat(fd, &st) == 0)
		type = obf_type_from_mode(st.st_mode);
	close(fd);
	return type;
}

static uint32_t entry_type(const struct obhd *h, const struct hd_dir *hd,
			   const struct dirent *e)
{
	struct stat st;

	switch (e->d_type) {
	case DT_REG:
		return OB__FILE_TYPE__FILE_TYPE_REGULAR;
	case DT_DIR:
		return OB__FILE_TYPE__FILE_TYPE_DIRECTORY;
	case DT_LNK:
		return link_type(h, hd, e->d_name);
	case DT_UNKNOWN:
		if (fstatat(dirfd(hd->d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			return OB__FILE_TYPE__FILE_TYPE_OTHER;
		if (S_ISLNK(st.st_mode))
			return link_type(h, hd, e->d_name);
		return obf_type_from_mode(st.st_mode);
	default:
		return OB__FILE_TYPE__FILE_TYPE_OTHER;
	}
}

static int hd_readdir(void *be, void *dir, char name[OBF_NAME_MAX + 1], uint32_t *type)
{
	struct hd_dir *hd = dir;
	struct dirent *e;

	for (;;) {
		errno = 0;
		e = readdir(hd->d);
		if (!e)
			return errno ? neg_errno() : 0;
		if (!obf_name_is_dots(e->d_name) && strlen(e->d_name) <= OBF_NAME_MAX)
			break;
	}
	strcpy(name, e->d_name);
	*type = entry_type(be, hd, e);
	return 1;
}

static void hd_closedir(void *be, void *dir)
{
	struct hd_dir *hd = dir;

	(void)be;
	closedir(hd->d);
	free(hd->path);
	free(hd);
}

static void hd_destroy(void *be)
{
	obhd_destroy(be);
}

const struct obf_ops obhd_ops = {
	.size = sizeof(struct obf_ops),
	.open = hd_open,
	.close = hd_close,
	.pread = hd_pread,
	.pwrite = hd_pwrite,
	.fstat = hd_fstat,
	.ftruncate = hd_ftruncate,
	.fsync = hd_fsync,
	.stat = hd_stat,
	.unlink = hd_unlink,
	.rename = hd_rename,
	.mkdir = hd_mkdir,
	.rmdir = hd_rmdir,
	.opendir = hd_opendir,
	.readdir = hd_readdir,
	.closedir = hd_closedir,
	.statvfs = hd_statvfs,
	.destroy = hd_destroy,
};

/* --- lifecycle --- */

int obhd_create(const char *root, struct obhd **out)
{
	struct obhd *hd;
	int fd, rc;

	*out = NULL;
	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rc = neg_errno();
		OB_ERROR(OBHD_LOG, "cannot open root directory %s: %s", root, strerror(-rc));
		return rc;
	}
	rc = obhd_probe_openat2(fd);
	if (rc < 0) {
		OB_ERROR(OBHD_LOG,
			 "openat2(RESOLVE_IN_ROOT) does not work here (%s): it needs Linux >= 5.6 "
			 "and no seccomp filter blocking it; refusing to serve %s without it",
			 strerror(-rc), root);
		close(fd);
		return rc;
	}
	hd = malloc(sizeof(*hd));
	if (!hd) {
		close(fd);
		return -ENOMEM;
	}
	hd->root = fd;
	*out = hd;
	return 0;
}

void obhd_destroy(struct obhd *hd)
{
	if (!hd)
		return;
	close(hd->root);
	free(hd);
}

int obhd_fs_create(const char *root, bool read_only, struct obf_fs **out)
{
	struct obhd *hd;
	int rc = obhd_create(root, &hd);

	*out = NULL;
	if (rc < 0)
		return rc;
	rc = obf_fs_create(&obhd_ops, hd, read_only, out);
	if (rc < 0)
		obhd_destroy(hd);
	return rc;
}
