/*
 * Function symbols for fault reports (see syms.h).
 *
 * Work: find .symtab and its string table through the section headers,
 * copy the string table (non-printable bytes become '?', so a hostile name
 * cannot write control sequences to the terminal), collect STT_FUNC
 * symbols and the local "anchor" symbols that tie addresses to files, give
 * each global function the file of its nearest anchor, sort by address.
 * Structures are copied out of the file with memcpy (it need not be
 * aligned); the loader has already checked it is ELF32 little-endian ARM.
 */
#include "loader/syms.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far a function without a size may reach when no function follows. */
#define UNSIZED_REACH 0x10000u

struct func {
	uint32_t addr;
	uint32_t size;  /* 0: unknown */
	uint32_t name;  /* offset in strs */
	int64_t file;   /* offset in strs, or -1 */
	uint16_t shndx;
	bool global;
	bool typed;     /* STT_FUNC, not a plain label */
	uint32_t index; /* in the symbol table: the last tie-break */
};

/* A local symbol: its address belongs to the file it was listed under. */
struct anchor {
	uint32_t addr;
	uint16_t shndx;
	int64_t file;
};

struct obh_syms {
	char *strs;           /* the string table, NUL-terminated */
	struct func *funcs;   /* by address; at one address global, typed, first listed first */
	size_t nfuncs;
};

static bool in_file(size_t len, uint64_t off, uint64_t size)
{
	return off <= len && size <= len - off;
}

/* The section headers (checked to lie in the file) and the symbol table's
 * and its string table's, if both are there and inside the file. */
struct tables {
	const uint8_t *shdrs;
	unsigned nshdrs;
	Elf32_Shdr sym, str;
};

static bool find_tables(const uint8_t *data, size_t len, struct tables *t)
{
	Elf32_Shdr *sym = &t->sym, *str = &t->str;
	Elf32_Ehdr eh;

	if (len < sizeof(eh))
		return false;
	memcpy(&eh, data, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh.e_shentsize != sizeof(Elf32_Shdr) || eh.e_shnum == 0 ||
	    !in_file(len, eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf32_Shdr)))
		return false;
	t->shdrs = data + eh.e_shoff;
	t->nshdrs = eh.e_shnum;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		memcpy(sym, data + eh.e_shoff + (size_t)i * sizeof(*sym), sizeof(*sym));
		if (sym->sh_type != SHT_SYMTAB)
			continue;
		if (sym->sh_entsize != sizeof(Elf32_Sym) || sym->sh_link == 0 ||
		    sym->sh_link >= eh.e_shnum || !in_file(len, sym->sh_offset, sym->sh_size))
			return false;
		memcpy(str, data + eh.e_shoff + (size_t)sym->sh_link * sizeof(*str), sizeof(*str));
		return str->sh_type == SHT_STRTAB && in_file(len, str->sh_offset, str->sh_size);
	}
	return false;
}

