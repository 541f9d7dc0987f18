/*
 * A fake gdb target for the session's unit tests and its fuzzer: three
 * threads (ids 1, 2, 5) with registers, 4 KiB of memory at 0x10000, a
 * record of the points set, and every byte the session sends.
 */
#ifndef GDB_FAKE_H
#define GDB_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdb/session.h"

#define FAKE_MEM_BASE 0x10000u
#define FAKE_MEM_SIZE 4096u
#define FAKE_NTHREADS 3

struct gdb_fake {
	uint32_t ids[FAKE_NTHREADS];
	uint32_t regs[FAKE_NTHREADS][OBG_NREGS];
	uint8_t mem[FAKE_MEM_SIZE];
	int points;           /* inserted minus removed */
	enum obg_point last_type;
	uint32_t last_addr, last_kind;
	char out[65536];      /* what the session sent, NUL-terminated */
	size_t out_len;
	bool send_fails;
};

extern const struct obg_target_ops gdb_fake_ops;

void gdb_fake_init(struct gdb_fake *f);

#endif
