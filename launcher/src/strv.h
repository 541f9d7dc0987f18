/*
 * A growable NULL-terminated argv, for building command lines. An
 * allocation failure is remembered and reported once, by obl_strv_finish,
 * so a sequence of adds needs no error checks.
 *
 * Ownership: the strv owns copies of every string added; obl_strv_finish
 * hands the array (and its strings) to the caller, who frees it with
 * obl_strv_free.
 */
#ifndef OBL_STRV_H
#define OBL_STRV_H

#include <stdbool.h>
#include <stddef.h>

struct obl_strv {
	char **v;
	size_t n, cap;
	bool oom;
};

/* Append a copy of str. */
void obl_strv_add(struct obl_strv *s, const char *str);

/* Append a formatted string. */
__attribute__((format(printf, 2, 3)))
void obl_strv_addf(struct obl_strv *s, const char *fmt, ...);

/* The finished argv (never empty: at least one add is expected), or NULL
 * after an allocation failure (everything is freed then). */
char **obl_strv_finish(struct obl_strv *s);

/* Free a finished argv. Accepts NULL. */
void obl_strv_free(char **v);

#endif /* OBL_STRV_H */
