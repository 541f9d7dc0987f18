/*
 * Path resolution confined to the root, and the safe open of a regular
 * file (see hostdir.h for the rules and why).
 */
#define _GNU_SOURCE
#include "hostdir.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RESOLVE_CONFINED (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

/* openat2 can fail with EAGAIN while a rename races a ".." walk. */
#define EAGAIN_RETRIES 16
/* An open that finds the name swapped under it starts over this often. */
#define OPEN_RETRIES 4

static int sys_openat2(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (__u64)(unsigned)flags,
		/* openat2 rejects a mode without O_CREAT. */
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_CONFINED,
	};
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

int obhd_probe_openat2(int dirfd)
{
	int fd = sys_openat2(dirfd, ".", O_PATH | O_CLOEXEC, 0);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int obhd_open_in_root(const struct obhd *hd, const char *path, int flags, mode_t mode)
{
	int fd = -EAGAIN;

	for (int i = 0; i < EAGAIN_RETRIES && fd == -EAGAIN; i++)
		fd = sys_openat2(hd->root, path, flags | O_CLOEXEC, mode);
	return fd;
}

int obhd_open_parent(const struct obhd *hd, const struct obf_path *p)
{
	return obhd_open_in_root(hd, p->parent, O_PATH | O_DIRECTORY, 0);
}

/* What an existing name may be opened as: 0, or the errno that refuses it. */
static int refuse_type(mode_t m)
{
	if (S_ISREG(m))
		return 0;
	if (S_ISDIR(m))
		return -EISDIR;
	/* Devices, FIFOs, sockets: never opened. EACCES (not ENXIO): the file
	 * exists and may be listed and stat'ed; outboard denies access to it. */
	return -EACCES;
}

static int same_regular(int fd, const struct stat *want)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return refuse_type(st.st_mode);
	return st.st_dev == want->st_dev && st.st_ino == want->st_ino ? 0 : -EAGAIN;
}

/* Open an existing name: O_PATH and fstat, then the real open. Returns
 * the fd, -ENOENT if the name does not exist, -EAGAIN if it changed
 * between the two steps, or another negated errno. */
static int open_existing(const struct obhd *hd, const char *path,
			 const struct obf_open_flags *f, int host_flags)
{
	struct stat st;
	int pfd, fd, rc;

	pfd = obhd_open_in_root(hd, path, O_PATH, 0);
	if (pfd < 0)
		return pfd;
	rc = fstat(pfd, &st) == 0 ? 0 : -errno;
	close(pfd);
	if (rc < 0)
		return rc;
	if (f->create && f->excl)
		return -EEXIST; /* before the type, as Linux: even a directory */
	rc = refuse_type(st.st_mode);
	if (rc < 0)
		return rc;
	fd = obhd_open_in_root(hd, path, host_flags & ~(O_CREAT | O_EXCL), 0);
	if (fd < 0)
		return fd;
	rc = same_regular(fd, &st);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

/* Create a new file. O_EXCL never follows a symlink in the last
 * component, so the file made is a new regular file in the root. */
static int create_new(const struct obhd *hd, const char *path, int host_flags, mode_t mode)
{
	struct stat st;
	int fd = obhd_open_in_root(hd, path, host_flags | O_CREAT | O_EXCL, mode);

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EACCES;
	}
	return fd;
}

/*
 * A name that vanishes or appears between the steps starts over, a few
 * times. O_CREAT without O_EXCL on a dangling symlink also ends here,
 * as EEXIST: the file is not created through the link.
 */
int obhd_open_regular(const struct obhd *hd, const char *path, const struct obf_open_flags *f,
		      mode_t mode)
{
	int host_flags = obf_open_flags_to_host(f) | O_NONBLOCK | O_NOCTTY;
	int fd = -EAGAIN;

	for (int i = 0; i < OPEN_RETRIES && (fd == -EAGAIN || fd == -EEXIST); i++) {
		fd = open_existing(hd, path, f, host_flags);
		if (fd == -ENOENT && f->create) {
			fd = create_new(hd, path, host_flags, mode);
			if (fd == -EEXIST && f->excl)
				break;
		} else if (fd == -EEXIST) {
			break; /* O_CREAT | O_EXCL on an existing name */
		}
	}
	return fd;
}
