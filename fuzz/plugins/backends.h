/*
 * The backends fuzz_plugins drives: each one's plugin description (the
 * executable's own, from the backend's plugin.c, but for the null display
 * and null sound), and two command lines (plain and variant) pointing into
 * the scratch directory.
 *
 * A context is made the way ob_plugin_main makes it, minus the process:
 * obp_ctx_new, obp_parse_options, init. The caller installs its transport
 * and feeds frames with ob_plugin_dispatch_frame.
 */
#ifndef OBZ_BACKENDS_H
#define OBZ_BACKENDS_H

#include <stdbool.h>

#include "outboard/plugin.h"

/* Places in the scratch directory a backend's run may change. */
enum obz_files {
	OBZ_FILES_NONE = 0,
	OBZ_FILES_READ = 1,     /* reads the root (fs-mem --seed) */
	OBZ_FILES_WRITE = 2,    /* writes in the scratch directory */
	OBZ_FILES_CONFINED = 4, /* fs-hostdir: check for escapes after the run */
};

struct obz_backend {
	const char *name;       /* as the executable's, "fs-hostdir" */
	unsigned files;         /* enum obz_files bits */
};

/* The backends in selector order (byte 0 of an input, modulo their count). */
enum obz_backend_index {
	OBZ_FS_HOSTDIR,
	OBZ_FS_MEM,
	OBZ_DISPLAY_PNG,
	OBZ_DISPLAY_NULL,
	OBZ_SOUND_WAV,
	OBZ_SOUND_NULL,
	OBZ_INPUT_SCRIPT,
	OBZ_N_BACKENDS,
};
/* Size of the shared region fuzz_plugins maps for every input, as a host
 * would offer it: Request.shm_in/shm_out spans of the seeds point into it. */
#define OBZ_SHM_SIZE 65536u

/* Byte-0 bit that selects the variant command line. */
#define OBZ_VARIANT 0x80u

/* Build the command lines. Call once, after obz_scratch_init. */
void obz_backends_init(void);

/* Backend i (0 <= i < OBZ_N_BACKENDS). */
const struct obz_backend *obz_backend(unsigned i);

/* A new context for backend i with the plain or variant command line, its
 * init done. Aborts when that fails: every command line here is valid. */
ob_plugin_ctx *obz_backend_start(unsigned i, bool variant);

/* Stop as ob_plugin_main does: fini, then answer every call still deferred
 * ECANCELED. The context is left for the caller to inspect and free
 * (obp_ctx_free). */
void obz_backend_stop(ob_plugin_ctx *p);

#endif /* OBZ_BACKENDS_H */
