/*
 * Thread calls: create, exit, join, yield, sleep, self, priorities.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>

#include "kcalls.h"
#include "kobjs.h"
#include "mem.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "thread.h"
#include "upcall.h"

#define DEFAULT_STACK (64u << 10)
#define MIN_STACK (4u << 10)
#define MAX_STACK (8u << 20)
#define PAGE 4096u

/* A joiner's parameters, in its wait_arg words. */
enum { W_STATUS_ADDR };

int obh_thread_spawn(struct obh_host *h, uint32_t entry, uint32_t arg, int prio,
		     uint32_t stack_size, struct obh_thread **out)
{
	uint32_t lo, hi;
	char name[32];
	static uint32_t seq;
	snprintf(name, sizeof(name), "stack:%u", ++seq);
	int err = obh_mem_alloc_stack(h->mem, stack_size, name, &lo, &hi);
	if (err)
		return err;
	struct obh_thread *t = obh_thread_new(h, entry, arg, hi & ~7u, prio, &err);
	if (!t) {
		obh_mem_free_stack(h->mem, lo);
		return err;
	}
	t->stack_lo = lo;
	t->stack_hi = hi;
	*out = t;
	return 0;
}

int64_t k_thread_create(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	uint32_t entry = a->v[0], size = a->v[3];
	int32_t prio = (int32_t)a->v[2];
	if (prio < 0 || prio >= OBH_PRIO_LEVELS)
		return -OB_ABI_EINVAL;
	if (obh_mem_check(h->mem, entry & ~1u, 2, OBH_PROT_X)) {
		OB_GUEST_ERROR("kernel", "thread %u: thread_create entry 0x%08x is not code", t->id,
			       entry);
		return -OB_ABI_EFAULT;
	}
	if (!size)
		size = DEFAULT_STACK;
	if (size < MIN_STACK || size > MAX_STACK)
		return -OB_ABI_EINVAL;
	size = (size + PAGE - 1) & ~(PAGE - 1);
	struct obh_thread *n;
	int err = obh_thread_spawn(h, entry, a->v[1], prio, size, &n);
	if (err)
		return err == -ENOMEM ? -OB_ABI_ENOMEM : -OB_ABI_EAGAIN;
	n->tls_value = t->tls_value; /* newlib's shared reent until it sets its own */
	if (n->prio < t->prio)
		obh_host_stop(h); /* the new thread outranks us: let it run now */
	return n->id;
}

void obh_thread_finish(struct obh_host *h, struct obh_thread *t, int status)
{
	obh_kobjs_thread_gone(h, t);
	obh_upcall_thread_gone(h, t);
	for (struct obh_thread *j = t->joiners.head; j; j = j->next_q) {
		uint32_t addr = j->wait_arg[W_STATUS_ADDR];
		uint32_t st = (uint32_t)status;
		if (addr && obh_mem_write(h->mem, addr, &st, 4))
			OB_GUEST_ERROR("kernel", "thread %u: join status pointer 0x%08x is not writable",
				       j->id, addr);
		t->joined = true;
	}
	obh_sched_exit_thread(h, t, status);
}

int64_t k_thread_exit(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	obh_thread_finish(h, t, (int32_t)a->v[0]);
	return OBH_GONE;
}

int64_t k_thread_join(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_thread *target = obh_thread_by_id(h, a->v[0]);
	uint32_t status_addr = a->v[1];
	if (!target || target->joined)
		return -OB_ABI_EINVAL;
	if (target == t)
		return -OB_ABI_EDEADLK;
	if (target->state == OBH_T_DEAD) {
		uint32_t st = (uint32_t)target->exit_status;
		if (status_addr && obh_mem_write(h->mem, status_addr, &st, 4))
			return -OB_ABI_EFAULT;
		target->joined = true;
		obh_sched_reap(h, target);
		return 0;
	}
	t->wait_arg[W_STATUS_ADDR] = status_addr;
	return obh_kobj_wait(h, t, &target->joiners, (int32_t)a->v[2], "join");
}

int64_t k_thread_yield(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	(void)a;
	obh_sched_yield(h, t);
	return 0;
}

int64_t k_thread_sleep(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	if (a->v[0] == 0) {
		obh_sched_yield(h, t);
		return 0;
	}
	obh_sched_sleep(h, t, (int64_t)a->v[0] * 1000000);
	return OBH_BLOCKED;
}

int64_t k_thread_self(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	(void)h;
	(void)a;
	return t->id;
}

int64_t k_thread_set_priority(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	int32_t prio = (int32_t)a->v[1];
	struct obh_thread *target = a->v[0] ? obh_thread_by_id(h, a->v[0]) : t;
	if (!target || target->state == OBH_T_DEAD)
		return -OB_ABI_EINVAL;
	if (prio < 0 || prio >= OBH_PRIO_LEVELS)
		return -OB_ABI_EINVAL;
	int old = target->prio;
	obh_sched_set_prio(h, target, prio);
	return old;
}
