/*
 * Unit tests of the ELF loader (src/loader/elf.c).
 *
 * (a) Real ARM executables built by arm-none-eabi-gcc at test-build time
 *     (tests/elf/, see loader.cmake): loaded, checked against their own
 *     program headers and symbols, and run on the engine.
 * (b) Crafted images built here, valid ones and every kind of malformed
 *     one: each refusal must give -ENOEXEC (or the stated error) with the
 *     expected reason, and leave the address space empty.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf.h"
#include "mem.h"

#define R OBH_PROT_R
#define W OBH_PROT_W
#define X OBH_PROT_X
#define BACKSTOP 0xfffe0000u /* lr for guest runs; never mapped here */

struct fx {
	uc_engine *uc;
	struct obh_mem *m;
	char err[256];
	struct obh_image img;
};

static int setup(void **state)
{
	static struct fx f;

	memset(&f, 0, sizeof(f));
	assert_int_equal(uc_open(UC_ARCH_ARM, UC_MODE_ARM, &f.uc), UC_ERR_OK);
	assert_int_equal(obh_mem_create(f.uc, &f.m), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	obh_image_free(&f->img);
	obh_mem_destroy(f->m);
	uc_close(f->uc);
	return 0;
}

/* ---- helpers ---- */

static int load(struct fx *f, const void *data, size_t len, const struct obh_elf_opts *opts)
{
	obh_image_free(&f->img);
	return obh_elf_load(f->m, data, len, opts, &f->img, f->err, sizeof(f->err));
}

/* Unmaps the image loaded last, so the next case starts empty. */
static void unload(struct fx *f)
{
	for (size_t i = 0; i < f->img.nsegments; i++)
		assert_int_equal(obh_mem_unmap(f->m, f->img.segments[i].start, f->img.segments[i].size), 0);
	obh_image_free(&f->img);
	assert_int_equal(obh_mem_region_count(f->m), 0);
}

static void expect_refusal(struct fx *f, const void *data, size_t len, const char *reason,
			   const char *file, int line)
{
	int got = load(f, data, len, NULL);

	if (got != -ENOEXEC || !strstr(f->err, reason))
		fail_msg("%s:%d: expected '%s', got %d '%s'", file, line, reason, got, f->err);
	if (obh_mem_region_count(f->m) != 0)
		fail_msg("%s:%d: refused load left %zu regions", file, line, obh_mem_region_count(f->m));
	assert_int_equal(f->img.nsegments + f->img.nimports, 0);
	assert_null(f->img.segments);
}
#define REFUSED(f, im, reason) expect_refusal(f, (im)->b, (im)->len, reason, __FILE__, __LINE__)

static uint32_t peek32(struct fx *f, uint32_t addr)
{
	uint32_t v;

	assert_int_equal(obh_mem_peek(f->m, addr, &v, 4), 0);
	return v;
}

/* Runs guest code from entry (bit 0: Thumb) until it returns; gives r0. */
static uint32_t run(struct fx *f, uint32_t entry)
{
	uint32_t lo, hi, lr = BACKSTOP, r0 = 0;

	assert_int_equal(obh_mem_alloc_stack(f->m, 0x10000, "stack:0", &lo, &hi), 0);
	uc_reg_write(f->uc, UC_ARM_REG_SP, &hi);
	uc_reg_write(f->uc, UC_ARM_REG_LR, &lr);
	assert_int_equal(uc_emu_start(f->uc, entry, BACKSTOP, 0, 100000), UC_ERR_OK);
	uc_reg_read(f->uc, UC_ARM_REG_R0, &r0);
	assert_int_equal(obh_mem_free_stack(f->m, lo), 0);
	return r0;
}

/* ---- (a) real executables ---- */

#ifdef OBH_TEST_ELF_DIR
struct file {
	uint8_t *data;
	size_t len;
};

static struct file read_elf(const char *name)
{
	char path[512];
	struct file fl = { 0 };

	snprintf(path, sizeof(path), "%s/%s", OBH_TEST_ELF_DIR, name);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	fl.len = (size_t)ftell(fp);
	fseek(fp, 0, SEEK_SET);
	fl.data = malloc(fl.len);
	assert_non_null(fl.data);
	assert_int_equal(fread(fl.data, 1, fl.len, fp), fl.len);
	fclose(fp);
	return fl;
}

/* The link-time value of a .symtab symbol (the test trusts its own files). */
static uint32_t symbol(const struct file *fl, const char *name)
{
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)fl->data;
	const Elf32_Shdr *sh = (const Elf32_Shdr *)(fl->data + eh->e_shoff);

	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		const Elf32_Sym *sym = (const Elf32_Sym *)(fl->data + sh[i].sh_offset);
		const char *str = (const char *)fl->data + sh[sh[i].sh_link].sh_offset;
		for (size_t k = 0; k < sh[i].sh_size / sizeof(*sym); k++)
			if (strcmp(str + sym[k].st_name, name) == 0)
				return sym[k].st_value;
	}
	fail_msg("no symbol %s", name);
	return 0;
}

/* Every PT_LOAD's file bytes are in memory at vaddr + bias, then zeros,
 * with the segment's permissions. */
static void check_segments(struct fx *f, const struct file *fl, uint32_t bias)
{
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)fl->data;
	const Elf32_Phdr *ph = (const Elf32_Phdr *)(fl->data + eh->e_phoff);

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		uint8_t *mem = malloc(ph[i].p_memsz);
		uint32_t at = ph[i].p_vaddr + bias;
		unsigned want = ((ph[i].p_flags & PF_R) ? R : 0) | ((ph[i].p_flags & PF_W) ? W : 0) |
				((ph[i].p_flags & PF_X) ? X : 0);

		assert_non_null(mem);
		assert_int_equal(obh_mem_peek(f->m, at, mem, ph[i].p_memsz), 0);
		assert_memory_equal(mem, fl->data + ph[i].p_offset, ph[i].p_filesz);
		for (uint32_t k = ph[i].p_filesz; k < ph[i].p_memsz; k++)
			assert_int_equal(mem[k], 0);
		assert_int_equal(obh_mem_find(f->m, at)->prot, want);
		free(mem);
	}
}

