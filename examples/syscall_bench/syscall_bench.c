/*
 * syscall_bench: N host-local system calls in a loop (ob_thread_self,
 * which the CPU host answers without a plugin), to measure the cost of a
 * syscall round trip. N is the first argument (default 1000000). Prints
 *
 *   syscalls: <N>
 *
 * and exits with 0, or with 1 if a call failed or the thread id changed.
 */
#include <outboard.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000ul;
	int self = ob_thread_self();
	if (self < 0) {
		printf("ob_thread_self failed: %d\n", self);
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		if (ob_thread_self() != self) {
			printf("ob_thread_self changed at call %lu\n", i);
			return 1;
		}
	}
	printf("syscalls: %lu\n", n);
	return 0;
}
