/*
 * What `outboard run` was asked to do: the command line and the config file,
 * each parsed into a struct obl_options, then merged (command line wins).
 *
 * Names: obl_ is private to the launcher.
 *
 * Ownership: every string in struct obl_options is owned by it (malloc'd)
 * and freed by obl_options_free, except guest_argv, which points into the
 * argv given to obl_parse_run_args.
 *
 * Errors: functions return 0 or a negated errno and write a one-line
 * message (without a trailing newline) into err.
 */
#ifndef OBL_OPTIONS_H
#define OBL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

enum obl_domain {
	OBL_FS,
	OBL_DISPLAY,
	OBL_SOUND,
	OBL_INPUT,
	OBL_DOMAIN_COUNT
};

/* "fs", "display", "sound", "input". */
const char *obl_domain_name(enum obl_domain d);
/* The domain named name, or -1. */
int obl_domain_from_name(const char *name);

/* A set of domains: bit (1u << d) for each enum obl_domain d. */
#define OBL_DOMAIN_BIT(d) (1u << (unsigned)(d))

/* "fs,input": the domains in mask, in domain order, in buf (returned). */
const char *obl_domain_list(unsigned mask, char *buf, size_t size);

/* Parse a comma-separated list of domain names ("display,input") into a
 * mask. 0, or -EINVAL for an empty list or an unknown name. */
int obl_domain_mask(const char *list, unsigned *mask);

/* One option for a plugin, from a config section: "--key value". */
struct obl_kv {
	char *key;   /* dashes, without the leading "--" */
	char *value; /* as written: "true" and "false" are handled when argv is built */
	int line;    /* its line in the config file; 0 when not from one */
};

struct obl_domain_conf {
	char *backend;       /* "none", NAME, PATH or URL; NULL = not given */
	char *arg;           /* primary argument (NAME:ARG, --fs DIR); NULL = none */
	struct obl_kv *opts; /* config file options, in file order, keys unique */
	size_t n_opts;
	bool read_only;      /* fs: SPEC:ro (--mount /=SPEC:ro, --fs SPEC:ro) */
};

/* An fs mount besides "/" (--mount PATH=SPEC, [mount] PATH = SPEC). */
struct obl_mount_conf {
	char *point;         /* normalised: "/tmp" */
	char *backend;       /* "none", NAME, PATH or URL */
	char *arg;           /* primary argument (hostdir:DIR), or NULL */
	bool read_only;      /* SPEC:ro */
};

/* One change to the guest's environment: set NAME to value, or unset it
 * (value NULL). Both owned. */
struct obl_env_op {
	char *name;
	char *value;
};

/* Settings that go to the CPU host (and the log level, to every child). */
struct obl_run_conf {
	int log_level;  /* enum ob_log_level, or -1 when not given */
	int verbose;    /* how many -v */
	char *trace;    /* NULL = not given */
	int stats;      /* -1 not given, 0 or 1 */
	char *heap_max;
	char *stack;
	char *fs_cache;         /* --fs-cache SIZE, checked by obl_fs_cache_parse */
	char *key;      /* shared key file for tcp:// plugins (--key, [run] key) */
	char *out;      /* output directory (--out, [run] out); NULL = OBL_DEFAULT_OUT */
	char *screen;   /* "WxH", validated and normalised; NULL = not given */
	/* The restart policy (restart.h): crashes within the window that give
	 * up, and the window in seconds. -1: not given. */
	int restart_max;
	int restart_window_s;
	/* The trace's options (command line only): --trace-file, absolute once
	 * the plan checked it can be written; --trace-time; --trace-durations. */
	char *trace_file;
	bool trace_time;
	bool trace_durations;
	/* CPU host time bounds in ms (--call-timeout, --time-limit): -1 = not given. */
	int call_timeout_ms;
	int time_limit_ms;
	/* The guest's environment, as changes to an empty one in order:
	 * [env] entries, then --env and --unset-env (obl_env_resolve). */
	struct obl_env_op *env;
	size_t n_env;
	char *gdb;      /* --gdb [HOST:]PORT / -g PORT for the CPU host; NULL = none */
	/* --record FILE, --replay FILE (command line only; docs/debugging.md):
	 * absolute once the run checked them. Replay starts no plugin. */
	char *record;
	char *replay;
	/* outboard replay --against: the recording, and its route to compare
	 * (the CPU host runs no program then). */
	char *compare;
	char *compare_route;
};

/* Where the default png and wav backends write, under the current
 * directory unless --out says otherwise. */
#define OBL_DEFAULT_OUT "outboard-out"
/* The bounds of each side of --screen WxH. */
#define OBL_SCREEN_MIN 16
#define OBL_SCREEN_MAX 2048

struct obl_options {
	char *config_path;
	struct obl_run_conf run;
	struct obl_domain_conf dom[OBL_DOMAIN_COUNT];
	char *cpu;               /* hidden --cpu EXEC; NULL = outboard-cpu */
	int plugin_timeout_ms;   /* 0 = default */
	bool help, version;
	int guest_argc;          /* PROGRAM and its arguments */
	char **guest_argv;       /* not owned: points into the parsed argv */
	struct obl_mount_conf *mounts; /* in the order given, points unique */
	size_t n_mounts;
};

#define OBL_PLUGIN_TIMEOUT_MS 10000

/* An empty options struct: nothing given. */
void obl_options_init(struct obl_options *o);
/* Free everything o owns and reset it to empty. Accepts a half-built o. */
void obl_options_free(struct obl_options *o);

