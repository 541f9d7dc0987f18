/*
 * The dispatcher (see dispatch.h).
 */
#include "dispatch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "fcache.h"
#include "fdtable.h"
#include "layout.h"
#include "mem.h"
#include "outboard.pb-c.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "remote.h"
#include "trace.h"

#define CAT "dispatch"

static uint32_t pc_of(struct obh_host *h, struct obh_thread *t)
{
	return obh_thread_reg(h, t, UC_ARM_REG_PC);
}

void obh_dispatch_finish(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			 const uint32_t *v, char *const *str, int64_t r0, obh_result_fn result,
			 void *result_arg, bool woke, int64_t start_ns)
{
	obh_trace_call(h, t, c, v, str, r0, woke, start_ns);
	obh_thread_note_call(t, c->num, (int32_t)r0, pc_of(h, t));
	if (result)
		r0 = result(h, t, result_arg, r0);
	if (r0 == OBH_BLOCKED)
		return; /* the rewriter started a follow-up call, which now owns t */
	/* A follow-up call that failed at once finds t still waiting. */
	if (woke || t->state == OBH_T_WAITING)
		obh_sched_wake(h, t, (int32_t)r0);
	else
		obh_thread_set_reg(h, t, UC_ARM_REG_R0, (uint32_t)r0);
}

static int check_buf(struct obh_host *h, uint32_t addr, uint32_t len, unsigned prot)
{
	if (!len)
		return 0;
	return obh_mem_check(h->mem, addr, len, prot) ? -OB_ABI_EFAULT : 0;
}

/* Validate one argument; copies strings into str[i]. 0 or -ABI errno. */
static int decode_arg(struct obh_host *h, const struct obh_call *c, unsigned i,
		      const uint32_t *v, char **str)
{
	const struct obh_arg *a = &c->args[i];
	switch (a->kind) {
	case OBH_A_STR: {
		str[i] = malloc(OBH_STR_MAX);
		if (!str[i])
			return -OB_ABI_ENOMEM;
		int len = obh_mem_read_str(h->mem, v[i], str[i], OBH_STR_MAX);
		if (len == -ENAMETOOLONG)
			return -OB_ABI_ENAMETOOLONG;
		return len < 0 ? -OB_ABI_EFAULT : 0;
	}
	case OBH_A_IN_BUF:
	case OBH_A_OUT_BUF:
	case OBH_A_OUT_STR: {
		int64_t len = obh_arg_len(c, i, v);
		if (len < 0)
			return -OB_ABI_EFAULT;
		return check_buf(h, v[i], (uint32_t)len,
				 a->kind == OBH_A_IN_BUF ? OBH_PROT_R : OBH_PROT_W);
	}
	case OBH_A_OUT_STRUCT:
		return check_buf(h, v[i], obh_layout_size(a->msg), OBH_PROT_W);
	case OBH_A_OUT_U32:
		return v[i] ? check_buf(h, v[i], 4, OBH_PROT_W) : 0;
	case OBH_A_OUT_U64:
		return v[i] ? check_buf(h, v[i], 8, OBH_PROT_W) : 0;
	default:
		return 0;
	}
}

/* The console entry if the call's fd argument is a console fd, else NULL. */
static const struct obh_fd *console_fd(struct obh_host *h, const struct obh_call *c,
				       const uint32_t *v)
{
	for (unsigned i = 0; i < c->nargs; i++) {
		if (c->args[i].kind != OBH_A_FD)
			continue;
		const struct obh_fd *f = obh_fd_get(h->fds, (int32_t)v[i]);
		return f && f->kind == OBH_FD_CONSOLE ? f : NULL;
	}
	return NULL;
}

int64_t obh_dispatch_map_handles(struct obh_host *h, const struct obh_call *c,
				 const uint32_t *v, uint32_t *mapped)
{
	memcpy(mapped, v, sizeof(uint32_t) * OBH_MAX_ARGS);
	for (unsigned i = 0; i < c->nargs; i++) {
		enum obh_arg_kind k = c->args[i].kind;
		if (k != OBH_A_FD && k != OBH_A_DIR)
			continue;
		const struct obh_fd *f = obh_fd_get(h->fds, (int32_t)v[i]);
		if (!f)
			return -OB_ABI_EBADF;
		if (f->kind == OBH_FD_CONSOLE && k == OBH_A_FD)
			continue;
		if ((k == OBH_A_FD) != (f->kind == OBH_FD_FILE))
			return -OB_ABI_EBADF;
		if (f->stale)
			return -OB_ABI_EIO; /* lost with a plugin that could not reopen it */
		mapped[i] = f->remote;
	}
	return 0;
}

