/*
 * Mutexes (optionally recursive, owner-checked) and counting semaphores.
 * Waiters queue by priority, FIFO within a priority; ownership passes
 * directly to the first waiter, so a released mutex cannot be stolen by a
 * thread that was not waiting.
 */
#include <stdlib.h>

#include "kcalls.h"
#include "kobjs.h"
#include "outboard/errno.h"
#include "outboard/log.h"

#define OB_MUTEX_RECURSIVE 1u

int64_t k_mutex_create(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	(void)t;
	if (a->v[0] & ~OB_MUTEX_RECURSIVE)
		return -OB_ABI_EINVAL;
	int32_t handle;
	struct obh_kobj *o = obh_kobj_new(h->kobjs, OBH_KOBJ_MUTEX, &handle);
	if (!o)
		return -OB_ABI_ENFILE;
	o->u.mutex.recursive = a->v[0] & OB_MUTEX_RECURSIVE;
	return handle;
}

int64_t k_mutex_lock(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_kobj *o = obh_kobj_get(h, t, (int32_t)a->v[0], OBH_KOBJ_MUTEX);
	if (!o)
		return -OB_ABI_EBADF;
	struct obh_mutex *m = &o->u.mutex;
	if (!m->owner) {
		m->owner = t;
		m->depth = 1;
		return 0;
	}
	if (m->owner == t) {
		if (!m->recursive) {
			OB_GUEST_ERROR("kernel", "thread %u locks %s it already holds", t->id,
				       o->what);
			return -OB_ABI_EDEADLK;
		}
		m->depth++;
		return 0;
	}
	/* When woken with 0 the mutex is already ours (see unlock). */
	return obh_kobj_wait(h, t, &m->waiters, (int32_t)a->v[1], o->what);
}

int64_t k_mutex_unlock(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_kobj *o = obh_kobj_get(h, t, (int32_t)a->v[0], OBH_KOBJ_MUTEX);
	if (!o)
		return -OB_ABI_EBADF;
	struct obh_mutex *m = &o->u.mutex;
	if (m->owner != t) {
		OB_GUEST_ERROR("kernel", "thread %u unlocks %s it does not hold", t->id, o->what);
		return -OB_ABI_EPERM;
	}
	if (--m->depth)
		return 0;
	m->owner = obh_waitq_pop(&m->waiters);
	if (m->owner) {
		m->depth = 1;
		obh_sched_wake(h, m->owner, 0);
	}
	return 0;
}

int64_t k_sem_create(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	(void)t;
	uint32_t initial = a->v[0], max = a->v[1];
	if (max == 0 || initial > max)
		return -OB_ABI_EINVAL;
	int32_t handle;
	struct obh_kobj *o = obh_kobj_new(h->kobjs, OBH_KOBJ_SEM, &handle);
	if (!o)
		return -OB_ABI_ENFILE;
	o->u.sem.count = initial;
	o->u.sem.max = max;
	return handle;
}

int64_t k_sem_wait(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_kobj *o = obh_kobj_get(h, t, (int32_t)a->v[0], OBH_KOBJ_SEM);
	if (!o)
		return -OB_ABI_EBADF;
	struct obh_sem *s = &o->u.sem;
	if (s->count) {
		s->count--;
		return 0;
	}
	/* Woken with 0 by a post that handed its count straight to us. */
	return obh_kobj_wait(h, t, &s->waiters, (int32_t)a->v[1], o->what);
}

int64_t k_sem_post(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_kobj *o = obh_kobj_get(h, t, (int32_t)a->v[0], OBH_KOBJ_SEM);
	if (!o)
		return -OB_ABI_EBADF;
	struct obh_sem *s = &o->u.sem;
	struct obh_thread *w = obh_waitq_pop(&s->waiters);
	if (w) {
		obh_sched_wake(h, w, 0);
		return 0;
	}
	if (s->count == s->max)
		return -OB_ABI_EOVERFLOW;
	s->count++;
	return 0;
}
