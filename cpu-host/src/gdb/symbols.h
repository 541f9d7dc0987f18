/*
 * Function names from the guest ELF's symbol table, to name guest threads
 * after their entry function in gdb ("worker" rather than "thread-2").
 * The guest ABI has no thread names; the entry function is what a user
 * recognises. A stripped program simply gets numbered names.
 *
 * The file is untrusted: every offset is checked against its size.
 */
#ifndef OBG_SYMBOLS_H
#define OBG_SYMBOLS_H

#include <stdint.h>

struct obg_symbols;

/*
 * Read the function symbols of the ELF file at path; entry is where the
 * loaded program starts (bit 0 ignored), which gives the load bias of a
 * position-independent image. Returns NULL when there are none (no file,
 * not ELF32, stripped) or on -ENOMEM: names are a convenience.
 */
struct obg_symbols *obg_symbols_load(const char *path, uint32_t entry);
void obg_symbols_free(struct obg_symbols *s);

/* The name of the function that starts at addr (Thumb bit clear), or
 * NULL. Accepts s == NULL. */
const char *obg_symbol_at(const struct obg_symbols *s, uint32_t addr);

/* Load bias (0 for a static executable, or without symbols). */
uint32_t obg_symbols_bias(const struct obg_symbols *s);

#endif /* OBG_SYMBOLS_H */
