/*
 * Breakpoints, watchpoints and single steps, done in the host with
 * Unicorn hooks: nothing is ever written into guest memory, and nothing
 * is installed while no point or step needs it, so a run without --gdb,
 * or with gdb attached and no points set, runs at full speed.
 *
 * - A breakpoint is a UC_HOOK_CODE hook bounded to its one address.
 *   Unicorn checks a code hook's range when it translates, so no other
 *   instruction pays for it. The hook runs before the instruction, with PC
 *   synced to it, and uc_emu_stop there leaves the instruction unexecuted
 *   (Unicorn exits the block right after the hook). ARM and Thumb alike:
 *   the hook sees the instruction's address without the Thumb bit.
 * - A step and every watchpoint need the full-range code hook: the step
 *   to stop before the stepping thread's second instruction, the watch so
 *   that PC names the accessing instruction (Unicorn syncs PC only where a
 *   code hook runs).
 * - A watchpoint is a UC_HOOK_MEM_READ/WRITE hook over its range. The
 *   hook runs before the access; the engine stops right after it, before
 *   the instruction writes any register. A watched write has then already
 *   reached memory: hooks.c keeps the old bytes and obg_watch_undo puts
 *   them back, so the guest stops *before* the accessing instruction, as
 *   gdb expects on ARM (its watchpoints are "non-steppable": gdb steps
 *   over the instruction itself and then compares the values).
 *
 * Every change of hooks drops the translated code of the affected
 * addresses, since Unicorn decides at translation time which hooks a
 * block calls.
 */
#include <errno.h>
#include <string.h>

#include "mem.h"
#include "outboard/log.h"
#include "scheduler.h"
#include "stub_priv.h"

#define CAT "gdb"

static uint32_t live_tid(struct obh_gdb *g)
{
	struct obh_thread *t = obh_sched_current(g->h);
	return t ? t->id : 0;
}

/* Drop the translations of every executable region. */
static void flush_code(struct obh_gdb *g)
{
	struct obh_mem *m = g->h->mem;
	for (size_t i = 0; i < obh_mem_region_count(m); i++) {
		const struct obh_region *r = obh_mem_region(m, i);
		if (r->prot & OBH_PROT_X)
			uc_ctl_remove_cache(g->h->uc, r->start, obh_region_end(r));
	}
}

static void stop_engine(struct obh_gdb *g, enum obg_stop why)
{
	g->stop = why;
	g->stop_tid = live_tid(g);
	obh_host_stop(g->h);
}

/* ---- breakpoints ---- */

static void on_break(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct obh_gdb *g = user;
	(void)uc;
	(void)addr;
	(void)size;
	if (g->stop == OBG_STOP_NONE)
		stop_engine(g, OBG_STOP_BREAK);
}

static int break_insert(struct obh_gdb *g, uint32_t addr, uint32_t kind)
{
	if (kind != 2 && kind != 3 && kind != 4)
		return -EINVAL; /* 2: Thumb, 3: 32-bit Thumb, 4: ARM */
	if (obh_mem_check(g->h->mem, addr, kind == 2 ? 2 : 4, OBH_PROT_X))
		return -EFAULT; /* not code: gdb says it cannot insert it */
	for (int i = 0; i < g->nbreaks; i++)
		if (g->breaks[i].addr == addr)
			return 0; /* gdb may insert the same address twice */
	if (g->nbreaks == OBG_MAX_BREAKS)
		return -ENOSPC;
	struct obg_break *b = &g->breaks[g->nbreaks];
	if (uc_hook_add(g->h->uc, &b->hook, UC_HOOK_CODE, (void *)on_break, g, addr, addr) !=
	    UC_ERR_OK)
		return -ENOMEM;
	b->addr = addr;
	g->nbreaks++;
	uc_ctl_remove_cache(g->h->uc, addr, (uint64_t)addr + 4);
	return 0;
}

static int break_remove(struct obh_gdb *g, uint32_t addr)
{
	for (int i = 0; i < g->nbreaks; i++) {
		if (g->breaks[i].addr != addr)
			continue;
		uc_hook_del(g->h->uc, g->breaks[i].hook);
		g->breaks[i] = g->breaks[--g->nbreaks];
		uc_ctl_remove_cache(g->h->uc, addr, (uint64_t)addr + 4);
		return 0;
	}
	return -ENOENT;
}

/* ---- the full-range code hook: steps, and PC for watchpoints ---- */

static void on_code(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct obh_gdb *g = user;
	(void)uc;
	(void)addr;
	(void)size;
	if (!g->stepping || live_tid(g) != g->step_tid)
		return; /* other threads run freely during a step */
	if (!g->step_started) {
		g->step_started = true; /* its one instruction: let it run */
		return;
	}
	if (g->stop == OBG_STOP_NONE)
		stop_engine(g, OBG_STOP_STEP);
}

static int code_hook_update(struct obh_gdb *g)
{
	bool want = g->stepping || g->nwatches > 0;
	if (want == (g->code_hook != 0))
		return 0;
	if (want) {
		if (uc_hook_add(g->h->uc, &g->code_hook, UC_HOOK_CODE, (void *)on_code, g, 1, 0) !=
		    UC_ERR_OK) {
			g->code_hook = 0;
			return -ENOMEM;
		}
	} else {
		uc_hook_del(g->h->uc, g->code_hook);
		g->code_hook = 0;
	}
	flush_code(g);
	return 0;
}

