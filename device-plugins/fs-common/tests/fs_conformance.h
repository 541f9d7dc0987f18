/*
 * The fs conformance suite: one set of behavioural tests, run through the
 * handlers against every backend, so that a guest sees the same results
 * and the same errno from fs-hostdir and fs-mem.
 */
#ifndef OBF_FS_CONFORMANCE_H
#define OBF_FS_CONFORMANCE_H

#include <stdbool.h>

#include "obf/fs.h"

struct obf_conf_backend {
	const char *name;
	/*
	 * A fresh fs. With seed_dir (a host directory the suite filled), the
	 * fs must show its contents; the suite removes seed_dir after destroy.
	 * Without it, an empty fs. *state is passed back to destroy.
	 */
	struct obf_fs *(*make)(const char *seed_dir, bool read_only, void **state);
	void (*destroy)(struct obf_fs *fs, void *state);
};

/* Run the suite (cmocka groups); returns the number of failed tests. */
int obf_conformance_run(const struct obf_conf_backend *b);

#endif /* OBF_FS_CONFORMANCE_H */
