/*
 * fs-mem: the fs domain served from an in-memory tree, optionally seeded
 * from a host directory at start. It answers every request as fs-hostdir
 * does (the common layer in fs-common does most of that; the tree follows
 * Linux's rules for the rest), so a guest sees the same errno from both.
 *
 * The tree: directories hold named entries in creation order; regular
 * files hold a growable byte buffer. There are no symlinks, hard links or
 * special files. Paths resolve component by component from the root, and
 * ".." at the root stays there, as openat2 RESOLVE_IN_ROOT does.
 *
 * Lifetime: a node is referenced by its directory entry (while linked) and
 * by each open file or directory handle. An unlinked file that is still
 * open stays readable and writable and keeps its bytes counted against
 * --max-bytes until the last handle closes (POSIX semantics).
 *
 * Files are not sparse: a gap left by a write past the end or by
 * ftruncate is stored, and counts against --max-bytes (ENOSPC), where a
 * host filesystem under fs-hostdir may keep a hole.
 *
 * Permission bits are stored and reported but not enforced: the plugin
 * plays the files' owner, and fs-hostdir usually runs as that owner too.
 *
 * Names: obm_ is private to fs-mem.
 */
#ifndef OBM_MEM_H
#define OBM_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "obf/fs.h"
#include "outboard/plugin.h"

#define OBM_LOG "fs-mem"

/* Total file bytes allowed when --max-bytes is not given. */
#define OBM_DEFAULT_MAX_BYTES (1ull << 30)
/* The block size statvfs and fstat report. */
#define OBM_BLOCK 4096u

struct obm_node;

struct obm_entry {
	char *name;
	struct obm_node *node;
	uint64_t seq; /* creation order; readdir resumes after the last one seen */
};

struct obm_node {
	uint32_t type; /* OB__FILE_TYPE__FILE_TYPE_REGULAR or _DIRECTORY */
	uint32_t mode; /* 0777 bits */
	uint64_t ino;
	uint64_t atime_ns, mtime_ns, ctime_ns;
	unsigned refs;         /* directory entry (while linked) + open handles */
	bool linked;
	struct obm_node *parent; /* directories: the one holding it (root: itself) */

	/* Regular files. */
	uint8_t *data;
	size_t size, cap;

	/* Directories. */
	struct obm_entry *ents;
	size_t n_ents, cap_ents;
	uint64_t next_seq;
	uint32_t n_subdirs;
};

struct obm {
	struct obm_node *root;
	uint64_t next_ino;
	uint64_t bytes;     /* file bytes held, open-but-unlinked files included */
	uint64_t max_bytes;
	uint64_t nodes;
	mode_t umask;       /* applied to created files and directories */
};

/* A new empty tree allowing max_bytes file bytes (0: the default).
 * 0 or -ENOMEM. */
int obm_create(uint64_t max_bytes, struct obm **out);

/* Free the tree. Open handles must be closed first. NULL is fine. */
void obm_destroy(struct obm *m);

/* The backend's ops for obf_fs_create (be is the struct obm *). */
extern const struct obf_ops obm_ops;

/* A new tree seeded from seed_dir (NULL: empty) wrapped in the common fs.
 * 0 or a negated errno (seeding errors are logged). */
int obm_fs_create(const char *seed_dir, uint64_t max_bytes, bool read_only,
		  struct obf_fs **out);

/* A size for --max-bytes: "N", or N with a suffix K, M or G (powers of
 * 1024), N > 0. 0 and *out, or -EINVAL. */
int obm_parse_size(const char *s, uint64_t *out);

/* tree.c: nodes */

/* A new node of type with mode & ~umask, not linked anywhere, refs 0.
 * NULL when out of memory. */
struct obm_node *obm_node_new(struct obm *m, uint32_t type, uint32_t mode);
void obm_node_ref(struct obm_node *n);
/* Drop one reference; frees the node (and its bytes) at zero. */
void obm_node_unref(struct obm *m, struct obm_node *n);

/* The entry named name (len bytes) in dir, or NULL. */
struct obm_entry *obm_dir_find(struct obm_node *dir, const char *name, size_t len);
/* Make room for one more entry in dir: 0 or -ENOMEM. */
int obm_dir_reserve(struct obm_node *dir);
/* Add an entry after obm_dir_reserve; cannot fail. Takes name (malloc'd)
 * and the caller's reference to child, which becomes the entry's. */
void obm_dir_add(struct obm_node *dir, char *name, struct obm_node *child);
/* Link child into dir as name (not present yet), with a new reference.
 * 0 or -ENOMEM. */
int obm_dir_link(struct obm_node *dir, const char *name, struct obm_node *child);
/* Remove entry e from dir and return its node; the entry's reference
 * becomes the caller's and the node's linked/parent fields are left as
 * they were (for rename). */
struct obm_node *obm_dir_detach(struct obm_node *dir, struct obm_entry *e);
/* Remove entry e from dir for good, dropping its reference. */
void obm_dir_unlink(struct obm *m, struct obm_node *dir, struct obm_entry *e);

/* Resolve path from the root (see above): 0 and *out, or -ENOENT,
 * -ENOTDIR (a non-directory in the middle, or before a trailing '/'). */
int obm_resolve(const struct obm *m, const char *path, struct obm_node **out);
/* The directory that holds p->last: 0 and *out, or -ENOENT/-ENOTDIR. */
int obm_resolve_parent(const struct obm *m, const struct obf_path *p, struct obm_node **out);

/* Set a file's size to len, zero-filling growth. 0, or -ENOSPC past
 * max_bytes (or when memory runs out). */
int obm_file_resize(struct obm *m, struct obm_node *f, uint64_t len);

/* Fill st from n. */
void obm_node_stat(const struct obm_node *n, Ob__FileStat *st);

/* seed.c */

/* Copy the regular files and directories under host_dir into the root,
 * recursively; symlinks and special files are skipped with a warning.
 * 0 or a negated errno (-ENOSPC past max_bytes). */
int obm_seed(struct obm *m, const char *host_dir);

/* The plugin (plugin.c): what outboard-fs-mem runs. */
extern const struct ob_plugin obm_plugin;

#endif /* OBM_MEM_H */
