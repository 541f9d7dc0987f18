/*
 * Dynamic relocation of a mapped image (see elf.h): the REL tables named by
 * PT_DYNAMIC, applied with the load bias. The tables, the symbol table and
 * the string table are read from the mapped image, through
 * obh_elf_in_image, so a bad address in them is refused, never followed.
 */
#include "loader/elf_priv.h"

#include <errno.h>
#include <string.h>

struct dyn_info {
	uint32_t rel, relsz, relent, jmprel, pltrelsz, pltrel;
	uint32_t symtab, syment, strtab, needed;
	bool has_rel, has_jmprel, has_symtab, has_strtab, has_needed;
};

static const char *reloc_name(unsigned type)
{
	switch (type) {
	case R_ARM_ABS32: return "R_ARM_ABS32";
	case R_ARM_REL32: return "R_ARM_REL32";
	case R_ARM_TLS_DESC: return "R_ARM_TLS_DESC";
	case R_ARM_TLS_DTPMOD32: return "R_ARM_TLS_DTPMOD32";
	case R_ARM_TLS_DTPOFF32: return "R_ARM_TLS_DTPOFF32";
	case R_ARM_TLS_TPOFF32: return "R_ARM_TLS_TPOFF32";
	case R_ARM_COPY: return "R_ARM_COPY";
	case R_ARM_GLOB_DAT: return "R_ARM_GLOB_DAT";
	case R_ARM_JUMP_SLOT: return "R_ARM_JUMP_SLOT";
	case R_ARM_RELATIVE: return "R_ARM_RELATIVE";
	case R_ARM_IRELATIVE: return "R_ARM_IRELATIVE";
	default: return "unknown";
	}
}

static int read_dynamic(struct obh_elf_ctx *c, struct dyn_info *d)
{
	uint32_t count = c->dyn.p_filesz / sizeof(Elf32_Dyn);

	for (uint32_t i = 0; i < count; i++) {
		Elf32_Dyn e;

		memcpy(&e, c->data + c->dyn.p_offset + i * sizeof(e), sizeof(e));
		uint32_t v = e.d_un.d_val;
		switch (e.d_tag) {
		case DT_NULL: return 0;
		case DT_NEEDED: d->needed = v; d->has_needed = true; break;
		case DT_REL: d->rel = v; d->has_rel = true; break;
		case DT_RELSZ: d->relsz = v; break;
		case DT_RELENT: d->relent = v; break;
		case DT_JMPREL: d->jmprel = v; d->has_jmprel = true; break;
		case DT_PLTRELSZ: d->pltrelsz = v; break;
		case DT_PLTREL: d->pltrel = v; break;
		case DT_SYMTAB: d->symtab = v; d->has_symtab = true; break;
		case DT_SYMENT: d->syment = v; break;
		case DT_STRTAB: d->strtab = v; d->has_strtab = true; break;
		case DT_RELA:
		case DT_RELASZ:
			return obh_elf_fail(c, "RELA relocations are not supported (ARM uses REL)");
		case DT_RELR:
			return obh_elf_fail(c, "packed relocations (DT_RELR) are not supported");
		default: break;
		}
	}
	return 0;
}

/* The DT_STRTAB string at offset off, printable, or false. */
static bool dyn_str(const struct obh_elf_ctx *c, const struct dyn_info *d, uint32_t off,
		    char *buf, size_t cap)
{
	uint64_t at = (uint64_t)(uint32_t)(c->bias + d->strtab) + off;

	if (!d->has_strtab || obh_elf_image_str(c, at, buf, cap) <= 0)
		return false;
	obh_elf_printable(buf);
	return true;
}

static int check_dynamic(struct obh_elf_ctx *c, const struct dyn_info *d)
{
	char name[128];

	if (d->has_needed && dyn_str(c, d, d->needed, name, sizeof(name)))
		return obh_elf_fail(c, "needs shared library %s; only static executables are supported",
				    name);
	if (d->has_needed)
		return obh_elf_fail(c, "needs a shared library; only static executables are supported");
	if (d->has_rel && d->relent && d->relent != sizeof(Elf32_Rel))
		return obh_elf_fail(c, "DT_RELENT %u, expected %zu", d->relent, sizeof(Elf32_Rel));
	if (d->has_rel && d->relsz % sizeof(Elf32_Rel))
		return obh_elf_fail(c, "DT_RELSZ 0x%x is not a multiple of %zu", d->relsz,
				    sizeof(Elf32_Rel));
	if (d->has_jmprel && d->pltrel && d->pltrel != DT_REL)
		return obh_elf_fail(c, "DT_PLTREL %u: only REL relocations are supported",
				    d->pltrel);
	if (d->has_jmprel && d->pltrelsz % sizeof(Elf32_Rel))
		return obh_elf_fail(c, "DT_PLTRELSZ 0x%x is not a multiple of %zu", d->pltrelsz,
				    sizeof(Elf32_Rel));
	if (d->has_symtab && d->syment && d->syment != sizeof(Elf32_Sym))
		return obh_elf_fail(c, "DT_SYMENT %u, expected %zu", d->syment, sizeof(Elf32_Sym));
	return 0;
}