/*
 * Parse `run [options] PROGRAM [ARGS...]`: argv[0] is "run" (or anything;
 * it is skipped). Options stop at PROGRAM. o must be freshly initialised.
 * PROGRAM is required unless --help or --version was given.
 * Errors: -EINVAL (message in err), -ENOMEM.
 */
int obl_parse_run_args(int argc, char **argv, struct obl_options *o, char *err,
		       size_t errlen);

/*
 * Read the INI config file at path into o (freshly initialised). The format
 * is in docs/launcher.md. Errors name the file and line:
 * "FILE:LINE: unknown section [foo]". Errors: -EINVAL, -ENOENT (and other
 * errnos from opening the file), -ENOMEM.
 */
int obl_config_load(const char *path, struct obl_options *o, char *err, size_t errlen);

/*
 * Fill what the command line (cli) left unset from the config file (file).
 * Moves strings out of file, which is left for obl_options_free. The file's
 * options for a domain are kept only when the command line chose no backend
 * for it, or the same one.
 */
void obl_options_merge(struct obl_options *cli, struct obl_options *file);

/*
 * The log level children get: the given level (or warn) raised by each -v,
 * capped at debug; -1 when neither a level nor -v was given.
 */
int obl_options_log_level(const struct obl_options *o);

/*
 * Check a screen size "WxH": W and H are 1-4 decimal digits, each from
 * OBL_SCREEN_MIN to OBL_SCREEN_MAX, joined by a lower-case 'x'. On success
 * writes the normalised form ("0320x240" -> "320x240") into out (at least
 * 10 bytes) and returns 0; otherwise -EINVAL.
 */
int obl_screen_parse(const char *value, char *out, size_t size);

/*
 * --fs-cache SIZE: "0" (the CPU host's file cache off), or a size of at
 * least 256K: decimal digits with an optional K, M or G suffix, up to 2G.
 * 0 or -EINVAL.
 */
int obl_fs_cache_parse(const char *value);

/*
 * --restart-max N: a whole decimal number from 0 to OBL_RESTART_MAX_LIMIT;
 * --restart-window SEC: from 1 to OBL_RESTART_WINDOW_LIMIT_S. 0 with *out
 * set, or -EINVAL.
 */
int obl_restart_max_parse(const char *value, int *out);
int obl_restart_window_parse(const char *value, int *out);

/* Set key to value (both copied) in a domain's options, replacing an earlier
 * value for the same key. 0 or -ENOMEM. */
int obl_domain_set_opt(struct obl_domain_conf *dc, const char *key, const char *value);
/* The value of key, or NULL. */
const char *obl_domain_get_opt(const struct obl_domain_conf *dc, const char *key);

/* Check a --trace list ("fs,open,display_present") with the CPU host's
 * parser, so a bad one fails before any process starts. 0, or -EINVAL with
 * the reason in err ("'opne' is neither a domain ... nor a call ..."). */
int obl_trace_check(const char *list, char *err, size_t errlen);
/*
 * (mounts.c) An fs mount: PATH=SPEC from --mount, or a [mount] line
 * (PATH = SPEC). SPEC is none, NAME[:ARG], a path or a URL, with :ro at
 * the end for a read-only mount. PATH "/" sets the fs domain (as --fs).
 * Relative paths, "." or ".." in PATH, an empty SPEC or a point given
 * twice are errors (-EINVAL with the reason in err); -ENOMEM.
 */
int obl_mount_add(struct obl_options *o, const char *point, const char *spec, char *err,
		  size_t errlen);

/* (mounts.c) --fs SPEC: NAME:ARG[:ro] when what comes before the first ':'
 * is a backend name (letters, digits, '-', '_'), else a directory for
 * hostdir. Errors as obl_mount_add. */
int obl_fs_option(struct obl_options *o, const char *value, char *err, size_t errlen);

/* (mounts.c) Free the mounts of o. */
void obl_mounts_free(struct obl_options *o);

/* (mounts.c) Add the file's mounts whose point the command line does not
 * mount: moved out of file. */
void obl_mounts_merge(struct obl_options *cli, struct obl_options *file);
/*
 * Append a change to run's environment: name is the first name_len bytes
 * of name, value NULL to unset. -EINVAL for a bad name (empty, or with
 * '='), -ENOMEM.
 */
int obl_env_add(struct obl_run_conf *run, const char *name, size_t name_len,
		const char *value);

/*
 * The environment run's changes leave, applied in order to an empty one:
 * "NAME=VALUE" strings (malloc'd) in first-set order, NULL-terminated, in
 * *out (free with obl_env_free). 0 or -ENOMEM.
 */
int obl_env_resolve(const struct obl_run_conf *run, char ***out);
void obl_env_free(char **env);

/* Free run's environment changes. */
void obl_env_ops_free(struct obl_run_conf *run);

/*
 * Check a CPU host option's value as outboard-cpu will parse it
 * (outboard/host_options.h): key "trace", "heap-max" or "stack" (sizes).
 * 0, or -EINVAL with a message naming the option and the valid values.
 */
int obl_check_host_value(const char *key, const char *value, char *err, size_t errlen);
/* The same for milliseconds (--call-timeout, --time-limit), into *out. */
int obl_check_host_ms(const char *key, const char *value, int *out, char *err,
		      size_t errlen);

/* Put file's changes before cli's (the command line applies last, so it
 * wins), moving them out of file. */
void obl_env_merge(struct obl_run_conf *cli, struct obl_run_conf *file);

/* Write a message into err (errlen bytes, printf-style) and return -EINVAL:
 * the one way option, config and plan checks report a bad value. */
__attribute__((format(printf, 3, 4)))
int obl_errf(char *err, size_t errlen, const char *fmt, ...);

#endif /* OBL_OPTIONS_H */
