/*
 * The kernel object table (see kobjs.h).
 */
#include "kobjs.h"

#include "kcalls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "outboard/errno.h"
#include "outboard/log.h"

struct obh_kobjs {
	struct obh_kobj *objs[OBH_MAX_KOBJS]; /* index = handle; 0 unused */
	int32_t next_hint;
};

static const char *const kind_names[] = {
	[OBH_KOBJ_FREE] = "free", [OBH_KOBJ_MUTEX] = "mutex", [OBH_KOBJ_SEM] = "semaphore",
	[OBH_KOBJ_EVF] = "event flags", [OBH_KOBJ_QUEUE] = "queue", [OBH_KOBJ_TIMER] = "timer",
};

int obh_kobjs_create(struct obh_kobjs **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)->next_hint = 1;
	return 0;
}

void obh_kobjs_destroy(struct obh_kobjs *k)
{
	if (!k)
		return;
	for (int i = 0; i < OBH_MAX_KOBJS; i++) {
		if (k->objs[i] && k->objs[i]->kind == OBH_KOBJ_QUEUE)
			free(k->objs[i]->u.queue.slots);
		free(k->objs[i]);
	}
	free(k);
}

struct obh_kobj *obh_kobj_new(struct obh_kobjs *k, enum obh_kobj_kind kind, int32_t *handle)
{
	for (int n = 0; n < OBH_MAX_KOBJS - 1; n++) {
		int32_t i = 1 + (k->next_hint - 1 + n) % (OBH_MAX_KOBJS - 1);
		if (k->objs[i])
			continue;
		struct obh_kobj *o = calloc(1, sizeof(*o));
		if (!o)
			return NULL;
		o->kind = kind;
		snprintf(o->what, sizeof(o->what), "%s %d", kind_names[kind], i);
		k->objs[i] = o;
		/* Hand out fresh numbers first, so a stale handle rarely names a new object. */
		k->next_hint = i + 1;
		*handle = i;
		return o;
	}
	return NULL;
}

struct obh_kobj *obh_kobj_get(struct obh_host *h, struct obh_thread *t, int32_t handle,
			      enum obh_kobj_kind kind)
{
	struct obh_kobj *o = NULL;
	if (handle > 0 && handle < OBH_MAX_KOBJS)
		o = h->kobjs->objs[handle];
	if (o && o->kind == kind)
		return o;
	OB_GUEST_ERROR("kernel", "thread %u: handle %d is not a %s", t->id, handle,
		       kind_names[kind]);
	return NULL;
}

struct obh_kobj *obh_kobj_peek(struct obh_kobjs *k, int32_t handle)
{
	return handle > 0 && handle < OBH_MAX_KOBJS ? k->objs[handle] : NULL;
}

void obh_kobj_free(struct obh_kobjs *k, int32_t handle)
{
	if (handle <= 0 || handle >= OBH_MAX_KOBJS)
		return;
	free(k->objs[handle]);
	k->objs[handle] = NULL;
}

int64_t obh_kobj_wait(struct obh_host *h, struct obh_thread *t, struct obh_waitq *q,
		      int32_t timeout_ms, const char *what)
{
	if (timeout_ms == 0)
		return -OB_ABI_EAGAIN;
	obh_sched_block(h, t, OBH_W_OBJECT, q, timeout_ms < 0 ? -1 : timeout_ms, what);
	return OBH_BLOCKED;
}

void obh_kobjs_thread_gone(struct obh_host *h, struct obh_thread *t)
{
	struct obh_kobjs *k = h->kobjs;
	for (int i = 1; i < OBH_MAX_KOBJS; i++) {
		struct obh_kobj *o = k->objs[i];
		if (!o || o->kind != OBH_KOBJ_MUTEX || o->u.mutex.owner != t)
			continue;
		OB_GUEST_ERROR("kernel", "thread %u exited holding %s; releasing it", t->id,
			       o->what);
		struct obh_mutex *m = &o->u.mutex;
		m->owner = obh_waitq_pop(&m->waiters);
		m->depth = m->owner ? 1 : 0;
		if (m->owner)
			obh_sched_wake(h, m->owner, 0);
	}
}

static bool kobj_busy(const struct obh_kobj *o)
{
	switch (o->kind) {
	case OBH_KOBJ_MUTEX:
		return o->u.mutex.owner || !obh_waitq_empty(&o->u.mutex.waiters);
	case OBH_KOBJ_SEM:
		return !obh_waitq_empty(&o->u.sem.waiters);
	case OBH_KOBJ_EVF:
		return !obh_waitq_empty(&o->u.evf.waiters);
	case OBH_KOBJ_QUEUE:
		return !obh_waitq_empty(&o->u.queue.senders) ||
		       !obh_waitq_empty(&o->u.queue.receivers);
	default:
		return false;
	}
}

int64_t k_handle_close(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	int32_t handle = (int32_t)a->v[0];
	struct obh_kobj *o = obh_kobj_peek(h->kobjs, handle);
	if (!o) {
		OB_GUEST_ERROR("kernel", "thread %u closes handle %d, which is not open", t->id,
			       handle);
		return -OB_ABI_EBADF;
	}
	if (kobj_busy(o))
		return -OB_ABI_EBUSY;
	if (o->kind == OBH_KOBJ_QUEUE)
		free(o->u.queue.slots);
	if (o->kind == OBH_KOBJ_TIMER)
		obh_timer_unlink(h, &o->u.timer);
	obh_kobj_free(h->kobjs, handle);
	return 0;
}
