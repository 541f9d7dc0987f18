/*
 * The input script tokenizer (see lex.h).
 */
#include "lex.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "script.h"

/* The largest magnitude of an INT: coordinates are int32. */
#define INT_LIMIT 2147483647

/* Longest token text quoted in a message. */
#define QUOTE_MAX 40

/* Character classes, ASCII only (the C library's depend on the locale). */
static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_word(char c)
{
	return is_alpha(c) || is_digit(c);
}

void obis_lex_init(struct obis_lexer *lx, const char *name, const char *src, size_t len,
		   char *err, size_t errlen)
{
	*lx = (struct obis_lexer){ .name = name, .src = src, .len = len, .line = 1, .col = 1,
				   .err = err, .errlen = errlen };
	if (errlen)
		err[0] = '\0';
}

int obis_syntax_error(struct obis_lexer *lx, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!lx->errlen)
		return -EINVAL;
	n = snprintf(lx->err, lx->errlen, "%s:%u:%u: ", lx->name, line, col);
	if (n >= 0 && (size_t)n < lx->errlen) {
		va_start(ap, fmt);
		vsnprintf(lx->err + n, lx->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

bool obis_tok_is(const struct obis_token *tok, const char *w)
{
	return tok->kind == OBIS_T_WORD && strlen(w) == tok->len &&
	       strncasecmp(tok->text, w, tok->len) == 0;
}

void obis_tok_describe(const struct obis_token *tok, char *buf, size_t size)
{
	switch (tok->kind) {
	case OBIS_T_EOL:
		snprintf(buf, size, "the end of the line");
		break;
	case OBIS_T_EOF:
		snprintf(buf, size, "the end of the file");
		break;
	default:
		snprintf(buf, size, "'%.*s%s'", (int)(tok->len > QUOTE_MAX ? QUOTE_MAX : tok->len),
			 tok->text, tok->len > QUOTE_MAX ? "..." : "");
		break;
	}
}

/* Consume n bytes of the current line. */
static void advance(struct obis_lexer *lx, size_t n)
{
	lx->pos += n;
	lx->col += (unsigned)n;
}

/* Skip blanks and a comment; stops at a newline, a token or the end. */
static void skip_space(struct obis_lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->src[lx->pos];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			advance(lx, 1);
		} else if (c == '#') {
			while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
				advance(lx, 1);
		} else {
			break;
		}
	}
}

/* The length of the run of word characters at src[from]. */
static size_t word_run(const struct obis_lexer *lx, size_t from)
{
	size_t n = 0;
	while (from + n < lx->len && is_word(lx->src[from + n]))
		n++;
	return n;
}

/* Decimal digits to a value, saturating just past limit (so callers can
 * tell "too large" without overflowing). */
static uint64_t digits_value(const char *s, size_t n, uint64_t limit)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && v <= limit; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return v;
}

static int lex_int(struct obis_lexer *lx, struct obis_token *tok)
{
	size_t sign = lx->src[lx->pos] == '-';
	size_t ndig = 0, n;

	while (lx->pos + sign + ndig < lx->len && is_digit(lx->src[lx->pos + sign + ndig]))
		ndig++;
	n = sign + word_run(lx, lx->pos + sign);
	tok->kind = OBIS_T_INT;
	tok->len = n;
	if (sign + ndig != n)
		return obis_syntax_error(lx, tok->line, tok->col, "bad number '%.*s'", (int)n,
					 tok->text);
	uint64_t v = digits_value(tok->text + sign, ndig, INT_LIMIT);
	if (v > INT_LIMIT)
		return obis_syntax_error(lx, tok->line, tok->col,
					 "number '%.*s' is out of range (-%d to %d)", (int)n,
					 tok->text, INT_LIMIT, INT_LIMIT);
	tok->value = sign ? -(int64_t)v : (int64_t)v;
	advance(lx, n);
	return 0;
}

/* '+' or '@', digits, then the unit: "+120ms", "@2s". */
static int lex_time(struct obis_lexer *lx, struct obis_token *tok)
{
	size_t ndig = 0, n = 1 + word_run(lx, lx->pos + 1);
	const char *digits = tok->text + 1;
	uint64_t scale;

	tok->kind = OBIS_T_TIME;
	tok->relative = tok->text[0] == '+';
	tok->len = n;
	while (ndig < n - 1 && is_digit(digits[ndig]))
		ndig++;
	const char *unit = digits + ndig;
	size_t unit_len = n - 1 - ndig;
	if (!ndig)
		return obis_syntax_error(lx, tok->line, tok->col,
					 "'%c' must be followed by a time, as in %c120ms or %c2s",
					 tok->text[0], tok->text[0], tok->text[0]);
	if (!unit_len && lx->pos + n < lx->len && lx->src[lx->pos + n] == '.')
		return obis_syntax_error(lx, tok->line, tok->col,
					 "time '%.*s.': times are whole numbers (write 1500ms, "
					 "not 1.5s)", (int)n, tok->text);
	if (!unit_len)
		return obis_syntax_error(lx, tok->line, tok->col,
					 "time '%.*s' needs a unit right after the number: ms or s",
					 (int)n, tok->text);
	if (unit_len == 2 && strncasecmp(unit, "ms", 2) == 0)
		scale = 1;
	else if (unit_len == 1 && (unit[0] == 's' || unit[0] == 'S'))
		scale = 1000;
	else
		return obis_syntax_error(lx, tok->line, tok->col,
					 "unknown time unit '%.*s' in '%.*s' (ms or s)",
					 (int)unit_len, unit, (int)n, tok->text);
	uint64_t v = digits_value(digits, ndig, OBIS_TIME_MAX_MS);
	if (v > OBIS_TIME_MAX_MS / scale)
		return obis_syntax_error(lx, tok->line, tok->col,
					 "time '%.*s' is too large (at most %llu ms)", (int)n,
					 tok->text, (unsigned long long)OBIS_TIME_MAX_MS);
	tok->value = (int64_t)(v * scale);
	advance(lx, n);
	return 0;
}

int obis_lex_next(struct obis_lexer *lx, struct obis_token *tok)
{
	skip_space(lx);
	*tok = (struct obis_token){ .text = lx->src + lx->pos, .line = lx->line, .col = lx->col };
	if (lx->pos >= lx->len) {
		tok->kind = OBIS_T_EOF;
		return 0;
	}
	char c = lx->src[lx->pos];
	if (c == '\n') {
		tok->kind = OBIS_T_EOL;
		tok->len = 1;
		lx->pos++;
		lx->line++;
		lx->col = 1;
		return 0;
	}
	if (is_alpha(c)) {
		tok->kind = OBIS_T_WORD;
		tok->len = word_run(lx, lx->pos);
		advance(lx, tok->len);
		return 0;
	}
	if (is_digit(c) || (c == '-' && lx->pos + 1 < lx->len && is_digit(lx->src[lx->pos + 1])))
		return lex_int(lx, tok);
	if (c == '+' || c == '@')
		return lex_time(lx, tok);
	if (c >= 0x21 && c <= 0x7e)
		return obis_syntax_error(lx, tok->line, tok->col, "unexpected character '%c'", c);
	return obis_syntax_error(lx, tok->line, tok->col, "unexpected byte 0x%02x",
				 (unsigned)(unsigned char)c);
}
