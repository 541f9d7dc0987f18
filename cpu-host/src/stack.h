/*
 * The main thread's initial stack, as docs/abi.md "Entry" lays it out (the
 * Linux layout, without an auxiliary vector):
 *
 *   sp ->  argc
 *          argv[0] ... argv[argc - 1]   guest pointers to the strings
 *          NULL
 *          envp[0] ... envp[envc - 1]
 *          NULL
 *          (0-7 bytes of padding)
 *          the argv strings, then the envp strings, each NUL-terminated,
 *          ending at most at the top of the stack
 *
 * sp is 8-byte aligned (AAPCS). The caller sets r0 = argc, r1 = argv,
 * r2 = envp from the result.
 */
#ifndef OBH_STACK_H
#define OBH_STACK_H

#include <stdint.h>

#include "mem.h"

struct obh_entry_stack {
	uint32_t sp;   /* address of argc */
	uint32_t argc;
	uint32_t argv; /* guest address of argv[0]'s pointer */
	uint32_t envp; /* guest address of envp[0]'s pointer */
};

/*
 * Writes the layout above into the stack [lo, hi) of m (which must be
 * mapped writable). argv and envp are NULL-terminated host arrays, either
 * may be NULL (empty). The host strings are copied; the caller keeps them.
 * As on Linux, the arguments may take at most a quarter of the stack, so
 * the program keeps room to run.
 * Errors: -E2BIG (does not fit), -EINVAL (lo >= hi), -EFAULT (the stack is
 * not mapped writable).
 */
int obh_stack_build(struct obh_mem *m, uint32_t lo, uint32_t hi,
		    const char *const *argv, const char *const *envp,
		    struct obh_entry_stack *out);

#endif /* OBH_STACK_H */
