/*
 * Seeds of fuzz_guest (ARM code that cpu-host/fuzz/fuzz_guest.c loads at
 * 0x10000 and enters in ARM state) and fuzz_elf (whole executables).
 *
 * Each guest seed makes one kind of call the right way, then exits, so the
 * fuzzer starts from code that reaches the host's call paths instead of
 * faulting on its first instruction: every syscall number of docs/abi.md
 * with plausible arguments (a path in the image, a buffer on the stack),
 * semihosting operations with parameter blocks, a thread, a mutex, and
 * the two classic faults.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seed.h"

#define TEXT 0x10000u /* where fuzz_guest maps its input */

/* ARMv5 encodings (condition "always"). */
#define MOV(rd, imm8) (0xe3a00000u | (rd) << 12 | (imm8))
#define MVN(rd, imm8) (0xe3e00000u | (rd) << 12 | (imm8))
#define MOVR(rd, rm) (0xe1a00000u | (rd) << 12 | (rm))
#define SUB_SP(imm8) (0xe24dd000u | (imm8))
#define ADD_SP(rd, imm8) (0xe28d0000u | (rd) << 12 | (imm8))
#define STR_SP(rd, imm12) (0xe58d0000u | (rd) << 12 | (imm12))
#define LDR(rd, rn) (0xe5900000u | (rn) << 16 | (rd) << 12)
#define SVC(n) (0xef000000u | (n))
#define UDF 0xe7f000f0u
#define SEMIHOST SVC(0x123456u)
#define SP 13

/* A program: code, then data that code finds pc-relative (prog_adr). */
struct prog {
	uint32_t code[64];
	size_t n;
	char data[128];
	size_t dlen;
	struct {
		size_t at;     /* code index of the ADD to patch */
		unsigned rd;
		size_t doff;   /* target: offset in data */
	} fix[8];
	size_t nfix;
};

static void emit(struct prog *p, uint32_t insn)
{
	if (p->n == sizeof(p->code) / sizeof(p->code[0]))
		abort();
	p->code[p->n++] = insn;
}

/* Put a NUL-terminated string in the data; returns its offset there. */
static size_t prog_str(struct prog *p, const char *s)
{
	size_t off = p->dlen, n = strlen(s) + 1;

	if (off + n > sizeof(p->data))
		abort();
	memcpy(p->data + off, s, n);
	p->dlen += (n + 3) & ~(size_t)3;
	return off;
}

/* Put a word in the data (little-endian); returns its offset there. */
static size_t prog_word(struct prog *p, uint32_t w)
{
	size_t off = p->dlen;

	if (off + 4 > sizeof(p->data))
		abort();
	for (int i = 0; i < 4; i++)
		p->data[off + (size_t)i] = (char)(w >> (8 * i));
	p->dlen += 4;
	return off;
}

/* rd = the address of data offset doff ("add rd, pc, #imm", patched once
 * the code's length is known). */
static void prog_adr(struct prog *p, unsigned rd, size_t doff)
{
	if (p->nfix == sizeof(p->fix) / sizeof(p->fix[0]))
		abort();
	p->fix[p->nfix].at = p->n;
	p->fix[p->nfix].rd = rd;
	p->fix[p->nfix].doff = doff;
	p->nfix++;
	emit(p, 0);
}

static void prog_exit(struct prog *p, unsigned status)
{
	emit(p, MOV(0, status));
	emit(p, MOV(7, 1));
	emit(p, SVC(0));
}

/* The program's bytes: code words little-endian, then the data. */
static void prog_bytes(struct prog *p, struct obz_seed *s)
{
	for (size_t i = 0; i < p->nfix; i++) {
		/* pc reads as the instruction's address + 8. */
		size_t target = 4 * p->n + p->fix[i].doff, pc = 4 * p->fix[i].at + 8;

		if (target < pc || target - pc > 255)
			abort();
		p->code[p->fix[i].at] = 0xe28f0000u | p->fix[i].rd << 12 | (uint32_t)(target - pc);
	}
	for (size_t i = 0; i < p->n; i++)
		obz_seed_u32(s, p->code[i]);
	obz_seed_bytes(s, p->data, p->dlen);
}

static void write_prog(struct prog *p, const char *dir, const char *name)
{
	struct obz_seed s = { 0 };

	prog_bytes(p, &s);
	obz_seed_write(&s, dir, "fuzz_guest", name);
}

/* Call number nr with r0 = a path or 1, r1 = a stack buffer, r2 = 16. */
static void syscall_prog(struct prog *p, unsigned nr, bool path)
{
	size_t file = prog_str(p, "seed.txt");

	emit(p, SUB_SP(64));
	if (path)
		prog_adr(p, 0, file);
	else
		emit(p, MOV(0, 1));
	emit(p, MOVR(1, SP));
	emit(p, MOV(2, 16));
	emit(p, MOV(3, 0));
	emit(p, MOV(7, nr));
	emit(p, SVC(0));
	prog_exit(p, 0);
}

