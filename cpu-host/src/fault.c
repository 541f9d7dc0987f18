/*
 * Fault and deadlock reports (see fault.h).
 */
#include "fault.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "calls.h"
#include "loader/syms.h"
#include "mem.h"
#include "trace.h"

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return "SIGSEGV";
	case SIGILL:
		return "SIGILL";
	case SIGBUS:
		return "SIGBUS";
	case SIGTRAP:
		return "SIGTRAP";
	default:
		return "signal";
	}
}

static void print_registers(struct obh_host *h, struct obh_thread *t, FILE *out)
{
	static const char *const names[16] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
					       "r8", "r9", "r10", "r11", "r12", "sp", "lr", "pc" };
	for (int i = 0; i < 16; i++) {
		uint32_t v = obh_thread_reg(h, t, UC_ARM_REG_R0 + i);
		if (i == 13)
			v = obh_thread_reg(h, t, UC_ARM_REG_SP);
		else if (i == 14)
			v = obh_thread_reg(h, t, UC_ARM_REG_LR);
		else if (i == 15)
			v = obh_thread_reg(h, t, UC_ARM_REG_PC);
		fprintf(out, "%s  %-4s %08x", i % 4 ? "" : "\n ", names[i], v);
	}
	fprintf(out, "\n  cpsr %08x\n", obh_thread_reg(h, t, UC_ARM_REG_CPSR));
}

/* " in main+0x10 (prog.c)" when the image's symbols name addr; "" for a
 * stripped image or an address outside every function. Returns buf. */
static const char *symbol_of(const struct obh_host *h, uint32_t addr, char *buf, size_t cap)
{
	char name[160];

	buf[0] = '\0';
	if (obh_syms_describe(h->syms, addr, name, sizeof(name)))
		snprintf(buf, cap, " in %s", name);
	return buf;
}

static void print_recent_calls(struct obh_host *h, struct obh_thread *t, FILE *out)
{
	char sym[192];
	unsigned filled = t->recent_pos < OBH_RECENT_CALLS ? t->recent_pos : OBH_RECENT_CALLS;
	fprintf(out, "  last calls of thread %u (oldest first):%s\n", t->id, filled ? "" : " none");
	for (unsigned i = t->recent_pos - filled; i < t->recent_pos; i++) {
		const struct obh_recent_call *rc = &t->recent[i % OBH_RECENT_CALLS];
		const struct obh_call *c = obh_call_by_num(rc->num);
		const char *err = rc->result < 0 && rc->result >= -4095
					  ? obh_errno_name(-rc->result) : NULL;
		fprintf(out, "    %s = %d%s%s  (pc %08x%s)\n", c ? c->name : "?", rc->result,
			err ? " " : "", err ? err : "", rc->pc,
			symbol_of(h, rc->pc, sym, sizeof(sym)));
	}
}

void obh_fault_report(struct obh_host *h, struct obh_thread *t)
{
	const struct obh_fault *f = &h->fault;
	FILE *out = stderr;
	uint32_t pc = obh_thread_reg(h, t, UC_ARM_REG_PC);
	uint32_t cpsr = obh_thread_reg(h, t, UC_ARM_REG_CPSR);
	char where[96], sym_pc[192], sym_lr[192];
	uint32_t lr = obh_thread_reg(h, t, UC_ARM_REG_LR);
	const char *kind = f->kind;
	uint32_t guard = obh_mem_null_guard_end(h->mem);
	if (f->has_addr && f->addr < guard &&
	    strcmp(kind, "jump to unmapped memory") == 0)
		kind = "jump to NULL";
	else if (f->has_addr && f->addr < guard)
		kind = strstr(kind, "write") ? "NULL pointer write" : "NULL pointer read";

	fprintf(out, "outboard-cpu: guest fault (%s): %s", signal_name(f->signal), kind);
	if (f->has_addr)
		fprintf(out, " at 0x%08x [%s]", f->addr,
			obh_mem_describe(h->mem, f->addr, where, sizeof(where)));
	fprintf(out, "\n  thread %u, pc %08x%s [%s] in %s state, lr %08x%s", t->id, pc,
		symbol_of(h, pc, sym_pc, sizeof(sym_pc)),
		obh_mem_describe(h->mem, pc, where, sizeof(where)), cpsr & 0x20 ? "Thumb" : "ARM",
		lr, symbol_of(h, lr & ~1u, sym_lr, sizeof(sym_lr)));
	print_registers(h, t, out);
	print_recent_calls(h, t, out);
	fprintf(out, "  exit status %d (128 + %s)\n", 128 + f->signal, signal_name(f->signal));
	fflush(out);
}

void obh_fault_report_deadlock(struct obh_host *h)
{
	FILE *out = stderr;
	char sym[192];
	fprintf(out, "outboard-cpu: deadlock: every thread waits forever\n");
	for (struct obh_thread *t = obh_sched_first(h); t; t = t->next_all) {
		if (t->state != OBH_T_WAITING)
			continue;
		uint32_t pc = obh_thread_reg(h, t, UC_ARM_REG_PC);
		fprintf(out, "  thread %u (priority %d) waits on %s, pc %08x%s\n", t->id, t->prio,
			t->wait_what ? t->wait_what : "?", pc, symbol_of(h, pc, sym, sizeof(sym)));
	}
	fprintf(out, "  exit status %d\n", OBH_EXIT_DEADLOCK);
	fflush(out);
}
