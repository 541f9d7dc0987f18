/*
 * Seeding the tree from a host directory at start (--seed DIR). Only
 * regular files and directories are copied; symlinks are not followed
 * (the seed is a snapshot of the directory itself, and a link could lead
 * anywhere on the host) and special files are skipped, each with a
 * warning. Permission bits and times are kept.
 */
#define _GNU_SOURCE
#include "mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "obf/stat.h"
#include "outboard/log.h"

/* Deeper trees are refused rather than risking the stack. */
#define SEED_MAX_DEPTH 128

static void keep_host_attrs(struct obm_node *n, const struct stat *st)
{
	n->mode = (uint32_t)(st->st_mode & 0777);
	n->mtime_ns = obf_timespec_ns(&st->st_mtim);
	n->atime_ns = obf_timespec_ns(&st->st_atim);
}

/* Fill file n with the contents of fd (size bytes at most). */
static int copy_contents(struct obm *m, struct obm_node *n, int fd, off_t size,
			 const char *host_path)
{
	size_t got = 0;
	int rc = obm_file_resize(m, n, (uint64_t)size);

	if (rc < 0) {
		OB_ERROR(OBM_LOG, "seed: %s does not fit in --max-bytes %llu", host_path,
			 (unsigned long long)m->max_bytes);
		return rc;
	}
	while (got < n->size) {
		ssize_t r = read(fd, n->data + got, n->size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			OB_ERROR(OBM_LOG, "seed: reading %s: %s", host_path, strerror(errno));
			return rc;
		}
		if (r == 0)
			break; /* it shrank while we read: keep what there was */
		got += (size_t)r;
	}
	return obm_file_resize(m, n, got);
}

static int seed_file(struct obm *m, int dfd, const char *name, struct obm_node *into,
		     const char *host_path)
{
	struct stat st;
	struct obm_node *n;
	int fd, rc;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		OB_ERROR(OBM_LOG, "seed: cannot open %s: %s", host_path, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		OB_ERROR(OBM_LOG, "seed: %s changed while seeding", host_path);
		close(fd);
		return -EAGAIN;
	}
	n = obm_node_new(m, OB__FILE_TYPE__FILE_TYPE_REGULAR, 0);
	rc = n ? 0 : -ENOMEM;
	if (n) {
		obm_node_ref(n);
		rc = copy_contents(m, n, fd, st.st_size, host_path);
		keep_host_attrs(n, &st);
		if (rc == 0)
			rc = obm_dir_link(into, name, n);
		obm_node_unref(m, n);
	}
	close(fd);
	return rc;
}

static int seed_dir(struct obm *m, int dfd, struct obm_node *into, char *host_path,
		    int depth);

static int seed_subdir(struct obm *m, int dfd, const char *name, struct obm_node *into,
		       char *host_path, int depth)
{
	struct stat st;
	struct obm_node *n;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc;

	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = -errno;
		OB_ERROR(OBM_LOG, "seed: cannot open %s: %s", host_path, strerror(-rc));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	n = obm_node_new(m, OB__FILE_TYPE__FILE_TYPE_DIRECTORY, 0);
	if (!n) {
		close(fd);
		return -ENOMEM;
	}
	obm_node_ref(n);
	rc = obm_dir_link(into, name, n);
	if (rc == 0)
		rc = seed_dir(m, fd, n, host_path, depth + 1); /* takes fd */
	else
		close(fd);
	keep_host_attrs(n, &st); /* after its entries touched it */
	obm_node_unref(m, n);
	return rc;
}

/* One entry of a host directory; host_path holds its path for messages. */
static int seed_entry(struct obm *m, int dfd, const char *name, struct obm_node *into,
		      char *host_path, int depth)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		int rc = -errno;
		OB_ERROR(OBM_LOG, "seed: %s: %s", host_path, strerror(-rc));
		return rc;
	}
	if (S_ISREG(st.st_mode))
		return seed_file(m, dfd, name, into, host_path);
	if (S_ISDIR(st.st_mode))
		return seed_subdir(m, dfd, name, into, host_path, depth);
	OB_WARN(OBM_LOG, "seed: skipping %s: %s", host_path,
		S_ISLNK(st.st_mode) ? "symlinks are not copied" : "not a regular file or directory");
	return 0;
}

/* Copy the entries of the directory open at dfd (which this closes). */
static int seed_dir(struct obm *m, int dfd, struct obm_node *into, char *host_path, int depth)
{
	size_t base = strlen(host_path);
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (depth > SEED_MAX_DEPTH) {
		OB_ERROR(OBM_LOG, "seed: %s is more than %d directories deep", host_path,
			 SEED_MAX_DEPTH);
		close(dfd);
		return -ELOOP;
	}
	d = fdopendir(dfd);
	if (!d) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	while (rc == 0 && (errno = 0, e = readdir(d)) != NULL) {
		if (obf_name_is_dots(e->d_name))
			continue;
		if (base + 1 + strlen(e->d_name) >= OBF_PATH_MAX) {
			OB_ERROR(OBM_LOG, "seed: path too long under %s", host_path);
			rc = -ENAMETOOLONG;
			break;
		}
		sprintf(host_path + base, "/%s", e->d_name);
		rc = seed_entry(m, dirfd(d), e->d_name, into, host_path, depth);
		host_path[base] = '\0';
	}
	if (rc == 0 && errno != 0)
		rc = -errno;
	closedir(d);
	return rc;
}

int obm_seed(struct obm *m, const char *host_dir)
{
	char *path = malloc(OBF_PATH_MAX);
	int fd, rc;

	if (!path)
		return -ENOMEM;
	if (strlen(host_dir) >= OBF_PATH_MAX) {
		free(path);
		return -ENAMETOOLONG;
	}
	strcpy(path, host_dir);
	fd = open(host_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		OB_ERROR(OBM_LOG, "seed: cannot open directory %s: %s", host_dir, strerror(errno));
	} else {
		rc = seed_dir(m, fd, m->root, path, 0);
	}
	free(path);
	return rc;
}