static void test_real_exec(void **state)
{
	struct fx *f = *state;
	struct file fl = read_elf("exec.elf");
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)fl.data;

	assert_int_equal(load(f, fl.data, fl.len, NULL), 0);
	assert_string_equal(f->err, "");
	assert_int_equal(f->img.type, ET_EXEC);
	assert_int_equal(f->img.bias, 0);
	assert_int_equal(f->img.entry, eh->e_entry);
	assert_int_equal(f->img.entry & 1, 0);
	assert_int_equal(f->img.lo, 0x10000);
	assert_int_equal(f->img.nimports, 0);
	assert_int_equal(f->img.nsegments, 2);
	assert_string_equal(f->img.segments[0].name, "text");
	assert_int_equal(f->img.segments[0].prot, R | X);
	assert_string_equal(f->img.segments[1].name, "data");
	assert_int_equal(f->img.segments[1].prot, R | W);
	assert_int_equal(f->img.hi, f->img.segments[1].start + f->img.segments[1].size);
	assert_int_equal(obh_image_heap_start(&f->img), f->img.hi + OBH_HEAP_GAP);
	check_segments(f, &fl, 0);
	/* it runs: returns ro_text[0] and copies data_word into bss_words[3] */
	assert_int_equal(run(f, f->img.entry), 'o');
	assert_int_equal(peek32(f, symbol(&fl, "bss_words") + 12), 0x12345678);
	/* loading it again meets the first copy, which stays */
	struct obh_image again;
	char err[128];
	assert_int_equal(obh_elf_load(f->m, fl.data, fl.len, NULL, &again, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "overlaps memory already mapped"));
	assert_int_equal(obh_mem_region_count(f->m), 2);
	free(fl.data);
}

static void test_real_thumb(void **state)
{
	struct fx *f = *state;
	struct file fl = read_elf("thumb.elf");

	assert_int_equal(load(f, fl.data, fl.len, NULL), 0);
	assert_int_equal(f->img.entry & 1, 1);
	check_segments(f, &fl, 0);
	assert_int_equal(run(f, f->img.entry), 'o');
	free(fl.data);
}

static void test_real_pie(void **state)
{
	struct fx *f = *state;
	struct file fl = read_elf("pie.elf");
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)fl.data;
	const uint32_t b = OBH_ELF_DYN_BASE;

	assert_int_equal(load(f, fl.data, fl.len, NULL), 0);
	assert_int_equal(f->img.type, ET_DYN);
	assert_int_equal(f->img.bias, b);
	assert_int_equal(f->img.lo, b);
	assert_int_equal(f->img.entry, eh->e_entry + b);
	/* R_ARM_RELATIVE applied */
	assert_int_equal(peek32(f, b + symbol(&fl, "counter_ptr")), b + symbol(&fl, "counter"));
	assert_int_equal(peek32(f, b + symbol(&fl, "message_ptr")), b + symbol(&fl, "message"));
	/* imports, read at their relocated addresses */
	assert_int_equal(f->img.nimports, 2);
	assert_string_equal(f->img.imports[0].name, "ob_test_alpha");
	assert_int_equal(f->img.imports[0].slot, b + symbol(&fl, "ob_test_alpha_slot"));
	assert_string_equal(f->img.imports[1].name, "ob_test_beta");
	assert_int_equal(f->img.imports[1].slot, b + symbol(&fl, "ob_test_beta_slot"));
	/* run it, with the alpha import pointing at "add r0, r0, #100; bx lr" */
	const uint32_t stub[] = { 0xe2800064, 0xe12fff1e };
	uint32_t stub_addr = 0x00800000;
	assert_int_equal(obh_mem_map(f->m, stub_addr, 0x1000, R | X, "stub"), 0);
	assert_int_equal(obh_mem_poke(f->m, stub_addr, stub, sizeof(stub)), 0);
	assert_int_equal(obh_mem_poke(f->m, f->img.imports[0].slot, &stub_addr, 4), 0);
	assert_int_equal(run(f, f->img.entry), 5 + 'h' + 101);
	assert_int_equal(obh_mem_unmap(f->m, stub_addr, 0x1000), 0);
	unload(f);

	/* at another base, every relocated value moves with it */
	struct obh_elf_opts opts = { .dyn_base = 0x02000000 };
	assert_int_equal(load(f, fl.data, fl.len, &opts), 0);
	assert_int_equal(f->img.bias, 0x02000000);
	assert_int_equal(peek32(f, 0x02000000 + symbol(&fl, "counter_ptr")),
			 0x02000000 + symbol(&fl, "counter"));
	assert_int_equal(f->img.imports[1].slot, 0x02000000 + symbol(&fl, "ob_test_beta_slot"));
	unload(f);
	free(fl.data);
}

static void test_real_dso(void **state)
{
	struct fx *f = *state;
	struct file fl = read_elf("dso.elf");
	const uint32_t b = OBH_ELF_DYN_BASE;

	/* R_ARM_ABS32 (shared_ptr), R_ARM_GLOB_DAT (GOT), R_ARM_JUMP_SLOT (helper) */
	assert_int_equal(load(f, fl.data, fl.len, NULL), 0);
	assert_int_equal(peek32(f, b + symbol(&fl, "shared_ptr")), b + symbol(&fl, "shared_value"));
	assert_int_equal(run(f, f->img.entry), 14);
	free(fl.data);
}

