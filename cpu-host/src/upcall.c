/*
 * Upcalls and timers (see upcall.h).
 */
#include "upcall.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "kernel/kcalls.h"
#include "kernel/kobjs.h"
#include "mem.h"
#include "outboard/errno.h"
#include "outboard/log.h"

#define MIN_PERIOD_MS 1u
/* Room left below the interrupted sp, so a leaf function's unsaved data
 * below its sp (there is no red zone in AAPCS, but be generous) survives. */
#define FRAME_GAP 64u

void obh_upcalls_enable(struct obh_host *h)
{
	/* A timer or handler needs the block hook (slicing.h), which is
	 * installed between slices: end this one now, or a thread that never
	 * traps again would never reach a safe point. */
	if (!h->slicing)
		obh_host_stop(h);
}

void obh_upcall_wanted(struct obh_host *h, struct obh_thread *t)
{
	/* Events and timers are handled between slices, so t is not running
	 * now; if it is (a call made from its own hook), end the slice. */
	if (t == obh_sched_current(h) && t->state == OBH_T_RUNNING)
		obh_host_stop(h);
}

/* ---- timers ---- */

static struct obh_timer *timer_of(struct obh_host *h, struct obh_thread *t, int32_t handle)
{
	struct obh_kobj *o = obh_kobj_get(h, t, handle, OBH_KOBJ_TIMER);
	return o ? &o->u.timer : NULL;
}

int64_t k_timer_start(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	uint32_t period = a->v[0], fn = a->v[1];
	if (period < MIN_PERIOD_MS)
		return -OB_ABI_EINVAL;
	if (obh_mem_check(h->mem, fn & ~1u, 2, OBH_PROT_X)) {
		OB_GUEST_ERROR("timer", "thread %u: timer function 0x%08x is not code", t->id, fn);
		return -OB_ABI_EFAULT;
	}
	int32_t handle;
	struct obh_kobj *o = obh_kobj_new(h->kobjs, OBH_KOBJ_TIMER, &handle);
	if (!o)
		return -OB_ABI_ENFILE;
	struct obh_timer *tm = &o->u.timer;
	tm->period_ns = (int64_t)period * 1000000;
	tm->next_ns = obh_now_ns() + tm->period_ns;
	tm->fn = fn;
	tm->arg = a->v[2];
	tm->owner = t;
	tm->handle = handle;
	tm->next = h->timers;
	h->timers = tm;
	obh_upcalls_enable(h);
	return handle;
}

void obh_timer_unlink(struct obh_host *h, struct obh_timer *tm)
{
	for (struct obh_timer **pp = &h->timers; *pp; pp = &(*pp)->next) {
		if (*pp == tm) {
			*pp = tm->next;
			return;
		}
	}
}

int64_t k_timer_stop(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_timer *tm = timer_of(h, t, (int32_t)a->v[0]);
	if (!tm)
		return -OB_ABI_EBADF;
	obh_timer_unlink(h, tm);
	obh_kobj_free(h->kobjs, tm->handle);
	return 0;
}

int64_t obh_timers_next(struct obh_host *h)
{
	int64_t next = INT64_MAX;
	for (struct obh_timer *tm = h->timers; tm; tm = tm->next)
		if (tm->next_ns < next)
			next = tm->next_ns;
	return next;
}

void obh_timers_expire(struct obh_host *h, int64_t now)
{
	for (struct obh_timer *tm = h->timers; tm; tm = tm->next) {
		if (tm->next_ns > now)
			continue;
		/* Count every period that passed: none is lost, none doubled. */
		int64_t missed = (now - tm->next_ns) / tm->period_ns + 1;
		tm->pending += (uint32_t)missed;
		tm->next_ns += missed * tm->period_ns;
		obh_upcall_wanted(h, tm->owner);
	}
}

/* ---- entering and leaving ---- */

static struct obh_timer *due_timer(struct obh_host *h, struct obh_thread *t)
{
	for (struct obh_timer *tm = h->timers; tm; tm = tm->next)
		if (tm->owner == t && tm->pending)
			return tm;
	return NULL;
}

