/*
 * unknown_syscall: makes system calls whose numbers the call table does not
 * have (999, and 13, a gap in the kernel range) with a raw `svc #0`. Each
 * must return -ENOSYS (-88). Prints, for each call,
 *
 *   svc <number> returned <value>
 *
 * (999 twice: the host logs an unknown number once) and exits with 0 when
 * every call returned -88, else 1.
 */
#include <stdio.h>

#define OB_ENOSYS 88

/* ARM state: r7 is free to hold the call number (in Thumb it is the frame
 * pointer). */
__attribute__((noipa)) static int raw_syscall(int number)
{
	register int r0 __asm__("r0");
	register int r7 __asm__("r7") = number;
	__asm__ volatile("svc #0" : "=r"(r0) : "r"(r7) : "memory");
	return r0;
}

int main(void)
{
	static const int numbers[] = { 999, 999, 13 };
	int ok = 1;
	for (unsigned i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		int r = raw_syscall(numbers[i]);
		printf("svc %d returned %d\n", numbers[i], r);
		ok = ok && r == -OB_ENOSYS;
	}
	return ok ? 0 : 1;
}
