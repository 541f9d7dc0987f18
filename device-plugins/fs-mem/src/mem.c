/* fs-mem's backend operations (see mem.h). */
#include "mem.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "obf/stat.h"
#include "outboard/log.h"

struct mem_dir {
	struct obm_node *node;
	uint64_t last_seq; /* entries up to this sequence number were listed */
};

static bool is_dir(const struct obm_node *n)
{
	return n->type == OB__FILE_TYPE__FILE_TYPE_DIRECTORY;
}

/* The entry p->last in its parent directory: 0 with *dir and *e (NULL if
 * absent), or -ENOENT/-ENOTDIR for the parent. */
static int lookup_last(struct obm *m, const struct obf_path *p, struct obm_node **dir,
		       struct obm_entry **e)
{
	int rc = obm_resolve_parent(m, p, dir);

	if (rc < 0)
		return rc;
	*e = obm_dir_find(*dir, p->last, strlen(p->last));
	return 0;
}

/* --- open files: the file object is the node, with a reference --- */

static int create_file(struct obm *m, const char *path, uint32_t mode, struct obm_node **out)
{
	struct obf_path p;
	struct obm_node *dir, *n;
	struct obm_entry *e;
	int rc = obf_path_split(path, &p);

	if (rc == 0)
		rc = lookup_last(m, &p, &dir, &e);
	if (rc < 0)
		return rc;
	if (p.kind != OBF_LAST_NAME || p.dir_only)
		return -EISDIR; /* as Linux for O_CREAT on "name/" */
	n = obm_node_new(m, OB__FILE_TYPE__FILE_TYPE_REGULAR, mode);
	if (!n)
		return -ENOMEM;
	obm_node_ref(n);
	rc = obm_dir_link(dir, p.last, n);
	if (rc == 0)
		*out = n;
	obm_node_unref(m, n); /* the entry's reference remains, or none */
	return rc;
}

static int open_existing(struct obm *m, struct obm_node *n, const struct obf_open_flags *f)
{
	if (f->create && f->excl)
		return -EEXIST; /* before the type, as Linux: even a directory */
	if (is_dir(n))
		return -EISDIR;
	if (f->trunc) {
		obm_file_resize(m, n, 0); /* shrinking cannot fail */
		n->mtime_ns = n->ctime_ns = obf_now_ns();
	}
	return 0;
}

static int m_open(void *be, const char *path, const struct obf_open_flags *f, uint32_t mode,
		  void **file)
{
	struct obm *m = be;
	struct obm_node *n = NULL;
	int rc = obm_resolve(m, path, &n);

	if (rc == -ENOENT && f->create)
		rc = create_file(m, path, mode, &n);
	else if (rc == 0)
		rc = open_existing(m, n, f);
	if (rc < 0)
		return rc;
	obm_node_ref(n);
	*file = n;
	return 0;
}

static int m_close(void *be, void *file)
{
	obm_node_unref(be, file);
	return 0;
}

static int64_t m_pread(void *be, void *file, void *buf, size_t count, uint64_t offset)
{
	struct obm_node *n = file;
	size_t avail;

	(void)be;
	n->atime_ns = obf_now_ns();
	if (offset >= n->size)
		return 0;
	avail = n->size - (size_t)offset;
	if (count > avail)
		count = avail;
	memcpy(buf, n->data + offset, count);
	return (int64_t)count;
}

/* Write what fits under max_bytes: a short count, or ENOSPC if nothing does. */
static int64_t m_pwrite(void *be, void *file, const void *buf, size_t count, uint64_t offset)
{
	struct obm *m = be;
	struct obm_node *n = file;
	uint64_t end = offset + count; /* the common layer keeps this below INT64_MAX */
	uint64_t room = m->max_bytes - m->bytes;
	int rc;

	if (end > n->size && end - n->size > room)
		end = n->size + room;
	if (end <= offset)
		return -ENOSPC;
	if (end > n->size) {
		rc = obm_file_resize(m, n, end);
		if (rc < 0)
			return rc;
	}
	memcpy(n->data + offset, buf, (size_t)(end - offset));
	n->mtime_ns = n->ctime_ns = obf_now_ns();
	return (int64_t)(end - offset);
}

static int m_fstat(void *be, void *file, Ob__FileStat *st)
{
	(void)be;
	obm_node_stat(file, st);
	return 0;
}

static int m_ftruncate(void *be, void *file, uint64_t length)
{
	struct obm_node *n = file;
	int rc = obm_file_resize(be, n, length);

	if (rc == 0)
		n->mtime_ns = n->ctime_ns = obf_now_ns();
	return rc;
}

