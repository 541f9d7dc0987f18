/*
 * The launcher's config file (docs/launcher.md), parsed by inih.
 *
 * inih reports the line of the first error it sees but does not tell the
 * handler which line it is on, and it silently splits lines longer than its
 * buffer. So the file is fed through a reader that counts lines: the
 * handler's errors then name their line, and an overlong line is an error
 * instead of two half lines.
 */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outboard/host_options.h"
#include "outboard/log.h"
#include "restart.h"

struct config_parse {
	const char *path;
	FILE *file;
	struct obl_options *o;
	int line;              /* the line inih is working on, from 1 */
	bool at_line_start;    /* the next chunk read starts a new line */
	bool indented;         /* the current line starts with white space */
	int section_line;      /* the line of the last [section] header */
	int error_line;        /* first error found by us; 0 = none */
	char error[256];
	int rc;                /* -EINVAL or -ENOMEM for that error */
};

/* Record the first error, at line. Returns 0: inih's "this line failed". */
__attribute__((format(printf, 4, 5)))
static int config_error_at(struct config_parse *cp, int line, int rc, const char *fmt, ...)
{
	if (cp->error_line == 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(cp->error, sizeof(cp->error), fmt, ap);
		va_end(ap);
		cp->error_line = line;
		cp->rc = rc;
	}
	return 0;
}

#define config_error(cp, rc, ...) config_error_at(cp, (cp)->line, rc, __VA_ARGS__)

/* fgets-style reader for ini_parse_stream that tracks the line number. It
 * reads byte by byte, as fgets would, so that it sees a NUL byte: fgets
 * would hide it (strlen stops there) and the rest of the line would be
 * taken for a new one. A config file is text; a NUL in it is an error on
 * its own line. */
static char *config_read(char *buf, int size, void *stream)
{
	struct config_parse *cp = stream;
	int len = 0, c = EOF;
	while (len < size - 1 && (c = getc(cp->file)) != EOF) {
		buf[len++] = (char)c;
		if (c == '\n' || c == '\0')
			break;
	}
	if (len == 0)
		return NULL;
	buf[len] = '\0';
	if (cp->at_line_start) {
		cp->line++;
		cp->indented = buf[0] == ' ' || buf[0] == '\t';
		/* inih's test for a header: '[' after leading white space */
		if (buf[strspn(buf, " \t")] == '[')
			cp->section_line = cp->line;
	}
	if (c == '\0') {
		config_error(cp, -EINVAL, "NUL byte (a config file is text)");
		return NULL;
	}
	cp->at_line_start = buf[len - 1] == '\n';
	if (!cp->at_line_start && len == size - 1 && (c = getc(cp->file)) != EOF) {
		config_error(cp, -EINVAL, "line longer than %d characters", size - 2);
		return NULL; /* stop: the rest of the file cannot be trusted */
	}
	return buf;
}

