/*
 * Fixed-size message queues. A message goes straight from sender to a
 * waiting receiver when there is one; otherwise it waits in the ring, and a
 * sender finding the ring full waits with its message still in its own
 * memory until a receiver makes room and pulls it in. So order is FIFO and
 * no message is copied twice.
 */
#include <stdlib.h>
#include <string.h>

#include "kcalls.h"
#include "kobjs.h"
#include "mem.h"
#include "outboard/errno.h"

#define MAX_MSG_SIZE 65536u
#define MAX_QUEUE_BYTES (16u << 20)

/* A waiter's parameters, in its wait_arg words. */
enum { W_ADDR, W_LEN };

static uint8_t *slot(struct obh_queue *q, uint32_t i)
{
	return q->slots + (size_t)((q->head + i) % q->capacity) * (4 + q->msg_size);
}

int64_t k_queue_create(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	(void)t;
	uint32_t size = a->v[0], cap = a->v[1];
	if (!size || !cap || size > MAX_MSG_SIZE || (uint64_t)cap * (4 + size) > MAX_QUEUE_BYTES)
		return -OB_ABI_EINVAL;
	int32_t handle;
	struct obh_kobj *o = obh_kobj_new(h->kobjs, OBH_KOBJ_QUEUE, &handle);
	if (!o)
		return -OB_ABI_ENFILE;
	struct obh_queue *q = &o->u.queue;
	q->slots = malloc((size_t)cap * (4 + size));
	if (!q->slots) {
		obh_kobj_free(h->kobjs, handle);
		return -OB_ABI_ENOMEM;
	}
	q->msg_size = size;
	q->capacity = cap;
	return handle;
}

/* Copy a message between two guest buffers (sender -> receiver). */
static int64_t guest_copy(struct obh_host *h, uint32_t dst, uint32_t src, uint32_t len)
{
	uint8_t stack[256];
	uint8_t *buf = len <= sizeof(stack) ? stack : malloc(len);
	if (!buf)
		return -OB_ABI_ENOMEM;
	int64_t r = 0;
	if (len && (obh_mem_read(h->mem, src, buf, len) || obh_mem_write(h->mem, dst, buf, len)))
		r = -OB_ABI_EFAULT;
	if (buf != stack)
		free(buf);
	return r;
}

/* Move the first waiting sender's message into the ring's tail. */
static void pull_sender(struct obh_host *h, struct obh_queue *q)
{
	struct obh_thread *s = obh_waitq_pop(&q->senders);
	if (!s)
		return;
	uint8_t *dst = slot(q, q->count);
	uint32_t len = s->wait_arg[W_LEN];
	int64_t r = obh_mem_read(h->mem, s->wait_arg[W_ADDR], dst + 4, len) ? -OB_ABI_EFAULT : 0;
	if (!r) {
		memcpy(dst, &len, 4);
		q->count++;
	}
	obh_sched_wake(h, s, (int32_t)r);
}

int64_t k_queue_send(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_kobj *o = obh_kobj_get(h, t, (int32_t)a->v[0], OBH_KOBJ_QUEUE);
	if (!o)
		return -OB_ABI_EBADF;
	struct obh_queue *q = &o->u.queue;
	uint32_t addr = a->v[1], len = a->v[2];
	if (len > q->msg_size)
		return -OB_ABI_EMSGSIZE;
	struct obh_thread *r = obh_waitq_pop(&q->receivers);
	if (r) {
		int64_t err = guest_copy(h, r->wait_arg[W_ADDR], addr, len);
		obh_sched_wake(h, r, err ? (int32_t)err : (int32_t)len);
		return err;
	}
	if (q->count < q->capacity) {
		uint8_t *dst = slot(q, q->count);
		if (obh_mem_read(h->mem, addr, dst + 4, len))
			return -OB_ABI_EFAULT;
		memcpy(dst, &len, 4);
		q->count++;
		return 0;
	}
	t->wait_arg[W_ADDR] = addr;
	t->wait_arg[W_LEN] = len;
	return obh_kobj_wait(h, t, &q->senders, (int32_t)a->v[3], o->what);
}

int64_t k_queue_recv(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	struct obh_kobj *o = obh_kobj_get(h, t, (int32_t)a->v[0], OBH_KOBJ_QUEUE);
	if (!o)
		return -OB_ABI_EBADF;
	struct obh_queue *q = &o->u.queue;
	uint32_t addr = a->v[1], cap = a->v[2];
	if (cap < q->msg_size)
		return -OB_ABI_EINVAL;
	if (q->count) {
		uint8_t *src = slot(q, 0);
		uint32_t len;
		memcpy(&len, src, 4);
		if (obh_mem_write(h->mem, addr, src + 4, len))
			return -OB_ABI_EFAULT;
		q->head = (q->head + 1) % q->capacity;
		q->count--;
		pull_sender(h, q);
		return len;
	}
	struct obh_thread *s = obh_waitq_pop(&q->senders);
	if (s) { /* capacity 0 cannot happen, but a sender may wait on a full ring */
		int64_t err = guest_copy(h, addr, s->wait_arg[W_ADDR], s->wait_arg[W_LEN]);
		obh_sched_wake(h, s, (int32_t)err);
		return err ? err : s->wait_arg[W_LEN];
	}
	t->wait_arg[W_ADDR] = addr;
	t->wait_arg[W_LEN] = cap;
	return obh_kobj_wait(h, t, &q->receivers, (int32_t)a->v[3], o->what);
}