/* Set up registers for fn(r0, r1) returning to the upcall backstop. */
static void enter(struct obh_host *h, uint32_t fn, uint32_t r0, uint32_t r1, uint32_t sp)
{
	uint32_t lr = OBH_BACKSTOP_UPCALL;
	uc_reg_write(h->uc, UC_ARM_REG_R0, &r0);
	uc_reg_write(h->uc, UC_ARM_REG_R1, &r1);
	uc_reg_write(h->uc, UC_ARM_REG_SP, &sp);
	uc_reg_write(h->uc, UC_ARM_REG_LR, &lr);
	uc_reg_write(h->uc, UC_ARM_REG_PC, &fn); /* bit 0 selects Thumb */
}

static int frame_fault(struct obh_host *h, uint32_t sp)
{
	h->fault = (struct obh_fault){ .pending = true, .signal = SIGSEGV,
				       .kind = "upcall frame does not fit the thread's stack",
				       .addr = sp, .has_addr = true };
	return -EFAULT;
}

int obh_upcall_begin(struct obh_host *h, struct obh_thread *t)
{
	if (t->upcall_saved || t->state == OBH_T_DEAD)
		return 0;
	uint32_t fn = 0, arg = 0, r0 = 0;
	struct obh_event ev;
	bool is_event = false;
	struct obh_timer *tm = NULL;
	if (obh_events_handler(h->events, &fn, &arg) == t && obh_events_pop(h->events, &ev))
		is_event = true;
	else if ((tm = due_timer(h, t)) != NULL)
		fn = tm->fn, r0 = tm->arg;
	else
		return 0;

	uint32_t sp;
	uc_reg_read(h->uc, UC_ARM_REG_SP, &sp);
	sp = (sp - FRAME_GAP - obh_event_guest_size()) & ~7u;
	if (is_event) {
		if (obh_event_store(h, sp, &ev))
			return frame_fault(h, sp);
		r0 = sp;
	} else {
		tm->pending--;
		if (obh_mem_check(h->mem, sp, 8, OBH_PROT_W))
			return frame_fault(h, sp);
	}
	if (uc_context_alloc(h->uc, &t->upcall_saved) != UC_ERR_OK) {
		t->upcall_saved = NULL;
		return 0; /* try again at the next safe point */
	}
	uc_context_save(h->uc, t->upcall_saved);
	enter(h, fn, r0, arg, sp);
	return 0;
}

void obh_upcall_return(struct obh_host *h, struct obh_thread *t)
{
	if (!t->upcall_saved) {
		h->fault = (struct obh_fault){ .pending = true, .signal = SIGSEGV,
					       .kind = "return to the upcall backstop outside an upcall" };
		obh_host_stop(h);
		return;
	}
	t->upcall_returned = true;
	obh_host_stop(h);
}

void obh_upcall_after_slice(struct obh_host *h, struct obh_thread *t)
{
	if (!t->upcall_returned)
		return;
	/* The whole interrupted context comes back, registers and flags. */
	uc_context_restore(h->uc, t->upcall_saved);
	uc_context_save(h->uc, t->ctx);
	uc_context_free(t->upcall_saved);
	t->upcall_saved = NULL;
	t->upcall_returned = false;
}

void obh_upcall_thread_gone(struct obh_host *h, struct obh_thread *t)
{
	if (t->upcall_saved)
		uc_context_free(t->upcall_saved);
	t->upcall_saved = NULL;
	t->upcall_returned = false;
	struct obh_timer *tm = h->timers;
	while (tm) {
		struct obh_timer *next = tm->next;
		if (tm->owner == t) {
			OB_GUEST_ERROR("timer", "thread %u exited with timer %d running; stopping it",
				       t->id, tm->handle);
			obh_timer_unlink(h, tm);
			obh_kobj_free(h->kobjs, tm->handle);
		}
		tm = next;
	}
	obh_events_thread_gone(h, t);
}
