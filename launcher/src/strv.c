/*
 * Growable argv arrays (strv.h).
 */
#include "strv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void obl_strv_add(struct obl_strv *s, const char *str)
{
	if (s->oom)
		return;
	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **grown = realloc(s->v, cap * sizeof(*grown));
		if (!grown) {
			s->oom = true;
			return;
		}
		s->v = grown;
		s->cap = cap;
	}
	s->v[s->n] = strdup(str);
	if (!s->v[s->n]) {
		s->oom = true;
		return;
	}
	s->v[++s->n] = NULL;
}

void obl_strv_addf(struct obl_strv *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *buf = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (!buf) {
		s->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, (size_t)len + 1, fmt, ap);
	va_end(ap);
	obl_strv_add(s, buf);
	free(buf);
}

void obl_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

char **obl_strv_finish(struct obl_strv *s)
{
	if (s->oom || !s->v) {
		obl_strv_free(s->v);
		s->v = NULL;
		return NULL;
	}
	return s->v;
}
