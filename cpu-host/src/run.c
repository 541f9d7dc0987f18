/*
 * The run loop (see obh_sched_run in sched.h): pick a thread, run one slice,
 * account for why it stopped, repeat. Between slices it answers plugins
 * (replies wake their threads), expires deadlines, and when nothing is
 * runnable it sleeps in one poll() on the plugin fds and the next deadline.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <signal.h>
#include <stdio.h>

#include "console.h"
#include "engine.h"
#include "fault.h"
#include "gdb/gdb.h"
#include "mem.h"
#include "outboard/log.h"
#include "preempt.h"
#include "router.h"
#include "slicing.h"
#include "upcall.h"
#include "scheduler_priv.h"

#define MAX_POLLFDS 16

void obh_host_stop(struct obh_host *h)
{
	h->stop_requested = true;
	uc_emu_stop(h->uc);
}

void obh_host_exit(struct obh_host *h, int status)
{
	h->exiting = true;
	h->exit_status = status;
	obh_host_stop(h);
}

static int ms_until(int64_t deadline_ns, int64_t now)
{
	if (deadline_ns == INT64_MAX)
		return -1;
	int64_t left = deadline_ns - now;
	if (left <= 0)
		return 0;
	left = (left + 999999) / 1000000;
	return left > INT_MAX ? INT_MAX : (int)left;
}

static void switch_in(struct obh_host *h, struct obh_thread *t)
{
	struct obh_sched *s = h->sched;
	uc_context_restore(h->uc, t->ctx);
	if (h->tls_slot && obh_mem_write(h->mem, h->tls_slot, &t->tls_value, 4))
		OB_GUEST_ERROR("sched", "the tls slot 0x%08x is no longer writable", h->tls_slot);
	int64_t now = obh_now_ns();
	if (t->slice_end_ns <= now)
		t->slice_end_ns = now + OBH_SLICE_NS;
	s->slice_end_ns = t->slice_end_ns;
	s->current = t;
}

static int64_t time_limit_at(const struct obh_host *h)
{
	return h->opts.time_limit_ms ? h->start_ns + (int64_t)h->opts.time_limit_ms * 1000000
				     : INT64_MAX;
}

/* The next moment something is due: a sleeper, a timeout, a timer, the
 * time limit. */
static int64_t next_wakeup(struct obh_host *h)
{
	int64_t a = obhs_next_deadline(h->sched), b = obh_timers_next(h);
	int64_t c = time_limit_at(h), m = a < b ? a : b;
	return m < c ? m : c;
}

/* Why uc_emu_start returned with an error, when no hook said so. */
static void note_engine_error(struct obh_host *h, uc_err err)
{
	if (h->fault.pending)
		return;
	h->fault.pending = true;
	h->fault.signal = err == UC_ERR_INSN_INVALID ? SIGILL : SIGSEGV;
	h->fault.kind = err == UC_ERR_INSN_INVALID ? "undefined instruction" : uc_strerror(err);
}

/* What wakes the idle loop or ends a slice early: the plugin fds, and
 * stdin while a thread waits on it. */
static int gather_pollfds(struct obh_host *h, struct pollfd *pfds)
{
	int n = obh_console_pollfds(h, pfds, MAX_POLLFDS);
	n += obh_router_pollfds(h->router, pfds + n, MAX_POLLFDS - n);
	return n + obh_gdb_pollfds(h, pfds + n, MAX_POLLFDS - n);
}

static void run_slice(struct obh_host *h, struct obh_thread *t)
{
	struct obh_sched *s = h->sched;
	struct pollfd pfds[MAX_POLLFDS];
	int n = gather_pollfds(h, pfds);
	int64_t deadline = next_wakeup(h);
	if (s->slice_end_ns < deadline)
		deadline = s->slice_end_ns;
	obh_slicing_update(h, t, obh_now_ns(), &deadline);
	/* Without the block hook only a trap can end the slice (slicing.h):
	 * the trap hook then looks at the plugin fds itself (preempt.h), and
	 * deadlines are moot. */
	bool watch = h->slicing;
	obh_preempt_trap_watch(h->preempt, pfds, watch ? 0 : n);

	uint32_t pc = t->start_pc, cpsr = 0;
	if (!t->fresh) {
		uc_reg_read(h->uc, UC_ARM_REG_PC, &pc);
		uc_reg_read(h->uc, UC_ARM_REG_CPSR, &cpsr);
		pc |= (cpsr & 0x20) ? 1u : 0u;
	}
	t->fresh = false;

	t->state = OBH_T_RUNNING;
	s->live = t;
	h->stop_requested = false;
	if (watch)
		obh_preempt_arm(h->preempt, h->slicing ? deadline : INT64_MAX, pfds, n);
	uc_err err = obh_engine_run(h, pc);
	if (watch)
		obh_preempt_disarm(h->preempt);
	if (err != UC_ERR_OK)
		note_engine_error(h, err);
	if (t->state != OBH_T_DEAD || h->fault.pending)
		uc_context_save(h->uc, t->ctx);
	s->live = NULL;
	obh_upcall_after_slice(h, t);
}

