/*
 * Process-wide calls: exit, clocks, the heap, isatty, and the tls slot.
 */
#include <time.h>

#include "console.h"
#include "fdtable.h"
#include "host.h"
#include "kcalls.h"
#include "mem.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "scheduler.h"

#define OB_CLOCK_REALTIME 0u
#define OB_CLOCK_MONOTONIC 1u

int64_t k_exit(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	(void)t;
	obh_host_exit(h, (int)(a->v[0] & 0xff));
	return OBH_GONE;
}

int64_t k_clock_get(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	(void)t;
	uint64_t ns;
	if (a->v[0] == OB_CLOCK_REALTIME) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	} else if (a->v[0] == OB_CLOCK_MONOTONIC) {
		ns = obh_program_ns(h);
	} else {
		return -OB_ABI_EINVAL;
	}
	if (!a->v[1] || obh_mem_write(h->mem, a->v[1], &ns, 8))
		return -OB_ABI_EFAULT;
	return 0;
}

int64_t k_sbrk(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	int64_t old = obh_mem_sbrk(h->mem, (int32_t)a->v[0]);
	if (old < 0) {
		OB_GUEST_ERROR("kernel", "thread %u: heap cannot grow by %d bytes (--heap-max)",
			       t->id, (int32_t)a->v[0]);
		return -OB_ABI_ENOMEM;
	}
	return old;
}

int64_t k_isatty(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	(void)t;
	const struct obh_fd *f = obh_fd_get(h->fds, (int32_t)a->v[0]);
	if (!f)
		return -OB_ABI_EBADF;
	return obh_console_isatty(f);
}

static int64_t store_tls(struct obh_host *h, uint32_t value)
{
	if (!h->tls_slot)
		return 0;
	return obh_mem_write(h->mem, h->tls_slot, &value, 4) ? -OB_ABI_EFAULT : 0;
}

int64_t k_tls_bind(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	if (a->v[0] && obh_mem_check(h->mem, a->v[0], 4, OBH_PROT_R | OBH_PROT_W))
		return -OB_ABI_EFAULT;
	h->tls_slot = a->v[0];
	/* Threads that never set a value keep the slot's current one. */
	uint32_t cur = 0;
	if (h->tls_slot && obh_mem_read(h->mem, h->tls_slot, &cur, 4) == 0)
		for (struct obh_thread *x = obh_sched_first(h); x; x = x->next_all)
			if (!x->tls_value)
				x->tls_value = cur;
	(void)t;
	return 0;
}

int64_t k_tls_set(struct obh_host *h, struct obh_thread *t, const struct obh_args *a)
{
	t->tls_value = a->v[0];
	return store_tls(h, t->tls_value);
}
