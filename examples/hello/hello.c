/*
 * hello: the smallest outboard guest.
 *
 * Prints its arguments, one line each, in this format:
 *
 *   argc=<argc>
 *   argv[<i>]=<argument i>      for i = 0 .. argc-1
 *
 * and exits with the status given as its last argument when that is a
 * number from 0 to 255 (so `hello a 7` prints three argv lines and exits
 * with 7); otherwise, and with no arguments, it exits with 0.
 */
#include <stdio.h>
#include <stdlib.h>

/* The exit status the last argument asks for, or 0. */
static int requested_status(int argc, char **argv)
{
	if (argc < 2)
		return 0;
	char *end;
	long v = strtol(argv[argc - 1], &end, 10);
	if (end == argv[argc - 1] || *end != '\0' || v < 0 || v > 255)
		return 0;
	return (int)v;
}

int main(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	return requested_status(argc, argv);
}
