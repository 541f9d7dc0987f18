/*
 * Guest path checks and splitting, shared by the fs backends.
 *
 * A guest path is confined to the backend's root: absolute paths start at
 * the root, relative ones too (the plugin has no working directory), and
 * ".." at the root stays at the root. Resolution itself is each backend's
 * job (openat2 RESOLVE_IN_ROOT for fs-hostdir, a tree walk for fs-mem); this
 * file only checks the string and splits off the last component for the
 * calls that act on a name in a directory (unlink, rename, mkdir, rmdir).
 *
 * Embedded NULs: protobuf-c unpacks a string field into a NUL-terminated
 * char * without its length, so a NUL inside a wire string cannot be seen
 * here; the path is the prefix before it, which is still a path inside the
 * root. Rejecting it would need the receive path to look at the wire bytes.
 */
#ifndef OBF_PATH_H
#define OBF_PATH_H

#include <stdbool.h>

/* Longest path in bytes including its NUL, and longest component, as
 * Linux's PATH_MAX and NAME_MAX (fs-mem uses the same limits so the two
 * backends answer alike). */
#define OBF_PATH_MAX 4096
#define OBF_NAME_MAX 255

/*
 * Check a guest path string. Returns 0; -ENOENT for NULL or ""; or
 * -ENAMETOOLONG when it has OBF_PATH_MAX bytes or more, or a component
 * longer than OBF_NAME_MAX.
 */
int obf_path_check(const char *path);

/* What the last component of a path is. */
enum obf_last {
	OBF_LAST_NAME,   /* an ordinary name */
	OBF_LAST_DOT,    /* "." */
	OBF_LAST_DOTDOT, /* ".." */
	OBF_LAST_ROOT,   /* the path is only slashes: the root itself */
};

/* A path split into the directory that holds its last component and that
 * component, with trailing slashes removed. */
struct obf_path {
	char parent[OBF_PATH_MAX];   /* "." for a bare name, "/" for "/name" */
	char last[OBF_NAME_MAX + 1]; /* "" when kind is OBF_LAST_ROOT */
	enum obf_last kind;
	bool dir_only;               /* the path ended in '/': it must name a directory */
};

/* Check (as obf_path_check) and split path into *out. 0 or a negated errno. */
int obf_path_split(const char *path, struct obf_path *out);

/* Whether name is "." or "..". */
bool obf_name_is_dots(const char *name);

#endif /* OBF_PATH_H */
