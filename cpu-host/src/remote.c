/*
 * Domain calls (see remote.h).
 */
#include "remote.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fdtable.h"
#include "fs.pb-c.h"
#include "marshal.h"
#include "mounts.h"
#include "outboard.pb-c.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "recovery.h"
#include "router.h"

#define CAT "dispatch"

/* A posted call's buffer bigger than this goes as bands of rows, so every
 * frame stays well inside the IPC frame limit. */
#define BAND_BYTES (1u << 20)

/* A blocking domain call from when it is sent until the guest has its r0. */
struct pending {
	struct obh_host *h;
	struct obh_thread *t;
	const struct obh_call *c;
	uint32_t v[OBH_MAX_ARGS];   /* the guest's own argument values */
	char *str[OBH_MAX_ARGS];    /* host copies of string args (owned) */
	obh_result_fn result;
	void *result_arg;
	bool free_result_arg;
	int64_t start_ns;
	struct obh_routed rt;       /* where it goes: route, plugin-side paths (owned) */
};

static void pending_free(struct pending *p)
{
	obh_routed_free(&p->rt);
	if (p->free_result_arg)
		free(p->result_arg);
	for (int i = 0; i < OBH_MAX_ARGS; i++)
		free(p->str[i]);
	free(p);
}

static int64_t marshal_errno(int err)
{
	return err == -EFAULT ? -OB_ABI_EFAULT : -ob_errno_to_abi(-err);
}

/* ---- posted calls ---- */

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

static int64_t post_bands(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			  const uint32_t *mapped, char **str, int b, struct obh_waitq **full)
{
	const struct obh_arg *a = &c->args[b];
	unsigned rows_i = a->len_times - 1u, origin_i = a->row_origin - 1u;
	uint32_t stride = mapped[a->len], rows = mapped[rows_i];
	uint32_t band = stride ? BAND_BYTES / stride : rows;
	uint32_t v[OBH_MAX_ARGS];
	int64_t r0 = 0;
	memcpy(v, mapped, sizeof(v));
	if (!band)
		band = 1;
	for (uint32_t row = 0; row < rows && r0 == 0; row += band) {
		v[rows_i] = rows - row < band ? rows - row : band;
		v[origin_i] = mapped[origin_i] + row;
		v[b] = mapped[b] + row * stride;
		r0 = post_one(h, t, c, v, str, full);
	}
	return r0;
}

/* A posted call: no reply. Waits (OBH_PARKED) when the plugin is behind. */
static int64_t post_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			 const uint32_t *v, char **str)
{
	uint32_t mapped[OBH_MAX_ARGS];
	struct obh_waitq *full = NULL;
	int64_t r0 = obh_dispatch_map_handles(h, c, v, mapped);
	int b = banded_arg(c);
	if (r0)
		return r0;
	if (b < 0 || obh_arg_len(c, (unsigned)b, mapped) <= BAND_BYTES)
		r0 = post_one(h, t, c, mapped, str, &full);
	else
		r0 = post_bands(h, t, c, mapped, str, b, &full);
	if (r0 || !full)
		return r0;
	obh_sched_block(h, t, OBH_W_CREDIT, full, -1, "plugin credit");
	return OBH_PARKED;
}

/* ---- replies ---- */

/* After a successful open/opendir: the guest's new descriptor. */
static int64_t bind_handle(struct obh_host *h, struct pending *p, int64_t ret)
{
	const struct obh_call *c = p->c;
	bool file = c->result == OBH_R_FD;
	int fd = obh_fd_alloc(h->fds, file ? OBH_FD_FILE : OBH_FD_DIR, (uint32_t)ret,
			      p->rt.full ? p->rt.full : p->str[0], file ? p->v[1] : 0);
	if (fd < 0)
		OB_GUEST_ERROR(CAT, "thread %u: out of file descriptors", p->t->id);
	else
		obh_mounts_bound(h, fd, &p->rt);
	return fd < 0 ? -ob_errno_to_abi(-fd) : fd;
}