static void test_real_undefined(void **state)
{
	struct fx *f = *state;
	struct file fl = read_elf("undef.elf");

	expect_refusal(f, fl.data, fl.len, "undefined symbol 'missing_symbol'", __FILE__, __LINE__);
	free(fl.data);
}

/* Every proper prefix of a real PIE is refused without a trace. */
static void test_real_truncated(void **state)
{
	struct fx *f = *state;
	struct file fl = read_elf("pie.elf");

	for (size_t len = 0; len < fl.len; len++) {
		uint8_t *copy = malloc(len ? len : 1); /* exact size: ASan sees overreads */

		memcpy(copy, fl.data, len);
		int rc = load(f, copy, len, NULL);
		if (rc != -ENOEXEC || f->err[0] == '\0' || obh_mem_region_count(f->m) != 0)
			fail_msg("length %zu: rc %d '%s'", len, rc, f->err);
		free(copy);
	}
	assert_int_equal(load(f, fl.data, fl.len, NULL), 0);
	free(fl.data);
}
#else
static void test_real_skipped(void **state)
{
	(void)state;
	skip(); /* arm-none-eabi-gcc was not found at configure time */
}
#endif

/* ---- (b) crafted images ---- */

/*
 * File layout (offsets):
 *   0x000 ELF header, 0x034 three program headers
 *   0x100 code ("bx lr")                       text segment: file 0x000-0x200
 *   0x180 PIE: 7 DT_REL + 1 DT_JMPREL entries, 0x1c0 dynsym, 0x1e0 dynstr
 *   0x200 import names, 0x220 slots, 0x230 .ob_imports   data: file 0x200-0x300
 *   0x240 PIE: words to relocate, 0x280 PIE: dynamic section
 *   0x300 section names, 0x340 four section headers (the end of the file)
 * Text is at tv, data at dv (ET_EXEC: 0x10000/0x11200; ET_DYN: 0/0x1200).
 */
#define SHOFF 0x340u
#define DYNOFF 0x280u

struct img {
	_Alignas(8) uint8_t b[0x9000];
	size_t len;
	uint32_t tv, dv;
};

static Elf32_Ehdr *eh(struct img *im)
{
	return (Elf32_Ehdr *)im->b;
}

static Elf32_Phdr *ph(struct img *im, unsigned i)
{
	return (Elf32_Phdr *)(im->b + sizeof(Elf32_Ehdr)) + i;
}

static Elf32_Shdr *sh(struct img *im, unsigned i)
{
	return (Elf32_Shdr *)(im->b + SHOFF) + i;
}

static Elf32_Sym *dynsym(struct img *im, unsigned i)
{
	return (Elf32_Sym *)(im->b + 0x1c0) + i;
}

static Elf32_Dyn *dyn(struct img *im, unsigned i)
{
	return (Elf32_Dyn *)(im->b + DYNOFF) + i;
}

static void put32(struct img *im, uint32_t off, uint32_t v)
{
	memcpy(im->b + off, &v, 4);
}

/* Sets a dynamic tag, adding it before DT_NULL if it is not there. */
static void dyn_put(struct img *im, Elf32_Sword tag, uint32_t val)
{
	unsigned i = 0;

	for (; dyn(im, i)->d_tag != DT_NULL; i++) {
		if (dyn(im, i)->d_tag == tag) {
			dyn(im, i)->d_un.d_val = val;
			return;
		}
	}
	*dyn(im, i) = (Elf32_Dyn){ .d_tag = tag, .d_un.d_val = val };
	*dyn(im, i + 1) = (Elf32_Dyn){ .d_tag = DT_NULL };
	ph(im, 2)->p_filesz += 8;
	ph(im, 2)->p_memsz += 8;
}

static void build_pie_tables(struct img *im)
{
	const uint32_t dv = im->dv;
	const uint32_t rels[][2] = {
		{ dv + 0x30, R_ARM_RELATIVE }, { dv + 0x34, R_ARM_RELATIVE },
		{ dv + 0x38, R_ARM_RELATIVE }, { dv + 0x3c, R_ARM_RELATIVE },
		{ dv + 0x40, R_ARM_RELATIVE }, { dv + 0x44, ELF32_R_INFO(1, R_ARM_ABS32) },
		{ dv + 0x48, ELF32_R_INFO(1, R_ARM_GLOB_DAT) },
		{ dv + 0x4c, ELF32_R_INFO(1, R_ARM_JUMP_SLOT) }, /* the DT_JMPREL table */
	};
	for (unsigned i = 0; i < 8; i++) {
		put32(im, 0x180 + 8 * i, rels[i][0]);
		put32(im, 0x184 + 8 * i, rels[i][1]);
	}
	*dynsym(im, 1) = (Elf32_Sym){ .st_name = 1, .st_value = dv + 0x10,
				      .st_info = ELF32_ST_INFO(STB_GLOBAL, STT_OBJECT), .st_shndx = 2 };
	memcpy(im->b + 0x1e0, "\0sym_one\0missing", 17);
	put32(im, 0x240, dv); /* RELATIVE: becomes bias + dv */
	put32(im, 0x244, 4);  /* the ABS32 addend */
	*dyn(im, 0) = (Elf32_Dyn){ .d_tag = DT_NULL };
	dyn_put(im, DT_REL, 0x180);
	dyn_put(im, DT_RELSZ, 56);
	dyn_put(im, DT_RELENT, 8);
	dyn_put(im, DT_JMPREL, 0x1b8);
	dyn_put(im, DT_PLTRELSZ, 8);
	dyn_put(im, DT_PLTREL, DT_REL);
	dyn_put(im, DT_SYMTAB, 0x1c0);
	dyn_put(im, DT_SYMENT, 16);
	dyn_put(im, DT_STRTAB, 0x1e0);
	dyn_put(im, DT_STRSZ, 17);
}

