/*
 * Private to the ELF loader (elf.c, elf_reloc.c, elf_imports.c): the state
 * of one load and the checked accessors the later stages read the mapped
 * image with.
 *
 * Stages: elf.c checks the headers, places and maps the segments; then
 * elf_reloc.c applies dynamic relocations and elf_imports.c reads the
 * import table, both from the mapped (and relocated) image. Every address
 * the file supplies goes through obh_elf_in_image before memory is touched.
 */
#ifndef OBH_LOADER_ELF_PRIV_H
#define OBH_LOADER_ELF_PRIV_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/elf.h"

/* Fields of the file and the image are read as host integers (memcpy into
 * the <elf.h> structures), which is right because the host is
 * little-endian like the guest. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ELF loader reads little-endian fields as host integers"
#endif

#define OBH_ELF_MAX_INTERVALS (2 * OBH_ELF_MAX_SEGMENTS)

/* A PT_LOAD with memory, checked against the file. */
struct obh_elf_seg {
	unsigned index; /* in the program header table */
	Elf32_Phdr ph;
	uint64_t lo, hi; /* where it lands: [lo, hi) */
};

/* A page range to map: one segment's pages, or a page segments share. */
struct obh_elf_interval {
	uint32_t start, size;
	unsigned prot;
	unsigned seg_index; /* program header index of its (first) segment */
	bool shared;
	char name[OBH_REGION_NAME_MAX];
};

struct obh_elf_ctx {
	struct obh_mem *m;
	const uint8_t *data; /* the file, len bytes; not owned */
	size_t len;
	char *err;
	size_t errlen;
	Elf32_Ehdr eh;
	struct obh_elf_seg segs[OBH_ELF_MAX_SEGMENTS]; /* sorted, disjoint */
	unsigned nsegs;
	bool has_dyn;
	Elf32_Phdr dyn;  /* PT_DYNAMIC, inside the file */
	uint32_t bias;
	uint32_t entry;
	struct obh_elf_interval iv[OBH_ELF_MAX_INTERVALS];
	unsigned niv;
	unsigned nmapped; /* iv[0, nmapped) are mapped */
};

/* Writes the reason into c->err and returns -ENOEXEC. */
__attribute__((format(printf, 2, 3)))
int obh_elf_fail(struct obh_elf_ctx *c, const char *fmt, ...);

/* True if [addr, addr + len) lies inside one loaded segment. */
bool obh_elf_in_image(const struct obh_elf_ctx *c, uint64_t addr, uint64_t len);

/* The loaded segment containing addr, or NULL. */
const struct obh_elf_seg *obh_elf_seg_at(const struct obh_elf_ctx *c, uint64_t addr);

/* The word at addr; the caller has checked obh_elf_in_image(addr, 4). */
uint32_t obh_elf_peek32(const struct obh_elf_ctx *c, uint32_t addr);

/* Copies the NUL-terminated string at image address addr into buf (cap > 0).
 * Returns its length, or -1 (not in the image), -2 (no NUL before the end
 * of its segment), -3 (no NUL within cap bytes). */
int obh_elf_image_str(const struct obh_elf_ctx *c, uint64_t addr, char *buf, size_t cap);

/* Replaces non-printable characters, for names quoted in messages. */
void obh_elf_printable(char *s);

/* Applies PT_DYNAMIC's relocations (elf_reloc.c). */
int obh_elf_relocate(struct obh_elf_ctx *c);

/* Reads .ob_imports into img->imports (elf_imports.c). */
int obh_elf_read_imports(struct obh_elf_ctx *c, struct obh_image *img);

#endif /* OBH_LOADER_ELF_PRIV_H */
