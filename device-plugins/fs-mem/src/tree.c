/* fs-mem's tree: nodes, directory entries, path resolution (see mem.h). */
#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "obf/stat.h"

struct obm_node *obm_node_new(struct obm *m, uint32_t type, uint32_t mode)
{
	struct obm_node *n = calloc(1, sizeof(*n));
	uint64_t now = obf_now_ns();

	if (!n)
		return NULL;
	n->type = type;
	n->mode = mode & 0777 & ~(uint32_t)m->umask;
	n->ino = m->next_ino++;
	n->atime_ns = n->mtime_ns = n->ctime_ns = now;
	n->next_seq = 1;
	m->nodes++;
	return n;
}

void obm_node_ref(struct obm_node *n)
{
	n->refs++;
}

static void node_free(struct obm *m, struct obm_node *n)
{
	m->bytes -= n->size;
	m->nodes--;
	free(n->data);
	free(n->ents); /* empty: a directory is freed only once unlinked, so empty */
	free(n);
}

void obm_node_unref(struct obm *m, struct obm_node *n)
{
	if (--n->refs == 0)
		node_free(m, n);
}

struct obm_entry *obm_dir_find(struct obm_node *dir, const char *name, size_t len)
{
	for (size_t i = 0; i < dir->n_ents; i++) {
		struct obm_entry *e = &dir->ents[i];
		if (strlen(e->name) == len && memcmp(e->name, name, len) == 0)
			return e;
	}
	return NULL;
}

static void touch_dir(struct obm_node *dir)
{
	dir->mtime_ns = dir->ctime_ns = obf_now_ns();
}

int obm_dir_reserve(struct obm_node *dir)
{
	size_t cap;
	struct obm_entry *e;

	if (dir->n_ents < dir->cap_ents)
		return 0;
	cap = dir->cap_ents ? dir->cap_ents * 2 : 8;
	e = realloc(dir->ents, cap * sizeof(*e));
	if (!e)
		return -ENOMEM;
	dir->ents = e;
	dir->cap_ents = cap;
	return 0;
}

void obm_dir_add(struct obm_node *dir, char *name, struct obm_node *child)
{
	dir->ents[dir->n_ents++] = (struct obm_entry){ name, child, dir->next_seq++ };
	child->linked = true;
	child->ctime_ns = obf_now_ns();
	if (child->type == OB__FILE_TYPE__FILE_TYPE_DIRECTORY) {
		child->parent = dir;
		dir->n_subdirs++;
	}
	touch_dir(dir);
}

int obm_dir_link(struct obm_node *dir, const char *name, struct obm_node *child)
{
	char *copy;

	if (obm_dir_reserve(dir) < 0)
		return -ENOMEM;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	child->refs++;
	obm_dir_add(dir, copy, child);
	return 0;
}

struct obm_node *obm_dir_detach(struct obm_node *dir, struct obm_entry *e)
{
	struct obm_node *child = e->node;
	size_t i = (size_t)(e - dir->ents);

	free(e->name);
	/* Keep creation order: readdir positions are sequence numbers. */
	memmove(&dir->ents[i], &dir->ents[i + 1], (dir->n_ents - i - 1) * sizeof(*e));
	dir->n_ents--;
	if (child->type == OB__FILE_TYPE__FILE_TYPE_DIRECTORY)
		dir->n_subdirs--;
	touch_dir(dir);
	return child;
}

void obm_dir_unlink(struct obm *m, struct obm_node *dir, struct obm_entry *e)
{
	struct obm_node *child = obm_dir_detach(dir, e);

	child->linked = false;
	child->parent = NULL;
	child->ctime_ns = obf_now_ns();
	obm_node_unref(m, child);
}

int obm_resolve(const struct obm *m, const char *path, struct obm_node **out)
{
	struct obm_node *cur = m->root;
	const char *p = path;

	for (;;) {
		const char *q;
		size_t len;
		struct obm_entry *e;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (q = p; *q && *q != '/'; q++)
			;
		len = (size_t)(q - p);
		if (cur->type != OB__FILE_TYPE__FILE_TYPE_DIRECTORY)
			return -ENOTDIR;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			cur = cur->parent; /* the root is its own parent */
		} else if (!(len == 1 && p[0] == '.')) {
			e = obm_dir_find(cur, p, len);
			if (!e)
				return -ENOENT;
			cur = e->node;
		}
		p = q;
	}
	/* "name/" must be a directory. */
	if (p > path && p[-1] == '/' && cur->type != OB__FILE_TYPE__FILE_TYPE_DIRECTORY)
		return -ENOTDIR;
	*out = cur;
	return 0;
}

int obm_resolve_parent(const struct obm *m, const struct obf_path *p, struct obm_node **out)
{
	int rc = obm_resolve(m, p->parent, out);

	if (rc == 0 && (*out)->type != OB__FILE_TYPE__FILE_TYPE_DIRECTORY)
		rc = -ENOTDIR;
	return rc;
}

static int reserve(struct obm_node *f, size_t len)
{
	size_t cap;
	uint8_t *d;

	if (len <= f->cap)
		return 0;
	/* Double for appends, but settle for the exact size if that fails. */
	cap = f->cap > len / 2 ? f->cap * 2 : len;
	if (cap < 64)
		cap = 64;
	d = realloc(f->data, cap);
	if (!d && cap != len)
		d = realloc(f->data, cap = len);
	if (!d)
		return -ENOSPC;
	f->data = d;
	f->cap = cap;
	return 0;
}

int obm_file_resize(struct obm *m, struct obm_node *f, uint64_t len)
{
	if (len > f->size) {
		uint64_t grow = len - f->size;
		if (grow > m->max_bytes - m->bytes)
			return -ENOSPC;
		if (len > SIZE_MAX / 2)
			return -EFBIG;
		if (reserve(f, (size_t)len) < 0)
			return -ENOSPC;
		memset(f->data + f->size, 0, (size_t)grow);
		m->bytes += grow;
	} else {
		m->bytes -= f->size - len;
		if (len == 0) {
			free(f->data);
			f->data = NULL;
			f->cap = 0;
		}
	}
	f->size = (size_t)len;
	return 0;
}

void obm_node_stat(const struct obm_node *n, Ob__FileStat *st)
{
	st->type = n->type;
	st->mode = n->mode;
	st->size = n->type == OB__FILE_TYPE__FILE_TYPE_DIRECTORY ? OBM_BLOCK : n->size;
	st->mtime_ns = n->mtime_ns;
	st->atime_ns = n->atime_ns;
	st->ctime_ns = n->ctime_ns;
	if (n->type == OB__FILE_TYPE__FILE_TYPE_DIRECTORY)
		st->nlink = n->linked || n->parent == n ? 2 + n->n_subdirs : 0;
	else
		st->nlink = n->linked ? 1 : 0;
	st->blksize = OBM_BLOCK;
	st->ino = n->ino;
}