static void build(struct img *im, bool pie)
{
	static const char names[] = "\0.shstrtab\0.ob_imports\0.text";
	const uint32_t bx_lr = 0xe12fff1e;

	memset(im, 0, sizeof(*im));
	im->tv = pie ? 0 : 0x10000;
	im->dv = pie ? 0x1200 : 0x11200;
	Elf32_Ehdr *e = eh(im);
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS32;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = pie ? ET_DYN : ET_EXEC;
	e->e_machine = EM_ARM;
	e->e_version = EV_CURRENT;
	e->e_entry = im->tv + 0x100;
	e->e_phoff = sizeof(Elf32_Ehdr);
	e->e_shoff = SHOFF;
	e->e_flags = 0x5000200;
	e->e_ehsize = sizeof(Elf32_Ehdr);
	e->e_phentsize = sizeof(Elf32_Phdr);
	e->e_phnum = 3;
	e->e_shentsize = sizeof(Elf32_Shdr);
	e->e_shnum = 4;
	e->e_shstrndx = 3;
	*ph(im, 0) = (Elf32_Phdr){ PT_LOAD, 0, im->tv, im->tv, 0x200, 0x200, PF_R | PF_X, 0x1000 };
	*ph(im, 1) = (Elf32_Phdr){ PT_LOAD, 0x200, im->dv, im->dv, 0x100, 0x2000, PF_R | PF_W, 0x1000 };
	*ph(im, 2) = pie ? (Elf32_Phdr){ PT_DYNAMIC, DYNOFF, im->dv + 0x80, 0, 0, 0, PF_R | PF_W, 4 }
			 : (Elf32_Phdr){ PT_GNU_STACK, 0, 0, 0, 0, 0, PF_R | PF_W, 0x10 };
	memcpy(im->b + 0x100, &bx_lr, 4);
	strcpy((char *)im->b + 0x200, "ob_alpha");
	strcpy((char *)im->b + 0x210, "ob_beta");
	put32(im, 0x230, im->dv);
	put32(im, 0x234, im->dv + 0x20);
	put32(im, 0x238, im->dv + 0x10);
	put32(im, 0x23c, im->dv + 0x24);
	memcpy(im->b + 0x300, names, sizeof(names));
	*sh(im, 1) = (Elf32_Shdr){ .sh_name = 23, .sh_type = SHT_PROGBITS,
				   .sh_flags = SHF_ALLOC | SHF_EXECINSTR, .sh_addr = im->tv + 0x100,
				   .sh_offset = 0x100, .sh_size = 0x100 };
	*sh(im, 2) = (Elf32_Shdr){ .sh_name = 11, .sh_type = SHT_PROGBITS,
				   .sh_flags = SHF_ALLOC | SHF_WRITE, .sh_addr = im->dv + 0x30,
				   .sh_offset = 0x230, .sh_size = 16 };
	*sh(im, 3) = (Elf32_Shdr){ .sh_name = 1, .sh_type = SHT_STRTAB, .sh_offset = 0x300,
				   .sh_size = sizeof(names) };
	im->len = SHOFF + 4 * sizeof(Elf32_Shdr);
	if (pie)
		build_pie_tables(im);
}

/* One malformed variant of the ET_EXEC (CASE) or ET_DYN (PCASE) image. */
#define CASE(edit, reason) \
	do { build(&im, false); edit; REFUSED(f, &im, reason); } while (0)
#define PCASE(edit, reason) \
	do { build(&im, true); edit; REFUSED(f, &im, reason); } while (0)

static void test_crafted_valid(void **state)
{
	struct fx *f = *state;
	struct img im;

	build(&im, false);
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(f->img.entry, 0x10100);
	assert_int_equal(f->img.lo, 0x10000);
	assert_int_equal(f->img.hi, 0x14000);
	assert_int_equal(f->img.nsegments, 2);
	assert_int_equal(f->img.segments[0].start, 0x10000);
	assert_int_equal(f->img.segments[0].size, 0x1000);
	assert_int_equal(f->img.segments[1].start, 0x11000);
	assert_int_equal(f->img.segments[1].size, 0x3000);
	assert_string_equal(obh_mem_find(f->m, 0x11000)->name, "data");
	assert_int_equal(peek32(f, 0x11000), 0);  /* the page head before the segment */
	assert_int_equal(peek32(f, 0x11230), 0x11200);
	assert_int_equal(peek32(f, 0x11300), 0);  /* bss */
	assert_int_equal(peek32(f, 0x10200), 0);  /* the text page's tail */
	assert_int_equal(f->img.nimports, 2);
	assert_string_equal(f->img.imports[0].name, "ob_alpha");
	assert_int_equal(f->img.imports[0].slot, 0x11220);
	assert_string_equal(f->img.imports[1].name, "ob_beta");
	assert_int_equal(f->img.imports[1].slot, 0x11224);
	unload(f);

	/* the file need not be aligned in memory */
	uint8_t *odd = malloc(im.len + 1);
	memcpy(odd + 1, im.b, im.len);
	assert_int_equal(load(f, odd + 1, im.len, NULL), 0);
	free(odd);
	unload(f);

	/* no section headers, or no section names: no imports */
	eh(&im)->e_shoff = 0;
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(f->img.nimports, 0);
	unload(f);
	build(&im, false);
	eh(&im)->e_shstrndx = SHN_UNDEF;
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(f->img.nimports, 0);
	unload(f);
	/* an empty import table */
	build(&im, false);
	sh(&im, 2)->sh_size = 0;
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(f->img.nimports, 0);
	unload(f);
	/* entry points on the last word (ARM) and halfword (Thumb) of text */
	build(&im, false);
	eh(&im)->e_entry = 0x101fc;
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	unload(f);
	eh(&im)->e_entry = 0x101ff;
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(f->img.entry, 0x101ff);
	unload(f);
}

