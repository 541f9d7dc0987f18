/*
 * The input script parser (see script.h; grammar in docs/input.md):
 *
 *   script  = { line }
 *   line    = [ TIME action ] ( EOL | EOF )
 *   action  = "key" ( "down" | "up" ) KEY
 *           | "pointer" ( "down" | "move" | "up" ) INT INT
 *           | "quit"
 *   KEY     = a key name (obis_key_code): a WORD, or a one-digit INT
 *
 * Words match in any case. One event per line; comments and blank lines
 * anywhere. A relative time (+T) counts from the event before (from the
 * start for the first); an absolute one (@T) must not be earlier than it.
 */
#include "script.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.pb-c.h"
#include "lex.h"

struct parser {
	struct obis_lexer lx;
	struct obis_token tok;          /* the current token */
	struct obis_script *out;
	size_t cap;
	uint64_t now_ms;                /* the time of the event before */
};

static int next(struct parser *p)
{
	return obis_lex_next(&p->lx, &p->tok);
}

/* "expected WHAT, found 'x'" at the current token. */
static int expected(struct parser *p, const char *what)
{
	char found[64];
	obis_tok_describe(&p->tok, found, sizeof(found));
	return obis_syntax_error(&p->lx, p->tok.line, p->tok.col, "expected %s, found %s", what,
				 found);
}

static int push(struct parser *p, const struct obis_event *ev)
{
	struct obis_script *s = p->out;
	if (s->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct obis_event *grown = realloc(s->events, cap * sizeof(*grown));
		if (!grown) {
			snprintf(p->lx.err, p->lx.errlen, "%s: out of memory", p->lx.name);
			return -ENOMEM;
		}
		s->events = grown;
		p->cap = cap;
	}
	s->events[s->n++] = *ev;
	return 0;
}

/* The time token at the start of a line, to an absolute time. */
static int take_time(struct parser *p, struct obis_event *ev)
{
	const struct obis_token *t = &p->tok;
	uint64_t at;

	if (t->kind != OBIS_T_TIME)
		return expected(p, "a time (+T or @T, as in +120ms) at the start of the line");
	if (t->relative) {
		at = p->now_ms + (uint64_t)t->value;
		if (at > OBIS_TIME_MAX_MS)
			return obis_syntax_error(&p->lx, t->line, t->col,
						 "'%.*s' puts the event past the script's time limit "
						 "(%llu ms)", (int)t->len, t->text,
						 (unsigned long long)OBIS_TIME_MAX_MS);
	} else {
		at = (uint64_t)t->value;
		if (at < p->now_ms)
			return obis_syntax_error(&p->lx, t->line, t->col,
						 "'%.*s' is earlier than the event before it "
						 "(at %llu ms); events must be in time order",
						 (int)t->len, t->text, (unsigned long long)p->now_ms);
	}
	ev->time_ms = at;
	return next(p);
}

static int take_key(struct parser *p, struct obis_event *ev)
{
	const struct obis_token *t = &p->tok;
	if (t->kind != OBIS_T_WORD && t->kind != OBIS_T_INT)
		return expected(p, "a key name (LEFT, ENTER, A, 7, ...)");
	if (obis_key_code(t->text, t->len, &ev->key) < 0)
		return obis_syntax_error(&p->lx, t->line, t->col,
					 "unknown key '%.*s' (a letter, a digit, or a name from "
					 "proto/input.proto's KeyCode without KEY_, as LEFT or F1)",
					 (int)t->len, t->text);
	return next(p);
}

static int take_coord(struct parser *p, int32_t *v, const char *what)
{
	if (p->tok.kind != OBIS_T_INT)
		return expected(p, what);
	*v = (int32_t)p->tok.value;
	return next(p);
}

static int action_key(struct parser *p, struct obis_event *ev)
{
	int err;
	if (obis_tok_is(&p->tok, "down"))
		ev->kind = OB__INPUT_EVENT__KIND__KIND_KEY_DOWN;
	else if (obis_tok_is(&p->tok, "up"))
		ev->kind = OB__INPUT_EVENT__KIND__KIND_KEY_UP;
	else
		return expected(p, "'down' or 'up' after 'key'");
	if ((err = next(p)))
		return err;
	return take_key(p, ev);
}

