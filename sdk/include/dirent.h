/*
 * <dirent.h> for outboard guests.
 *
 * newlib for arm-none-eabi declares opendir() but implements none of it (its
 * <sys/dirent.h> is an #error). The SDK's include directory comes before
 * newlib's, so this header and the SDK's implementation (over ob_opendir,
 * ob_readdir and ob_closedir) take their place.
 *
 * Entries: '.' and '..' are not listed (the fs domain skips them).
 * struct dirent has no d_ino: the fs domain does not report inode numbers
 * while listing (stat() does).
 */
#ifndef OUTBOARD_DIRENT_H
#define OUTBOARD_DIRENT_H
/* newlib's guards, so that its <dirent.h>/<sys/dirent.h> stay out. */
#define _DIRENT_H_
#define _SYS_DIRENT_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* d_type values (the common BSD/Linux numbering). */
#define DT_UNKNOWN 0
#define DT_DIR 4
#define DT_REG 8

#ifndef MAXNAMLEN
#define MAXNAMLEN 255
#endif

struct dirent {
	unsigned char d_type;       /* DT_REG, DT_DIR or DT_UNKNOWN (other kinds) */
	char d_name[MAXNAMLEN + 1]; /* NUL-terminated */
};

/* An open directory stream (opaque). */
typedef struct __ob_dir DIR;

/* Opens path; NULL with errno set (ENOENT, ENOTDIR, ENOMEM, ...). */
DIR *opendir(const char *path);

/*
 * The next entry, or NULL at the end (errno unchanged) or on error (errno
 * set; ENAMETOOLONG for a name longer than MAXNAMLEN). The entry is
 * overwritten by the next readdir on the same stream.
 */
struct dirent *readdir(DIR *dir);

/* Starts the listing again from the first entry. */
void rewinddir(DIR *dir);

/* Closes the stream and frees it; 0, or -1 with errno set. */
int closedir(DIR *dir);

#ifdef __cplusplus
}
#endif

#endif /* OUTBOARD_DIRENT_H */