int obg_step_begin(struct obh_gdb *g, uint32_t tid)
{
	g->stepping = true;
	g->step_tid = tid;
	g->step_started = false;
	int err = code_hook_update(g);
	if (err)
		g->stepping = false;
	return err;
}

void obg_step_end(struct obh_gdb *g)
{
	if (!g->stepping)
		return;
	g->stepping = false;
	code_hook_update(g);
}

/* ---- watchpoints ---- */

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return (uint64_t)a < (uint64_t)b + blen && (uint64_t)b < (uint64_t)a + alen;
}

static void on_access(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
		      void *user)
{
	struct obh_gdb *g = user;
	bool write = type == UC_MEM_WRITE;
	(void)value;
	if (g->stop != OBG_STOP_NONE)
		return;
	for (int i = 0; i < g->nwatches; i++) {
		const struct obg_watch *w = &g->watches[i];
		bool kind_ok = w->type == OBG_WP_ACCESS || (w->type == OBG_WP_WRITE) == write;
		if (!kind_ok || !overlaps((uint32_t)addr, (uint32_t)size, w->addr, w->len))
			continue;
		g->watch_kind = w->type == OBG_WP_WRITE ? "watch"
				: w->type == OBG_WP_READ ? "rwatch" : "awatch";
		g->watch_addr = (uint32_t)addr > w->addr ? (uint32_t)addr : w->addr;
		g->undo_len = 0;
		if (write && size > 0 && (size_t)size <= sizeof(g->undo) &&
		    uc_mem_read(uc, addr, g->undo, (size_t)size) == UC_ERR_OK) {
			g->undo_addr = (uint32_t)addr;
			g->undo_len = (uint32_t)size;
		}
		stop_engine(g, OBG_STOP_WATCH);
		return;
	}
}

void obg_watch_undo(struct obh_gdb *g)
{
	if (g->undo_len && obh_mem_poke(g->h->mem, g->undo_addr, g->undo, g->undo_len))
		OB_WARN(CAT, "cannot restore 0x%08x after a watched write", g->undo_addr);
	g->undo_len = 0;
}

static int watch_insert(struct obh_gdb *g, enum obg_point type, uint32_t addr, uint32_t len)
{
	if (len == 0 || (uint64_t)addr + len > 0x100000000ull)
		return -EINVAL;
	if (g->nwatches == OBG_MAX_WATCHES)
		return -ENOSPC;
	struct obg_watch *w = &g->watches[g->nwatches];
	*w = (struct obg_watch){ .addr = addr, .len = len, .type = type };
	/* Unicorn matches a memory hook's range against the access's first
	 * byte: start the range early enough for a wide access that overlaps. */
	uint64_t lo = addr >= 7 ? addr - 7 : 0, hi = (uint64_t)addr + len - 1;
	int kinds[2] = { type != OBG_WP_WRITE ? UC_HOOK_MEM_READ : 0,
			 type != OBG_WP_READ ? UC_HOOK_MEM_WRITE : 0 };
	for (int k = 0; k < 2; k++) {
		if (kinds[k] && uc_hook_add(g->h->uc, &w->hook[k], kinds[k], (void *)on_access, g,
					    lo, hi) != UC_ERR_OK) {
			if (w->hook[0])
				uc_hook_del(g->h->uc, w->hook[0]);
			return -ENOMEM;
		}
	}
	g->nwatches++;
	int err = code_hook_update(g);
	if (err) {
		g->nwatches--;
		for (int k = 0; k < 2; k++)
			if (w->hook[k])
				uc_hook_del(g->h->uc, w->hook[k]);
	}
	return err;
}

static int watch_remove(struct obh_gdb *g, enum obg_point type, uint32_t addr, uint32_t len)
{
	for (int i = 0; i < g->nwatches; i++) {
		struct obg_watch *w = &g->watches[i];
		if (w->addr != addr || w->len != len || w->type != type)
			continue;
		for (int k = 0; k < 2; k++)
			if (w->hook[k])
				uc_hook_del(g->h->uc, w->hook[k]);
		*w = g->watches[--g->nwatches];
		return code_hook_update(g);
	}
	return -ENOENT;
}

int obg_point(struct obh_gdb *g, enum obg_point type, uint32_t addr, uint32_t len, bool insert)
{
	switch (type) {
	case OBG_BP_SW:
	case OBG_BP_HW:
		return insert ? break_insert(g, addr, len) : break_remove(g, addr);
	case OBG_WP_WRITE:
	case OBG_WP_READ:
	case OBG_WP_ACCESS:
		return insert ? watch_insert(g, type, addr, len) : watch_remove(g, type, addr, len);
	}
	return -EINVAL;
}

void obg_points_clear(struct obh_gdb *g)
{
	while (g->nbreaks)
		break_remove(g, g->breaks[0].addr);
	while (g->nwatches) {
		struct obg_watch *w = &g->watches[0];
		watch_remove(g, w->type, w->addr, w->len);
	}
	obg_step_end(g);
}