/* A standard link's addresses load: arm-none-eabi's 0x8000, and the lowest
 * page above page 0. */
static void test_crafted_low_links(void **state)
{
	struct fx *f = *state;
	static const uint32_t at[] = { 0x8000, 0x1000 };
	struct img im;

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		build(&im, false);
		ph(&im, 0)->p_vaddr = ph(&im, 0)->p_paddr = at[i];
		eh(&im)->e_entry = at[i] + 0x100;
		assert_int_equal(load(f, im.b, im.len, NULL), 0);
		assert_int_equal(f->img.lo, at[i]);
		assert_int_equal(f->img.entry, at[i] + 0x100);
		assert_string_equal(obh_mem_find(f->m, at[i])->name, "text");
		uint32_t r0 = 42;
		uc_reg_write(f->uc, UC_ARM_REG_R0, &r0);
		assert_int_equal(run(f, f->img.entry), 42); /* bx lr ran from there */
		unload(f);
	}
}

static void test_crafted_pie(void **state)
{
	struct fx *f = *state;
	struct img im;
	const uint32_t b = OBH_ELF_DYN_BASE;

	build(&im, true);
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(f->img.bias, b);
	assert_int_equal(f->img.entry, b + 0x100);
	assert_int_equal(peek32(f, b + 0x1240), b + 0x1200);     /* RELATIVE: B + A */
	assert_int_equal(peek32(f, b + 0x1244), b + 0x1210 + 4); /* ABS32: S + A */
	assert_int_equal(peek32(f, b + 0x1248), b + 0x1210);     /* GLOB_DAT: S */
	assert_int_equal(peek32(f, b + 0x124c), b + 0x1210);     /* JUMP_SLOT: S */
	assert_int_equal(f->img.nimports, 2);
	assert_string_equal(f->img.imports[1].name, "ob_beta");
	assert_int_equal(f->img.imports[1].slot, b + 0x1224);
	unload(f);

	/* a weak undefined symbol is 0; an absolute one is not moved */
	dynsym(&im, 1)->st_shndx = SHN_UNDEF;
	dynsym(&im, 1)->st_info = ELF32_ST_INFO(STB_WEAK, STT_NOTYPE);
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(peek32(f, b + 0x1244), 4);
	assert_int_equal(peek32(f, b + 0x1248), 0);
	unload(f);
	dynsym(&im, 1)->st_shndx = SHN_ABS;
	dynsym(&im, 1)->st_value = 0x1234;
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(peek32(f, b + 0x1248), 0x1234);
	unload(f);
}

static void test_crafted_shared_pages(void **state)
{
	struct fx *f = *state;
	struct img im;

	/* text ends and data begins in page 0x10000: that page gets both */
	build(&im, false);
	ph(&im, 1)->p_vaddr = 0x10200;
	put32(&im, 0x230, 0x10200);
	put32(&im, 0x234, 0x10220);
	put32(&im, 0x238, 0x10210);
	put32(&im, 0x23c, 0x10224);
	sh(&im, 2)->sh_addr = 0x10230;
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(f->img.nsegments, 2);
	const struct obh_region *r = obh_mem_find(f->m, 0x10000);
	assert_string_equal(r->name, "text+data");
	assert_int_equal(r->prot, R | W | X);
	assert_int_equal(r->size, 0x1000);
	r = obh_mem_find(f->m, 0x11000);
	assert_string_equal(r->name, "data");
	assert_int_equal(r->prot, R | W);
	assert_int_equal(r->start + r->size, 0x13000);
	assert_int_equal(peek32(f, 0x10100), 0xe12fff1e);
	assert_int_equal(peek32(f, 0x10230), 0x10200);
	assert_int_equal(f->img.imports[0].slot, 0x10220);
	unload(f);

	/* three segments in one page: one region with all three */
	ph(&im, 1)->p_memsz = 0x100;
	*ph(&im, 2) = (Elf32_Phdr){ PT_LOAD, 0x300, 0x10300, 0, 0x10, 0x10, PF_R, 0x100 };
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(f->img.nsegments, 1);
	assert_string_equal(f->img.segments[0].name, "text+data+rodata");
	assert_int_equal(f->img.segments[0].prot, R | W | X);
	uint8_t buf[16];
	assert_int_equal(obh_mem_peek(f->m, 0x10300, buf, 16), 0);
	assert_memory_equal(buf, im.b + 0x300, 16);
	unload(f);

	/* two data segments far apart: the second is named by its index */
	build(&im, false);
	*ph(&im, 2) = (Elf32_Phdr){ PT_LOAD, 0x300, 0x20300, 0, 0x10, 0x10, PF_R | PF_W, 0x100 };
	assert_int_equal(load(f, im.b, im.len, NULL), 0);
	assert_int_equal(f->img.nsegments, 3);
	assert_string_equal(f->img.segments[2].name, "data:2");
	assert_string_equal(obh_mem_find(f->m, 0x20300)->name, "data:2");
	unload(f);
}

/* Every proper prefix of the crafted images is refused; the whole loads. */
static void test_crafted_truncated(void **state)
{
	struct fx *f = *state;
	struct img im;

	for (int pie = 0; pie < 2; pie++) {
		build(&im, pie);
		for (size_t len = 0; len < im.len; len++) {
			uint8_t *copy = malloc(len ? len : 1);

			memcpy(copy, im.b, len);
			int rc = load(f, copy, len, NULL);
			if (rc != -ENOEXEC || f->err[0] == '\0' || obh_mem_region_count(f->m))
				fail_msg("length %zu: rc %d '%s'", len, rc, f->err);
			if (len < 4)
				assert_string_equal(f->err, "not an ELF file");
			else if (len < sizeof(Elf32_Ehdr))
				assert_non_null(strstr(f->err, "truncated ELF header"));
			free(copy);
		}
		assert_int_equal(load(f, im.b, im.len, NULL), 0);
		unload(f);
	}
}

