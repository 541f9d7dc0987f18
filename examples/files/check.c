/* Checks for the files example (check.h). */
#include "check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int count, failures;

void check(const char *name, int cond, const char *fmt, ...)
{
	count++;
	if (cond) {
		printf("ok %s\n", name);
		return;
	}
	failures++;
	printf("FAIL %s: ", name);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void check_eq(const char *name, long got, long want)
{
	check(name, got == want, "got %ld, expected %ld", got, want);
}

void check_errno(const char *name, long r, int want)
{
	int e = errno;
	check(name, r == -1 && e == want, "returned %ld with errno %d (%s), expected -1 with %d (%s)",
	      r, e, strerror(e), want, strerror(want));
}

void check_raw_errno(const char *name, int r, int want)
{
	check(name, r == -want, "returned %d, expected %d (-%s)", r, -want, strerror(want));
}

void check_ok(const char *name, long r)
{
	int e = errno;
	check(name, r >= 0, "returned %ld, errno %d (%s)", r, e, strerror(e));
}

int check_count(void)
{
	return count;
}

int check_failures(void)
{
	return failures;
}
