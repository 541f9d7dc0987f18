/*
 * Asking a backend executable what it is: `EXE --describe`, which the
 * plugin SDK answers with one line "NAME VERSION DOMAIN[,DOMAIN...]".
 * `outboard plugins` lists these answers; `outboard run` uses them to learn
 * which domains a chosen backend serves (docs/launcher.md).
 */
#ifndef OBL_DESCRIBE_H
#define OBL_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>

#include "os.h"

/* The most an answer may hold, NUL included. */
#define OBL_DESCRIBE_MAX 2048

/* How long an executable has to answer --describe and exit. */
#define OBL_DESCRIBE_TIMEOUT_MS 2000

/* A backend's answer, parsed. */
struct obl_backend_info {
	char name[64];
	char version[64];
	char domains[64];  /* as printed: "display,input" */
	unsigned mask;     /* the same as OBL_DOMAIN_BIT()s */
};

/*
 * Run `path --describe` through os (stdin and stderr /dev/null, its own
 * process group), bounded by OBL_DESCRIBE_TIMEOUT_MS (then it is killed),
 * and parse its answer into info. 0, or a negated errno with the reason in
 * why: -ETIMEDOUT, -EPROTO (it failed or printed something else), or the
 * errno of starting it.
 */
int obl_describe(const struct obl_os *os, const char *path, struct obl_backend_info *info,
		 char *why, size_t whylen);

/*
 * Run `path --describe-options` the same way: the plugin SDK answers with
 * one line per option a config file may set, "NAME" or "NAME ARG". 0 with
 * the answer in out, or a negated errno with why (a backend built without
 * it fails: the caller then does without).
 */
int obl_describe_options(const struct obl_os *os, const char *path, char out[OBL_DESCRIBE_MAX],
			 char *why, size_t whylen);
/* Does an answer of obl_describe_options list option key ("read-only")? */
bool obl_option_listed(const char *answer, const char *key);

#endif /* OBL_DESCRIBE_H */
