/*
 * The input script tokenizer (the grammar is in docs/input.md).
 *
 * Tokens:
 *   WORD   a letter or '_', then letters, digits and '_'     key, LEFT, F1
 *   INT    an optional '-', then decimal digits              12, -3, 7
 *   TIME   '+' or '@', decimal digits and a unit, no spaces  +120ms, @2s
 *   EOL    a newline
 *   EOF    the end of the text (also ends an unterminated last line)
 * Spaces, tabs, carriage returns and '#' comments (to the end of the line)
 * separate tokens. Anything else is a syntax error.
 */
#ifndef OBIS_LEX_H
#define OBIS_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum obis_tok_kind {
	OBIS_T_WORD,
	OBIS_T_INT,
	OBIS_T_TIME,
	OBIS_T_EOL,
	OBIS_T_EOF,
};

/* A token. text points into the source (not NUL-terminated). */
struct obis_token {
	enum obis_tok_kind kind;
	const char *text;
	size_t len;
	unsigned line, col;     /* 1-based; col counts bytes */
	int64_t value;          /* INT: the number; TIME: milliseconds */
	bool relative;          /* TIME: '+' (relative) rather than '@' */
};

/* The tokenizer's state. src is borrowed and must outlive the lexer;
 * err (errlen bytes) receives the first error. */
struct obis_lexer {
	const char *name;
	const char *src;
	size_t len, pos;
	unsigned line, col;
	char *err;
	size_t errlen;
};

void obis_lex_init(struct obis_lexer *lx, const char *name, const char *src, size_t len,
		   char *err, size_t errlen);

/* The next token: 0, or -EINVAL with "NAME:LINE:COL: message" in err. */
int obis_lex_next(struct obis_lexer *lx, struct obis_token *tok);

/* Write "NAME:LINE:COL: message" into the lexer's err; returns -EINVAL. */
int obis_syntax_error(struct obis_lexer *lx, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Whether tok is the WORD w, in any case. */
bool obis_tok_is(const struct obis_token *tok, const char *w);

/* How a token reads in a message: "'LEFT'", "the end of the line", ... */
void obis_tok_describe(const struct obis_token *tok, char *buf, size_t size);

#endif /* OBIS_LEX_H */