static void test_bad_header(void **state)
{
	struct fx *f = *state;
	struct img im;

	CASE(im.b[0] = 0x7e, "not an ELF file");
	CASE(memcpy(im.b, "\x7f" "ELG", 4), "not an ELF file");
	CASE(im.b[EI_CLASS] = ELFCLASS64, "64-bit ELF");
	CASE(im.b[EI_CLASS] = 0, "bad ELF class 0");
	CASE(im.b[EI_DATA] = ELFDATA2MSB, "big-endian");
	CASE(im.b[EI_DATA] = 3, "bad ELF data encoding 3");
	CASE(im.b[EI_VERSION] = 0, "bad ELF version 0");
	CASE(eh(&im)->e_machine = EM_X86_64, "ELF for machine 62 (x86-64), not ARM");
	CASE(eh(&im)->e_machine = EM_AARCH64, "machine 183 (AArch64)");
	CASE(eh(&im)->e_machine = 9999, "machine 9999 (unknown)");
	CASE(eh(&im)->e_version = 2, "bad ELF version 2");
	CASE(eh(&im)->e_type = ET_REL, "relocatable object");
	CASE(eh(&im)->e_type = ET_CORE, "core dump");
	CASE(eh(&im)->e_type = ET_NONE, "ELF type 0 is not an executable");
	CASE(eh(&im)->e_type = 0xfe00, "ELF type 65024 is not an executable");
	CASE(eh(&im)->e_ehsize = 64, "ELF header size 64");
	CASE(eh(&im)->e_phnum = 0, "no program headers");
	CASE(eh(&im)->e_phnum = PN_XNUM, "extended program header");
	CASE(eh(&im)->e_phentsize = 56, "program header entry size 56");
	CASE(eh(&im)->e_phoff = (uint32_t)im.len - 40, "program header table");
	CASE(eh(&im)->e_phoff = 0xffffffe0, "extends past end of file");
	CASE(eh(&im)->e_phnum = 200,
	     "program header table (offset 0x34, 200 entries) extends past end of file");
	CASE(eh(&im)->e_entry = 0x11200, "entry point 0x11200 is not in an executable segment");
	CASE(eh(&im)->e_entry = 0, "entry point 0x0 is not in an executable segment");
	CASE(eh(&im)->e_entry = 0x10102, "entry point 0x10102 is not 4-byte aligned");
	CASE(eh(&im)->e_entry = 0x10200, "not in an executable segment");
	CASE(eh(&im)->e_entry = 0xffffffff, "not in an executable segment");
	CASE((ph(&im, 0)->p_flags = PF_R), "not in an executable segment");
}

static void test_bad_segments(void **state)
{
	struct fx *f = *state;
	struct img im;

	CASE(ph(&im, 1)->p_filesz = 0x3000, "segment 1: file size 0x3000 exceeds memory size 0x2000");
	CASE(ph(&im, 1)->p_filesz = 0x400, "segment 1 extends past end of file");
	CASE(ph(&im, 1)->p_offset = 0xfffff200, "segment 1 extends past end of file");
	CASE(ph(&im, 1)->p_align = 0x3000, "alignment 0x3000 is not a power of two");
	CASE(ph(&im, 1)->p_vaddr = 0x11208, "disagree modulo its alignment");
	CASE((ph(&im, 1)->p_vaddr = 0xfffff200, ph(&im, 1)->p_align = 0x100), "wraps around");
	CASE((ph(&im, 1)->p_vaddr = 0x10100, ph(&im, 1)->p_align = 0x100),
	     "segment 1 overlaps segment 0");
	CASE(ph(&im, 1)->p_vaddr = 0x8200, "segment 1 is not in address order");
	CASE((ph(&im, 0)->p_vaddr = 0, eh(&im)->e_entry = 0x100),
	     "segment 0 at 0x0 is inside page 0, which stays unmapped as the NULL guard");
	CASE((ph(&im, 0)->p_vaddr = 0xf00, ph(&im, 0)->p_align = 0x100, eh(&im)->e_entry = 0x1000),
	     "segment 0 at 0xf00 is inside page 0");
	CASE(ph(&im, 1)->p_vaddr = 0x70000200, "where the stacks begin");
	CASE(ph(&im, 1)->p_vaddr = 0xfffe0200, "where the stacks begin");
	CASE(ph(&im, 1)->p_memsz = 0x6fffe000, "where the stacks begin");
	CASE(ph(&im, 1)->p_memsz = 0x20000000, "more than the limit 0x10000000");
	CASE((ph(&im, 0)->p_type = PT_NOTE, ph(&im, 1)->p_type = PT_NOTE), "no loadable segments");
	CASE((ph(&im, 0)->p_memsz = ph(&im, 0)->p_filesz = 0,
	      ph(&im, 1)->p_memsz = ph(&im, 1)->p_filesz = 0),
	     "no loadable segments");
	CASE(ph(&im, 2)->p_type = PT_TLS, "PT_TLS");
	CASE((ph(&im, 2)->p_type = PT_DYNAMIC, ph(&im, 2)->p_offset = 0x3d0, ph(&im, 2)->p_filesz = 0x20),
	     "segment 2 (PT_DYNAMIC) extends past end of file");

	/* too many segments: a program header table at the end of the file */
	build(&im, false);
	eh(&im)->e_phoff = (uint32_t)im.len;
	eh(&im)->e_phnum = OBH_ELF_MAX_SEGMENTS + 1;
	for (unsigned i = 0; i < OBH_ELF_MAX_SEGMENTS + 1; i++)
		*((Elf32_Phdr *)(im.b + im.len) + i) = (Elf32_Phdr){
			PT_LOAD, 0, 0x10000 + 0x1000 * i, 0, 0x10, 0x10, PF_R | PF_X, 0x1000 };
	im.len += (OBH_ELF_MAX_SEGMENTS + 1) * sizeof(Elf32_Phdr);
	REFUSED(f, &im, "too many loadable segments");

	/* something already mapped where a segment goes: -EEXIST, and it stays */
	build(&im, false);
	assert_int_equal(obh_mem_map(f->m, 0x12000, 0x1000, R, "other"), 0);
	assert_int_equal(load(f, im.b, im.len, NULL), -EEXIST);
	assert_non_null(strstr(f->err, "segment 1 (0x11000-0x14000) overlaps memory already mapped"));
	assert_int_equal(obh_mem_region_count(f->m), 1);
	assert_string_equal(obh_mem_region(f->m, 0)->name, "other");
}

