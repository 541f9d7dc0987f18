/*
 * Threads, ready queues, waits and deadlines. The run loop itself is in
 * run.c; this file owns thread state and never touches the engine except
 * through saved contexts.
 */
#include "scheduler.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outboard/errno.h"
#include "outboard/log.h"
#include "mem.h"
#include "scheduler_priv.h"
#include "trace.h"

int64_t obh_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

uint64_t obh_program_ns(const struct obh_host *h)
{
	/* Before the program starts (an event that arrives while the router
	 * still greets the other plugins) its clock reads 0, not the time
	 * since boot. */
	if (!h->start_ns)
		return 0;
	return (uint64_t)(obh_now_ns() - h->start_ns);
}

int obh_sched_create(struct obh_host *h, struct obh_sched **out)
{
	struct obh_sched *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->next_id = 1;
	s->ctx_size = uc_context_size(h->uc);
	/* Threads start from a copy of a fresh engine in User mode, ARM or Thumb.
	 * CPSR cannot be written into a saved context (Unicorn rebuilds derived
	 * state through the live CPU), so it is set here, on the engine. */
	static const uint32_t cpsr[2] = { 0x10, 0x30 };
	for (int i = 0; i < 2; i++) {
		if (uc_context_alloc(h->uc, &s->template_ctx[i]) != UC_ERR_OK) {
			obh_sched_destroy(s);
			return -ENOMEM;
		}
		uc_reg_write(h->uc, UC_ARM_REG_CPSR, &cpsr[i]);
		uc_context_save(h->uc, s->template_ctx[i]);
	}
	*out = s;
	return 0;
}

static void thread_free(struct obh_thread *t)
{
	if (t->ctx)
		uc_context_free(t->ctx);
	if (t->upcall_saved)
		uc_context_free(t->upcall_saved);
	free(t);
}

void obh_sched_destroy(struct obh_sched *s)
{
	if (!s)
		return;
	struct obh_thread *t = s->all;
	while (t) {
		struct obh_thread *next = t->next_all;
		thread_free(t);
		t = next;
	}
	for (int i = 0; i < 2; i++)
		if (s->template_ctx[i])
			uc_context_free(s->template_ctx[i]);
	free(s);
}

/* ---- ready queues ---- */

void obhs_ready_push(struct obh_sched *s, struct obh_thread *t, bool front)
{
	struct obhs_runq *q = &s->ready[t->prio];
	t->state = OBH_T_READY;
	t->next_q = NULL;
	if (!q->head) {
		q->head = q->tail = t;
	} else if (front) {
		t->next_q = q->head;
		q->head = t;
	} else {
		q->tail->next_q = t;
		q->tail = t;
	}
	s->ready_mask |= 1u << t->prio;
}

static void ready_remove(struct obh_sched *s, struct obh_thread *t)
{
	struct obhs_runq *q = &s->ready[t->prio];
	struct obh_thread **pp = &q->head, *prev = NULL;
	while (*pp && *pp != t) {
		prev = *pp;
		pp = &(*pp)->next_q;
	}
	if (!*pp)
		return;
	*pp = t->next_q;
	if (q->tail == t)
		q->tail = prev;
	if (!q->head)
		s->ready_mask &= ~(1u << t->prio);
	t->next_q = NULL;
}

struct obh_thread *obhs_ready_pop(struct obh_sched *s)
{
	if (!s->ready_mask)
		return NULL;
	int prio = __builtin_ctz(s->ready_mask);
	struct obhs_runq *q = &s->ready[prio];
	struct obh_thread *t = q->head;
	q->head = t->next_q;
	if (!q->head) {
		q->tail = NULL;
		s->ready_mask &= ~(1u << prio);
	}
	t->next_q = NULL;
	return t;
}

int obhs_best_ready_prio(const struct obh_sched *s)
{
	return s->ready_mask ? __builtin_ctz(s->ready_mask) : OBH_PRIO_LEVELS;
}

/* ---- wait queues: priority order, FIFO within a priority ---- */

static void waitq_insert(struct obh_waitq *q, struct obh_thread *t)
{
	struct obh_thread **pp = &q->head;
	while (*pp && (*pp)->prio <= t->prio)
		pp = &(*pp)->next_q;
	t->next_q = *pp;
	*pp = t;
}