static int m_fsync(void *be, void *file)
{
	(void)be;
	(void)file;
	return 0; /* nothing is more stable than memory gets */
}

/* --- paths --- */

static int m_stat(void *be, const char *path, Ob__FileStat *st)
{
	struct obm_node *n;
	int rc = obm_resolve(be, path, &n);

	if (rc == 0)
		obm_node_stat(n, st);
	return rc;
}

static int m_statvfs(void *be, const char *path, Ob__FsSpace *sp)
{
	struct obm *m = be;
	struct obm_node *n;
	int rc = obm_resolve(m, path, &n);

	if (rc < 0)
		return rc;
	sp->block_size = OBM_BLOCK;
	sp->name_max = OBF_NAME_MAX;
	sp->total_blocks = m->max_bytes / OBM_BLOCK;
	sp->free_blocks = (m->max_bytes - m->bytes) / OBM_BLOCK;
	sp->avail_blocks = sp->free_blocks;
	/* No inode table: every free block could hold one more file. */
	sp->files = m->nodes + sp->free_blocks;
	sp->free_files = sp->free_blocks;
	return 0;
}

static int m_unlink(void *be, const struct obf_path *p)
{
	struct obm_node *dir;
	struct obm_entry *e;
	int rc = lookup_last(be, p, &dir, &e);

	if (rc < 0)
		return rc;
	if (!e)
		return -ENOENT;
	if (is_dir(e->node))
		return -EISDIR;
	obm_dir_unlink(be, dir, e);
	return 0;
}

static int m_mkdir(void *be, const struct obf_path *p, uint32_t mode)
{
	struct obm *m = be;
	struct obm_node *dir, *n;
	struct obm_entry *e;
	int rc = lookup_last(m, p, &dir, &e);

	if (rc < 0)
		return rc;
	if (e)
		return -EEXIST;
	n = obm_node_new(m, OB__FILE_TYPE__FILE_TYPE_DIRECTORY, mode);
	if (!n)
		return -ENOMEM;
	obm_node_ref(n);
	rc = obm_dir_link(dir, p->last, n);
	obm_node_unref(m, n);
	return rc;
}

static int m_rmdir(void *be, const struct obf_path *p)
{
	struct obm_node *dir;
	struct obm_entry *e;
	int rc = lookup_last(be, p, &dir, &e);

	if (rc < 0)
		return rc;
	if (!e)
		return -ENOENT;
	if (!is_dir(e->node))
		return -ENOTDIR;
	if (e->node->n_ents > 0)
		return -ENOTEMPTY;
	obm_dir_unlink(be, dir, e);
	return 0;
}

/* Whether dir is node or lies below it. */
static bool within(const struct obm_node *dir, const struct obm_node *node)
{
	for (;;) {
		if (dir == node)
			return true;
		if (!dir->parent || dir->parent == dir)
			return false;
		dir = dir->parent;
	}
}

/* Linux's rules for replacing an existing target. */
static int check_replace(const struct obm_node *src, const struct obm_node *dst)
{
	if (is_dir(src)) {
		if (!is_dir(dst))
			return -ENOTDIR;
		if (dst->n_ents > 0)
			return -ENOTEMPTY;
	} else if (is_dir(dst)) {
		return -EISDIR;
	}
	return 0;
}

static int m_rename(void *be, const struct obf_path *from, const struct obf_path *to)
{
	struct obm *m = be;
	struct obm_node *sdir, *ddir, *src;
	struct obm_entry *se, *de;
	char *name;
	int rc = lookup_last(m, from, &sdir, &se);

	if (rc < 0)
		return rc;
	if (!se)
		return -ENOENT;
	rc = lookup_last(m, to, &ddir, &de);
	if (rc < 0)
		return rc;
	src = se->node;
	if (de && de->node == src)
		return 0; /* the same file: POSIX says do nothing */
	/* Linux's ancestry checks come before the type checks. */
	if (is_dir(src) && within(ddir, src))
		return -EINVAL; /* into itself */
	if (de && is_dir(de->node) && within(sdir, de->node))
		return -ENOTEMPTY; /* onto a directory that holds the source */
	if (de && (rc = check_replace(src, de->node)) < 0)
		return rc;
	/* Everything that can fail happens before the tree changes. */
	name = strdup(to->last);
	if (!name || obm_dir_reserve(ddir) < 0) {
		free(name);
		return -ENOMEM;
	}
	src = obm_dir_detach(sdir, se);
	de = obm_dir_find(ddir, to->last, strlen(to->last)); /* entries moved */
	if (de)
		obm_dir_unlink(m, ddir, de);
	obm_dir_add(ddir, name, src);
	return 0;
}

