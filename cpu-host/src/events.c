/*
 * The guest's event queue and its calls (see events.h).
 */
#include "events.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kcalls.h"
#include "layout.h"
#include "mem.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "router.h"
#include "upcall.h"

#define DEFAULT_MASK (~(1u << OB__INPUT_EVENT__KIND__KIND_VSYNC))

struct obh_events {
	struct obh_event ring[OBH_EVENTS_CAPACITY];
	uint32_t head, count;
	uint32_t mask;
	uint64_t delivered, dropped;
	struct obh_waitq waiters;       /* threads in input_wait; wait_arg[0]: buffer */
	struct obh_thread *handler;     /* input_set_handler's thread */
	uint32_t handler_fn, handler_arg;
};

int obh_events_create(struct obh_events **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)->mask = DEFAULT_MASK;
	return 0;
}

void obh_events_destroy(struct obh_events *e)
{
	free(e);
}

uint32_t obh_event_guest_size(void)
{
	return obh_layout_size(&ob__input_event__descriptor);
}

int obh_event_store(struct obh_host *h, uint32_t addr, const struct obh_event *ev)
{
	Ob__InputEvent m = OB__INPUT_EVENT__INIT;
	uint8_t buf[64];
	m.kind = (Ob__InputEvent__Kind)ev->kind;
	m.key = ev->key;
	m.x = ev->x;
	m.y = ev->y;
	m.time_ms = ev->time_ms;
	obh_layout_encode(&ob__input_event__descriptor, &m.base, buf);
	return obh_mem_write(h->mem, addr, buf, obh_event_guest_size()) ? -EFAULT : 0;
}

bool obh_events_wanted(const struct obh_events *e, uint32_t kind)
{
	return kind < 32 && (e->mask & (1u << kind));
}

bool obh_events_pop(struct obh_events *e, struct obh_event *ev)
{
	if (!e->count)
		return false;
	*ev = e->ring[e->head];
	e->head = (e->head + 1) % OBH_EVENTS_CAPACITY;
	e->count--;
	e->delivered++;
	return true;
}

void obh_events_push(struct obh_host *h, const struct obh_event *ev)
{
	struct obh_events *e = h->events;
	if (!obh_events_wanted(e, ev->kind))
		return;
	struct obh_thread *w = obh_waitq_pop(&e->waiters);
	if (w) {
		e->delivered++;
		int err = obh_event_store(h, w->wait_arg[0], ev);
		obh_sched_wake(h, w, err ? -OB_ABI_EFAULT : 1);
		return;
	}
	if (e->count == OBH_EVENTS_CAPACITY) {
		/* Full: the oldest goes, so the guest sees the newest input. */
		e->head = (e->head + 1) % OBH_EVENTS_CAPACITY;
		e->count--;
		if (e->dropped++ == 0)
			OB_WARN("events", "the guest's event queue is full (%u): dropping the "
					  "oldest events (input_stats counts them)",
				OBH_EVENTS_CAPACITY);
	}
	e->ring[(e->head + e->count) % OBH_EVENTS_CAPACITY] = *ev;
	e->count++;
	if (e->handler)
		obh_upcall_wanted(h, e->handler);
}

struct obh_thread *obh_events_handler(struct obh_events *e, uint32_t *fn, uint32_t *arg)
{
	*fn = e->handler_fn;
	*arg = e->handler_arg;
	return e->handler;
}

void obh_events_thread_gone(struct obh_host *h, struct obh_thread *t)
{
	struct obh_events *e = h->events;
	if (e->handler == t) {
		e->handler = NULL;
		e->handler_fn = e->handler_arg = 0;
	}
}

int64_t k_input_poll(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_event ev;
	(void)t;
	if (!obh_events_pop(h->events, &ev))
		return 0;
	return obh_event_store(h, a->v[0], &ev) ? -OB_ABI_EFAULT : 1;
}

int64_t k_input_wait(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	int64_t r = k_input_poll(h, t, a);
	if (r)
		return r;
	if ((int32_t)a->v[1] == 0)
		return -OB_ABI_EAGAIN;
	/* Input on demand (input-null: it never sends an event) starts when a
	 * thread first waits for one, so that the wait is one for input, not
	 * a deadlock (run.c, may_wake_later); a poll only looks at the queue. */
	obh_router_want(h->router, OBH_DOMAIN_INPUT);
	t->wait_arg[0] = a->v[0];
	obh_sched_block(h, t, OBH_W_EVENT, &h->events->waiters, (int32_t)a->v[1], "an event");
	return OBH_BLOCKED;
}

int64_t k_input_set_handler(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_events *e = h->events;
	uint32_t fn = a->v[0];
	if (fn && obh_mem_check(h->mem, fn & ~1u, 2, OBH_PROT_X)) {
		OB_GUEST_ERROR("events", "thread %u: handler 0x%08x is not code", t->id, fn);
		return -OB_ABI_EFAULT;
	}
	if (fn && e->handler && e->handler != t)
		return -OB_ABI_EBUSY;
	if (fn) /* a handler waits for events too (input_wait's comment) */
		obh_router_want(h->router, OBH_DOMAIN_INPUT);
	e->handler = fn ? t : NULL;
	e->handler_fn = fn;
	e->handler_arg = fn ? a->v[1] : 0;
	if (fn) {
		obh_upcalls_enable(h);
		if (e->count)
			obh_upcall_wanted(h, t);
	}
	return 0;
}

int64_t k_input_stats(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_events *e = h->events;
	Ob__InputStats st = OB__INPUT_STATS__INIT;
	uint8_t buf[64];
	(void)t;
	st.queued = e->count;
	st.capacity = OBH_EVENTS_CAPACITY;
	st.delivered = e->delivered;
	st.dropped = e->dropped;
	obh_layout_encode(&ob__input_stats__descriptor, &st.base, buf);
	if (obh_mem_write(h->mem, a->v[0], buf, obh_layout_size(&ob__input_stats__descriptor)))
		return -OB_ABI_EFAULT;
	return 0;
}

int64_t k_input_set_mask(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	(void)t;
	uint32_t old = h->events->mask;
	h->events->mask = a->v[0];
	return (int32_t)old;
}
