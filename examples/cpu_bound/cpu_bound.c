/*
 * cpu_bound: the CPU benchmark guest. Computes fib(32) by plain recursion
 * (about 7 million calls, no system calls on the way) and prints
 *
 *   fib(32) = 2178309
 *
 * then exits with 0 (1 if the result were wrong). The same source is built
 * with the SDK (cpu_bound.elf, for `outboard run`) and with newlib's
 * semihosting (cpu_bound_rdimon.elf, for qemu-arm), so the two emulators
 * can be timed on identical code.
 */
#include <stdio.h>
#include <stdlib.h>

#define N 32
#define EXPECTED 2178309u

/* noinline, and n from argv below: the compiler must not fold the calls. */
__attribute__((noinline)) static unsigned fib(unsigned n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : N;
	unsigned r = fib(n);
	printf("fib(%u) = %u\n", n, r);
	return n == N && r != EXPECTED ? 1 : 0;
}
