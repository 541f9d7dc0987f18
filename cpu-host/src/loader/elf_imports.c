/*
 * The import table of a mapped image (see elf.h and docs/abi.md "HLE
 * imports"): the section .ob_imports, found through the section headers in
 * the file, read from the relocated image.
 */
#include "loader/elf_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define IMPORTS_SECTION ".ob_imports"

static bool is_identifier(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++) {
		bool ok = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			  (*s >= '0' && *s <= '9') || *s == '_';
		if (!ok)
			return false;
	}
	return true;
}

static int read_shdr(struct obh_elf_ctx *c, unsigned i, Elf32_Shdr *sh)
{
	memcpy(sh, c->data + c->eh.e_shoff + i * sizeof(*sh), sizeof(*sh));
	if (sh->sh_type != SHT_NOBITS && (uint64_t)sh->sh_offset + sh->sh_size > c->len)
		return obh_elf_fail(c, "section %u extends past end of file", i);
	return 0;
}

/* Finds .ob_imports; *found stays false when there is none. */
static int find_imports(struct obh_elf_ctx *c, Elf32_Shdr *out, bool *found)
{
	const Elf32_Ehdr *eh = &c->eh;
	Elf32_Shdr names;

	*found = false;
	if (eh->e_shoff == 0)
		return 0;
	if (eh->e_shnum == 0)
		return obh_elf_fail(c, "extended section numbering is not supported");
	if (eh->e_shentsize != sizeof(Elf32_Shdr))
		return obh_elf_fail(c, "section header entry size %u, expected %zu",
				    eh->e_shentsize, sizeof(Elf32_Shdr));
	if ((uint64_t)eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf32_Shdr) > c->len)
		return obh_elf_fail(c, "section header table (offset 0x%x, %u entries) extends past end of file",
				    eh->e_shoff, eh->e_shnum);
	if (eh->e_shstrndx == SHN_UNDEF)
		return 0; /* no section names, so no import table */
	if (eh->e_shstrndx >= eh->e_shnum)
		return obh_elf_fail(c, "section name table index %u out of range (%u sections)",
				    eh->e_shstrndx, eh->e_shnum);
	if (read_shdr(c, eh->e_shstrndx, &names))
		return -ENOEXEC;
	if (names.sh_type == SHT_NOBITS)
		return obh_elf_fail(c, "section name table has no contents");
	const char *strs = (const char *)c->data + names.sh_offset;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		Elf32_Shdr sh;

		if (read_shdr(c, i, &sh))
			return -ENOEXEC;
		if (sh.sh_name >= names.sh_size)
			return obh_elf_fail(c, "section %u name offset 0x%x is outside the name table",
					    i, sh.sh_name);
		const char *name = strs + sh.sh_name;
		if (!memchr(name, 0, names.sh_size - sh.sh_name))
			return obh_elf_fail(c, "section %u name is not terminated", i);
		if (strcmp(name, IMPORTS_SECTION) != 0)
			continue;
		if (*found)
			return obh_elf_fail(c, "more than one %s section", IMPORTS_SECTION);
		*out = sh;
		*found = true;
	}
	return 0;
}

static int read_import(struct obh_elf_ctx *c, uint32_t at, unsigned i, struct obh_import *imp)
{
	uint32_t name_addr = obh_elf_peek32(c, at), slot = obh_elf_peek32(c, at + 4);
	int n = obh_elf_image_str(c, name_addr, imp->name, sizeof(imp->name));

	if (n == -1)
		return obh_elf_fail(c, "import %u name at 0x%x is outside the image", i, name_addr);
	if (n == -2)
		return obh_elf_fail(c, "import %u name at 0x%x is not terminated", i, name_addr);
	if (n == -3)
		return obh_elf_fail(c, "import %u name at 0x%x is longer than %d characters",
				    i, name_addr, OBH_IMPORT_NAME_MAX - 1);
	if (!is_identifier(imp->name)) {
		obh_elf_printable(imp->name);
		return obh_elf_fail(c, "import %u name '%s' is not an identifier", i, imp->name);
	}
	if (slot & 3)
		return obh_elf_fail(c, "import '%s' slot 0x%x is not 4-byte aligned",
				    imp->name, slot);
	if (!obh_elf_in_image(c, slot, 4))
		return obh_elf_fail(c, "import '%s' slot 0x%x is outside the image",
				    imp->name, slot);
	imp->slot = slot;
	return 0;
}

int obh_elf_read_imports(struct obh_elf_ctx *c, struct obh_image *img)
{
	Elf32_Shdr sh;
	bool found;
	int rc = find_imports(c, &sh, &found);

	if (rc || !found)
		return rc;
	uint32_t at = sh.sh_addr + c->bias, count = sh.sh_size / 8;
	if (sh.sh_type != SHT_PROGBITS)
		return obh_elf_fail(c, "%s has section type %u, expected PROGBITS",
				    IMPORTS_SECTION, sh.sh_type);
	if (!(sh.sh_flags & SHF_ALLOC))
		return obh_elf_fail(c, "%s is not loaded (no SHF_ALLOC flag)", IMPORTS_SECTION);
	if (sh.sh_size % 8)
		return obh_elf_fail(c, "%s size 0x%x is not a multiple of 8",
				    IMPORTS_SECTION, sh.sh_size);
	if (count > OBH_ELF_MAX_IMPORTS)
		return obh_elf_fail(c, "%s has %u entries, more than %d", IMPORTS_SECTION, count,
				    OBH_ELF_MAX_IMPORTS);
	if (!obh_elf_in_image(c, at, sh.sh_size))
		return obh_elf_fail(c, "%s (0x%x, 0x%x bytes) is outside the image",
				    IMPORTS_SECTION, at, sh.sh_size);
	if (count == 0)
		return 0;
	img->imports = calloc(count, sizeof(*img->imports));
	if (!img->imports) {
		obh_elf_fail(c, "out of memory");
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < count; i++) {
		rc = read_import(c, at + 8 * i, i, &img->imports[i]);
		if (rc)
			return rc;
		img->nimports++;
	}
	return 0;
}