static void free_strs(char **str)
{
	for (int i = 0; i < OBH_MAX_ARGS; i++)
		free(str[i]);
}

/* Close releases the guest fd at once, whatever the plugin says, as POSIX
 * close does; the plugin still closes its handle. */
static void release_closed(struct obh_host *h, const struct obh_call *c, const uint32_t *v)
{
	if (c->num == OB__REQUEST__CALL_FS_CLOSE || c->num == OB__REQUEST__CALL_FS_CLOSEDIR)
		obh_fd_release(h->fds, (int32_t)v[0]);
}

void obh_dispatch(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		  const uint32_t v[OBH_MAX_ARGS], obh_result_fn result, void *result_arg,
		  bool free_result_arg)
{
	char *str[OBH_MAX_ARGS] = { 0 };
	uint32_t mapped[OBH_MAX_ARGS];
	const struct obh_fd *console = NULL;
	int64_t start = h->trace_out ? obh_now_ns() : 0; /* only the trace uses it */
	int64_t r0 = 0;

	for (unsigned i = 0; i < c->nargs && !r0; i++)
		r0 = decode_arg(h, c, i, v, str);
	if (!r0 && c->check)
		r0 = c->check(v);
	if (!r0 && !(console = console_fd(h, c, v)))
		r0 = obh_dispatch_map_handles(h, c, v, mapped); /* checks them, early */

	if (r0) {
		/* a bad argument: answered without running the call */
	} else if (c->domain == OBH_DOMAIN_KERNEL) {
		struct obh_args a;
		memcpy(a.v, v, sizeof(a.v));
		memcpy(a.str, str, sizeof(a.str));
		r0 = c->local(h, t, &a);
	} else if (console) {
		struct obh_console_done done = { result, result_arg, free_result_arg, start };
		r0 = obh_console_call(h, t, c, console, v, &done);
		if (r0 == OBH_BLOCKED) {
			obh_trace_blocked(h, t, c, v, str);
			free_strs(str);
			return; /* the console owns result_arg now */
		}
	} else if (h->fcache && c->domain == OBH_DOMAIN_FS &&
		   (r0 = obh_fcache_call(h, t, c, v, str, result, result_arg,
					 free_result_arg)) != OBH_FC_PASS) {
		if (r0 == OBH_BLOCKED)
			return; /* the cache owns str and result_arg now */
	} else {
		r0 = obh_remote_call(h, t, c, v, str, result, result_arg, free_result_arg);
		release_closed(h, c, v);
		if (r0 == OBH_BLOCKED) {
			obh_trace_sent(h, t, c, v);
			return; /* the call owns str and result_arg now */
		}
	}

	if (r0 == OBH_BLOCKED || r0 == OBH_PARKED) {
		obh_trace_blocked(h, t, c, v, str);
	} else if (r0 != OBH_GONE) {
		obh_dispatch_finish(h, t, c, v, str, r0, result, result_arg, false, start);
	}
	if (free_result_arg)
		free(result_arg);
	free_strs(str);
}

void obh_dispatch_unknown(struct obh_host *h, struct obh_thread *t, uint32_t num,
			  const char *how)
{
	enum { TRACKED = 4096 };
	static uint8_t logged[TRACKED / 8];
	uint32_t pc = pc_of(h, t);
	if (num >= TRACKED || !(logged[num / 8] & (1u << (num % 8)))) {
		if (num < TRACKED)
			logged[num / 8] |= (uint8_t)(1u << (num % 8));
		OB_STUB(CAT, "thread %u: unknown %s %u at pc 0x%08x; returning ENOSYS", t->id, how,
			num, pc);
	}
	obh_thread_note_call(t, (uint16_t)num, -OB_ABI_ENOSYS, pc);
	obh_thread_set_reg(h, t, UC_ARM_REG_R0, (uint32_t)-OB_ABI_ENOSYS);
}
