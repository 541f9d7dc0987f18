/*
 * Prints the environment it was started with, as environ holds it and as
 * main's envp does, then getenv of each argument (tests/guests/env.sh):
 *   env: NAME=VALUE        for each environ entry, in order
 *   count: N
 *   envp: same|different   whether main's third argument is environ
 *   getenv NAME: VALUE     or "(unset)"
 */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv, char **envp)
{
	int n = 0;
	for (char **e = environ; e && *e; e++, n++)
		printf("env: %s\n", *e);
	printf("count: %d\n", n);
	printf("envp: %s\n", envp == environ ? "same" : "different");
	for (int i = 1; i < argc; i++) {
		const char *v = getenv(argv[i]);
		printf("getenv %s: %s\n", argv[i], v ? v : "(unset)");
	}
	return 0;
}
