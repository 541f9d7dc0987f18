/*
 * Input scripts: a text file of timed input events (docs/input.md has the
 * grammar), parsed into a list of events with their times on the script's
 * clock. The clock starts when the host asks the input source to start
 * (InputConfigure, bit 0); player.h plays the list against it.
 *
 *     # comment
 *     +120ms key down LEFT        relative to the event before
 *     @1500ms pointer down 10 20  absolute, from the clock's start
 *     +2s quit
 *
 * Names: obis_ is private to outboard-input-script.
 */
#ifndef OBIS_SCRIPT_H
#define OBIS_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#define OBIS_LOG "input-script"

/* Times are at most this many ms from the start (about 31 years), so that
 * every sum of them fits in 64 bits and in nanoseconds. */
#define OBIS_TIME_MAX_MS 1000000000000ull

/* A script file is read whole; anything larger is refused. */
#define OBIS_FILE_MAX (16u << 20)

/* Room for an error message: "FILE:LINE:COL: what went wrong". */
#define OBIS_ERR_MAX 512

/* One scripted event: the fields of Ob__InputEvent, and where it came from. */
struct obis_event {
	uint32_t kind;          /* Ob__InputEvent__Kind: key down/up, pointer down/move/up, quit */
	uint32_t key;           /* KeyCode, key events only */
	int32_t x, y;           /* pointer events only */
	uint64_t time_ms;       /* on the script's clock; never less than the event before */
	unsigned line;          /* 1-based line in the script */
};

/* A parsed script: n events in time order. Owns events. */
struct obis_script {
	struct obis_event *events;
	size_t n;
};

/*
 * Parse len bytes of script text (need not be NUL-terminated; a NUL byte is
 * a syntax error). name is used in error messages only. On success returns
 * 0 and fills *out (free it with obis_script_free). On failure *out is
 * empty, err holds "NAME:LINE:COL: message" (cut to errlen, NUL-terminated)
 * and the result is -EINVAL (a syntax error) or -ENOMEM.
 */
int obis_parse(const char *name, const char *text, size_t len, struct obis_script *out,
	       char *err, size_t errlen);

/*
 * Read the file at path and parse it (errors as obis_parse, plus the
 * negated errno of a file that cannot be read, and -EFBIG for one larger
 * than OBIS_FILE_MAX; the message then says "PATH: reason").
 */
int obis_load(const char *path, struct obis_script *out, char *err, size_t errlen);

/* Free the events; accepts an empty or zeroed script and NULL. */
void obis_script_free(struct obis_script *s);

/*
 * Key names (keys.c): a single letter A-Z or a-z (its upper-case ASCII
 * code), a single digit 0-9 (its ASCII code), or a KeyCode name from
 * proto/input.proto without "KEY_" (UP, PAGE_DOWN, F1, ...), in any case.
 * Returns 0 and sets *code, or -ENOENT (KEY_NONE is not a key).
 */
int obis_key_code(const char *name, size_t len, uint32_t *code);

#endif /* OBIS_SCRIPT_H */