static int action_pointer(struct parser *p, struct obis_event *ev)
{
	int err;
	if (obis_tok_is(&p->tok, "down"))
		ev->kind = OB__INPUT_EVENT__KIND__KIND_POINTER_DOWN;
	else if (obis_tok_is(&p->tok, "move"))
		ev->kind = OB__INPUT_EVENT__KIND__KIND_POINTER_MOVE;
	else if (obis_tok_is(&p->tok, "up"))
		ev->kind = OB__INPUT_EVENT__KIND__KIND_POINTER_UP;
	else
		return expected(p, "'down', 'move' or 'up' after 'pointer'");
	if ((err = next(p)) || (err = take_coord(p, &ev->x, "the x coordinate (an integer)")))
		return err;
	return take_coord(p, &ev->y, "the y coordinate (an integer)");
}

static int take_action(struct parser *p, struct obis_event *ev)
{
	const struct obis_token *t = &p->tok;
	int err;

	if (obis_tok_is(t, "key")) {
		if ((err = next(p)))
			return err;
		return action_key(p, ev);
	}
	if (obis_tok_is(t, "pointer")) {
		if ((err = next(p)))
			return err;
		return action_pointer(p, ev);
	}
	if (obis_tok_is(t, "quit")) {
		ev->kind = OB__INPUT_EVENT__KIND__KIND_QUIT;
		return next(p);
	}
	if (t->kind == OBIS_T_WORD)
		return obis_syntax_error(&p->lx, t->line, t->col,
					 "unknown action '%.*s' (key, pointer or quit)", (int)t->len,
					 t->text);
	return expected(p, "an action (key, pointer or quit) after the time");
}

/* One line, from its first token through its EOL (or to the EOF). */
static int parse_line(struct parser *p)
{
	struct obis_event ev = { .line = p->tok.line };
	int err;

	if (p->tok.kind == OBIS_T_EOL || p->tok.kind == OBIS_T_EOF)
		return 0;
	if ((err = take_time(p, &ev)) || (err = take_action(p, &ev)))
		return err;
	if (p->tok.kind != OBIS_T_EOL && p->tok.kind != OBIS_T_EOF)
		return expected(p, "the end of the line (one event per line)");
	p->now_ms = ev.time_ms;
	return push(p, &ev);
}

int obis_parse(const char *name, const char *text, size_t len, struct obis_script *out,
	       char *err, size_t errlen)
{
	struct parser p = { .out = out };
	int rc;

	*out = (struct obis_script){ 0 };
	obis_lex_init(&p.lx, name, text, len, err, errlen);
	rc = next(&p);
	while (rc == 0) {
		if ((rc = parse_line(&p)))
			break;
		if (p.tok.kind == OBIS_T_EOF)
			return 0;
		rc = next(&p); /* past the EOL */
	}
	obis_script_free(out);
	return rc;
}

/* Read the whole file into a malloc'd buffer. */
static int read_file(const char *path, char **data, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err = 0;
	size_t got = 0;

	*data = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		goto out;
	}
	if ((uint64_t)st.st_size > OBIS_FILE_MAX) {
		err = -EFBIG;
		goto out;
	}
	/* One byte more than the size, to notice a file that grew meanwhile. */
	*data = malloc((size_t)st.st_size + 1);
	if (!*data) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, *data + got, (size_t)st.st_size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			goto out;
		}
		if (n == 0 || (got += (size_t)n) > (size_t)st.st_size)
			break;
	}
	if (got > (size_t)st.st_size)
		err = -EFBIG; /* it grew while we read: refuse, as the size check would */
	*len = got;
out:
	if (err) {
		free(*data);
		*data = NULL;
	}
	close(fd);
	return err;
}

int obis_load(const char *path, struct obis_script *out, char *err, size_t errlen)
{
	char *data;
	size_t len = 0;
	int rc;

	*out = (struct obis_script){ 0 };
	rc = read_file(path, &data, &len);
	if (rc) {
		if (rc == -EINVAL)
			snprintf(err, errlen, "%s: not a regular file", path);
		else if (rc == -EFBIG)
			snprintf(err, errlen, "%s: larger than %u bytes", path, OBIS_FILE_MAX);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = obis_parse(path, data, len, out, err, errlen);
	free(data);
	return rc;
}

void obis_script_free(struct obis_script *s)
{
	if (!s)
		return;
	free(s->events);
	*s = (struct obis_script){ 0 };
}
