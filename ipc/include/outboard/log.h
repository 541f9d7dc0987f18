/*
 * Logging shared by every outboard process.
 *
 * Levels separate who is at fault, as mGBA's STUB and GAME_ERROR do:
 * - OB_LOG_GUEST: the guest program did something wrong (bad pointer, bad
 *   handle). Not an emulator bug.
 * - OB_LOG_STUB: the guest asked for something outboard does not implement.
 * - OB_LOG_ERROR/WARN/INFO/DEBUG: the emulator's own state, by severity.
 *
 * Each line names its category ("ipc", "loader", "fs-hostdir", ...) and is
 * written to stderr in one write(2), so lines from several processes sharing
 * a terminal do not interleave mid-line.
 */
#ifndef OUTBOARD_LOG_H
#define OUTBOARD_LOG_H

#include <stdbool.h>

enum ob_log_level {
	OB_LOG_NONE = -1,  /* for ob_log_set_level only: log nothing (fuzzers) */
	OB_LOG_ERROR = 0,
	OB_LOG_GUEST = 1,
	OB_LOG_STUB = 2,
	OB_LOG_WARN = 3,
	OB_LOG_INFO = 4,
	OB_LOG_DEBUG = 5,
};

/* Messages above this level are discarded. Default: OB_LOG_WARN. Values
 * past OB_LOG_DEBUG mean OB_LOG_DEBUG. */
void ob_log_set_level(enum ob_log_level level);
enum ob_log_level ob_log_get_level(void);
bool ob_log_enabled(enum ob_log_level level);

/* "error", "guest", "stub", "warn", "info", "debug" (any case) or a digit
 * 0-5. Returns 0, or -EINVAL for an unknown name. (OB_LOG_NONE is not
 * parsed: callers use -1 as "not given", and it is meant for fuzzers.) */
int ob_log_parse_level(const char *name, enum ob_log_level *level);
const char *ob_log_level_name(enum ob_log_level level);

/* Prefix every line with this process name ("outboard-cpu"). Not copied:
 * pass a string that lives as long as the process. Set it before starting
 * threads. */
void ob_log_set_program(const char *program);

/*
 * Write one line to stderr: "program: [level] category: message\n", with
 * "program: " only when set and "category: " only when not NULL. A trailing
 * newline in fmt is not doubled; lines are cut at about 2 KiB. Keeps errno.
 * Any thread may log.
 */
void ob_log(enum ob_log_level level, const char *category, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* How many OB_LOG_ERROR lines this process has written so far: lets a
 * caller that reports a failure skip its own line when the code that
 * failed already said why. */
unsigned ob_log_error_count(void);

#define OB_ERROR(cat, ...) ob_log(OB_LOG_ERROR, cat, __VA_ARGS__)
#define OB_WARN(cat, ...) ob_log(OB_LOG_WARN, cat, __VA_ARGS__)
#define OB_INFO(cat, ...) ob_log(OB_LOG_INFO, cat, __VA_ARGS__)
#define OB_DEBUG(cat, ...) ob_log(OB_LOG_DEBUG, cat, __VA_ARGS__)
#define OB_GUEST_ERROR(cat, ...) ob_log(OB_LOG_GUEST, cat, __VA_ARGS__)
#define OB_STUB(cat, ...) ob_log(OB_LOG_STUB, cat, __VA_ARGS__)

#endif /* OUTBOARD_LOG_H */
