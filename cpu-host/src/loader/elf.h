/*
 * The ELF loader: maps a guest executable into an obh_mem as docs/abi.md
 * "Image" says, and lists its HLE imports.
 *
 * Accepted: ELF32, little-endian, EM_ARM, ET_EXEC (at its linked addresses)
 * or ET_DYN (at opts->dyn_base, relocated with R_ARM_RELATIVE, R_ARM_ABS32,
 * R_ARM_GLOB_DAT and R_ARM_JUMP_SLOT against symbols the image defines; a
 * weak undefined symbol resolves to 0, as the ELF specification says).
 * Everything else is refused with a one-line reason. The input is untrusted:
 * every offset, size and address is checked against the buffer and the
 * image before use.
 *
 * Each PT_LOAD is mapped page-aligned with the permissions of its p_flags
 * and zero-filled past p_filesz. When two segments share a page (one ends
 * and the next begins inside it), that page is mapped once with the union
 * of both permissions: page granularity cannot do better, and Linux does
 * the same. Region names: "text" (executable), "data" (writable),
 * "rodata"; a shared page is "text+data" and so on; a repeated name gets
 * the segment's program header index ("data:3").
 *
 * Imports: the section .ob_imports (found through the section headers) is
 * an array of struct { uint32 name; uint32 slot; } guest addresses, read
 * after relocation. The loader checks each name (an identifier of at most
 * OBH_IMPORT_NAME_MAX - 1 characters inside the image) and slot (4-byte
 * aligned, inside the image) and records them; it does not resolve them.
 *
 * PT_INTERP is ignored (a static PIE carries one it does not need); a
 * DT_NEEDED entry, PT_TLS, DT_RELA or DT_RELR refuse the load. PT_GNU_RELRO
 * is ignored: arm-none-eabi ld does not emit it and the guest cannot
 * mprotect.
 */
#ifndef OBH_LOADER_ELF_H
#define OBH_LOADER_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

#define OBH_ELF_DYN_BASE 0x01000000u    /* where ET_DYN images load */
#define OBH_ELF_MAX_IMAGE 0x10000000u   /* default limit on mapped bytes */
#define OBH_ELF_MAX_SEGMENTS 32         /* PT_LOAD entries */
#define OBH_ELF_MAX_IMPORTS 4096
#define OBH_IMPORT_NAME_MAX 64          /* with the NUL */

struct obh_elf_opts {
	uint32_t dyn_base;  /* page-aligned; 0 means OBH_ELF_DYN_BASE */
	uint32_t max_image; /* most bytes of pages to map; 0 means OBH_ELF_MAX_IMAGE */
};

/* One mapped range of the image, as it is in the region table. */
struct obh_image_segment {
	uint32_t start;
	uint32_t size;
	unsigned prot; /* OBH_PROT_* */
	char name[OBH_REGION_NAME_MAX];
};

struct obh_import {
	char name[OBH_IMPORT_NAME_MAX];
	uint32_t slot; /* guest address of the word the host fills with a thunk */
};

struct obh_image {
	uint32_t entry;     /* e_entry + bias; bit 0 set: start in Thumb state */
	uint32_t bias;      /* added to every link-time address (0 for ET_EXEC) */
	uint16_t type;      /* ET_EXEC or ET_DYN */
	uint32_t lo;        /* lowest mapped address (page-aligned) */
	uint32_t hi;        /* one past the highest mapped page */
	struct obh_image_segment *segments; /* by address; owned, see obh_image_free */
	size_t nsegments;
	struct obh_import *imports;         /* in table order; owned */
	size_t nimports;
};

/*
 * Loads the ELF file data[0, len) into m. opts may be NULL for defaults.
 * On success fills *img (free it with obh_image_free) and returns 0. On
 * failure writes a one-line reason into err (when errlen > 0), leaves m as
 * it was (everything mapped is unmapped again), leaves *img empty, and
 * returns -ENOEXEC (the file is not acceptable), -EEXIST (a segment meets
 * something already mapped in m) or -ENOMEM. data is not kept.
 */
int obh_elf_load(struct obh_mem *m, const uint8_t *data, size_t len,
		 const struct obh_elf_opts *opts, struct obh_image *img,
		 char *err, size_t errlen);

/* Frees what obh_elf_load allocated in img and zeroes it. Accepts NULL and
 * an empty image. Does not unmap anything from memory. */
void obh_image_free(struct obh_image *img);

/* Where the heap starts for this image: its end plus the unmapped gap. */
static inline uint32_t obh_image_heap_start(const struct obh_image *img)
{
	return img->hi + OBH_HEAP_GAP;
}

#endif /* OBH_LOADER_ELF_H */
