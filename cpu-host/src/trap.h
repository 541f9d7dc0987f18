/*
 * Traps: what an svc (or another CPU exception) from guest code means.
 *
 *   svc #0 (ARM or Thumb)      syscall; number in r7, arguments r0-r5
 *   svc #0x123456 / Thumb #0xab   semihosting; operation r0, block r1
 *   svc in the host page       HLE thunk (call number in the immediate) or a
 *                              return backstop (thread exit, upcall return)
 *   anything else              an unknown call: -ENOSYS, logged once
 *
 * Breakpoints and aborts the CPU raises end the run as guest faults.
 */
#ifndef OBH_TRAP_H
#define OBH_TRAP_H

#include <stdint.h>

#include "host.h"

/* Called from the engine's interrupt hook with Unicorn's exception number. */
void obh_trap(struct obh_host *h, uint32_t intno);

#endif /* OBH_TRAP_H */