/* --- directories --- */

static int m_opendir(void *be, const char *path, void **dir)
{
	struct obm_node *n;
	struct mem_dir *d;
	int rc = obm_resolve(be, path, &n);

	if (rc < 0)
		return rc;
	if (!is_dir(n))
		return -ENOTDIR;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	obm_node_ref(n);
	d->node = n;
	*dir = d;
	return 0;
}

static int m_readdir(void *be, void *dir, char name[OBF_NAME_MAX + 1], uint32_t *type)
{
	struct mem_dir *d = dir;
	struct obm_node *n = d->node;

	(void)be;
	n->atime_ns = obf_now_ns();
	/* Entries are in sequence order: the first one past last_seq is next,
	 * whatever was added or removed since the previous call. */
	for (size_t i = 0; i < n->n_ents; i++) {
		const struct obm_entry *e = &n->ents[i];
		if (e->seq <= d->last_seq)
			continue;
		d->last_seq = e->seq;
		strcpy(name, e->name);
		*type = e->node->type;
		return 1;
	}
	return 0;
}

static void m_closedir(void *be, void *dir)
{
	struct mem_dir *d = dir;

	obm_node_unref(be, d->node);
	free(d);
}

static void m_destroy(void *be)
{
	obm_destroy(be);
}

const struct obf_ops obm_ops = {
	.size = sizeof(struct obf_ops),
	.open = m_open,
	.close = m_close,
	.pread = m_pread,
	.pwrite = m_pwrite,
	.fstat = m_fstat,
	.ftruncate = m_ftruncate,
	.fsync = m_fsync,
	.stat = m_stat,
	.unlink = m_unlink,
	.rename = m_rename,
	.mkdir = m_mkdir,
	.rmdir = m_rmdir,
	.opendir = m_opendir,
	.readdir = m_readdir,
	.closedir = m_closedir,
	.statvfs = m_statvfs,
	.destroy = m_destroy,
};

/* --- lifecycle --- */

int obm_create(uint64_t max_bytes, struct obm **out)
{
	struct obm *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (!m)
		return -ENOMEM;
	m->max_bytes = max_bytes ? max_bytes : OBM_DEFAULT_MAX_BYTES;
	m->next_ino = 1;
	m->umask = obf_process_umask();
	m->root = obm_node_new(m, OB__FILE_TYPE__FILE_TYPE_DIRECTORY, 0777);
	if (!m->root) {
		free(m);
		return -ENOMEM;
	}
	m->root->mode = 0755;
	m->root->parent = m->root; /* ".." at the root stays at the root */
	m->root->refs = 1;          /* the tree's own reference */
	*out = m;
	return 0;
}

/*
 * Free every node without recursion (a tree can be deeper than the stack
 * would like): go down to a directory without subdirectories, empty it,
 * and step back up.
 */
void obm_destroy(struct obm *m)
{
	struct obm_node *cur;

	if (!m)
		return;
	cur = m->root;
	while (cur) {
		struct obm_entry *last = cur->n_ents ? &cur->ents[cur->n_ents - 1] : NULL;

		if (last && is_dir(last->node) && last->node->n_ents > 0) {
			cur = last->node;
		} else if (last) {
			obm_dir_unlink(m, cur, last);
		} else if (cur != m->root) {
			cur = cur->parent;
		} else {
			cur = NULL;
		}
	}
	obm_node_unref(m, m->root);
	if (m->nodes != 0)
		OB_WARN(OBM_LOG, "%llu nodes still referenced at exit",
			(unsigned long long)m->nodes);
	free(m);
}

int obm_fs_create(const char *seed_dir, uint64_t max_bytes, bool read_only,
		  struct obf_fs **out)
{
	struct obm *m;
	int rc = obm_create(max_bytes, &m);

	*out = NULL;
	if (rc < 0)
		return rc;
	if (seed_dir)
		rc = obm_seed(m, seed_dir);
	if (rc == 0)
		rc = obf_fs_create(&obm_ops, m, read_only, out);
	if (rc < 0)
		obm_destroy(m);
	return rc;
}

int obm_parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMG";
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL; /* strtoull would take spaces, '+' and '-' */
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end && end[1] == '\0') {
		const char *u = strchr(units, toupper((unsigned char)*end));
		if (!u)
			return -EINVAL;
		shift = 10u * (unsigned)(u - units + 1);
		end++;
	}
	if (*end || v == 0 || v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}