static int parse_bool(const char *value, int *out)
{
	if (strcmp(value, "true") == 0)
		*out = 1;
	else if (strcmp(value, "false") == 0)
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

static int copy_to(struct config_parse *cp, char **slot, const char *value)
{
	char *copy = strdup(value);
	if (!copy)
		return config_error(cp, -ENOMEM, "out of memory");
	free(*slot);
	*slot = copy;
	return 1;
}

static int run_key(struct config_parse *cp, const char *name, const char *value)
{
	struct obl_run_conf *run = &cp->o->run;
	if (strcmp(name, "log_level") == 0) {
		enum ob_log_level level;
		if (ob_log_parse_level(value, &level) < 0)
			return config_error(cp, -EINVAL, "log_level: unknown level '%s'", value);
		run->log_level = (int)level;
		return 1;
	}
	if (strcmp(name, "stats") == 0) {
		if (parse_bool(value, &run->stats) < 0)
			return config_error(cp, -EINVAL, "stats wants true or false, got '%s'",
					    value);
		return 1;
	}
	if (strcmp(name, "trace") == 0) {
		char why[256];
		if (obl_trace_check(value, why, sizeof(why)) < 0)
			return config_error(cp, -EINVAL, "trace: %s", why);
		return copy_to(cp, &run->trace, value);
	}
	uint32_t v;
	if (strcmp(name, "heap_max") == 0 || strcmp(name, "stack") == 0) {
		if (ob_size_parse(value, &v) < 0)
			return config_error(cp, -EINVAL, "%s wants %s; got '%s'", name,
					    OB_SIZE_HELP, value);
		return copy_to(cp, name[0] == 'h' ? &run->heap_max : &run->stack, value);
	}
	if (strcmp(name, "call_timeout") == 0 || strcmp(name, "time_limit") == 0) {
		int *slot = name[0] == 'c' ? &run->call_timeout_ms : &run->time_limit_ms;
		if (ob_ms_parse(value, slot) < 0)
			return config_error(cp, -EINVAL, "%s wants milliseconds from 0 (none) to "
					    "%d; got '%s'", name, OB_MS_MAX, value);
		return 1;
	}
	if (strcmp(name, "fs_cache") == 0) {
		if (obl_fs_cache_parse(value) < 0)
			return config_error(cp, -EINVAL, "fs_cache wants 0 (off) or a size of at "
					    "least 256K such as 64M, got '%s'", value);
		return copy_to(cp, &run->fs_cache, value);
	}
	if (strcmp(name, "key") == 0)
		return copy_to(cp, &run->key, value);
	if (strcmp(name, "out") == 0) {
		if (!*value)
			return config_error(cp, -EINVAL, "out is empty");
		return copy_to(cp, &run->out, value);
	}
	if (strcmp(name, "screen") == 0) {
		char size[16];
		if (obl_screen_parse(value, size, sizeof(size)) < 0)
			return config_error(cp, -EINVAL, "screen wants WxH, each side %d to %d "
					    "(e.g. 320x240), got '%s'", OBL_SCREEN_MIN,
					    OBL_SCREEN_MAX, value);
		return copy_to(cp, &run->screen, size);
	}
	if (strcmp(name, "restart_max") == 0) {
		if (obl_restart_max_parse(value, &run->restart_max) < 0)
			return config_error(cp, -EINVAL, "restart_max wants a number from 0 to %d, "
					    "got '%s'", OBL_RESTART_MAX_LIMIT, value);
		return 1;
	}
	if (strcmp(name, "restart_window") == 0) {
		if (obl_restart_window_parse(value, &run->restart_window_s) < 0)
			return config_error(cp, -EINVAL, "restart_window wants seconds (1 to %d), "
					    "got '%s'", OBL_RESTART_WINDOW_LIMIT_S, value);
		return 1;
	}
	return config_error(cp, -EINVAL, "unknown key '%s' in [run] (log_level, trace, stats, "
			    "heap_max, stack, key, out, screen, restart_max, restart_window, "
			    "call_timeout, time_limit, fs_cache)", name);
}

/* A plugin option key: letters, digits, '_' and '-'; '_' becomes '-'. */
static int option_key(const char *name, char *out, size_t size)
{
	size_t len = strlen(name);
	if (len == 0 || len >= size)
		return -EINVAL;
	for (size_t i = 0; i <= len; i++) {
		char c = name[i];
		if (c && !isalnum((unsigned char)c) && c != '_' && c != '-')
			return -EINVAL;
		out[i] = c == '_' ? '-' : c;
	}
	return 0;
}

static int domain_key(struct config_parse *cp, int d, const char *name, const char *value)
{
	struct obl_domain_conf *dc = &cp->o->dom[d];
	if (strcmp(name, "backend") == 0) {
		if (!*value)
			return config_error(cp, -EINVAL, "[%s] backend is empty",
					    obl_domain_name((enum obl_domain)d));
		return copy_to(cp, &dc->backend, value);
	}
	char key[64];
	if (option_key(name, key, sizeof(key)) < 0)
		return config_error(cp, -EINVAL, "bad option name '%s'", name);
	/* The launcher sets these itself for every plugin. */
	if (strcmp(key, "listen") == 0 || strcmp(key, "log-level") == 0)
		return config_error(cp, -EINVAL, "'%s' is set by the launcher, not in [%s]",
				    name, obl_domain_name((enum obl_domain)d));
	if (obl_domain_set_opt(dc, key, value) < 0)
		return config_error(cp, -ENOMEM, "out of memory");
	/* Its line, for the launcher's check against the backend's options. */
	for (size_t i = 0; i < dc->n_opts; i++)
		if (strcmp(dc->opts[i].key, key) == 0)
			dc->opts[i].line = cp->line;
	return 1;
}

static int config_handler(void *user, const char *section, const char *name,
			  const char *value)
{
	struct config_parse *cp = user;
	if (cp->error_line)
		return 1; /* report only the first error */
	if (cp->indented)
		return config_error(cp, -EINVAL,
				    "indented line (continuation lines are not supported)");
	if (!*section)
		return config_error(cp, -EINVAL, "'%s' outside a section", name);
	if (strcmp(section, "run") == 0)
		return run_key(cp, name, value);
	if (strcmp(section, "mount") == 0) {
		char why[400];
		int rc = obl_mount_add(cp->o, name, value, why, sizeof(why));
		return rc < 0 ? config_error(cp, rc, "%s", why) : 1;
	}
	if (strcmp(section, "env") == 0) {
		/* NAME = VALUE: one variable of the guest's environment. */
		int rc = obl_env_add(&cp->o->run, name, strlen(name), value);
		if (rc < 0)
			return config_error(cp, rc, rc == -ENOMEM ? "out of memory" :
					    "[env]: bad variable name '%s'", name);
		return 1;
	}
	int d = obl_domain_from_name(section);
	if (d < 0) {
		/* Name the header's line, not the key's. */
		return config_error_at(cp, cp->section_line ? cp->section_line : cp->line,
				       -EINVAL, "unknown section [%s] "
				       "(run, env, fs, display, sound, input, mount)", section);
	}
	return domain_key(cp, d, name, value);
}

int obl_config_load(const char *path, struct obl_options *o, char *err, size_t errlen)
{
	struct config_parse cp = {
		.path = path, .o = o, .at_line_start = true,
	};
	cp.file = fopen(path, "r");
	if (!cp.file) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	/* fopen opens a directory for reading, and reading it fails: refuse it
	 * here rather than read an empty file. */
	struct stat st;
	if (fstat(fileno(cp.file), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(cp.file);
		snprintf(err, errlen, "%s: is a directory, not a config file", path);
		return -EISDIR;
	}
	int line = ini_parse_stream(config_read, &cp, config_handler, &cp);
	fclose(cp.file);
	if (line == 0 && cp.error_line == 0)
		return 0;
	if (line == -2) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	/* inih's own first error (a syntax error) may come before ours. */
	if (cp.error_line == 0 || (line > 0 && line < cp.error_line)) {
		snprintf(err, errlen, "%s:%d: syntax error (expected [section] or key = value)",
			 path, line);
		return -EINVAL;
	}
	snprintf(err, errlen, "%s:%d: %s", path, cp.error_line, cp.error);
	return cp.rc;
}
