/*
 * fault_undef: executes an undefined instruction (0xe7f000f0, the ARM
 * "udf" space) in ARM state. `outboard run` ends with status 132 (SIGILL)
 * and a report naming the undefined instruction; the PC is fault_here's
 * first instruction.
 */
#include <stdio.h>

void fault_here(void);
__asm__(".text\n"
	".arm\n"
	".global fault_here\n"
	".type fault_here, %function\n"
	".p2align 2\n"
	"fault_here:\n"
	"\t.word 0xe7f000f0\n"
	"\tbx lr\n"
	".size fault_here, . - fault_here\n");

int main(void)
{
	printf("fault_undef: executing an undefined instruction\n");
	fault_here();
	return 0;
}
