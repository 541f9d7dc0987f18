/*
 * The engine (see engine.h).
 */
#include "engine.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "mem.h"
#include "outboard/log.h"
#include "preempt.h"
#include "slicing.h"
#include "trap.h"

#define CAT "engine"
/* uc_emu_start stops when PC reaches this address; nothing is ever mapped
 * there (the host page ends below it). */
#define NEVER_PC 0xfffffff0u

#define ARM_SVC(imm) (0xef000000u | ((imm) & 0xffffffu))
#define ARM_BX_LR 0xe12fff1eu
#define OBH_CODE_CACHE (64u << 20)

/*
 * Unicorn gives pre-v7 ARM CPUs (the ARM926 included) 1 KiB softmmu pages,
 * where qemu-arm's user mode has 4 KiB ones. The page bounds what one
 * translation block may span and which direct branches may be chained
 * (goto_tb only within the block's page); every other branch goes back
 * through helper_lookup_tb_ptr. With 4 KiB pages fib, cm_mix and bytevm
 * run markedly faster (docs/performance.md, "Engine tuning"); mem.c maps
 * everything in 4 KiB pages already. Unicorn before 2.1.2 turns a size
 * of 2^n into 2^(n+1) pages (off by one, fixed upstream in fbf34af8), so
 * the size asked for depends on the version; the size is read back and
 * anything other than 4 KiB refused. The size must be set before the
 * engine is initialised, which reading it back does: so the CPU model
 * (which must be set before that too) is set here as well.
 */
uc_err obh_engine_page_size(uc_engine *uc, uint32_t *size)
{
	/* UC_CTL_READ as unicorn.h spells it shifts the int 2 by 30 bits,
	 * which overflows (UBSan stops there): the same bits, built unsigned. */
	uint32_t ctl = (uint32_t)UC_CTL_UC_PAGE_SIZE | (1u << 26) |
		       ((uint32_t)UC_CTL_IO_READ << 30);
	return uc_ctl(uc, (uc_control_type)ctl, size);
}

static int set_cpu(uc_engine *uc)
{
	unsigned major = 0, minor = 0;
	unsigned v = uc_version(&major, &minor);
	unsigned patch = (v >> 8) & 0xffu;
	bool off_by_one = major == 2 && (minor == 0 || (minor == 1 && patch < 2));
	uint32_t ask = off_by_one ? OBH_PAGE_SIZE / 2 : OBH_PAGE_SIZE;
	uint32_t got = 0;
	uc_err e = uc_ctl(uc, UC_CTL_WRITE(UC_CTL_UC_PAGE_SIZE, 1), ask);
	if (e == UC_ERR_OK && uc_ctl_set_cpu_model(uc, UC_CPU_ARM_926) != UC_ERR_OK) {
		OB_ERROR(CAT, "Unicorn has no ARM926 model");
		return -ENOTSUP;
	}
	if (e == UC_ERR_OK)
		e = obh_engine_page_size(uc, &got);
	if (e != UC_ERR_OK || got != OBH_PAGE_SIZE) {
		OB_ERROR(CAT, "cannot set Unicorn %u.%u.%u's page size to %u bytes (got %u): %s",
			 major, minor, patch, OBH_PAGE_SIZE, got, uc_strerror(e));
		return -ENOTSUP;
	}
	return 0;
}

int obh_engine_open(struct obh_host *h)
{
	uc_err e = uc_open(UC_ARCH_ARM, UC_MODE_ARM, &h->uc);
	if (e != UC_ERR_OK) {
		OB_ERROR(CAT, "cannot open the Unicorn engine: %s", uc_strerror(e));
		return -ENOMEM;
	}
	/* A bounded code cache: Unicorn's default (1 GiB) takes 0.8 s to clear
	 * whenever translations must be dropped; 64 MiB is plenty for guests. */
	uc_ctl(h->uc, UC_CTL_WRITE(UC_CTL_TCG_BUFFER_SIZE, 1), (uint32_t)OBH_CODE_CACHE);
	int err = set_cpu(h->uc);
	if (err) {
		uc_close(h->uc);
		h->uc = NULL;
		return err;
	}
	uint32_t cpsr = 0x10; /* User mode, ARM state, interrupts irrelevant */
	uc_reg_write(h->uc, UC_ARM_REG_CPSR, &cpsr);
	return 0;
}

static void on_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct obh_host *h = user;
	(void)uc;
	obh_trap(h, intno);
	/* Without the block hook a trap is the only safe point to end a slice
	 * at: take it when a plugin frame waits, or when this call made the
	 * hook necessary (slicing.h). */
	if (!h->slicing &&
	    (obh_slicing_urgent(h) || (h->preempt && obh_preempt_trap_due(h->preempt))))
		obh_host_stop(h);
}