/* Keep the fd table's offsets as the guest's calls move them. */
static void track_position(struct obh_host *h, const struct pending *p, int64_t r0)
{
	struct obh_fd *f = obh_fd_get(h->fds, (int32_t)p->v[0]);
	if (!f || f->kind == OBH_FD_CONSOLE)
		return;
	switch (p->c->num) {
	case OB__REQUEST__CALL_FS_READ:
	case OB__REQUEST__CALL_FS_WRITE:
		if (f->offset >= 0 && !(p->c->num == OB__REQUEST__CALL_FS_WRITE &&
					(f->flags & OB__OPEN_FLAG__OPEN_APPEND)))
			f->offset += r0;
		else
			f->offset = -1;
		break;
	case OB__REQUEST__CALL_FS_LSEEK:
		f->offset = r0;
		break;
	case OB__REQUEST__CALL_FS_READDIR:
		if (r0 > 0)
			f->dir_pos++;
		break;
	default:
		break;
	}
}

static void send_pending(struct pending *p);
static void resume_pending(void *arg, int err);

/* The plugin died or hung with p in flight: wait for its restart if p may
 * run again, else say -EIO (it may have run: it must not run twice). */
static bool retry_later(struct pending *p, int status)
{
	struct obh_host *h = p->h;
	if ((status != ECANCELED && status != EIO) || !p->c->idempotent ||
	    !obh_router_recovering(h->router, p->rt.route))
		return false;
	OB_INFO(CAT, "thread %u: %s will be sent again to the restarted %s plugin", p->t->id,
		p->c->name, obh_domain_name(p->c->domain));
	h->pending_calls++;
	obh_router_when_up(h->router, p->rt.route, resume_pending, p);
	return true;
}

static void complete(struct pending *p, int64_t r0)
{
	obh_dispatch_finish(p->h, p->t, p->c, p->v, p->str, r0, p->result, p->result_arg, true,
			    p->start_ns);
	pending_free(p);
}

static void on_reply(void *arg, int status, const Ob__Reply *rep)
{
	struct pending *p = arg;
	struct obh_host *h = p->h;
	struct obh_thread *t = p->t;
	h->pending_calls--;
	if (h->exiting || t->state != OBH_T_WAITING || t->wait_data != p) {
		pending_free(p);
		return;
	}
	if (!rep && retry_later(p, status))
		return;
	int64_t r0, ret = 0;
	if (!rep)
		r0 = status == ETIMEDOUT ? -OB_ABI_ETIMEDOUT : -OB_ABI_EIO;
	else if (rep->status)
		r0 = -(int64_t)rep->status;
	else
		r0 = obh_marshal_reply(h->mem, p->c, p->v, rep, &ret);
	if (rep && p->c->num == OB__REQUEST__CALL_FS_READDIR)
		r0 = obh_mounts_readdir_done(h, p->v,
					     rep->result_case == OB__REPLY__RESULT_FS_READDIR
						     ? rep->fs_readdir->name : NULL, r0);
	/* A directory above a mount point that its mount lacks: the namespace's. */
	bool virtual_dir = obh_mounts_above(h, p->c, p->v, &p->rt, &r0);
	if (!virtual_dir && r0 >= 0 && (p->c->result == OBH_R_FD || p->c->result == OBH_R_DIR))
		r0 = bind_handle(h, p, ret);
	else if (!virtual_dir && r0 >= 0)
		track_position(h, p, r0);
	if (r0 >= 0)
		obh_recovery_note(h, p->c, p->v);
	complete(p, r0);
}

/* ---- blocking calls ---- */

/* Marshal and send p; on failure complete it with the error. Also the
 * callback that resumes a call once its plugin is back (err 0) or gone. */
static void send_pending(struct pending *p)
{
	struct obh_host *h = p->h;
	uint32_t mapped[OBH_MAX_ARGS];
	struct obh_marshalled m;
	int64_t r0 = obh_dispatch_map_handles(h, p->c, p->v, mapped);
	if (r0) {
		complete(p, r0);
		return;
	}
	char *str[OBH_MAX_ARGS]; /* the paths as the mount's plugin sees them */
	for (int i = 0; i < OBH_MAX_ARGS; i++)
		str[i] = p->rt.path[i] ? p->rt.path[i] : p->str[i];
	int err = obh_marshal_request(h->mem, p->c, mapped, str, &m);
	if (!err) {
		m.req.thread = p->t->id;
		m.req.deadline_ms = (uint32_t)h->opts.call_timeout_ms;
		err = obh_router_call(h->router, p->rt.route, &m.req, on_reply, p, NULL);
	}
	obh_marshal_done(&m);
	if (!err) {
		h->pending_calls++;
		return;
	}
	complete(p, err == -ENODEV ? -OB_ABI_ENODEV : marshal_errno(err));
}