/* The value of symbol symi for a relocation of type `type`. */
static int symbol_value(struct obh_elf_ctx *c, const struct dyn_info *d, uint32_t symi,
			unsigned type, uint32_t *value)
{
	Elf32_Sym sym;
	uint64_t at = (uint64_t)(uint32_t)(c->bias + d->symtab) + (uint64_t)symi * sizeof(sym);

	if (!d->has_symtab)
		return obh_elf_fail(c, "%s needs symbol %u but there is no DT_SYMTAB",
				    reloc_name(type), symi);
	if (!obh_elf_in_image(c, at, sizeof(sym)))
		return obh_elf_fail(c, "symbol %u (for %s) is outside the image", symi,
				    reloc_name(type));
	obh_mem_peek(c->m, (uint32_t)at, &sym, sizeof(sym));
	if (sym.st_shndx != SHN_UNDEF) {
		*value = sym.st_value + (sym.st_shndx == SHN_ABS ? 0 : c->bias);
		return 0;
	}
	if (ELF32_ST_BIND(sym.st_info) == STB_WEAK) {
		*value = 0;
		return 0;
	}
	char name[128];
	if (dyn_str(c, d, sym.st_name, name, sizeof(name)))
		return obh_elf_fail(c, "undefined symbol '%s' (%s)", name, reloc_name(type));
	return obh_elf_fail(c, "undefined symbol %u (%s)", symi, reloc_name(type));
}

static int apply_one(struct obh_elf_ctx *c, const struct dyn_info *d, const Elf32_Rel *r,
		     const char *table, uint32_t i)
{
	unsigned type = ELF32_R_TYPE(r->r_info);
	uint32_t target = r->r_offset + c->bias, s = 0, v;
	int rc;

	if (type == R_ARM_NONE)
		return 0;
	if (!obh_elf_in_image(c, target, 4))
		return obh_elf_fail(c, "%s entry %u (%s) writes 0x%x, outside the image", table, i,
				    reloc_name(type), target);
	uint32_t addend = obh_elf_peek32(c, target);
	switch (type) {
	case R_ARM_RELATIVE:
		v = c->bias + addend;
		break;
	case R_ARM_ABS32:
	case R_ARM_GLOB_DAT:
	case R_ARM_JUMP_SLOT:
		rc = symbol_value(c, d, ELF32_R_SYM(r->r_info), type, &s);
		if (rc)
			return rc;
		v = type == R_ARM_ABS32 ? s + addend : s;
		break;
	default:
		return obh_elf_fail(c, "unsupported relocation type %u (%s) in %s entry %u", type,
				    reloc_name(type), table, i);
	}
	obh_mem_poke(c->m, target, &v, sizeof(v));
	return 0;
}

static int apply_table(struct obh_elf_ctx *c, const struct dyn_info *d, uint32_t addr,
		       uint32_t size, const char *table)
{
	uint32_t at = addr + c->bias;

	if (size == 0)
		return 0;
	if (!obh_elf_in_image(c, at, size))
		return obh_elf_fail(c, "%s table (0x%x, 0x%x bytes) is outside the image",
				    table, at, size);
	for (uint32_t i = 0; i < size / sizeof(Elf32_Rel); i++) {
		Elf32_Rel r;

		obh_mem_peek(c->m, at + i * (uint32_t)sizeof(r), &r, sizeof(r));
		int rc = apply_one(c, d, &r, table, i);
		if (rc)
			return rc;
	}
	return 0;
}

int obh_elf_relocate(struct obh_elf_ctx *c)
{
	struct dyn_info d = { 0 };
	int rc;

	if (!c->has_dyn)
		return 0;
	rc = read_dynamic(c, &d);
	if (rc == 0)
		rc = check_dynamic(c, &d);
	if (rc == 0 && d.has_rel)
		rc = apply_table(c, &d, d.rel, d.relsz, "DT_REL");
	if (rc == 0 && d.has_jmprel)
		rc = apply_table(c, &d, d.jmprel, d.pltrelsz, "DT_JMPREL");
	return rc;
}
