/*
 * Unit tests of the symbol lookup for fault reports (loader/syms.h): a
 * crafted symbol table with the cases a linker produces (files, mapping
 * symbols, local and global functions, Thumb, unsized labels, aliases),
 * malformed tables, and real images from the guest toolchain when built.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/syms.h"

/* Layout of the crafted file: header, strings, symbols, section headers. */
#define STROFF 0x100u
#define SYMOFF 0x200u
#define SHOFF 0x400u
#define NSECT 5
#define FILE_LEN (SHOFF + NSECT * sizeof(Elf32_Shdr))

struct img {
	uint8_t b[FILE_LEN];
	uint32_t strsz;
	unsigned nsyms;
};

static uint32_t add_str(struct img *im, const char *s)
{
	uint32_t at = im->strsz;
	memcpy(im->b + STROFF + at, s, strlen(s) + 1);
	im->strsz += (uint32_t)strlen(s) + 1;
	return at;
}

static void add_sym(struct img *im, const char *name, uint32_t value, uint32_t size,
		    unsigned bind, unsigned type, uint16_t shndx)
{
	Elf32_Sym e = { .st_name = name ? add_str(im, name) : 0x7fffffff, .st_value = value,
			.st_size = size, .st_info = ELF32_ST_INFO(bind, type), .st_shndx = shndx };
	if (im->nsyms >= (SHOFF - SYMOFF) / sizeof(e))
		fail_msg("too many symbols for the crafted file");
	else
		((Elf32_Sym *)(void *)(im->b + SYMOFF))[im->nsyms++] = e;
}

static Elf32_Shdr *sh(struct img *im, unsigned i)
{
	return (Elf32_Shdr *)(im->b + SHOFF + i * sizeof(Elf32_Shdr));
}

static void build(struct img *im)
{
	memset(im, 0, sizeof(*im));
	Elf32_Ehdr *e = (Elf32_Ehdr *)im->b;
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS32;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_type = ET_EXEC;
	e->e_machine = EM_ARM;
	e->e_shoff = SHOFF;
	e->e_shentsize = sizeof(Elf32_Shdr);
	e->e_shnum = NSECT;
	add_str(im, "");
	add_sym(im, "", 0, 0, STB_LOCAL, STT_NOTYPE, SHN_UNDEF);
	add_sym(im, "a.c", 0, 0, STB_LOCAL, STT_FILE, SHN_ABS);
	add_sym(im, "$a", 0x8000, 0, STB_LOCAL, STT_NOTYPE, 1);
	add_sym(im, "helper", 0x8000, 0x10, STB_LOCAL, STT_FUNC, 1);
	add_sym(im, "b.c", 0, 0, STB_LOCAL, STT_FILE, SHN_ABS);
	add_sym(im, "$a", 0x8040, 0, STB_LOCAL, STT_NOTYPE, 1);
	add_sym(im, "$d", 0x9000, 0, STB_LOCAL, STT_NOTYPE, 2);
	add_sym(im, "bad\033name", 0x80d0, 4, STB_LOCAL, STT_FUNC, 1);
	add_sym(im, "alias", 0x8040, 0x20, STB_WEAK, STT_NOTYPE, 1);
	add_sym(im, "main", 0x8040, 0x20, STB_GLOBAL, STT_FUNC, 1);
	add_sym(im, "thumbfn", 0x8081, 0x10, STB_GLOBAL, STT_FUNC, 1);
	add_sym(im, "_start", 0x80a0, 0, STB_GLOBAL, STT_NOTYPE, 1);
	add_sym(im, "later", 0x80c0, 8, STB_GLOBAL, STT_FUNC, 1);
	add_sym(im, "_edata", 0x9000, 0, STB_GLOBAL, STT_NOTYPE, 2);
	add_sym(im, "undefined", 0, 0, STB_GLOBAL, STT_FUNC, SHN_UNDEF);
	add_sym(im, "absolute", 0x8100, 4, STB_GLOBAL, STT_FUNC, SHN_ABS);
	add_sym(im, NULL, 0x8200, 4, STB_GLOBAL, STT_FUNC, 1); /* name past the table */
	*sh(im, 1) = (Elf32_Shdr){ .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
				   .sh_addr = 0x8000, .sh_size = 0x1000 };
	*sh(im, 2) = (Elf32_Shdr){ .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_WRITE,
				   .sh_addr = 0x9000, .sh_size = 0x100 };
	*sh(im, 3) = (Elf32_Shdr){ .sh_type = SHT_SYMTAB, .sh_offset = SYMOFF,
				   .sh_size = im->nsyms * sizeof(Elf32_Sym), .sh_link = 4,
				   .sh_entsize = sizeof(Elf32_Sym) };
	*sh(im, 4) = (Elf32_Shdr){ .sh_type = SHT_STRTAB, .sh_offset = STROFF,
				   .sh_size = im->strsz };
}