/* The only place slices end by time: see preempt.h for why not elsewhere. */
static void on_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	(void)addr;
	(void)size;
	if (obh_preempt_due(user)) /* user: the watcher, h->preempt */
		uc_emu_stop(uc);
}

static const char *access_kind(uc_mem_type type)
{
	switch (type) {
	case UC_MEM_READ_UNMAPPED:
		return "read of unmapped memory";
	case UC_MEM_WRITE_UNMAPPED:
		return "write to unmapped memory";
	case UC_MEM_FETCH_UNMAPPED:
		return "jump to unmapped memory";
	case UC_MEM_READ_PROT:
		return "read of unreadable memory";
	case UC_MEM_WRITE_PROT:
		return "write to read-only memory";
	case UC_MEM_FETCH_PROT:
		return "jump to non-executable memory";
	default:
		return "invalid memory access";
	}
}

static bool on_invalid(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
		       void *user)
{
	struct obh_host *h = user;
	(void)uc;
	(void)size;
	(void)value;
	if (!h->fault.pending) {
		h->fault = (struct obh_fault){ .pending = true, .signal = SIGSEGV,
					       .kind = access_kind(type), .addr = (uint32_t)addr,
					       .has_addr = true };
	}
	return false; /* not handled: uc_emu_start returns the error */
}

static int map_host_page(struct obh_host *h)
{
	uint32_t words[OBH_HOST_PAGE_SIZE / 4];
	for (unsigned i = 0; i < OBH_HOST_PAGE_SIZE / 4; i++)
		words[i] = ARM_SVC(0xffffffu); /* anything else traps as an unknown svc */
	words[0] = ARM_SVC(OBH_SVC_BACKSTOP_THREAD);
	words[2] = ARM_SVC(OBH_SVC_BACKSTOP_UPCALL);
	for (uint32_t num = 0; num < 256; num++) {
		uint32_t w = (obh_engine_thunk(num) - OBH_HOST_PAGE) / 4;
		words[w] = ARM_SVC(OBH_SVC_THUNK_BASE + num);
		words[w + 1] = ARM_BX_LR;
	}
	int err = obh_mem_map(h->mem, OBH_HOST_PAGE, OBH_HOST_PAGE_SIZE, OBH_PROT_R | OBH_PROT_X,
			      "host");
	if (!err)
		err = obh_mem_poke(h->mem, OBH_HOST_PAGE, words, sizeof(words));
	return err;
}

int obh_engine_setup(struct obh_host *h)
{
	uc_hook hh;
	if (uc_hook_add(h->uc, &hh, UC_HOOK_INTR, (void *)on_intr, h, 1, 0) != UC_ERR_OK ||
	    uc_hook_add(h->uc, &hh, UC_HOOK_MEM_INVALID, (void *)on_invalid, h, 1, 0) !=
		    UC_ERR_OK) {
		OB_ERROR(CAT, "cannot install the engine's hooks");
		return -ENOMEM;
	}
	int err = map_host_page(h);
	if (err)
		OB_ERROR(CAT, "cannot map the host page: %s", strerror(-err));
	return err;
}

int obh_engine_enable_slicing(struct obh_host *h)
{
	if (h->slicing)
		return 0;
	if (!h->preempt)
		return -EINVAL;
	uc_err e = uc_hook_add(h->uc, &h->slice_hook, UC_HOOK_BLOCK, (void *)on_block, h->preempt,
			       1, 0);
	if (e != UC_ERR_OK) {
		OB_ERROR(CAT, "cannot install the block hook: threads will not be time-sliced");
		return -ENOMEM;
	}
	/* Blocks translated so far do not call the new hook: drop them, region
	 * by executable region (cheaper than flushing the whole cache). */
	for (size_t i = 0; i < obh_mem_region_count(h->mem); i++) {
		const struct obh_region *r = obh_mem_region(h->mem, i);
		if (r->prot & OBH_PROT_X)
			uc_ctl_remove_cache(h->uc, r->start, obh_region_end(r));
	}
	h->slicing = true;
	return 0;
}

void obh_engine_disable_slicing(struct obh_host *h)
{
	if (!h->slicing)
		return;
	/* Unicorn 2.1 remembers every block it translated with this hook and
	 * drops exactly those (uc_hook_del, hooked_regions): nothing else to
	 * flush, and what runs next is translated without the call. */
	uc_hook_del(h->uc, h->slice_hook);
	h->slicing = false;
}

void obh_engine_close(struct obh_host *h)
{
	if (h->uc)
		uc_close(h->uc);
	h->uc = NULL;
}

uc_err obh_engine_run(struct obh_host *h, uint32_t pc)
{
	return uc_emu_start(h->uc, pc, NEVER_PC, 0, 0);
}

uint32_t obh_engine_thunk(uint32_t num)
{
	return OBH_THUNK_BASE + num * OBH_THUNK_SIZE;
}