static void waitq_remove(struct obh_waitq *q, struct obh_thread *t)
{
	for (struct obh_thread **pp = &q->head; *pp; pp = &(*pp)->next_q) {
		if (*pp == t) {
			*pp = t->next_q;
			t->next_q = NULL;
			return;
		}
	}
}

struct obh_thread *obh_waitq_pop(struct obh_waitq *q)
{
	struct obh_thread *t = q->head;
	if (t) {
		q->head = t->next_q;
		t->next_q = NULL;
	}
	return t;
}

bool obh_waitq_empty(const struct obh_waitq *q)
{
	return q->head == NULL;
}

/* ---- threads ---- */

struct obh_thread *obh_thread_new(struct obh_host *h, uint32_t entry, uint32_t arg,
				  uint32_t sp, int prio, int *err)
{
	struct obh_sched *s = h->sched;
	struct obh_thread *t = calloc(1, sizeof(*t));
	if (!t || uc_context_alloc(h->uc, &t->ctx) != UC_ERR_OK) {
		free(t);
		*err = -ENOMEM;
		return NULL;
	}
	memcpy(t->ctx, s->template_ctx[entry & 1], s->ctx_size);

	/* PC cannot be written into a saved context either: the run loop
	 * starts the thread's first slice at start_pc instead. */
	uint32_t lr = OBH_BACKSTOP_THREAD_EXIT;
	t->fresh = true;
	t->start_pc = entry;
	t->start_arg = arg;
	uc_context_reg_write(t->ctx, UC_ARM_REG_SP, &sp);
	uc_context_reg_write(t->ctx, UC_ARM_REG_LR, &lr);
	uc_context_reg_write(t->ctx, UC_ARM_REG_R0, &arg);

	t->id = s->next_id++;
	t->prio = prio;
	t->deadline_ns = INT64_MAX;
	t->next_all = s->all;
	s->all = t;
	s->live_threads++;
	obhs_ready_push(s, t, false);
	return t;
}

struct obh_thread *obh_sched_current(struct obh_host *h)
{
	return h->sched->current;
}

struct obh_thread *obh_sched_first(struct obh_host *h)
{
	return h->sched->all;
}

struct obh_thread *obh_thread_by_id(struct obh_host *h, uint32_t id)
{
	for (struct obh_thread *t = h->sched->all; t; t = t->next_all)
		if (t->id == id)
			return t;
	return NULL;
}

uint32_t obh_thread_reg(struct obh_host *h, struct obh_thread *t, int reg)
{
	uint32_t v = 0;
	if (t->fresh && reg == UC_ARM_REG_PC)
		return t->start_pc & ~1u;
	if (t == h->sched->live)
		uc_reg_read(h->uc, reg, &v);
	else
		uc_context_reg_read(t->ctx, reg, &v);
	return v;
}

void obh_thread_set_reg(struct obh_host *h, struct obh_thread *t, int reg, uint32_t v)
{
	if (t == h->sched->live)
		uc_reg_write(h->uc, reg, &v);
	else
		uc_context_reg_write(t->ctx, reg, &v);
}

void obh_thread_note_call(struct obh_thread *t, uint16_t num, int32_t result, uint32_t pc)
{
	struct obh_recent_call *rc = &t->recent[t->recent_pos++ % OBH_RECENT_CALLS];
	rc->num = num;
	rc->result = result;
	rc->pc = pc;
}

/* ---- blocking and waking ---- */

static void stop_if_running(struct obh_host *h, struct obh_thread *t)
{
	if (t == h->sched->live)
		obh_host_stop(h);
}

void obh_sched_block(struct obh_host *h, struct obh_thread *t, enum obh_wait kind,
		     struct obh_waitq *q, int32_t timeout_ms, const char *what)
{
	t->state = OBH_T_WAITING;
	t->wait = kind;
	t->wait_what = what;
	t->waitq = q;
	t->deadline_ns = timeout_ms < 0 ? INT64_MAX
					: obh_now_ns() + (int64_t)timeout_ms * 1000000;
	if (q)
		waitq_insert(q, t);
	stop_if_running(h, t);
}