static struct obh_syms *read_syms(const void *data, size_t len, uint32_t bias)
{
	struct obh_syms *s = NULL;
	assert_int_equal(obh_syms_read(data, len, bias, &s), 0);
	assert_non_null(s);
	return s;
}

static void expect(const struct obh_syms *s, uint32_t addr, const char *want)
{
	char buf[128];
	bool found = obh_syms_describe(s, addr, buf, sizeof(buf));
	if (!want) {
		if (found || buf[0])
			fail_msg("0x%x: expected no name, got '%s'", addr, buf);
		return;
	}
	if (!found || strcmp(buf, want) != 0)
		fail_msg("0x%x: expected '%s', got '%s'", addr, want, buf);
}

static void test_crafted(void **state)
{
	struct img im;
	(void)state;
	build(&im);
	struct obh_syms *s = read_syms(im.b, FILE_LEN, 0);
	/* helper, bad?name, alias, main, thumbfn, _start, later */
	assert_int_equal(obh_syms_count(s), 7);
	expect(s, 0x8000, "helper+0x0 (a.c)");
	expect(s, 0x800c, "helper+0xc (a.c)");
	expect(s, 0x8010, NULL);                  /* past helper, below main */
	expect(s, 0x7ffc, NULL);                  /* below everything */
	expect(s, 0x8050, "main+0x10 (b.c)");      /* a global's file from $a */
	expect(s, 0x8082, "thumbfn+0x2 (b.c)");    /* Thumb bit cleared */
	expect(s, 0x80b0, "_start+0x10 (b.c)");    /* unsized: up to the next */
	expect(s, 0x80c4, "later+0x4 (b.c)");
	expect(s, 0x80c8, NULL);
	expect(s, 0x80d1, "bad?name+0x1 (b.c)");   /* no escape reaches a terminal */
	expect(s, 0x8100, NULL);                  /* SHN_ABS is no code */
	expect(s, 0x8200, NULL);                  /* its name was out of range */
	expect(s, 0x9000, NULL);                  /* a data label is no code */
	obh_syms_free(s);

	/* An ET_DYN image's bias moves every address. */
	s = read_syms(im.b, FILE_LEN, 0x01000000);
	expect(s, 0x01008050, "main+0x10 (b.c)");
	expect(s, 0x8050, NULL);
	obh_syms_free(s);
}

static void test_describe_edges(void **state)
{
	struct img im;
	char small[8] = "xxxxxxx";
	(void)state;
	build(&im);
	struct obh_syms *s = read_syms(im.b, FILE_LEN, 0);
	assert_true(obh_syms_describe(s, 0x8044, small, sizeof(small)));
	assert_string_equal(small, "main+0x"); /* truncated, terminated */
	assert_true(obh_syms_describe(s, 0x8044, NULL, 0));
	obh_syms_free(s);

	assert_false(obh_syms_describe(NULL, 0x8044, small, sizeof(small)));
	assert_string_equal(small, "");
	assert_int_equal(obh_syms_count(NULL), 0);
	obh_syms_free(NULL);

	/* Without STT_FILE symbols there is no file to name. */
	build(&im);
	for (unsigned i = 0; i < im.nsyms; i++) {
		Elf32_Sym *e = (Elf32_Sym *)(im.b + SYMOFF + i * sizeof(Elf32_Sym));
		if (ELF32_ST_TYPE(e->st_info) == STT_FILE)
			e->st_name = 0;
	}
	s = read_syms(im.b, FILE_LEN, 0);
	expect(s, 0x8050, "main+0x10");
	expect(s, 0x8004, "helper+0x4");
	obh_syms_free(s);
}

