/*
 * fault_jump_null: calls a NULL function pointer, so the CPU fetches its
 * next instruction from address 0, which is never mapped. `outboard run`
 * ends with status 139 (SIGSEGV); the report's PC is 0.
 */
#include <stdio.h>

static void (*volatile null_function)(void);

int main(void)
{
	printf("fault_jump_null: calling address 0\n");
	null_function();
	return 0;
}
