/*
 * The dispatcher (see dispatch.h).
 */
#include "dispatch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "fdtable.h"
#include "layout.h"
#include "marshal.h"
#include "mem.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "router.h"
#include "trace.h"

#define CAT "dispatch"

/* A blocking domain call waiting for its reply. */
struct pending {
	struct obh_host *h;
	struct obh_thread *t;
	const struct obh_call *c;
	uint32_t v[OBH_MAX_ARGS];   /* the guest's own argument values */
	char *path;                 /* R_FD/R_DIR: the path opened */
	obh_result_fn result;
	void *result_arg;
	bool free_result_arg;
	int64_t start_ns;
};

static uint32_t pc_of(struct obh_host *h, struct obh_thread *t)
{
	return obh_thread_reg(h, t, UC_ARM_REG_PC);
}

/* Deliver r0: through the result rewriter, into the trace, to the guest. */
static void finish(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		   const uint32_t *v, char *const *str, int64_t r0, obh_result_fn result,
		   void *result_arg, bool woke, int64_t start_ns)
{
	obh_trace_call(h, t, c, v, str, r0, woke, start_ns);
	obh_thread_note_call(t, c->num, (int32_t)r0, pc_of(h, t));
	if (result)
		r0 = result(h, t, result_arg, r0);
	if (woke)
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

/* Map fd/dir arguments to plugin handles in mapped[]; *console gets a
 * console fd entry when the call's fd is one. 0 or -EBADF. */
static int map_handles(struct obh_host *h, const struct obh_call *c, const uint32_t *v,
		       uint32_t *mapped, const struct obh_fd **console)
{
	for (unsigned i = 0; i < c->nargs; i++) {
		enum obh_arg_kind k = c->args[i].kind;
		if (k != OBH_A_FD && k != OBH_A_DIR)
			continue;
		const struct obh_fd *f = obh_fd_get(h->fds, (int32_t)v[i]);
		if (!f)
			return -OB_ABI_EBADF;
		if (f->kind == OBH_FD_CONSOLE && k == OBH_A_FD) {
			*console = f;
			continue;
		}
		if ((k == OBH_A_FD) != (f->kind == OBH_FD_FILE))
			return -OB_ABI_EBADF;
		mapped[i] = f->remote;
	}
	return 0;
}

static void free_strs(char **str)
{
	for (int i = 0; i < OBH_MAX_ARGS; i++)
		free(str[i]);
}

/* Turn a transport failure into the guest's errno. */
static int64_t transport_errno(int status)
{
	switch (status) {
	case ETIMEDOUT:
		return -OB_ABI_ETIMEDOUT;
	default:
		return -OB_ABI_EIO;
	}
}

/* After a successful reply: bind new fds/dirs, release closed ones. */
static int64_t bind_handles(struct obh_host *h, struct pending *p, int64_t r0, int64_t ret)
{
	const struct obh_call *c = p->c;
	if (c->result == OBH_R_FD || c->result == OBH_R_DIR) {
		enum obh_fd_kind kind = c->result == OBH_R_FD ? OBH_FD_FILE : OBH_FD_DIR;
		uint32_t flags = c->result == OBH_R_FD ? p->v[1] : 0;
		int fd = obh_fd_alloc(h->fds, kind, (uint32_t)ret, p->path, flags);
		if (fd < 0)
			OB_GUEST_ERROR(CAT, "thread %u: out of file descriptors", p->t->id);
		return fd < 0 ? -ob_errno_to_abi(-fd) : fd;
	}
	return r0;
}

static void on_reply(void *arg, int status, const Ob__Reply *rep)
{
	struct pending *p = arg;
	struct obh_host *h = p->h;
	struct obh_thread *t = p->t;
	h->pending_calls--;
	if (h->exiting || t->state != OBH_T_WAITING || t->wait_data != p)
		goto out;

	int64_t r0, ret = 0;
	if (!rep)
		r0 = transport_errno(status); /* no answer: timeout, plugin gone */
	else if (rep->status)
		r0 = -(int64_t)rep->status;
	else
		r0 = obh_marshal_reply(h->mem, p->c, p->v, rep, &ret);
	if (r0 >= 0)
		r0 = bind_handles(h, p, r0, ret);
	char *str[OBH_MAX_ARGS] = { 0 };
	finish(h, t, p->c, p->v, str, r0, p->result, p->result_arg, true, p->start_ns);
out:
	if (p->free_result_arg)
		free(p->result_arg);
	free(p->path);
	free(p);
}

static void log_not_served(struct obh_host *h, const struct obh_call *c)
{
	static uint8_t logged[256 / 8];
	if (c->num < 256 && !(logged[c->num / 8] & (1u << (c->num % 8)))) {
		logged[c->num / 8] |= (uint8_t)(1u << (c->num % 8));
		const char *b = obh_router_backend(h->router, c->domain);
		OB_STUB(CAT, "%s: no %s plugin serves it%s%s; returning ENOSYS", c->name,
			obh_domain_name(c->domain), b ? ", not even " : "", b ? b : "");
	}
}

/* A posted call's buffer bigger than this goes as bands of rows, so every
 * frame stays well inside the IPC frame limit. */
#define BAND_BYTES (1u << 20)

static int64_t marshal_errno(int err)
{
	return err == -EFAULT ? -OB_ABI_EFAULT : -ob_errno_to_abi(-err);
}

/* Marshal and post one request; *full is set when the window is full. */
static int64_t post_one(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			const uint32_t *mapped, char **str, struct obh_waitq **full)
{
	struct obh_marshalled m;
	int err = obh_marshal_request(h->mem, c, mapped, str, &m);
	if (!err) {
		m.req.thread = t->id;
		err = obh_router_post(h->router, c->domain, &m.req, full);
	}
	obh_marshal_done(&m);
	return err ? marshal_errno(err) : 0;
}

/* The argument that may be sent in bands of rows, or -1. */
static int banded_arg(const struct obh_call *c)
{
	for (unsigned i = 0; i < c->nargs; i++)
		if (c->args[i].kind == OBH_A_IN_BUF && c->args[i].row_origin)
			return (int)i;
	return -1;
}

/* A posted call: no reply. Waits (OBH_PARKED) when the plugin is behind. */
static int64_t post_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			 const uint32_t *mapped, char **str)
{
	struct obh_waitq *full = NULL;
	int64_t r0;
	int b = banded_arg(c);
	if (b < 0 || obh_arg_len(c, (unsigned)b, mapped) <= BAND_BYTES) {
		r0 = post_one(h, t, c, mapped, str, &full);
	} else {
		const struct obh_arg *a = &c->args[b];
		unsigned rows_i = a->len_times - 1u, origin_i = a->row_origin - 1u;
		uint32_t stride = mapped[a->len], rows = mapped[rows_i];
		uint32_t band = stride ? BAND_BYTES / stride : rows;
		uint32_t v[OBH_MAX_ARGS];
		memcpy(v, mapped, sizeof(v));
		if (!band)
			band = 1;
		r0 = 0;
		for (uint32_t row = 0; row < rows && r0 == 0; row += band) {
			v[rows_i] = rows - row < band ? rows - row : band;
			v[origin_i] = mapped[origin_i] + row;
			v[b] = mapped[b] + row * stride;
			r0 = post_one(h, t, c, v, str, &full);
		}
	}
	if (r0 || !full)
		return r0;
	obh_sched_block(h, t, OBH_W_CREDIT, full, -1, "plugin credit");
	return OBH_PARKED;
}