static int by_anchor_addr(const void *a, const void *b)
{
	const struct anchor *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int by_func_addr(const void *a, const void *b)
{
	const struct func *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->global != y->global)
		return (int)y->global - (int)x->global;
	if (x->typed != y->typed)
		return (int)y->typed - (int)x->typed;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The file of the nearest anchor at or below f, in f's section. */
static int64_t file_of(const struct anchor *an, size_t n, const struct func *f)
{
	size_t lo = 0, hi = n; /* find the first anchor above f->addr */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (an[mid].addr <= f->addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && an[lo - 1].shndx == f->shndx ? an[lo - 1].file : -1;
}

/* Whether section i holds code. */
static bool is_code_section(const struct tables *t, unsigned i)
{
	Elf32_Shdr sh;

	if (i >= t->nshdrs)
		return false;
	memcpy(&sh, t->shdrs + (size_t)i * sizeof(sh), sizeof(sh));
	return (sh.sh_flags & SHF_EXECINSTR) != 0;
}

/* A function, or a plain label in code (assembly entry points such as
 * _start carry no type). ARM mapping symbols ($a, $t, $d) are not. */
static bool names_code(const struct obh_syms *s, const struct tables *t, const Elf32_Sym *e)
{
	unsigned type = ELF32_ST_TYPE(e->st_info);

	if (!s->strs[e->st_name] || s->strs[e->st_name] == '$')
		return false;
	return type == STT_FUNC || (type == STT_NOTYPE && is_code_section(t, e->st_shndx));
}

/* Collects functions and anchors from the symbol table. */
static void collect(struct obh_syms *s, const uint8_t *data, const struct tables *t,
		    uint32_t bias, struct anchor *an, size_t *nan)
{
	const uint8_t *syms = data + t->sym.sh_offset;
	size_t n = t->sym.sh_size / sizeof(Elf32_Sym);
	uint32_t strsz = t->str.sh_size;
	int64_t file = -1;

	for (size_t i = 1; i < n; i++) {
		Elf32_Sym e;
		memcpy(&e, syms + i * sizeof(e), sizeof(e));
		unsigned type = ELF32_ST_TYPE(e.st_info), bind = ELF32_ST_BIND(e.st_info);
		if (e.st_name >= strsz)
			continue;
		if (type == STT_FILE) {
			file = s->strs[e.st_name] ? (int64_t)e.st_name : -1;
			continue;
		}
		if (e.st_shndx == SHN_UNDEF || e.st_shndx >= SHN_LORESERVE || type == STT_SECTION)
			continue;
		uint32_t addr = (e.st_value & ~1u) + bias; /* bit 0: Thumb */
		if (bind == STB_LOCAL && file >= 0)
			an[(*nan)++] = (struct anchor){ addr, e.st_shndx, file };
		if (names_code(s, t, &e))
			s->funcs[s->nfuncs++] = (struct func){
				.addr = addr, .size = e.st_size, .name = e.st_name,
				.file = bind == STB_LOCAL ? file : -1, .shndx = e.st_shndx,
				.global = bind != STB_LOCAL, .typed = type == STT_FUNC,
				.index = (uint32_t)i };
	}
}

int obh_syms_read(const uint8_t *data, size_t len, uint32_t bias, struct obh_syms **out)
{
	struct obh_syms *s = calloc(1, sizeof(*s));
	struct anchor *an = NULL;
	struct tables t;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	if (!find_tables(data, len, &t)) {
		*out = s; /* stripped or unreadable: no names */
		return 0;
	}
	size_t n = t.sym.sh_size / sizeof(Elf32_Sym);
	s->strs = malloc((size_t)t.str.sh_size + 1);
	s->funcs = calloc(n ? n : 1, sizeof(*s->funcs));
	an = calloc(n ? n : 1, sizeof(*an));
	if (!s->strs || !s->funcs || !an) {
		free(an);
		obh_syms_free(s);
		return -ENOMEM;
	}
	memcpy(s->strs, data + t.str.sh_offset, t.str.sh_size);
	s->strs[t.str.sh_size] = '\0';
	for (uint32_t i = 0; i < t.str.sh_size; i++)
		if (s->strs[i] && (s->strs[i] < ' ' || s->strs[i] > '~'))
			s->strs[i] = '?';
	size_t nan = 0;
	collect(s, data, &t, bias, an, &nan);
	qsort(an, nan, sizeof(*an), by_anchor_addr);
	for (size_t i = 0; i < s->nfuncs; i++)
		if (s->funcs[i].file < 0)
			s->funcs[i].file = file_of(an, nan, &s->funcs[i]);
	qsort(s->funcs, s->nfuncs, sizeof(*s->funcs), by_func_addr);
	free(an);
	*out = s;
	return 0;
}

void obh_syms_free(struct obh_syms *s)
{
	if (!s)
		return;
	free(s->strs);
	free(s->funcs);
	free(s);
}

size_t obh_syms_count(const struct obh_syms *s)
{
	return s ? s->nfuncs : 0;
}

/* The function containing addr, or NULL. */
static const struct func *lookup(const struct obh_syms *s, uint32_t addr)
{
	size_t lo = 0, hi = s->nfuncs; /* find the first function above addr */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->funcs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct func *f = &s->funcs[lo - 1];
	while (f > s->funcs && f[-1].addr == f->addr)
		f--; /* the first at this address is the preferred name */
	uint64_t end;
	if (f->size)
		end = (uint64_t)f->addr + f->size;
	else
		end = lo < s->nfuncs && s->funcs[lo].addr - f->addr < UNSIZED_REACH
			      ? s->funcs[lo].addr : (uint64_t)f->addr + UNSIZED_REACH;
	return addr < end ? f : NULL;
}

bool obh_syms_describe(const struct obh_syms *s, uint32_t addr, char *buf, size_t cap)
{
	const struct func *f = s ? lookup(s, addr) : NULL;

	if (cap)
		buf[0] = '\0';
	if (!f)
		return false;
	if (cap) {
		const char *file = f->file >= 0 ? s->strs + f->file : NULL;
		snprintf(buf, cap, "%s+0x%x%s%s%s", s->strs + f->name, addr - f->addr,
			 file ? " (" : "", file ? file : "", file ? ")" : "");
	}
	return true;
}
