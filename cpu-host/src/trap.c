/*
 * Traps (see trap.h).
 */
#include "trap.h"

#include <signal.h>

#include "calls.h"
#include "dispatch.h"
#include "engine.h"
#include "kernel/thread.h"
#include "mem.h"
#include "outboard/log.h"
#include "scheduler.h"
#include "semihost.h"
#include "upcall.h"

/* Unicorn's ARM exception numbers (QEMU's EXCP_*). */
enum { EXCP_UDEF = 1, EXCP_SWI = 2, EXCP_PREFETCH_ABORT = 3, EXCP_DATA_ABORT = 4,
       EXCP_BKPT = 7 };

static void fault(struct obh_host *h, int sig, const char *kind)
{
	if (!h->fault.pending)
		h->fault = (struct obh_fault){ .pending = true, .signal = sig, .kind = kind };
	obh_host_stop(h);
}

static void syscall(struct obh_host *h, struct obh_thread *t)
{
	static int regs[] = { UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2,
				    UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5,
				    UC_ARM_REG_R7 };
	uint32_t v[OBH_MAX_ARGS] = { 0 }, num;
	void *ptrs[7];
	for (int i = 0; i < 6; i++)
		ptrs[i] = &v[i];
	ptrs[6] = &num;
	uc_reg_read_batch(h->uc, regs, ptrs, 7);
	const struct obh_call *c = obh_call_by_num(num);
	if (!c || c->entry != OBH_SYSCALL) {
		obh_dispatch_unknown(h, t, num, "syscall");
		return;
	}
	obh_dispatch(h, t, c, v, NULL, NULL, false);
}

/* An HLE thunk: AAPCS arguments, the fifth and later ones on the stack. */
static void hle_call(struct obh_host *h, struct obh_thread *t, uint32_t num)
{
	const struct obh_call *c = obh_call_by_num(num);
	if (!c || c->entry != OBH_IMPORT) {
		obh_dispatch_unknown(h, t, num, "HLE function");
		return;
	}
	uint32_t v[OBH_MAX_ARGS] = { 0 };
	for (int i = 0; i < 4; i++)
		v[i] = obh_thread_reg(h, t, UC_ARM_REG_R0 + i);
	if (c->nargs > 4) {
		uint32_t sp = obh_thread_reg(h, t, UC_ARM_REG_SP);
		if (obh_mem_read(h->mem, sp, &v[4], 4u * (c->nargs - 4u))) {
			fault(h, SIGSEGV, "HLE call with its stack arguments unmapped");
			return;
		}
	}
	obh_dispatch(h, t, c, v, NULL, NULL, false);
}

static void host_page(struct obh_host *h, struct obh_thread *t, uint32_t imm)
{
	if (imm == OBH_SVC_BACKSTOP_UPCALL) {
		obh_upcall_return(h, t);
	} else if (imm == OBH_SVC_BACKSTOP_THREAD) {
		/* The thread's entry function returned: its r0 is the status. */
		obh_thread_finish(h, t, (int32_t)obh_thread_reg(h, t, UC_ARM_REG_R0));
	} else if (imm >= OBH_SVC_THUNK_BASE && imm < OBH_SVC_THUNK_BASE + 256) {
		hle_call(h, t, imm - OBH_SVC_THUNK_BASE);
	} else {
		fault(h, SIGSEGV, "jump into the host page");
	}
}

void obh_trap(struct obh_host *h, uint32_t intno)
{
	struct obh_thread *t = obh_sched_current(h);
	switch (intno) {
	case EXCP_SWI:
		break;
	case EXCP_BKPT:
		fault(h, SIGTRAP, "breakpoint");
		return;
	case EXCP_UDEF:
		fault(h, SIGILL, "undefined instruction");
		return;
	case EXCP_PREFETCH_ABORT:
	case EXCP_DATA_ABORT:
		fault(h, SIGSEGV, "memory abort");
		return;
	default:
		fault(h, SIGILL, "unexpected CPU exception");
		return;
	}

	uint32_t pc, cpsr, imm;
	uc_reg_read(h->uc, UC_ARM_REG_PC, &pc);
	uc_reg_read(h->uc, UC_ARM_REG_CPSR, &cpsr);
	bool thumb = cpsr & 0x20;
	/* The svc just executed, so its bytes lie in executable memory. */
	uint32_t len = thumb ? 2 : 4;
	const uint8_t *insn = obh_mem_host_ptr(h->mem, pc - len, len, OBH_PROT_X);
	if (!insn) {
		fault(h, SIGSEGV, "svc executed from memory the host cannot read");
		return;
	}
	if (thumb)
		imm = insn[0];
	else
		imm = (uint32_t)insn[0] | (uint32_t)insn[1] << 8 | (uint32_t)insn[2] << 16;

	if (imm == 0)
		syscall(h, t);
	else if (imm == (thumb ? OBH_SVC_SEMIHOST_THUMB : OBH_SVC_SEMIHOST_ARM))
		obh_semihost(h, t);
	else if (!thumb && pc - 4 >= OBH_HOST_PAGE && pc - 4 < OBH_HOST_PAGE + OBH_HOST_PAGE_SIZE)
		host_page(h, t, imm);
	else
		obh_dispatch_unknown(h, t, imm, "svc immediate");
}
