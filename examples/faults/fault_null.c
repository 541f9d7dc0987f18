/*
 * fault_null: reads address 0 (a NULL dereference). Page 0 is never mapped
 * (docs/abi.md), so `outboard run` ends with status 139 (SIGSEGV) and a
 * report naming the bad access and the PC, which lies in fault_here.
 */
#include <stdio.h>

/* volatile: the compiler cannot see the NULL and turn the load into a trap. */
static int *volatile null_pointer;

__attribute__((noipa)) int fault_here(int *p);
__attribute__((noipa)) int fault_here(int *p)
{
	return *(volatile int *)p;
}

int main(void)
{
	printf("fault_null: reading address 0\n");
	return fault_here(null_pointer);
}
