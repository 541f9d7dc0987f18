/*
 * Building seed inputs for the fuzz targets (ob_fuzz_seeds): a growable
 * byte buffer, packed Envelopes framed the way the targets split their
 * input (a 16-bit little-endian length, then the bytes), and writing a
 * finished seed to a file.
 *
 * Every function aborts on failure: the generator runs at build time and
 * a half-written corpus is worse than a failed build.
 */
#ifndef OBZ_SEED_H
#define OBZ_SEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outboard.pb-c.h"

struct obz_seed {
	uint8_t *buf;
	size_t len, cap;
	uint64_t next_id; /* the id obz_seed_call gives the next request */
};

/* A new, empty seed whose first byte is `first` (the targets' selector or
 * flags byte) and whose requests are numbered from 1. */
void obz_seed_start(struct obz_seed *s, uint8_t first);

void obz_seed_bytes(struct obz_seed *s, const void *p, size_t n);
void obz_seed_u16(struct obz_seed *s, uint16_t v);
void obz_seed_u32(struct obz_seed *s, uint32_t v);

/* env packed, without framing. */
void obz_seed_envelope(struct obz_seed *s, const Ob__Envelope *env);
/* env packed, after its 16-bit length. */
void obz_seed_frame(struct obz_seed *s, const Ob__Envelope *env);

/* A framed Request{id = next id, posted, call = msg}, where call is an
 * Ob__Request__CallCase and msg the matching call message. Returns the id. */
uint64_t obz_seed_call(struct obz_seed *s, bool posted, uint32_t call, const void *msg);
/* The same with Request.shm_in and shm_out set (each may be NULL): spans of
 * the region fuzz_plugins maps for every input (OBZ_SHM_SIZE bytes). */
uint64_t obz_seed_call_shm(struct obz_seed *s, bool posted, uint32_t call, const void *msg,
			   const Ob__ShmSpan *in, const Ob__ShmSpan *out);
/* A framed Hello as the CPU host sends it. */
void obz_seed_hello(struct obz_seed *s);
/* A framed Ping, StatsQuery or Shutdown. */
void obz_seed_ping(struct obz_seed *s, uint64_t seq);
void obz_seed_stats_query(struct obz_seed *s);
void obz_seed_shutdown(struct obz_seed *s);

/* Write the seed to DIR/TARGET/NAME (creating DIR/TARGET) and free it. */
void obz_seed_write(struct obz_seed *s, const char *dir, const char *target, const char *name);

/* seeds_plugins.c: every seed of fuzz_plugins, into dir/fuzz_plugins. */
void obz_seeds_plugins(const char *dir);
/* seeds_guest.c: ARM code for fuzz_guest, executables for fuzz_elf. */
void obz_seeds_guest(const char *dir);
void obz_seeds_gdb(const char *dir);
void obz_seeds_elf(const char *dir);
/* seeds_record.c: recordings for fuzz_record. */
void obz_seeds_record(const char *dir);

#endif /* OBZ_SEED_H */