/* Put the thread that just ran back where it belongs. */
static void after_slice(struct obh_host *h, struct obh_thread *t)
{
	struct obh_sched *s = h->sched;
	if (t->state == OBH_T_RUNNING) {
		bool to_back = s->yielded == t || obh_now_ns() >= s->slice_end_ns;
		if (to_back)
			s->slice_end_ns = t->slice_end_ns = 0;
		obhs_ready_push(s, t, !to_back);
	} else if (t->state == OBH_T_DEAD) {
		if (t->stack_lo) {
			obh_mem_free_stack(h->mem, t->stack_lo);
			t->stack_lo = 0;
		}
		if (s->current == t)
			s->current = NULL;
		if (t->joined)
			obh_sched_reap(h, t);
	}
	s->yielded = NULL;
}

/* Could a waiting thread still be woken by something outside the kernel? */
static bool may_wake_later(struct obh_host *h)
{
	if (obhs_next_deadline(h->sched) != INT64_MAX || h->pending_calls > 0 ||
	    obh_console_waiting(h))
		return true;
	/* An input plugin coming back from a restart, or starting on demand
	 * (the wait asked for it), may still send events. */
	bool events_possible = obh_router_state(h->router, OBH_DOMAIN_INPUT) == OBH_DOMAIN_UP ||
			       obh_router_recovering(h->router, OBH_DOMAIN_INPUT) ||
			       obh_router_state(h->router, OBH_DOMAIN_DISPLAY) == OBH_DOMAIN_UP;
	for (struct obh_thread *t = obh_sched_first(h); t; t = t->next_all)
		if (t->state == OBH_T_WAITING && ((t->wait == OBH_W_EVENT && events_possible) ||
						   t->wait == OBH_W_CREDIT))
			return true;
	return false;
}

/* Nothing is runnable: sleep until a plugin frame, input on stdin for a
 * waiting reader, or the next deadline. */
static void idle_wait(struct obh_host *h)
{
	struct pollfd pfds[MAX_POLLFDS];
	int n = gather_pollfds(h, pfds);
	int timeout = ms_until(next_wakeup(h), obh_now_ns());
	int rt = obh_router_timeout(h->router);
	if (rt >= 0 && (timeout < 0 || rt < timeout))
		timeout = rt;
	if (poll(pfds, (nfds_t)n, timeout) < 0) {
		if (errno != EINTR)
			OB_ERROR("sched", "poll: %s", strerror(errno));
		return;
	}
	obh_router_polled(h->router, pfds, n);
}

int obh_sched_run(struct obh_host *h)
{
	struct obh_sched *s = h->sched;
	for (;;) {
		obh_gdb_check(h);
		obh_router_process(h->router);
		obh_console_process(h);
		int64_t now = obh_now_ns();
		obhs_expire_deadlines(h, now);
		obh_timers_expire(h, now);
		if (now >= time_limit_at(h)) {
			fprintf(stderr, "outboard-cpu: the program ran past its time limit (%d ms); "
					"stopping it\n", h->opts.time_limit_ms);
			return OBH_EXIT_TIME_LIMIT;
		}
		if (h->exiting)
			return h->exit_status;
		if (s->live_threads == 0)
			return s->main_status;

		struct obh_thread *t = obhs_ready_pop(s);
		if (!t) {
			if (!may_wake_later(h)) {
				obh_fault_report_deadlock(h);
				return OBH_EXIT_DEADLOCK;
			}
			idle_wait(h);
			continue;
		}
		switch_in(h, t);
		if (obh_upcall_begin(h, t) == 0)
			run_slice(h, t);
		if (h->fault.pending) {
			obh_gdb_fault(h, t);
			obh_fault_report(h, t);
			return 128 + h->fault.signal;
		}
		after_slice(h, t);
	}
}
