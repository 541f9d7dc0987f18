/*
 * The ELF loader (see elf.h).
 *
 * Order of work: check the ELF header and program headers against the file,
 * place the segments (bias, address-space bounds, entry point), plan the
 * pages (merging shared pages), map and fill them, relocate (elf_reloc.c),
 * then read the import table from the relocated image (elf_imports.c).
 * Every failure unmaps what was mapped. Structures are copied out of the
 * file with memcpy (the buffer need not be aligned).
 */
#include "loader/elf_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMAGE_AREA_END OBH_STACK_AREA_LO

int obh_elf_fail(struct obh_elf_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -ENOEXEC;
}

static uint64_t page_down(uint64_t v)
{
	return v & ~(uint64_t)(OBH_PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t v)
{
	return page_down(v + OBH_PAGE_SIZE - 1);
}

bool obh_elf_in_image(const struct obh_elf_ctx *c, uint64_t addr, uint64_t len)
{
	for (unsigned i = 0; i < c->nsegs; i++)
		if (addr >= c->segs[i].lo && addr + len <= c->segs[i].hi)
			return true;
	return false;
}

const struct obh_elf_seg *obh_elf_seg_at(const struct obh_elf_ctx *c, uint64_t addr)
{
	for (unsigned i = 0; i < c->nsegs; i++)
		if (addr >= c->segs[i].lo && addr < c->segs[i].hi)
			return &c->segs[i];
	return NULL;
}

uint32_t obh_elf_peek32(const struct obh_elf_ctx *c, uint32_t addr)
{
	uint32_t v = 0;

	obh_mem_peek(c->m, addr, &v, sizeof(v)); /* callers checked in_image */
	return v;
}

int obh_elf_image_str(const struct obh_elf_ctx *c, uint64_t addr, char *buf, size_t cap)
{
	const struct obh_elf_seg *s = obh_elf_seg_at(c, addr);

	buf[0] = '\0';
	if (!s)
		return -1;
	size_t n = s->hi - addr < cap ? (size_t)(s->hi - addr) : cap;
	obh_mem_peek(c->m, (uint32_t)addr, buf, (uint32_t)n);
	char *nul = memchr(buf, 0, n);
	if (nul)
		return (int)(nul - buf);
	buf[n == cap ? cap - 1 : n] = '\0';
	return n == cap ? -3 : -2;
}

void obh_elf_printable(char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			*s = '?';
}

/* ---- the ELF header ---- */

static const char *machine_name(unsigned machine)
{
	static const struct { unsigned id; const char *name; } names[] = {
		{ EM_SPARC, "SPARC" }, { EM_386, "x86" }, { EM_68K, "m68k" },
		{ EM_MIPS, "MIPS" }, { EM_PPC, "PowerPC" }, { EM_PPC64, "PowerPC64" },
		{ EM_S390, "S/390" }, { EM_SH, "SuperH" }, { EM_SPARCV9, "SPARC V9" },
		{ EM_IA_64, "IA-64" }, { EM_X86_64, "x86-64" }, { EM_XTENSA, "Xtensa" },
		{ EM_AARCH64, "AArch64" }, { EM_RISCV, "RISC-V" }, { 258, "LoongArch" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].id == machine)
			return names[i].name;
	return "unknown";
}

static int check_ident(struct obh_elf_ctx *c)
{
	const uint8_t *id = c->data;

	if (c->len < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0)
		return obh_elf_fail(c, "not an ELF file");
	if (c->len < EI_NIDENT)
		return obh_elf_fail(c, "truncated ELF header (%zu bytes)", c->len);
	if (id[EI_CLASS] == ELFCLASS64)
		return obh_elf_fail(c, "64-bit ELF; only 32-bit ARM (ELFCLASS32) is supported");
	if (id[EI_CLASS] != ELFCLASS32)
		return obh_elf_fail(c, "bad ELF class %u", id[EI_CLASS]);
	if (id[EI_DATA] == ELFDATA2MSB)
		return obh_elf_fail(c, "big-endian ELF; only little-endian ARM is supported");
	if (id[EI_DATA] != ELFDATA2LSB)
		return obh_elf_fail(c, "bad ELF data encoding %u", id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return obh_elf_fail(c, "bad ELF version %u", id[EI_VERSION]);
	return 0;
}

static int check_header(struct obh_elf_ctx *c)
{
	int rc = check_ident(c);

	if (rc)
		return rc;
	if (c->len < sizeof(Elf32_Ehdr))
		return obh_elf_fail(c, "truncated ELF header (%zu bytes)", c->len);
	memcpy(&c->eh, c->data, sizeof(c->eh));
	const Elf32_Ehdr *eh = &c->eh;
	if (eh->e_machine != EM_ARM)
		return obh_elf_fail(c, "ELF for machine %u (%s), not ARM", eh->e_machine,
				    machine_name(eh->e_machine));
	if (eh->e_version != EV_CURRENT)
		return obh_elf_fail(c, "bad ELF version %u", eh->e_version);
	if (eh->e_type == ET_REL)
		return obh_elf_fail(c, "ELF type 1 is a relocatable object, not an executable: link it");
	if (eh->e_type == ET_CORE)
		return obh_elf_fail(c, "ELF type 4 is a core dump, not an executable");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return obh_elf_fail(c, "ELF type %u is not an executable", eh->e_type);
	if (eh->e_ehsize != sizeof(Elf32_Ehdr))
		return obh_elf_fail(c, "ELF header size %u, expected %zu", eh->e_ehsize,
				    sizeof(Elf32_Ehdr));
	return 0;
}

/* ---- program headers ---- */

static int check_load(struct obh_elf_ctx *c, unsigned i, const Elf32_Phdr *ph)
{
	if (ph->p_filesz > ph->p_memsz)
		return obh_elf_fail(c, "segment %u: file size 0x%x exceeds memory size 0x%x", i,
				    ph->p_filesz, ph->p_memsz);
	if ((uint64_t)ph->p_offset + ph->p_filesz > c->len)
		return obh_elf_fail(c, "segment %u extends past end of file (offset 0x%x + 0x%x > %zu bytes)",
				    i, ph->p_offset, ph->p_filesz, c->len);
	if (ph->p_align & (ph->p_align - 1))
		return obh_elf_fail(c, "segment %u: alignment 0x%x is not a power of two",
				    i, ph->p_align);
	if (ph->p_align > 1 && (ph->p_vaddr - ph->p_offset) % ph->p_align)
		return obh_elf_fail(c, "segment %u: address 0x%x and file offset 0x%x disagree modulo its alignment 0x%x",
				    i, ph->p_vaddr, ph->p_offset, ph->p_align);
	if ((uint64_t)ph->p_vaddr + ph->p_memsz > ((uint64_t)1 << 32))
		return obh_elf_fail(c, "segment %u wraps around the end of the address space", i);
	if (ph->p_memsz == 0)
		return 0;
	if (c->nsegs == OBH_ELF_MAX_SEGMENTS)
		return obh_elf_fail(c, "too many loadable segments (more than %d)",
				    OBH_ELF_MAX_SEGMENTS);
	if (c->nsegs) {
		const struct obh_elf_seg *prev = &c->segs[c->nsegs - 1];

		if (ph->p_vaddr < prev->ph.p_vaddr)
			return obh_elf_fail(c, "segment %u is not in address order", i);
		if (ph->p_vaddr < (uint64_t)prev->ph.p_vaddr + prev->ph.p_memsz)
			return obh_elf_fail(c, "segment %u overlaps segment %u", i, prev->index);
	}
	c->segs[c->nsegs++] = (struct obh_elf_seg){ .index = i, .ph = *ph };
	return 0;
}

static int read_phdrs(struct obh_elf_ctx *c)
{
	const Elf32_Ehdr *eh = &c->eh;

	if (eh->e_phnum == 0)
		return obh_elf_fail(c, "no program headers");
	if (eh->e_phnum == PN_XNUM)
		return obh_elf_fail(c, "extended program header numbering is not supported");
	if (eh->e_phentsize != sizeof(Elf32_Phdr))
		return obh_elf_fail(c, "program header entry size %u, expected %zu",
				    eh->e_phentsize, sizeof(Elf32_Phdr));
	if ((uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > c->len)
		return obh_elf_fail(c, "program header table (offset 0x%x, %u entries) extends past end of file",
				    eh->e_phoff, eh->e_phnum);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf32_Phdr ph;
		int rc = 0;

		memcpy(&ph, c->data + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD) {
			rc = check_load(c, i, &ph);
		} else if (ph.p_type == PT_TLS) {
			rc = obh_elf_fail(c, "thread-local storage (PT_TLS) is not supported");
		} else if (ph.p_type == PT_DYNAMIC) {
			if (c->has_dyn)
				rc = obh_elf_fail(c, "more than one PT_DYNAMIC segment");
			else if ((uint64_t)ph.p_offset + ph.p_filesz > c->len)
				rc = obh_elf_fail(c, "segment %u (PT_DYNAMIC) extends past end of file",
						  i);
			c->dyn = ph;
			c->has_dyn = true;
		}
		if (rc)
			return rc;
	}
	if (c->nsegs == 0)
		return obh_elf_fail(c, "no loadable segments");
	return 0;
}

/* ---- placement ---- */

static int place_segments(struct obh_elf_ctx *c, const struct obh_elf_opts *opts)
{
	uint32_t base = opts && opts->dyn_base ? opts->dyn_base : OBH_ELF_DYN_BASE;
	uint64_t limit = opts && opts->max_image ? opts->max_image : OBH_ELF_MAX_IMAGE;
	uint64_t first = page_down(c->segs[0].ph.p_vaddr), total = 0;

	if (c->eh.e_type == ET_DYN) {
		if (base % OBH_PAGE_SIZE || base < OBH_NULL_PAGE_END)
			return obh_elf_fail(c, "load base 0x%x is not a page-aligned address above 0x%x",
					    base, OBH_NULL_PAGE_END);
		c->bias = base - (uint32_t)first;
	}
	for (unsigned i = 0; i < c->nsegs; i++) {
		struct obh_elf_seg *s = &c->segs[i];

		s->lo = c->eh.e_type == ET_DYN ? base + (s->ph.p_vaddr - first) : s->ph.p_vaddr;
		s->hi = s->lo + s->ph.p_memsz;
		unsigned long long lo = s->lo, hi = s->hi;
		if (lo < OBH_NULL_PAGE_END)
			return obh_elf_fail(c, "segment %u at 0x%llx is inside page 0, which stays unmapped as the NULL guard (below 0x%x)",
					    s->index, lo, OBH_NULL_PAGE_END);
		if (hi > IMAGE_AREA_END)
			return obh_elf_fail(c, "segment %u (0x%llx-0x%llx) reaches past 0x%x, where the stacks begin",
					    s->index, lo, hi, IMAGE_AREA_END);
		total += page_up(s->hi) - page_down(s->lo);
	}
	if (total > limit)
		return obh_elf_fail(c, "image needs 0x%llx bytes of memory, more than the limit 0x%llx",
				    (unsigned long long)total, (unsigned long long)limit);
	return 0;
}

static int check_entry(struct obh_elf_ctx *c)
{
	uint32_t e = c->eh.e_entry;
	bool thumb = e & 1;
	uint64_t code = (uint32_t)((e & ~1u) + c->bias);

	if (!thumb && (e & 3))
		return obh_elf_fail(c, "entry point 0x%x is not 4-byte aligned for ARM state", e);
	const struct obh_elf_seg *s = obh_elf_seg_at(c, code);
	if (!s || !(s->ph.p_flags & PF_X) || !obh_elf_in_image(c, code, thumb ? 2 : 4))
		return obh_elf_fail(c, "entry point 0x%x is not in an executable segment", e);
	c->entry = (uint32_t)code | thumb;
	return 0;
}

/* ---- pages ---- */

static unsigned seg_prot(const struct obh_elf_seg *s)
{
	Elf32_Word f = s->ph.p_flags;

	return ((f & PF_R) ? OBH_PROT_R : 0) | ((f & PF_W) ? OBH_PROT_W : 0) |
	       ((f & PF_X) ? OBH_PROT_X : 0);
}

static const char *prot_class(unsigned prot)
{
	if (prot & OBH_PROT_X)
		return "text";
	if (prot & OBH_PROT_W)
		return "data";
	return prot ? "rodata" : "noaccess";
}

/* Names the shared page: the classes of every segment on it, once each. */
static void add_class(struct obh_elf_interval *iv, const char *cls)
{
	size_t n = strlen(iv->name), k = strlen(cls);

	for (const char *t = iv->name; t; t = strchr(t, '+') ? strchr(t, '+') + 1 : NULL)
		if (strncmp(t, cls, k) == 0 && (t[k] == '+' || t[k] == '\0'))
			return;
	if (n + 1 + k >= sizeof(iv->name))
		return;
	iv->name[n] = '+';
	strcpy(iv->name + n + 1, cls);
}

static void push_interval(struct obh_elf_ctx *c, uint64_t start, uint64_t end, unsigned prot,
			  const struct obh_elf_seg *s, bool shared, const char *cls)
{
	struct obh_elf_interval *iv = &c->iv[c->niv++];

	*iv = (struct obh_elf_interval){ .start = (uint32_t)start, .size = (uint32_t)(end - start),
				 .prot = prot, .seg_index = s->index, .shared = shared };
	strcpy(iv->name, cls);
}

/* Turns segments into page intervals. Segments are sorted and disjoint, so
 * a segment can share only its first page, with the previous interval's
 * last page. */
static void plan_pages(struct obh_elf_ctx *c)
{
	for (unsigned i = 0; i < c->nsegs; i++) {
		const struct obh_elf_seg *s = &c->segs[i];
		uint64_t lo = page_down(s->lo), hi = page_up(s->hi);
		unsigned prot = seg_prot(s);
		const char *cls = prot_class(prot);
		struct obh_elf_interval *last = c->niv ? &c->iv[c->niv - 1] : NULL;

		if (last && lo < (uint64_t)last->start + last->size) {
			if (last->size == OBH_PAGE_SIZE) {
				last->prot |= prot;
				last->shared = true;
				add_class(last, cls);
			} else {
				last->size -= OBH_PAGE_SIZE;
				char prev[OBH_REGION_NAME_MAX];
				strcpy(prev, last->name);
				push_interval(c, lo, lo + OBH_PAGE_SIZE, last->prot | prot, s, true,
					      prev);
				add_class(&c->iv[c->niv - 1], cls);
			}
			lo += OBH_PAGE_SIZE;
		}
		if (lo < hi)
			push_interval(c, lo, hi, prot, s, false, cls);
	}
	/* A repeated name gets its segment's index: "data", "data:3". */
	for (unsigned i = 0; i < c->niv; i++) {
		for (unsigned k = 0; k < i; k++) {
			if (!c->iv[i].shared && strcmp(c->iv[k].name, c->iv[i].name) == 0) {
				size_t n = strlen(c->iv[i].name);
				snprintf(c->iv[i].name + n, sizeof(c->iv[i].name) - n, ":%u",
					 c->iv[i].seg_index);
				break;
			}
		}
	}
}

static int map_image(struct obh_elf_ctx *c)
{
	for (unsigned i = 0; i < c->niv; i++) {
		const struct obh_elf_interval *iv = &c->iv[i];
		int rc = obh_mem_map(c->m, iv->start, iv->size, iv->prot, iv->name);

		if (rc == -EEXIST) {
			obh_elf_fail(c, "segment %u (0x%x-0x%llx) overlaps memory already mapped",
				     iv->seg_index, iv->start,
				     (unsigned long long)iv->start + iv->size);
			return -EEXIST;
		}
		if (rc) {
			obh_elf_fail(c, "cannot map segment %u (0x%x bytes): out of memory",
				     iv->seg_index, iv->size);
			return -ENOMEM;
		}
		c->nmapped++;
	}
	for (unsigned i = 0; i < c->nsegs; i++) {
		const struct obh_elf_seg *s = &c->segs[i];

		obh_mem_poke(c->m, (uint32_t)s->lo, c->data + s->ph.p_offset, s->ph.p_filesz);
	}
	return 0;
}
/* ---- the whole load ---- */

static int describe_image(struct obh_elf_ctx *c, struct obh_image *img)
{
	img->segments = calloc(c->niv, sizeof(*img->segments));
	if (!img->segments) {
		obh_elf_fail(c, "out of memory");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < c->niv; i++) {
		struct obh_image_segment *s = &img->segments[i];

		s->start = c->iv[i].start;
		s->size = c->iv[i].size;
		s->prot = c->iv[i].prot;
		memcpy(s->name, c->iv[i].name, sizeof(s->name));
	}
	img->nsegments = c->niv;
	img->entry = c->entry;
	img->bias = c->bias;
	img->type = c->eh.e_type;
	img->lo = c->iv[0].start;
	img->hi = c->iv[c->niv - 1].start + c->iv[c->niv - 1].size;
	return 0;
}

int obh_elf_load(struct obh_mem *m, const uint8_t *data, size_t len,
		 const struct obh_elf_opts *opts, struct obh_image *img,
		 char *err, size_t errlen)
{
	struct obh_elf_ctx *c = calloc(1, sizeof(*c));
	int rc;

	memset(img, 0, sizeof(*img));
	if (errlen)
		err[0] = '\0';
	if (!c) {
		if (errlen)
			snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*c = (struct obh_elf_ctx){ .m = m, .data = data, .len = len, .err = err, .errlen = errlen };
	rc = check_header(c);
	if (rc == 0)
		rc = read_phdrs(c);
	if (rc == 0)
		rc = place_segments(c, opts);
	if (rc == 0)
		rc = check_entry(c);
	if (rc == 0) {
		plan_pages(c);
		rc = map_image(c);
	}
	if (rc == 0)
		rc = obh_elf_relocate(c);
	if (rc == 0)
		rc = obh_elf_read_imports(c, img);
	if (rc == 0)
		rc = describe_image(c, img);
	if (rc) {
		for (unsigned i = 0; i < c->nmapped; i++)
			obh_mem_unmap(m, c->iv[i].start, c->iv[i].size);
		obh_image_free(img);
	}
	free(c);
	return rc;
}

void obh_image_free(struct obh_image *img)
{
	if (!img)
		return;
	free(img->segments);
	free(img->imports);
	memset(img, 0, sizeof(*img));
}
