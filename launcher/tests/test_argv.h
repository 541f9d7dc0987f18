/*
 * Test helper shared by the launcher's unit tests (included, not linked).
 */
#ifndef OBL_TEST_ARGV_H
#define OBL_TEST_ARGV_H

#include <stdlib.h>
#include <string.h>

/* getopt wants char **: tests give literals, copied here into a mutable
 * argv that stays alive until the next copy (guest_argv points into it). */
static char **held_argv;
static int held_argc;

static void argv_release(void)
{
	for (int i = 0; held_argv && i < held_argc; i++)
		free(held_argv[i]);
	free(held_argv);
	held_argv = NULL;
	held_argc = 0;
}

static char **argv_copy(const char *const *src)
{
	argv_release();
	while (src[held_argc])
		held_argc++;
	held_argv = calloc((size_t)held_argc + 1, sizeof(char *));
	assert_non_null(held_argv);
	for (int i = 0; i < held_argc; i++)
		held_argv[i] = strdup(src[i]);
	return held_argv;
}

#define ARGV(...) ((const char *const[]){ __VA_ARGS__, NULL })

#endif /* OBL_TEST_ARGV_H */
