/*
 * Function symbols of a guest executable, for fault reports:
 * "main+0x10 (prog.c)" for an address.
 *
 * Read from the ELF's .symtab (SHT_SYMTAB and its string table) after the
 * loader has accepted the file: STT_FUNC symbols defined in a section, and
 * untyped labels in code sections (assembly's _start), give the names
 * (Thumb bit cleared, ET_DYN bias added); STT_FILE symbols give
 * the file name. The ELF orders local symbols by file (an STT_FILE, then
 * that file's locals) and puts every global after all locals, so a global
 * function's file is the file of the nearest local symbol at or below it
 * in the same section, usually the ARM mapping symbol ($a, $t) that
 * starts its code. No DWARF is read.
 *
 * A stripped file (no .symtab) or a malformed symbol table gives an empty
 * table: reports then keep their region form ("text+0x90"). The input is
 * untrusted: every offset is checked against the buffer.
 *
 * Names: obh_syms_ (the CPU host's loader).
 */
#ifndef OBH_LOADER_SYMS_H
#define OBH_LOADER_SYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct obh_syms;

/*
 * Reads the function symbols of the ELF file data[0, len), adding bias to
 * every address (obh_image.bias). *out receives a table the caller owns
 * (free it with obh_syms_free); it may hold no symbols. data is not kept.
 * Returns 0, or -ENOMEM (then *out is NULL).
 */
int obh_syms_read(const uint8_t *data, size_t len, uint32_t bias, struct obh_syms **out);

/* Frees the table. Accepts NULL. */
void obh_syms_free(struct obh_syms *s);

/* How many function symbols the table holds (0 for NULL). */
size_t obh_syms_count(const struct obh_syms *s);

/*
 * Names addr into buf (capacity cap, always NUL-terminated when cap > 0):
 * "name+0xOFF (file)", or "name+0xOFF" when the file is unknown. Returns
 * false, leaving buf empty, when no function contains addr: past a sized
 * function's end, or below the first one. A function without a size
 * (assembly without .size) reaches up to the next function. s may be NULL.
 */
bool obh_syms_describe(const struct obh_syms *s, uint32_t addr, char *buf, size_t cap);

#endif /* OBH_LOADER_SYMS_H */
