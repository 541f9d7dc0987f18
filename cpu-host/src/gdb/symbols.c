/*
 * Function symbols of the guest ELF (see symbols.h).
 */
#include "symbols.h"

#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (256u << 20)

struct obg_func {
	uint32_t addr;
	uint32_t name; /* offset into names */
};

struct obg_symbols {
	uint32_t bias;
	struct obg_func *funcs;
	size_t nfuncs;
	char *names;   /* the string table, NUL-terminated at its end */
	size_t names_len;
};

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	long size = -1;
	if (fseek(f, 0, SEEK_END) == 0)
		size = ftell(f);
	if (size > 0 && (unsigned long)size <= MAX_FILE && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)size);
		if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	*len = buf ? (size_t)size : 0;
	return buf;
}

static bool in_file(size_t len, uint64_t off, uint64_t size)
{
	return off <= len && size <= len - off;
}

/* The symbol table and its strings, copied out of data. */
static int read_symtab(struct obg_symbols *s, const uint8_t *data, size_t len)
{
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)data;
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_shentsize != sizeof(Elf32_Shdr) ||
	    !in_file(len, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf32_Shdr)))
		return -1;
	const Elf32_Shdr *sh = (const Elf32_Shdr *)(data + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf32_Shdr *st = &sh[sh[i].sh_link];
		if (!in_file(len, sh[i].sh_offset, sh[i].sh_size) ||
		    !in_file(len, st->sh_offset, st->sh_size) || st->sh_size == 0)
			return -1;
		s->names = malloc(st->sh_size + 1);
		size_t nsym = sh[i].sh_size / sizeof(Elf32_Sym);
		s->funcs = calloc(nsym ? nsym : 1, sizeof(*s->funcs));
		if (!s->names || !s->funcs)
			return -1;
		memcpy(s->names, data + st->sh_offset, st->sh_size);
		s->names[st->sh_size] = '\0';
		s->names_len = st->sh_size;
		const Elf32_Sym *sym = (const Elf32_Sym *)(data + sh[i].sh_offset);
		for (size_t k = 0; k < nsym; k++) {
			if (ELF32_ST_TYPE(sym[k].st_info) != STT_FUNC || sym[k].st_shndx == SHN_UNDEF ||
			    sym[k].st_name >= st->sh_size)
				continue;
			s->funcs[s->nfuncs++] = (struct obg_func){ .addr = sym[k].st_value & ~1u,
								   .name = sym[k].st_name };
		}
		return 0;
	}
	return -1;
}

struct obg_symbols *obg_symbols_load(const char *path, uint32_t entry)
{
	size_t len;
	uint8_t *data = slurp(path, &len);
	if (!data)
		return NULL;
	struct obg_symbols *s = calloc(1, sizeof(*s));
	if (s && read_symtab(s, data, len) == 0) {
		const Elf32_Ehdr *eh = (const Elf32_Ehdr *)data;
		s->bias = (entry & ~1u) - (eh->e_entry & ~1u);
	} else {
		obg_symbols_free(s);
		s = NULL;
	}
	free(data);
	return s;
}

void obg_symbols_free(struct obg_symbols *s)
{
	if (!s)
		return;
	free(s->funcs);
	free(s->names);
	free(s);
}

const char *obg_symbol_at(const struct obg_symbols *s, uint32_t addr)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < s->nfuncs; i++)
		if (s->funcs[i].addr + s->bias == addr && s->names[s->funcs[i].name])
			return s->names + s->funcs[i].name;
	return NULL;
}

uint32_t obg_symbols_bias(const struct obg_symbols *s)
{
	return s ? s->bias : 0;
}
