/*
 * fault_stack: recurses without end, 512 bytes a frame, until the stack
 * runs into the unmapped guard page below it (docs/abi.md, Memory map).
 * `outboard run` ends with status 139 (SIGSEGV); the report's PC lies in
 * fault_here. Built with -O0 so that the recursion stays a recursion.
 */
#include <limits.h>
#include <stdio.h>

/* Never reached; it only gives the recursion an end the compiler can see. */
static volatile unsigned stop_depth = UINT_MAX;

__attribute__((noipa)) unsigned fault_here(unsigned depth);
__attribute__((noipa)) unsigned fault_here(unsigned depth)
{
	volatile unsigned char frame[512];
	frame[depth % sizeof(frame)] = (unsigned char)depth;
	if (depth == stop_depth)
		return 0;
	return fault_here(depth + 1) + frame[0];
}

int main(void)
{
	printf("fault_stack: recursing until the stack runs out\n");
	return (int)fault_here(0);
}