static void test_bad_sections(void **state)
{
	struct fx *f = *state;
	struct img im;

	CASE(eh(&im)->e_shentsize = 20, "section header entry size 20");
	CASE(eh(&im)->e_shoff = (uint32_t)im.len - 100, "section header table");
	CASE(eh(&im)->e_shoff = 0xfffffff0,
	     "section header table (offset 0xfffffff0, 4 entries) extends past end of file");
	CASE(eh(&im)->e_shnum = 0, "extended section numbering");
	CASE(eh(&im)->e_shstrndx = 9, "section name table index 9 out of range");
	CASE(eh(&im)->e_shstrndx = SHN_XINDEX, "section name table index 65535 out of range");
	CASE(sh(&im, 3)->sh_offset = 0x10000, "section 3 extends past end of file");
	CASE(sh(&im, 3)->sh_size = 0xffffffff, "section 3 extends past end of file");
	CASE(sh(&im, 3)->sh_type = SHT_NOBITS, "section name table has no contents");
	CASE(sh(&im, 1)->sh_name = 0x1000, "section 1 name offset 0x1000 is outside the name table");
	CASE((sh(&im, 1)->sh_name = 10, sh(&im, 3)->sh_size = 22), "section 2 name is not terminated");
	CASE(sh(&im, 1)->sh_offset = 0xfffffff0, "section 1 extends past end of file");
	CASE(sh(&im, 1)->sh_name = 11, "more than one .ob_imports section");
}

static void test_bad_imports(void **state)
{
	struct fx *f = *state;
	struct img im;

	CASE(sh(&im, 2)->sh_size = 12, ".ob_imports size 0xc is not a multiple of 8");
	CASE(sh(&im, 2)->sh_flags = SHF_WRITE, "not loaded");
	CASE(sh(&im, 2)->sh_type = SHT_NOBITS, "section type 8");
	CASE(sh(&im, 2)->sh_addr = 0x50000, ".ob_imports (0x50000, 0x10 bytes) is outside the image");
	CASE(sh(&im, 2)->sh_addr = 0x131f8, "is outside the image"); /* straddles the end */
	CASE(sh(&im, 2)->sh_size = 0x2000, "section 2 extends past end of file");
	CASE(put32(&im, 0x230, 0x90000), "import 0 name at 0x90000 is outside the image");
	CASE(put32(&im, 0x238, 0xffffffff), "import 1 name at 0xffffffff is outside the image");
	CASE((memset(im.b + 0x1f0, 'A', 16), put32(&im, 0x230, 0x101f0)),
	     "import 0 name at 0x101f0 is not terminated");
	CASE((memset(im.b + 0x260, 'a', 70), put32(&im, 0x230, 0x11260)), "longer than 63 characters");
	CASE(im.b[0x202] = '-', "import 0 name 'ob-alpha' is not an identifier");
	CASE(im.b[0x200] = '9', "is not an identifier");
	CASE(im.b[0x200] = 0, "import 0 name '' is not an identifier");
	CASE(im.b[0x201] = 0x80, "import 0 name 'o?_alpha' is not an identifier");
	CASE(put32(&im, 0x234, 0x11222), "import 'ob_alpha' slot 0x11222 is not 4-byte aligned");
	CASE(put32(&im, 0x23c, 0x90000), "import 'ob_beta' slot 0x90000 is outside the image");
	CASE(put32(&im, 0x23c, 0x111fc), "import 'ob_beta' slot 0x111fc is outside the image");

	/* more entries than the limit: a file big enough to hold them */
	build(&im, false);
	sh(&im, 2)->sh_offset = 0;
	sh(&im, 2)->sh_size = 8 * (OBH_ELF_MAX_IMPORTS + 1);
	im.len = 8 * (OBH_ELF_MAX_IMPORTS + 1);
	REFUSED(f, &im, ".ob_imports has 4097 entries, more than 4096");
}