static void resume_pending(void *arg, int err)
{
	struct pending *p = arg;
	p->h->pending_calls--;
	if (p->h->exiting || p->t->state != OBH_T_WAITING || p->t->wait_data != p) {
		pending_free(p);
		return;
	}
	if (err)
		complete(p, -ob_errno_to_abi(err));
	else
		send_pending(p);
}

/* Takes rt's paths (rt is left empty) once the call is parked. */
static int64_t call_blocking(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			     const uint32_t *v, char **str, obh_result_fn result, void *result_arg,
			     bool free_result_arg, struct obh_routed *rt)
{
	struct pending *p = calloc(1, sizeof(*p));
	if (!p)
		return -OB_ABI_ENOMEM;
	*p = (struct pending){ .h = h, .t = t, .c = c, .result = result,
			       .result_arg = result_arg, .free_result_arg = free_result_arg,
			       .start_ns = obh_now_ns(), .rt = *rt };
	memset(rt, 0, sizeof(*rt));
	memcpy(p->v, v, sizeof(p->v));
	memcpy(p->str, str, sizeof(p->str));
	memset(str, 0, sizeof(p->str));
	obh_sched_block(h, t, OBH_W_REPLY, NULL, -1, c->name);
	t->wait_data = p;
	if (obh_router_state(h->router, p->rt.route) == OBH_DOMAIN_UP) {
		send_pending(p);
	} else {
		/* Restarting: the call has run nowhere, so it can wait for the plugin. */
		h->pending_calls++;
		obh_router_when_up(h->router, p->rt.route, resume_pending, p);
	}
	return OBH_BLOCKED;
}

static void log_not_served(struct obh_host *h, const struct obh_call *c, unsigned route)
{
	static uint8_t logged[256 / 8];
	if (c->num < 256 && !(logged[c->num / 8] & (1u << (c->num % 8)))) {
		logged[c->num / 8] |= (uint8_t)(1u << (c->num % 8));
		const char *b = obh_router_backend(h->router, route);
		OB_STUB(CAT, "%s: no %s plugin serves it%s%s; returning ENOSYS", c->name,
			obh_domain_name(c->domain), b ? ", not even " : "", b ? b : "");
	}
}

int64_t obh_remote_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			const uint32_t *v, char **str, obh_result_fn result, void *result_arg,
			bool free_result_arg)
{
	struct obh_routed rt;
	int64_t r0 = 0;
	/* fs: which mount serves it (mounts.h); others: the domain's plugin. */
	if (!obh_mounts_route(h, t, c, v, str, &rt, &r0))
		return r0;
	enum obh_domain_state st = obh_router_state(h->router, rt.route);
	/* A plugin started on demand is not there yet: its first calls wait for
	 * it, posted ones as blocking calls (nothing of them is lost). */
	bool dormant = st == OBH_DOMAIN_DOWN && obh_router_dormant(h->router, rt.route);
	if (c->mode == OBH_POSTED && st != OBH_DOMAIN_UP && st != OBH_DOMAIN_ABSENT && !dormant)
		obh_router_note_lost_posted(h->router, rt.route);
	switch (st) {
	case OBH_DOMAIN_FAILED:
		r0 = -OB_ABI_ENODEV;
		goto answered;
	case OBH_DOMAIN_LOST:
		r0 = -OB_ABI_EIO;
		goto answered;
	case OBH_DOMAIN_ABSENT:
		log_not_served(h, c, rt.route);
		r0 = -OB_ABI_ENOSYS;
		goto answered;
	case OBH_DOMAIN_DOWN:
		if (dormant)
			break;
		if (c->mode == OBH_POSTED)
			goto answered; /* dropped: the plugin asks for a redraw when back */
		if (c->num == OB__REQUEST__CALL_FS_CLOSE || c->num == OB__REQUEST__CALL_FS_CLOSEDIR)
			goto answered; /* its handle died with the plugin; no reopen will follow */
		break;
	case OBH_DOMAIN_UP:
		if (!obh_router_serves(h->router, rt.route, c->num)) {
			log_not_served(h, c, rt.route);
			r0 = -OB_ABI_ENOSYS;
			goto answered;
		}
		break;
	}
	if (c->mode == OBH_POSTED && !dormant) {
		obh_routed_free(&rt);
		return post_call(h, t, c, v, str);
	}
	r0 = call_blocking(h, t, c, v, str, result, result_arg, free_result_arg, &rt);
	obh_routed_free(&rt); /* empty unless the call failed before it was parked */
	return r0;
answered:
	obh_routed_free(&rt);
	return r0;
}
