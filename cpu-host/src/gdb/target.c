/*
 * The session's target ops on the CPU host: guest threads from the
 * scheduler, their registers (live in the engine, or saved in their
 * contexts: the stub only runs between slices, so every thread's
 * registers are in its saved context then), guest memory, and points.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "mem.h"
#include "scheduler.h"
#include "stub_priv.h"
#include "symbols.h"

static int reg_id(int n)
{
	switch (n) {
	case 13: return UC_ARM_REG_SP;
	case 14: return UC_ARM_REG_LR;
	case 15: return UC_ARM_REG_PC;
	case 16: return UC_ARM_REG_CPSR;
	default: return UC_ARM_REG_R0 + n;
	}
}

static struct obh_thread *live_thread(struct obh_gdb *g, uint32_t tid)
{
	struct obh_thread *t = obh_thread_by_id(g->h, tid);
	return t && t->state != OBH_T_DEAD ? t : NULL;
}

static int t_send(void *ctx, const void *data, size_t len)
{
	struct obh_gdb *g = ctx;
	const char *p = data;
	while (len > 0) {
		ssize_t n = send(g->fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int t_threads(void *ctx, uint32_t *ids, int max)
{
	struct obh_gdb *g = ctx;
	int n = 0;
	/* The scheduler lists the newest first; gdb numbers in the order given. */
	for (struct obh_thread *t = obh_sched_first(g->h); t; t = t->next_all)
		if (t->state != OBH_T_DEAD)
			n++;
	int k = n < max ? n : max, i = n;
	for (struct obh_thread *t = obh_sched_first(g->h); t; t = t->next_all)
		if (t->state != OBH_T_DEAD && --i < k)
			ids[i] = t->id;
	return k;
}

static int t_thread_name(void *ctx, uint32_t tid, char *buf, size_t cap)
{
	struct obh_gdb *g = ctx;
	struct obh_thread *t = live_thread(g, tid);
	if (!t)
		return -ESRCH;
	const char *sym = tid == 1 ? NULL : obg_symbol_at(g->symbols, t->start_pc & ~1u);
	/* ob_thread_spawn starts every thread in the SDK's start_thread with a
	 * start block whose first word is the user's function (sdk/src/
	 * thread.c): name the thread after that function. */
	uint32_t fn;
	if (sym && !strcmp(sym, "start_thread") &&
	    obh_mem_peek(g->h->mem, t->start_arg, &fn, 4) == 0 &&
	    obg_symbol_at(g->symbols, fn & ~1u))
		sym = obg_symbol_at(g->symbols, fn & ~1u);
	if (tid == 1)
		snprintf(buf, cap, "main");
	else if (sym)
		snprintf(buf, cap, "%s", sym);
	else
		snprintf(buf, cap, "thread-%u", tid);
	return 0;
}

static int t_thread_state(void *ctx, uint32_t tid, char *buf, size_t cap)
{
	struct obh_gdb *g = ctx;
	struct obh_thread *t = live_thread(g, tid);
	if (!t)
		return -ESRCH;
	if (t->state == OBH_T_WAITING)
		snprintf(buf, cap, "waiting: %s, priority %d", t->wait_what ? t->wait_what : "?",
			 t->prio);
	else
		snprintf(buf, cap, "%s, priority %d", t->fresh ? "not started" : "ready", t->prio);
	return 0;
}

static int t_read_regs(void *ctx, uint32_t tid, uint32_t regs[OBG_NREGS])
{
	struct obh_gdb *g = ctx;
	struct obh_thread *t = live_thread(g, tid);
	if (!t)
		return -ESRCH;
	for (int i = 0; i < OBG_NREGS; i++)
		regs[i] = obh_thread_reg(g->h, t, reg_id(i));
	return 0;
}

static int t_write_reg(void *ctx, uint32_t tid, int n, uint32_t v)
{
	struct obh_gdb *g = ctx;
	struct obh_thread *t = live_thread(g, tid);
	if (!t || n < 0 || n >= OBG_NREGS)
		return t ? -EINVAL : -ESRCH;
	uint32_t cpsr = obh_thread_reg(g->h, t, UC_ARM_REG_CPSR);
	if (n == OBG_REG_PC && t->fresh) {
		t->start_pc = (v & ~1u) | ((cpsr & 0x20) ? 1u : 0u);
		return 0;
	}
	if (n != OBG_REG_PC && n != OBG_REG_CPSR) {
		obh_thread_set_reg(g->h, t, reg_id(n), v);
		return 0;
	}
	/* PC and CPSR cannot be written into a saved context (Unicorn derives
	 * state from them through the live CPU): go through the engine, which
	 * holds nobody's registers between slices. Writing PC keeps the
	 * thread's state (ARM or Thumb); writing CPSR's T bit changes it. */
	if (n == OBG_REG_PC)
		v = (v & ~1u) | ((cpsr & 0x20) ? 1u : 0u);
	if (n == OBG_REG_CPSR)
		v = (v & ~0x1fu) | 0x10u; /* the guest stays in User mode */
	uc_context_restore(g->h->uc, t->ctx);
	uc_reg_write(g->h->uc, reg_id(n), &v);
	uc_context_save(g->h->uc, t->ctx);
	return 0;
}

static long t_read_mem(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
	struct obh_gdb *g = ctx;
	if ((uint64_t)addr + len > 0x100000000ull)
		len = (uint32_t)(0x100000000ull - addr);
	if (obh_mem_peek(g->h->mem, addr, buf, len) == 0)
		return len;
	/* Partly mapped: what there is up to the first hole. */
	uint32_t n = 0;
	while (n < len && obh_mem_peek(g->h->mem, addr + n, (uint8_t *)buf + n, 1) == 0)
		n++;
	return n ? (long)n : -EFAULT;
}

static int t_write_mem(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
	struct obh_gdb *g = ctx;
	if ((uint64_t)addr + len > 0x100000000ull)
		return -EFAULT;
	/* Ignores write protection as a debugger may (patching code); a write
	 * into code drops its translations. */
	return obh_mem_poke(g->h->mem, addr, buf, len) ? -EFAULT : 0;
}

static int t_point(void *ctx, enum obg_point type, uint32_t addr, uint32_t kind, bool insert)
{
	return obg_point(ctx, type, addr, kind, insert);
}

static uint32_t t_load_bias(void *ctx)
{
	struct obh_gdb *g = ctx;
	return obg_symbols_bias(g->symbols);
}

const struct obg_target_ops obg_host_ops = {
	.size = sizeof(struct obg_target_ops),
	.send = t_send,
	.threads = t_threads,
	.thread_name = t_thread_name,
	.thread_state = t_thread_state,
	.read_regs = t_read_regs,
	.write_reg = t_write_reg,
	.read_mem = t_read_mem,
	.write_mem = t_write_mem,
	.point = t_point,
	.load_bias = t_load_bias,
};