/* A blocking call: the thread waits for the reply (on_reply finishes it). */
static int64_t call_blocking(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			     const uint32_t *v, const uint32_t *mapped, char **str,
			     obh_result_fn result, void *result_arg, bool free_result_arg)
{
	struct obh_marshalled m;
	int err = obh_marshal_request(h->mem, c, mapped, str, &m);
	if (err) {
		obh_marshal_done(&m);
		return marshal_errno(err);
	}
	m.req.thread = t->id;
	m.req.deadline_ms = (uint32_t)h->opts.call_timeout_ms;
	struct pending *p = calloc(1, sizeof(*p));
	if (!p) {
		obh_marshal_done(&m);
		return -OB_ABI_ENOMEM;
	}
	*p = (struct pending){ .h = h, .t = t, .c = c, .result = result,
			       .result_arg = result_arg, .free_result_arg = free_result_arg,
			       .start_ns = obh_now_ns() };
	memcpy(p->v, v, sizeof(p->v));
	if (c->result == OBH_R_FD || c->result == OBH_R_DIR)
		p->path = str[0] ? strdup(str[0]) : NULL;
	err = obh_router_call(h->router, c->domain, &m.req, on_reply, p, NULL);
	obh_marshal_done(&m);
	if (err) {
		free(p->path);
		free(p);
		return err == -EIO ? -OB_ABI_EIO : -ob_errno_to_abi(-err);
	}
	h->pending_calls++;
	obh_sched_block(h, t, OBH_W_REPLY, NULL, -1, c->name);
	t->wait_data = p;
	return OBH_BLOCKED;
}

/* Send a domain call; returns OBH_BLOCKED, OBH_PARKED or an immediate r0. */
static int64_t send_domain(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			   const uint32_t *v, const uint32_t *mapped, char **str,
			   obh_result_fn result, void *result_arg, bool free_result_arg)
{
	enum obh_domain_state st = obh_router_state(h->router, c->domain);
	if (st == OBH_DOMAIN_DOWN)
		return -OB_ABI_EIO;
	if (st == OBH_DOMAIN_ABSENT || !obh_router_serves(h->router, c->domain, c->num)) {
		log_not_served(h, c);
		return -OB_ABI_ENOSYS;
	}
	if (c->mode == OBH_POSTED)
		return post_call(h, t, c, mapped, str);
	return call_blocking(h, t, c, v, mapped, str, result, result_arg, free_result_arg);
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
	int64_t start = obh_now_ns();
	int64_t r0 = 0;

	memcpy(mapped, v, sizeof(mapped));
	for (unsigned i = 0; i < c->nargs && !r0; i++)
		r0 = decode_arg(h, c, i, v, str);
	if (!r0)
		r0 = map_handles(h, c, v, mapped, &console);

	if (r0) {
		/* a bad argument: answered without running the call */
	} else if (c->domain == OBH_DOMAIN_KERNEL) {
		struct obh_args a;
		memcpy(a.v, v, sizeof(a.v));
		memcpy(a.str, str, sizeof(a.str));
		r0 = c->local(h, t, &a);
	} else if (console) {
		r0 = obh_console_call(h->mem, c, console, v);
	} else {
		r0 = send_domain(h, t, c, v, mapped, str, result, result_arg, free_result_arg);
		release_closed(h, c, v);
		if (r0 == OBH_BLOCKED) {
			free_strs(str);
			return; /* on_reply finishes it and frees result_arg */
		}
	}

	if (r0 == OBH_BLOCKED || r0 == OBH_PARKED) {
		obh_trace_blocked(h, t, c, v, str);
	} else if (r0 != OBH_GONE) {
		finish(h, t, c, v, str, r0, result, result_arg, false, start);
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
