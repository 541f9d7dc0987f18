/*
 * libFuzzer target for the CPU host running random guest code: the input
 * becomes the text of a minimal ELF (one read+execute segment at 0x10000)
 * and the whole host runs it, kernel, traps and all, for at most a few
 * milliseconds. Random code makes random syscalls with random pointers,
 * undefined instructions, wild jumps and stores: each must end in a guest
 * fault report, a guest exit or the time limit, and never in a host crash,
 * a sanitizer report or a leak.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "outboard/log.h"
#include "scheduler.h"
#include "setup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TEXT 0x10000u
#define MAX_CODE 4096u

/* An ET_EXEC image whose only segment is the input, entered at its start. */
static size_t make_elf(const uint8_t *code, size_t n, uint8_t *out)
{
	Elf32_Ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_ARM, .e_version = EV_CURRENT,
			  .e_entry = 0, .e_phoff = sizeof(Elf32_Ehdr),
			  .e_ehsize = sizeof(Elf32_Ehdr), .e_phentsize = sizeof(Elf32_Phdr),
			  .e_phnum = 1 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	/* The segment starts at file offset 0 (headers included), as linkers
	 * lay out the first one: p_vaddr - p_offset must be a multiple of
	 * p_align, or the loader refuses the image. */
	size_t off = sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr);
	eh.e_entry = (Elf32_Addr)(TEXT + off);
	Elf32_Phdr ph = { .p_type = PT_LOAD, .p_offset = 0, .p_vaddr = TEXT, .p_paddr = TEXT,
			  .p_filesz = (Elf32_Word)(off + n), .p_memsz = (Elf32_Word)(off + n),
			  .p_flags = PF_R | PF_X, .p_align = 0x1000 };
	memcpy(out, &eh, sizeof(eh));
	memcpy(out + sizeof(eh), &ph, sizeof(ph));
	memcpy(out + off, code, n);
	return off + n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t image[sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr) + MAX_CODE];
	static char prog[] = "fuzz.elf";
	static char *argv[] = { prog, NULL };
	if (size < 4)
		return 0;
	if (size > MAX_CODE)
		size = MAX_CODE;
	ob_log_set_level(OB_LOG_NONE);
	struct obh_host h = { 0 };
	h.opts = (struct obh_options){ .program = prog, .guest_argc = 1, .guest_argv = argv,
				       .heap_max = 1u << 20, .main_stack = 64u << 10,
				       .plugin_timeout_ms = 100, .time_limit_ms = 5 };
	size_t len = make_elf(data, size, image);
	/* The image is well formed whatever the code bytes are: a refusal is a
	 * harness or loader bug, and would leave the guest untested. */
	if (obh_setup_image(&h, image, len) != 0)
		abort();
	(void)obh_sched_run(&h);
	obh_teardown(&h);
	return 0;
}
