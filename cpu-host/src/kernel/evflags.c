/*
 * Event flags: 32 bits per object. A waiter asks for any or all of a mask;
 * with OB_EVF_AUTO_RESET the bits that satisfied a wait are cleared as it
 * is satisfied (auto reset), otherwise they stay set until evf_clear
 * (manual reset), so one evf_set may release every waiter.
 */
#include "kcalls.h"
#include "kobjs.h"
#include "mem.h"
#include "outboard/errno.h"

#define OB_EVF_AUTO_RESET 1u
#define OB_EVF_ANY 0u
#define OB_EVF_ALL 1u

/* A waiter's parameters, in its wait_arg words. */
enum { W_MASK, W_MODE, W_GOT };

static bool satisfied(uint32_t bits, uint32_t mask, uint32_t mode)
{
	return mode == OB_EVF_ALL ? (bits & mask) == mask : (bits & mask) != 0;
}

/* Consume what a satisfied wait sees; returns the bits seen. */
static uint32_t take(struct obh_evf *e, uint32_t mask)
{
	uint32_t seen = e->bits & mask;
	if (e->auto_reset)
		e->bits &= ~seen;
	return seen;
}

static int64_t store_got(struct obh_host *h, uint32_t addr, uint32_t seen)
{
	if (!addr)
		return 0;
	return obh_mem_write(h->mem, addr, &seen, 4) ? -OB_ABI_EFAULT : 0;
}

int64_t k_evf_create(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	(void)t;
	if (a->v[0] & ~OB_EVF_AUTO_RESET)
		return -OB_ABI_EINVAL;
	int32_t handle;
	struct obh_kobj *o = obh_kobj_new(h->kobjs, OBH_KOBJ_EVF, &handle);
	if (!o)
		return -OB_ABI_ENFILE;
	o->u.evf.auto_reset = a->v[0] & OB_EVF_AUTO_RESET;
	o->u.evf.bits = a->v[1];
	return handle;
}

int64_t k_evf_set(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_kobj *o = obh_kobj_get(h, t, (int32_t)a->v[0], OBH_KOBJ_EVF);
	if (!o)
		return -OB_ABI_EBADF;
	struct obh_evf *e = &o->u.evf;
	e->bits |= a->v[1];
	/* Highest priority first; each satisfied waiter may consume bits. */
	struct obh_thread *w = e->waiters.head;
	while (w) {
		struct obh_thread *next = w->next_q;
		const uint32_t *wa = w->wait_arg;
		if (satisfied(e->bits, wa[W_MASK], wa[W_MODE])) {
			uint32_t seen = take(e, wa[W_MASK]);
			obh_sched_wake(h, w, (int32_t)store_got(h, wa[W_GOT], seen));
		}
		w = next;
	}
	return 0;
}

int64_t k_evf_clear(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_kobj *o = obh_kobj_get(h, t, (int32_t)a->v[0], OBH_KOBJ_EVF);
	if (!o)
		return -OB_ABI_EBADF;
	o->u.evf.bits &= ~a->v[1];
	return 0;
}

int64_t k_evf_wait(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_kobj *o = obh_kobj_get(h, t, (int32_t)a->v[0], OBH_KOBJ_EVF);
	if (!o)
		return -OB_ABI_EBADF;
	uint32_t mask = a->v[1], mode = a->v[2];
	if (!mask || (mode != OB_EVF_ANY && mode != OB_EVF_ALL))
		return -OB_ABI_EINVAL;
	struct obh_evf *e = &o->u.evf;
	if (satisfied(e->bits, mask, mode))
		return store_got(h, a->v[4], take(e, mask));
	t->wait_arg[W_MASK] = mask;
	t->wait_arg[W_MODE] = mode;
	t->wait_arg[W_GOT] = a->v[4];
	return obh_kobj_wait(h, t, &e->waiters, (int32_t)a->v[3], o->what);
}
