/*
 * Checks for the files example: each prints `ok <name>` or
 * `FAIL <name>: <why>` on its own line and counts failures.
 */
#ifndef FILES_CHECK_H
#define FILES_CHECK_H

/* Passes when cond is true; fmt (printf-style) says why it failed. */
__attribute__((format(printf, 3, 4))) void check(const char *name, int cond, const char *fmt, ...);

/* Passes when got == want. */
void check_eq(const char *name, long got, long want);

/* Passes when a C library call failed (r == -1) with errno == want. */
void check_errno(const char *name, long r, int want);

/* Passes when an ob_* call returned exactly -want. */
void check_raw_errno(const char *name, int r, int want);

/* Passes when r >= 0 (a C library call that must succeed). */
void check_ok(const char *name, long r);

int check_count(void);
int check_failures(void);

#endif /* FILES_CHECK_H */
