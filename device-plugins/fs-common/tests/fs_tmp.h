/* Host-side helpers for fs tests: temporary trees made and removed with
 * ordinary host calls. Each aborts the test (cmocka fail) on error. */
#ifndef OBF_FS_TMP_H
#define OBF_FS_TMP_H

#include <stddef.h>

/* A new empty directory under $TMPDIR (or /tmp); free() the result. */
char *tt_mkdtemp(const char *tag);
/* Remove a tree, not following symlinks. Missing is fine. */
void tt_rm_rf(const char *path);
/* dir/rel into buf (size bytes); returns buf. */
char *tt_join(char *buf, size_t size, const char *dir, const char *rel);
/* Create dir/rel with content. */
void tt_write(const char *dir, const char *rel, const char *content);
/* Create the directory dir/rel. */
void tt_mkdir(const char *dir, const char *rel);
/* Whether dir/rel exists (lstat). */
int tt_exists(const char *dir, const char *rel);

#endif /* OBF_FS_TMP_H */