/* Each damaged table reads as "no symbols", never as a crash. */
static void test_malformed(void **state)
{
	struct img im;
	(void)state;
#define NONE(edit)                                                               \
	do {                                                                     \
		build(&im);                                                      \
		edit;                                                            \
		struct obh_syms *s = read_syms(im.b, FILE_LEN, 0);               \
		if (obh_syms_count(s))                                           \
			fail_msg("%s: %zu symbols", #edit, obh_syms_count(s));   \
		expect(s, 0x8050, NULL);                                         \
		obh_syms_free(s);                                                \
	} while (0)
	NONE(((Elf32_Ehdr *)im.b)->e_shnum = 0);
	NONE(((Elf32_Ehdr *)im.b)->e_shoff = FILE_LEN);
	NONE(((Elf32_Ehdr *)im.b)->e_shoff = 0xfffffff0u);
	NONE(((Elf32_Ehdr *)im.b)->e_shentsize = 12);
	NONE(im.b[EI_CLASS] = ELFCLASS64);
	NONE(sh(&im, 3)->sh_type = SHT_PROGBITS);        /* stripped */
	NONE(sh(&im, 3)->sh_link = NSECT);
	NONE(sh(&im, 3)->sh_link = 0);
	NONE(sh(&im, 3)->sh_entsize = 24);
	NONE(sh(&im, 3)->sh_offset = FILE_LEN - 8);
	NONE(sh(&im, 3)->sh_size = 0xffffff00u);
	NONE(sh(&im, 4)->sh_type = SHT_PROGBITS);
	NONE(sh(&im, 4)->sh_offset = 0xfffffff0u);
	NONE(sh(&im, 4)->sh_size = FILE_LEN);
	NONE(sh(&im, 3)->sh_size = 0);
#undef NONE
	/* A string table without a final NUL still gives terminated names. */
	build(&im);
	sh(&im, 4)->sh_size = im.strsz - 1;
	struct obh_syms *s = read_syms(im.b, FILE_LEN, 0);
	assert_true(obh_syms_count(s) > 0);
	obh_syms_free(s);
	/* Every prefix of the file (ASan catches a read past it). */
	build(&im);
	for (size_t len = 0; len < FILE_LEN; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, im.b, len);
		s = read_syms(copy, len, 0);
		obh_syms_free(s);
		free(copy);
	}
}

#ifdef OBH_TEST_ELF_DIR
static uint8_t *slurp(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", OBH_TEST_ELF_DIR, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	uint8_t *data = malloc(*len);
	assert_int_equal(fread(data, 1, *len, f), *len);
	fclose(f);
	return data;
}

/* What arm-none-eabi-gcc and ld make: _start in exec.c, in ARM and Thumb. */
static void test_real_images(void **state)
{
	static const char *const names[] = { "exec.elf", "thumb.elf" };
	(void)state;
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		uint8_t *data = slurp(names[i], &len);
		Elf32_Ehdr eh;
		memcpy(&eh, data, sizeof(eh));
		struct obh_syms *s = read_syms(data, len, 0);
		assert_true(obh_syms_count(s) >= 1);
		char buf[128];
		assert_true(obh_syms_describe(s, (eh.e_entry & ~1u) + 4, buf, sizeof(buf)));
		assert_string_equal(buf, "_start+0x4 (exec.c)");
		obh_syms_free(s);
		free(data);
	}
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crafted),
		cmocka_unit_test(test_describe_edges),
		cmocka_unit_test(test_malformed),
#ifdef OBH_TEST_ELF_DIR
		cmocka_unit_test(test_real_images),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