static void test_bad_relocations(void **state)
{
	struct fx *f = *state;
	struct img im;

	PCASE(put32(&im, 0x184, R_ARM_COPY),
	      "unsupported relocation type 20 (R_ARM_COPY) in DT_REL entry 0");
	PCASE(put32(&im, 0x1bc, ELF32_R_INFO(1, 200)),
	      "unsupported relocation type 200 (unknown) in DT_JMPREL entry 0");
	PCASE(put32(&im, 0x184, R_ARM_TLS_DTPMOD32), "R_ARM_TLS_DTPMOD32");
	PCASE(put32(&im, 0x180, 0x90000),
	      "DT_REL entry 0 (R_ARM_RELATIVE) writes 0x1090000, outside the image");
	PCASE(put32(&im, 0x180, 0xfffffffe), "outside the image");
	PCASE(put32(&im, 0x180, 0x11fe), "writes 0x10011fe, outside the image"); /* straddles */
	PCASE(dyn_put(&im, DT_REL, 0x80000), "DT_REL table (0x1080000, 0x38 bytes) is outside the image");
	PCASE(dyn_put(&im, DT_RELSZ, 0x7ffffff8), "DT_REL table");
	PCASE(dyn_put(&im, DT_RELSZ, 57), "DT_RELSZ 0x39 is not a multiple of 8");
	PCASE(dyn_put(&im, DT_RELENT, 12), "DT_RELENT 12");
	PCASE(dyn_put(&im, DT_PLTRELSZ, 4), "DT_PLTRELSZ 0x4");
	PCASE(dyn_put(&im, DT_PLTREL, DT_RELA), "DT_PLTREL 7");
	PCASE(dyn_put(&im, DT_JMPREL, 0xfffff000), "DT_JMPREL table");
	PCASE(dyn_put(&im, DT_SYMENT, 24), "DT_SYMENT 24");
	PCASE(dyn_put(&im, DT_RELA, 0x180), "RELA relocations are not supported");
	PCASE(dyn_put(&im, DT_RELR, 0x180), "DT_RELR");
	PCASE(dyn_put(&im, DT_NEEDED, 1), "needs shared library sym_one");
	PCASE(dyn_put(&im, DT_NEEDED, 0x100000), "needs a shared library");
	PCASE(put32(&im, 0x1ac, ELF32_R_INFO(0x100000, R_ARM_ABS32)),
	      "symbol 1048576 (for R_ARM_ABS32) is outside the image");
	PCASE(dyn_put(&im, DT_SYMTAB, 0x31f0), "symbol 1 (for R_ARM_ABS32) is outside the image");
	PCASE(dynsym(&im, 1)->st_shndx = SHN_UNDEF, "undefined symbol 'sym_one' (R_ARM_ABS32)");
	PCASE((dynsym(&im, 1)->st_shndx = SHN_UNDEF, dynsym(&im, 1)->st_name = 0x7fffffff),
	      "undefined symbol 1 (R_ARM_ABS32)");
	PCASE((dynsym(&im, 1)->st_shndx = SHN_UNDEF, dynsym(&im, 1)->st_name = 9),
	      "undefined symbol 'missing'");

	/* a relocation needs a symbol but there is no symbol table */
	build(&im, true);
	for (unsigned i = 0; dyn(&im, i)->d_tag != DT_NULL; i++)
		if (dyn(&im, i)->d_tag == DT_SYMTAB)
			dyn(&im, i)->d_tag = DT_DEBUG;
	REFUSED(f, &im, "R_ARM_ABS32 needs symbol 1 but there is no DT_SYMTAB");
	/* two dynamic segments (the fourth program header fits before 0x100) */
	build(&im, true);
	eh(&im)->e_phnum = 4;
	*ph(&im, 3) = *ph(&im, 2);
	REFUSED(f, &im, "more than one PT_DYNAMIC");

	/* options */
	build(&im, true);
	struct obh_elf_opts opts = { .dyn_base = 0x01000800 };
	assert_int_equal(load(f, im.b, im.len, &opts), -ENOEXEC);
	assert_non_null(strstr(f->err, "load base 0x1000800"));
	opts = (struct obh_elf_opts){ .max_image = 0x1000 };
	assert_int_equal(load(f, im.b, im.len, &opts), -ENOEXEC);
	assert_non_null(strstr(f->err, "more than the limit 0x1000"));
	assert_int_equal(obh_mem_region_count(f->m), 0);
}

/* Random byte flips of both crafted images: never a crash or a leak, every
 * refusal explained and clean, every success unloadable. */
static void test_mutations(void **state)
{
	struct fx *f = *state;
	struct img im;
	uint32_t seed = 0x2545f491;
	unsigned loaded = 0, refused = 0;

	for (int round = 0; round < 4000; round++) {
		build(&im, round & 1);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed ^= seed << 13;
			seed ^= seed >> 17;
			seed ^= seed << 5;
			im.b[seed % im.len] ^= (uint8_t)(seed >> 8 | 1);
		}
		int rc = load(f, im.b, im.len, NULL);
		if (rc == 0) {
			loaded++;
			unload(f);
			continue;
		}
		refused++;
		if (f->err[0] == '\0' || obh_mem_region_count(f->m) != 0)
			fail_msg("round %d: rc %d '%s', %zu regions", round, rc, f->err,
				 obh_mem_region_count(f->m));
	}
	assert_true(loaded > 0 && refused > 0);
}

static void test_image_free(void **state)
{
	struct obh_image img = { 0 };

	(void)state;
	obh_image_free(NULL);
	obh_image_free(&img);
	img.imports = calloc(1, sizeof(*img.imports));
	img.nimports = 1;
	obh_image_free(&img);
	assert_null(img.imports);
	assert_int_equal(img.nimports, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
#ifdef OBH_TEST_ELF_DIR
		T(test_real_exec),
		T(test_real_thumb),
		T(test_real_pie),
		T(test_real_dso),
		T(test_real_undefined),
		T(test_real_truncated),
#else
		cmocka_unit_test(test_real_skipped),
#endif
		T(test_crafted_valid),
		T(test_crafted_low_links),
		T(test_crafted_pie),
		T(test_crafted_shared_pages),
		T(test_crafted_truncated),
		T(test_bad_header),
		T(test_bad_segments),
		T(test_bad_sections),
		T(test_bad_imports),
		T(test_bad_relocations),
		T(test_mutations),
		T(test_image_free),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