/* SYS_OPEN "seed.txt" for writing, SYS_WRITE to it, SYS_CLOSE, each with
 * its parameter block built on the stack. */
static void semihost_file_prog(struct prog *p)
{
	size_t name = prog_str(p, "seed.txt");

	emit(p, SUB_SP(32));
	prog_adr(p, 2, name);
	emit(p, STR_SP(2, 0));
	emit(p, MOV(3, 4)); /* "w" */
	emit(p, STR_SP(3, 4));
	emit(p, MOV(3, 8));
	emit(p, STR_SP(3, 8));
	emit(p, MOV(0, 0x01));
	emit(p, MOVR(1, SP));
	emit(p, SEMIHOST);
	emit(p, STR_SP(0, 16)); /* the handle, for write and close */
	emit(p, STR_SP(0, 0));
	emit(p, STR_SP(2, 4));
	emit(p, MOV(3, 8));
	emit(p, STR_SP(3, 8));
	emit(p, MOV(0, 0x05));
	emit(p, MOVR(1, SP));
	emit(p, SEMIHOST);
	emit(p, ADD_SP(1, 16));
	emit(p, MOV(0, 0x02));
	emit(p, SEMIHOST);
	prog_exit(p, 0);
}

static void semihost_prog(struct prog *p, unsigned op)
{
	size_t text = prog_str(p, "semihosting\n");

	emit(p, SUB_SP(32));
	emit(p, ADD_SP(2, 8));
	emit(p, STR_SP(2, 0)); /* HEAPINFO: [sp] points at a 4-word block */
	emit(p, MOV(2, 16));
	emit(p, STR_SP(2, 4));  /* GET_CMDLINE: [sp + 4] = length */
	emit(p, MOV(0, op));
	if (op == 0x04)
		prog_adr(p, 1, text);
	else
		emit(p, MOVR(1, SP));
	emit(p, SEMIHOST);
	prog_exit(p, 0);
}

static void thread_prog(struct prog *p)
{
	/* The thread's code lives in the data: thread_exit(7). */
	size_t entry = prog_word(p, MOV(0, 7));

	prog_word(p, MOV(7, 5));
	prog_word(p, SVC(0));
	prog_adr(p, 0, entry);
	emit(p, MOV(1, 0));
	emit(p, MOV(2, 5));
	emit(p, 0xe3a03901u); /* mov r3, #0x4000: the stack size */
	emit(p, MOV(7, 4));
	emit(p, SVC(0));
	emit(p, MOV(1, 0));
	emit(p, MVN(2, 0)); /* wait forever */
	emit(p, MOV(7, 6));
	emit(p, SVC(0));
	prog_exit(p, 0);
}

static void mutex_prog(struct prog *p)
{
	emit(p, MOV(0, 0));
	emit(p, MOV(7, 16));
	emit(p, SVC(0));
	emit(p, MOVR(4, 0));
	emit(p, MVN(1, 0));
	emit(p, MOV(7, 17));
	emit(p, SVC(0));
	emit(p, MOVR(0, 4));
	emit(p, MOV(7, 18));
	emit(p, SVC(0));
	emit(p, MOVR(0, 4));
	emit(p, MOV(7, 29));
	emit(p, SVC(0));
	prog_exit(p, 0);
}

void obz_seeds_guest(const char *dir)
{
	/* docs/abi.md's numbers; the fs ones (64-82) that take a path first. */
	static const unsigned local[] = { 2,  3,  6,  7,  8,  9,  10, 11, 12, 19, 20, 21,
					  22, 23, 24, 25, 26, 27, 28, 35, 40, 41, 42, 43,
					  44, 45, 46, 65, 66, 67, 68, 69, 70, 71, 73, 74,
					  80, 81, 200 };
	static const unsigned with_path[] = { 64, 72, 75, 76, 77, 78, 79, 82 };
	static const unsigned semihost_ops[] = { 0x04, 0x09, 0x10, 0x11, 0x13, 0x15, 0x16,
						 0x30, 0x31 };
	struct prog p;
	char name[32];

	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		p = (struct prog){ 0 };
		syscall_prog(&p, local[i], false);
		snprintf(name, sizeof(name), "syscall-%u", local[i]);
		write_prog(&p, dir, name);
	}
	for (size_t i = 0; i < sizeof(with_path) / sizeof(with_path[0]); i++) {
		p = (struct prog){ 0 };
		syscall_prog(&p, with_path[i], true);
		snprintf(name, sizeof(name), "syscall-%u", with_path[i]);
		write_prog(&p, dir, name);
	}
	for (size_t i = 0; i < sizeof(semihost_ops) / sizeof(semihost_ops[0]); i++) {
		p = (struct prog){ 0 };
		semihost_prog(&p, semihost_ops[i]);
		snprintf(name, sizeof(name), "semihost-%#x", semihost_ops[i]);
		write_prog(&p, dir, name);
	}
	p = (struct prog){ 0 };
	semihost_file_prog(&p);
	write_prog(&p, dir, "semihost-file");
	p = (struct prog){ 0 };
	thread_prog(&p);
	write_prog(&p, dir, "thread");
	p = (struct prog){ 0 };
	mutex_prog(&p);
	write_prog(&p, dir, "mutex");
	p = (struct prog){ 0 };
	prog_exit(&p, 3);
	write_prog(&p, dir, "exit");
	p = (struct prog){ 0 };
	emit(&p, MOV(0, 0));
	emit(&p, LDR(1, 0)); /* a NULL dereference */
	write_prog(&p, dir, "fault-null");
	p = (struct prog){ 0 };
	emit(&p, UDF);
	write_prog(&p, dir, "fault-undefined");
}

