/*
 * A table of the plugin's own handle numbers (the `fd` and `dir` fields of
 * proto/fs.proto). Each handle names one object of one kind; looking a
 * handle up with the wrong kind fails exactly like an unknown handle, so a
 * directory handle used as a file (or the reverse) is EBADF.
 *
 * Numbers start at 1 and the lowest free one is reused. The table stores
 * pointers only and never owns the objects: the caller takes each object
 * back with obf_handles_remove, or gets every remaining one from
 * obf_handles_fini.
 */
#ifndef OBF_HANDLES_H
#define OBF_HANDLES_H

#include <stdint.h>

enum obf_handle_kind {
	OBF_HANDLE_FREE = 0,
	OBF_HANDLE_FILE = 1,
	OBF_HANDLE_DIR = 2,
};

struct obf_handle_slot {
	enum obf_handle_kind kind;
	void *obj;
};

struct obf_handles {
	struct obf_handle_slot *slots;
	uint32_t cap;  /* slots allocated */
	uint32_t used; /* slots in use */
	uint32_t max;  /* most handles at once */
};

/* Default cap on open handles per plugin (files and directories together). */
#define OBF_HANDLES_MAX 4096u

/* An empty table allowing at most max handles (0: OBF_HANDLES_MAX). */
void obf_handles_init(struct obf_handles *t, uint32_t max);

/* Add obj (not NULL) as kind. Returns the new handle (>= 1), -EMFILE when
 * the table is full, or -ENOMEM. The table does not own obj. */
int64_t obf_handles_add(struct obf_handles *t, enum obf_handle_kind kind, void *obj);

/* The object of handle h if it is of this kind, else NULL. */
void *obf_handles_get(const struct obf_handles *t, uint32_t h, enum obf_handle_kind kind);

/* Remove handle h if it is of this kind and return its object (now the
 * caller's again), else NULL and the table is unchanged. */
void *obf_handles_remove(struct obf_handles *t, uint32_t h, enum obf_handle_kind kind);

/* Hand every remaining object to drop (may be NULL) and free the table.
 * Accepts a zeroed table. */
void obf_handles_fini(struct obf_handles *t,
		      void (*drop)(void *arg, enum obf_handle_kind kind, void *obj), void *arg);

#endif /* OBF_HANDLES_H */
