/*
 * Logging for every outboard process (outboard/log.h).
 *
 * A line is formatted whole into a stack buffer and written to stderr with a
 * single write(2): the launcher, the CPU host and the plugins share one
 * terminal, and a line written in pieces could interleave with another
 * process's line. Lines longer than the buffer are cut and marked "...".
 *
 * The level is an atomic so that any thread may log or change it; the
 * program name is set once at start-up, before threads exist.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "outboard/log.h"

#define OBI_LOG_LINE_MAX 2048

static atomic_int log_level = OB_LOG_WARN;
static const char *log_program;
static atomic_uint log_errors;

static const char *const level_names[] = {
	[OB_LOG_ERROR] = "error", [OB_LOG_GUEST] = "guest", [OB_LOG_STUB] = "stub",
	[OB_LOG_WARN] = "warn",   [OB_LOG_INFO] = "info",   [OB_LOG_DEBUG] = "debug",
};

#define N_LEVELS (sizeof(level_names) / sizeof(level_names[0]))

void ob_log_set_level(enum ob_log_level level)
{
	int l = (int)level;

	if (l < OB_LOG_NONE)
		l = OB_LOG_NONE;
	if (l > OB_LOG_DEBUG)
		l = OB_LOG_DEBUG;
	atomic_store(&log_level, l);
}

enum ob_log_level ob_log_get_level(void)
{
	return (enum ob_log_level)atomic_load(&log_level);
}

bool ob_log_enabled(enum ob_log_level level)
{
	/* OB_LOG_NONE is a threshold, not a level a message can have. */
	return (int)level >= 0 && (int)level <= atomic_load(&log_level);
}

int ob_log_parse_level(const char *name, enum ob_log_level *level)
{
	if (!name || !level)
		return -EINVAL;
	if (name[0] >= '0' && name[0] < '0' + (int)N_LEVELS && name[1] == '\0') {
		*level = (enum ob_log_level)(name[0] - '0');
		return 0;
	}
	for (size_t i = 0; i < N_LEVELS; i++) {
		if (strcasecmp(name, level_names[i]) == 0) {
			*level = (enum ob_log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *ob_log_level_name(enum ob_log_level level)
{
	if (level == OB_LOG_NONE)
		return "none";
	if ((unsigned)level >= N_LEVELS)
		return "?";
	return level_names[level];
}

unsigned ob_log_error_count(void)
{
	return atomic_load(&log_errors);
}

void ob_log_set_program(const char *program)
{
	log_program = program;
}

/* A line being built; cap leaves room for "...\n" when the text is cut. */
struct line {
	char buf[OBI_LOG_LINE_MAX];
	size_t len;
	bool cut;
};

#define LINE_CAP (OBI_LOG_LINE_MAX - 4)

static void append(struct line *l, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void append(struct line *l, const char *fmt, va_list ap)
{
	size_t room = LINE_CAP - l->len;
	int n;

	if (l->cut)
		return;
	n = vsnprintf(l->buf + l->len, room, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		l->len = LINE_CAP - 1;
		l->cut = true;
	} else {
		l->len += (size_t)n;
	}
}

static void append_f(struct line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void append_f(struct line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	append(l, fmt, ap);
	va_end(ap);
}

static void write_all(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDERR_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* stderr is gone: nowhere left to report it */
		buf += n;
		len -= (size_t)n;
	}
}

void ob_log(enum ob_log_level level, const char *category, const char *fmt, ...)
{
	struct line l;
	int saved_errno = errno;
	va_list ap;

	if (!ob_log_enabled(level))
		return;
	if (level == OB_LOG_ERROR)
		atomic_fetch_add(&log_errors, 1);
	l.len = 0;
	l.cut = false;
	if (log_program)
		append_f(&l, "%s: ", log_program);
	append_f(&l, "[%s] ", ob_log_level_name(level));
	if (category)
		append_f(&l, "%s: ", category);
	va_start(ap, fmt);
	append(&l, fmt, ap);
	va_end(ap);

	if (l.cut) {
		memcpy(l.buf + l.len, "...", 3);
		l.len += 3;
	}
	/* Exactly one newline, whether or not the message brought its own. */
	while (l.len > 0 && l.buf[l.len - 1] == '\n')
		l.len--;
	l.buf[l.len++] = '\n';
	write_all(l.buf, l.len);
	errno = saved_errno;
}