void obh_sched_sleep(struct obh_host *h, struct obh_thread *t, int64_t ns)
{
	t->state = OBH_T_WAITING;
	t->wait = OBH_W_SLEEP;
	t->wait_what = "sleep";
	t->waitq = NULL;
	t->deadline_ns = obh_now_ns() + ns;
	stop_if_running(h, t);
}

void obh_sched_wake(struct obh_host *h, struct obh_thread *t, int32_t r0)
{
	struct obh_sched *s = h->sched;
	if (t->state != OBH_T_WAITING)
		return;
	if (t->waitq)
		waitq_remove(t->waitq, t);
	t->waitq = NULL;
	t->wait = OBH_W_NONE;
	t->wait_what = NULL;
	t->wait_data = NULL;
	t->deadline_ns = INT64_MAX;
	obh_trace_resumed(h, t, r0);
	obh_thread_set_reg(h, t, UC_ARM_REG_R0, (uint32_t)r0);
	obhs_ready_push(s, t, false);
	/* A woken thread that outranks the running one takes the CPU now. */
	if (s->live && t->prio < s->live->prio)
		obh_host_stop(h);
}

void obh_sched_yield(struct obh_host *h, struct obh_thread *t)
{
	h->sched->yielded = t;
	stop_if_running(h, t);
}

void obh_sched_exit_thread(struct obh_host *h, struct obh_thread *t, int status)
{
	struct obh_sched *s = h->sched;
	if (t->state == OBH_T_DEAD)
		return;
	if (t->state == OBH_T_READY)
		ready_remove(s, t);
	else if (t->state == OBH_T_WAITING && t->waitq)
		waitq_remove(t->waitq, t);
	t->state = OBH_T_DEAD;
	t->exit_status = status;
	s->live_threads--;
	if (t->id == 1)
		s->main_status = status;
	struct obh_thread *j;
	while ((j = t->joiners.head) != NULL) {
		obh_sched_wake(h, j, 0);
		/* The joiner collects the status itself when it runs again. */
	}
	stop_if_running(h, t);
	/* The stack is released by the run loop once the engine has stopped. */
}

void obh_sched_set_prio(struct obh_host *h, struct obh_thread *t, int prio)
{
	struct obh_sched *s = h->sched;
	if (t->state == OBH_T_READY) {
		ready_remove(s, t);
		t->prio = prio;
		obhs_ready_push(s, t, false);
	} else if (t->state == OBH_T_WAITING && t->waitq) {
		struct obh_waitq *q = t->waitq;
		waitq_remove(q, t);
		t->prio = prio;
		waitq_insert(q, t);
	} else {
		t->prio = prio;
	}
	if (s->live && obhs_best_ready_prio(s) < s->live->prio)
		obh_host_stop(h);
}

void obh_sched_reap(struct obh_host *h, struct obh_thread *t)
{
	struct obh_sched *s = h->sched;
	for (struct obh_thread **pp = &s->all; *pp; pp = &(*pp)->next_all) {
		if (*pp == t) {
			*pp = t->next_all;
			break;
		}
	}
	if (t->stack_lo)
		obh_mem_free_stack(h->mem, t->stack_lo);
	thread_free(t);
}

/* ---- deadlines ---- */

int64_t obhs_next_deadline(const struct obh_sched *s)
{
	int64_t next = INT64_MAX;
	for (const struct obh_thread *t = s->all; t; t = t->next_all)
		if (t->state == OBH_T_WAITING && t->deadline_ns < next)
			next = t->deadline_ns;
	return next;
}

void obhs_expire_deadlines(struct obh_host *h, int64_t now)
{
	for (struct obh_thread *t = h->sched->all; t; t = t->next_all) {
		if (t->state != OBH_T_WAITING || t->deadline_ns > now)
			continue;
		if (t->wait == OBH_W_SLEEP)
			obh_sched_wake(h, t, 0);
		else if (t->wait == OBH_W_OBJECT || t->wait == OBH_W_EVENT)
			obh_sched_wake(h, t, -OB_ABI_ETIMEDOUT);
		/* OBH_W_REPLY deadlines belong to the IPC layer. */
	}
}