/* Section headers, a symbol table (a file, a mapping symbol, a function)
 * and its strings after the code at file offset at, for the symbol reader
 * of fault reports (cpu-host/src/loader/elf_syms.c). */
static void add_symtab(struct obz_seed *s, Elf32_Ehdr *eh, uint32_t at, uint32_t entry,
		       uint32_t code_len)
{
	static const char strs[] = "\0seed.c\0$a\0main";
	Elf32_Sym syms[4] = {
		{ 0 },
		{ .st_name = 1, .st_info = ELF32_ST_INFO(STB_LOCAL, STT_FILE), .st_shndx = SHN_ABS },
		{ .st_name = 8, .st_value = entry, .st_info = ELF32_ST_INFO(STB_LOCAL, STT_NOTYPE),
		  .st_shndx = 1 },
		{ .st_name = 11, .st_value = entry, .st_size = code_len,
		  .st_info = ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = 1 },
	};
	uint32_t symoff = at, stroff = symoff + sizeof(syms), shoff = stroff + sizeof(strs);
	Elf32_Shdr sh[4] = {
		{ 0 },
		{ .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR, .sh_addr = entry,
		  .sh_offset = entry & 0xfff, .sh_size = code_len },
		{ .sh_type = SHT_SYMTAB, .sh_offset = symoff, .sh_size = sizeof(syms), .sh_link = 3,
		  .sh_info = 3, .sh_entsize = sizeof(Elf32_Sym) },
		{ .sh_type = SHT_STRTAB, .sh_offset = stroff, .sh_size = sizeof(strs) },
	};
	eh->e_shoff = shoff;
	eh->e_shentsize = sizeof(Elf32_Shdr);
	eh->e_shnum = 4;
	memcpy(s->buf, eh, sizeof(*eh)); /* the header was written already */
	obz_seed_bytes(s, syms, sizeof(syms));
	obz_seed_bytes(s, strs, sizeof(strs));
	obz_seed_bytes(s, sh, sizeof(sh));
}

/* An ET_EXEC or ET_DYN image with one read+execute segment holding code,
 * and with a symbol table if syms is set. */
static void elf_seed(const char *dir, const char *name, uint16_t type, uint32_t vaddr,
		     bool syms)
{
	struct prog p = { 0 };
	struct obz_seed s = { 0 }, code = { 0 };
	Elf32_Ehdr eh = { .e_type = type, .e_machine = EM_ARM, .e_version = EV_CURRENT,
			  .e_phoff = sizeof(Elf32_Ehdr), .e_ehsize = sizeof(Elf32_Ehdr),
			  .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = 1 };
	Elf32_Phdr ph = { .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_align = 0x1000 };
	uint32_t off = sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr);

	prog_exit(&p, 0);
	prog_bytes(&p, &code);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_entry = vaddr + off;
	ph.p_vaddr = ph.p_paddr = vaddr;
	ph.p_filesz = ph.p_memsz = off + (uint32_t)code.len;
	obz_seed_bytes(&s, &eh, sizeof(eh));
	obz_seed_bytes(&s, &ph, sizeof(ph));
	obz_seed_bytes(&s, code.buf, code.len);
	if (syms)
		add_symtab(&s, &eh, off + (uint32_t)code.len, eh.e_entry, (uint32_t)code.len);
	free(code.buf);
	obz_seed_write(&s, dir, "fuzz_elf", name);
}

void obz_seeds_elf(const char *dir)
{
	elf_seed(dir, "exec", ET_EXEC, TEXT, false);
	elf_seed(dir, "pie", ET_DYN, 0, false);
	/* The toolchain's default link (arm-none-eabi: 0x8000), with symbols. */
	elf_seed(dir, "exec-8000-symbols", ET_EXEC, 0x8000, true);
}
