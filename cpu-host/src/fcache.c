/*
 * The file cache: the guest's calls (see fcache.h). Each call is tried by
 * attempt(): it completes now (a value or -ABI errno), must wait for a
 * load or a write (the call parks and is tried again whenever one
 * completes), or goes to the plugin as before (PASS).
 */
#include "fcache_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.pb-c.h"
#include "mem.h"
#include "outboard.pb-c.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "remote.h"
#include "router.h"

#define CAT OBHF_LOG
#define WAIT (INT64_MIN + 4)

int obh_fcache_create(struct obh_host *h)
{
	if (!h->opts.fs_cache)
		return 0;
	struct obh_fcache *fc = calloc(1, sizeof(*fc));
	if (!fc)
		return -ENOMEM;
	fc->h = h;
	if (obh_fc_store_init(&fc->s, h->opts.fs_cache)) {
		free(fc);
		return -ENOMEM;
	}
	h->fcache = fc;
	return 0;
}

void obh_fcache_destroy(struct obh_host *h)
{
	struct obh_fcache *fc = h->fcache;
	if (!fc)
		return;
	while (fc->waiting) {
		struct obhf_op *op = fc->waiting;
		fc->waiting = op->next;
		for (int i = 0; i < OBH_MAX_ARGS; i++)
			free(op->str[i]);
		if (op->free_result_arg)
			free(op->result_arg);
		free(op);
	}
	obh_fc_store_fini(&fc->s);
	free(fc);
	h->fcache = NULL;
}

void obh_fcache_print_stats(const struct obh_host *h, FILE *out)
{
	const struct obh_fcache *fc = h->fcache;
	if (!fc)
		return;
	const struct obh_fc_stats *st = &fc->s.st;
	fprintf(out,
		"outboard-cpu: stats fs-cache: limit=%llu peak=%llu hits=%llu misses=%llu "
		"readahead=%llu readahead_used=%llu readahead_wasted=%llu writebehind=%llu "
		"writebehind_requests=%llu replayed=%llu write_errors=%llu evictions=%llu "
		"rtt_us=%lld served=%llu requests=%llu dropped_behind=%llu\n",
		(unsigned long long)fc->s.limit, (unsigned long long)st->peak_bytes,
		(unsigned long long)st->hits, (unsigned long long)st->misses,
		(unsigned long long)st->ra_bytes, (unsigned long long)st->ra_used,
		(unsigned long long)st->ra_wasted, (unsigned long long)st->wb_bytes,
		(unsigned long long)st->wb_writes, (unsigned long long)st->wb_replayed,
		(unsigned long long)st->wb_errors, (unsigned long long)st->evictions,
		(long long)(fc->rtt_ns / 1000), (unsigned long long)st->served,
		(unsigned long long)st->sent, (unsigned long long)st->dropped_behind);
}

/* ---- fds and files ---- */

static struct obh_fc_file *file_by_path(struct obh_fcache *fc, const char *path, bool make)
{
	/* The namespace's normalisation (mounts.h), as the fd table keeps the
	 * paths of open files: "a//b", "./a", "/x/../a" and "a" name one file. */
	char key[OBH_STR_MAX];
	if (!path || obh_path_normalise(path, false, key, sizeof(key)))
		return NULL;
	return make ? obh_fc_file_get(&fc->s, key) : obh_fc_file_find(&fc->s, key);
}

/* The cache's view of a guest fd, attached on first use; NULL when the fd
 * is not a plugin file (console, directory) or memory is short. */
static struct obhf_fd *fd_view(struct obh_fcache *fc, uint32_t fd)
{
	const struct obh_fd *e = obh_fd_get(fc->h->fds, (int32_t)fd);
	if (!e || e->kind != OBH_FD_FILE || !e->path)
		return NULL;
	struct obhf_fd *cf = &fc->fds[fd];
	if (!cf->file) {
		if (!(cf->file = file_by_path(fc, e->path, true)))
			return NULL;
		cf->file->refs++;
		cf->file->route = e->route;
		cf->direct = (e->flags & OB__OPEN_FLAG__OPEN_APPEND) != 0;
		cf->next = 0;
		cf->window = 0;
	}
	return cf;
}

static void fd_detach(struct obh_fcache *fc, uint32_t fd)
{
	struct obhf_fd *cf = &fc->fds[fd];
	struct obh_fc_file *f = cf->file;
	if (!f)
		return;
	*cf = (struct obhf_fd){ 0 };
	f->refs--;
	obh_fc_file_put(&fc->s, f);
}

static int64_t abi(int host_errno)
{
	return -ob_errno_to_abi(host_errno);
}

/* A write-behind or read error not yet reported: report it once. */
static int64_t take_error(struct obh_fc_file *f)
{
	int err = f->err ? f->err : f->rerr;
	if (f->err) {
		f->err = 0;
		f->unreported = 0;
	} else {
		f->rerr = 0;
	}
	return err ? abi(err) : 0;
}

/* Flush f and wait until every write is confirmed. 0 when settled. */
static int64_t settle(struct obh_fcache *fc, struct obh_fc_file *f)
{
	if (!f)
		return 0;
	obhf_flush_file(fc, f);
	return obhf_settled(f) ? 0 : WAIT;
}

/* ---- reads ---- */

/* Start loads for [from, from + len) that are missing, up to the known end. */
static void read_ahead(struct obh_fcache *fc, struct obh_fc_file *f, int64_t from, uint32_t len)
{
	int64_t end = from + len;
	bool at_eof = f->eof_hint >= 0 && end >= f->eof_hint;
	/* Whole runs only: as the window slides 4 KiB at a time, sending each
	 * block as it enters would make one request per block. */
	unsigned want = len / OBH_FC_BLOCK < OBHF_RUN_BLOCKS ? len / OBH_FC_BLOCK : OBHF_RUN_BLOCKS;
	if (at_eof)
		end = f->eof_hint;
	for (int64_t i = from / OBH_FC_BLOCK; i * OBH_FC_BLOCK < end;) {
		if (obh_fc_block_find(&fc->s, f, i)) {
			i++;
			continue;
		}
		unsigned run = 1;
		while (run < OBHF_RUN_BLOCKS && (i + run) * OBH_FC_BLOCK < end &&
		       !obh_fc_block_find(&fc->s, f, i + run))
			run++;
		if (run < want && (i + run) * OBH_FC_BLOCK >= end && !at_eof)
			return; /* the rest when the window has moved on */
		if (obhf_load(fc, f, i, run, true))
			return; /* no memory for more, or the plugin is away */
		i += run;
	}
}

/* Load block i for a reader (with read-ahead when sequential). */
static int64_t miss(struct obh_fcache *fc, struct obhf_fd *cf, int64_t i, uint32_t ra)
{
	struct obh_fc_file *f = cf->file;
	if (f->replay)
		return WAIT; /* its writes go first */
	int err = obhf_load(fc, f, i, ra ? OBHF_RUN_BLOCKS : 1, ra != 0);
	if (err == -EAGAIN) {
		if (!obhf_flush_file(fc, NULL) && !obh_router_in_flight(fc->h->router) &&
		    obh_router_state(fc->h->router, f->route) == OBH_DOMAIN_UP)
			return -OB_ABI_ENOMEM; /* nothing will free memory */
		if (obh_router_state(fc->h->router, f->route) == OBH_DOMAIN_DOWN)
			obhf_arm_up(fc, f->route);
		return WAIT;
	}
	if (err)
		return abi(-err);
	if (ra)
		read_ahead(fc, f, (i + OBHF_RUN_BLOCKS) * OBH_FC_BLOCK, ra);
	return WAIT;
}

/* Copy [pos, pos + n) to guest buf from the blocks; a count, WAIT, or -errno. */
static int64_t read_range(struct obh_fcache *fc, struct obhf_fd *cf, const struct obhf_op *op,
			  int64_t pos, uint32_t n, uint32_t buf, uint32_t ra)
{
	struct obh_fc_store *s = &fc->s;
	struct obh_fc_file *f = cf->file;
	uint32_t done = 0;
	while (done < n) {
		int64_t at = pos + done, i = at / OBH_FC_BLOCK;
		uint32_t lo = (uint32_t)(at % OBH_FC_BLOCK);
		uint32_t want = n - done < OBH_FC_BLOCK - lo ? n - done : OBH_FC_BLOCK - lo;
		struct obh_fc_block *b = obh_fc_block_find(s, f, i);
		if (b && b->loading)
			return WAIT;
		if (b && b->partial && (lo < b->dlo || lo + want > b->dhi)) {
			obhf_flush_block(fc, b); /* the plugin merges it; read after it */
			b = NULL;
		}
		bool past_end = b ? !b->partial && lo >= b->valid
				  : f->eof_hint >= 0 && at >= f->eof_hint;
		if (past_end && !obhf_settled(f)) {
			/* Writes still in the host may extend the file (a hole reads as
			 * zeros): the plugin's end counts once it has them. */
			obhf_flush_file(fc, f);
			return WAIT;
		}
		if (!b && past_end && f->eof_seq > op->load_seq)
			return done; /* this call asked, and the file ends here */
		if (!b) {
			/* Wait for the rest: the call is tried again from its start. */
			int64_t r = miss(fc, cf, i, ra);
			return r == WAIT || !done ? r : done;
		}
		uint32_t top = b->partial ? b->dhi : b->valid;
		if (lo >= top) {
			/* At the end of file as last seen: ask again (it may have grown),
			 * unless this call already waited for that answer. */
			if (done || b->load_seq > op->load_seq)
				return done;
			obh_fc_block_drop(s, b);
			return miss(fc, cf, i, 0);
		}
		uint32_t take = want < top - lo ? want : top - lo;
		if (obh_mem_write(fc->h->mem, buf + done, b->data + lo, take))
			return -OB_ABI_EFAULT;
		if (b->ahead) {
			s->st.ra_used += b->valid;
			b->ahead = false;
		}
		obh_fc_block_read(s, b, take);
		done += take;
		if (take < want)
			return done; /* the end of file */
	}
	return done;
}

static int64_t do_read(struct obh_fcache *fc, struct obhf_fd *cf, const struct obhf_op *op,
		       bool positioned)
{
	struct obh_fd *e = obh_fd_get(fc->h->fds, (int32_t)op->v[0]);
	int64_t pos = positioned ? (int32_t)op->v[3] : e->offset;
	uint32_t n = op->v[2];
	int64_t r = take_error(cf->file);
	if (r)
		return r;
	if ((e->flags & 3u) == OB__OPEN_FLAG__OPEN_WRONLY)
		return -OB_ABI_EBADF;
	if (pos < 0)
		return -OB_ABI_EINVAL;
	if (!n)
		return 0;
	bool seq = pos == cf->next;
	uint32_t ra = seq ? (cf->window ? cf->window : OBHF_RA_START) : 0;
	r = read_range(fc, cf, op, pos, n, op->v[1], ra);
	if (r == WAIT || r < 0)
		return r;
	/* Served: the window grows while the reader stays sequential. */
	if (seq) {
		uint32_t max = obhf_max_window(fc);
		cf->window = ra * 2 < max ? ra * 2 : max;
		read_ahead(fc, cf->file, pos + r, cf->window);
	} else {
		cf->window = 0;
	}
	cf->next = pos + r;
	if (!positioned)
		e->offset = pos + r;
	return r;
}

/* ---- writes ---- */

/* Put [lo, hi) of block i of f (guest bytes at src) into the cache. */
static int64_t write_block(struct obh_fcache *fc, struct obh_fc_file *f, int64_t i, uint32_t lo,
			   uint32_t hi, uint32_t src)
{
	struct obh_fc_store *s = &fc->s;
	struct obh_fc_block *b = obh_fc_block_find(s, f, i);
	if (b && b->loading)
		return WAIT;
	if (b && b->partial && (hi < b->dlo || lo > b->dhi)) {
		obhf_flush_block(fc, b); /* not contiguous: send the old range first */
		b = NULL;
	}
	if (!b) {
		if (!(b = obh_fc_block_new(s, f, i))) {
			if (!obhf_flush_file(fc, NULL) && !obh_router_in_flight(fc->h->router) &&
			    obh_router_state(fc->h->router, f->route) == OBH_DOMAIN_UP)
				return -OB_ABI_ENOMEM;
			return WAIT;
		}
		b->partial = true;
	}
	if (obh_mem_read(fc->h->mem, src, b->data + lo, hi - lo))
		return -OB_ABI_EFAULT;
	obh_fc_block_dirty(s, b, lo, hi);
	if (b->dlo == 0 && b->dhi == OBH_FC_BLOCK)
		obhf_flush_full_run(fc, f, i);
	return 0;
}

static int64_t do_write(struct obh_fcache *fc, struct obhf_fd *cf, const struct obhf_op *op,
			bool positioned)
{
	struct obh_fd *e = obh_fd_get(fc->h->fds, (int32_t)op->v[0]);
	struct obh_fc_file *f = cf->file;
	int64_t pos = positioned ? (int32_t)op->v[3] : e->offset;
	uint32_t n = op->v[2];
	int64_t r = take_error(f);
	if (r)
		return r;
	if ((e->flags & 3u) == OB__OPEN_FLAG__OPEN_RDONLY)
		return -OB_ABI_EBADF;
	if (pos < 0)
		return -OB_ABI_EINVAL;
	if (f->bytes_in_flight >= obhf_wb_window(fc) || f->replay)
		return WAIT; /* the plugin is behind: the writer waits */
	for (uint32_t done = 0; done < n;) {
		int64_t at = pos + done;
		uint32_t lo = (uint32_t)(at % OBH_FC_BLOCK);
		uint32_t take = n - done < OBH_FC_BLOCK - lo ? n - done : OBH_FC_BLOCK - lo;
		/* A retry after WAIT writes the same bytes again: harmless. */
		r = write_block(fc, f, at / OBH_FC_BLOCK, lo, lo + take, op->v[1] + done);
		if (r)
			return r;
		done += take;
	}
	if (f->eof_hint >= 0 && pos + n > f->eof_hint)
		f->eof_hint = -1;
	fc->s.st.wb_bytes += n;
	if (!positioned)
		e->offset = pos + n;
	return n;
}

/* ---- the calls ---- */

static int64_t do_lseek(struct obh_fcache *fc, struct obhf_fd *cf, const struct obhf_op *op)
{
	struct obh_fd *e = obh_fd_get(fc->h->fds, (int32_t)op->v[0]);
	int64_t off = (int32_t)op->v[1], to;
	int64_t r = take_error(cf->file);
	if (r)
		return r;
	switch (op->v[2]) {
	case OB__WHENCE__WHENCE_SET: to = off; break;
	case OB__WHENCE__WHENCE_CUR: to = e->offset + off; break;
	default: return settle(fc, cf->file) ? WAIT : OBH_FC_PASS; /* the plugin knows the end */
	}
	if (to < 0 || to > INT32_MAX)
		return to < 0 ? -OB_ABI_EINVAL : -OB_ABI_EOVERFLOW;
	e->offset = to;
	return to;
}

/* Close: every write confirmed first; an error not yet told is the result. */
static int64_t do_close(struct obh_fcache *fc, struct obhf_fd *cf, const struct obhf_op *op)
{
	struct obh_fc_file *f = cf->file;
	if (settle(fc, f))
		return WAIT;
	int64_t r = f->close_err ? abi(f->close_err) : 0;
	if (f->err) {
		f->err = 0;
		f->unreported = 0;
	}
	fd_detach(fc, op->v[0]);
	if (!r)
		return OBH_FC_PASS;
	const struct obh_fd *e = obh_fd_get(fc->h->fds, (int32_t)op->v[0]);
	if (e)
		obhf_send_close(fc, e->route, e->remote); /* the guest's answer is the error */
	return r;
}

/* Path calls: the file's writes first; then its cached blocks go. */
static int64_t on_path(struct obh_fcache *fc, const struct obhf_op *op, unsigned i,
		       bool invalidate, bool unkey)
{
	struct obh_fc_file *f = file_by_path(fc, op->str[i], false);
	if (!f)
		return OBH_FC_PASS;
	if (settle(fc, f))
		return WAIT;
	if (invalidate) {
		obh_fc_file_invalidate(&fc->s, f);
		if (unkey)
			obh_fc_file_unkey(f);
		obh_fc_file_put(&fc->s, f);
	}
	return OBH_FC_PASS;
}

static int64_t fd_call(struct obh_fcache *fc, struct obhf_fd *cf, const struct obhf_op *op)
{
	struct obh_fc_file *f = cf->file;
	int64_t r;
	if (cf->direct && op->c->num != OB__REQUEST__CALL_FS_CLOSE) {
		/* O_APPEND: the plugin does it, after this file's writes. */
		if (settle(fc, f))
			return WAIT;
		if (op->c->num == OB__REQUEST__CALL_FS_WRITE)
			obh_fc_file_invalidate(&fc->s, f);
		return (r = take_error(f)) ? r : OBH_FC_PASS;
	}
	switch (op->c->num) {
	case OB__REQUEST__CALL_FS_READ: return do_read(fc, cf, op, false);
	case OB__REQUEST__CALL_FS_PREAD: return do_read(fc, cf, op, true);
	case OB__REQUEST__CALL_FS_WRITE: return do_write(fc, cf, op, false);
	case OB__REQUEST__CALL_FS_PWRITE: return do_write(fc, cf, op, true);
	case OB__REQUEST__CALL_FS_LSEEK: return do_lseek(fc, cf, op);
	case OB__REQUEST__CALL_FS_CLOSE: return do_close(fc, cf, op);
	case OB__REQUEST__CALL_FS_FTRUNCATE:
		if (settle(fc, f))
			return WAIT;
		obh_fc_file_invalidate(&fc->s, f);
		return (r = take_error(f)) ? r : OBH_FC_PASS;
	case OB__REQUEST__CALL_FS_FSYNC:
		/* Errors are told at the next call, at fsync and at close
		 * (docs/faults.md): a write that took the error first does not
		 * make the next fsync say all is well. */
		if (settle(fc, f))
			return WAIT;
		r = take_error(f);
		if (!r && f->sync_err)
			r = abi(f->sync_err);
		f->sync_err = 0;
		return r ? r : OBH_FC_PASS;
	case OB__REQUEST__CALL_FS_FSTAT:
		if (settle(fc, f))
			return WAIT;
		return (r = take_error(f)) ? r : OBH_FC_PASS;
	default:
		return OBH_FC_PASS;
	}
}

static int64_t attempt(struct obh_fcache *fc, const struct obhf_op *op)
{
	const struct obh_call *c = op->c;
	switch (c->num) {
	case OB__REQUEST__CALL_FS_OPEN:
		return (op->v[1] & OB__OPEN_FLAG__OPEN_TRUNC) ? on_path(fc, op, 0, true, false)
							      : OBH_FC_PASS;
	case OB__REQUEST__CALL_FS_STAT:
		return on_path(fc, op, 0, false, false);
	case OB__REQUEST__CALL_FS_UNLINK:
		return on_path(fc, op, 0, true, true);
	case OB__REQUEST__CALL_FS_RENAME: {
		int64_t r = on_path(fc, op, 0, true, true);
		return r == OBH_FC_PASS ? on_path(fc, op, 1, true, true) : r;
	}
	default:
		break;
	}
	if (c->nargs == 0 || c->args[0].kind != OBH_A_FD)
		return OBH_FC_PASS;
	struct obhf_fd *cf = fd_view(fc, op->v[0]);
	return cf ? fd_call(fc, cf, op) : OBH_FC_PASS;
}

/* ---- parking and retrying ---- */

static void op_free(struct obhf_op *op)
{
	for (int i = 0; i < OBH_MAX_ARGS; i++)
		free(op->str[i]);
	if (op->free_result_arg)
		free(op->result_arg);
	free(op);
}

/* A parked call's outcome: deliver it, or send it on to the plugin. */
static void conclude(struct obh_fcache *fc, struct obhf_op *op, int64_t r0)
{
	struct obh_host *h = fc->h;
	if (r0 != OBH_FC_PASS)
		fc->s.st.served++;
	if (r0 == OBH_FC_PASS) {
		r0 = obh_remote_call(h, op->t, op->c, op->v, op->str, op->result, op->result_arg,
				     op->free_result_arg);
		if (op->c->num == OB__REQUEST__CALL_FS_CLOSE)
			obh_fd_release(h->fds, (int32_t)op->v[0]);
		if (r0 == OBH_BLOCKED) {
			op->free_result_arg = false; /* the call owns it now */
			op_free(op);
			return;
		}
	}
	if (r0 == OBH_PARKED) {
		op_free(op);
		return;
	}
	if (op->c->num == OB__REQUEST__CALL_FS_CLOSE && r0 < 0)
		obh_fd_release(h->fds, (int32_t)op->v[0]);
	obh_dispatch_finish(h, op->t, op->c, op->v, op->str, r0, op->result, op->result_arg, true,
			    op->start_ns);
	op_free(op);
}

void obhf_retry(struct obh_fcache *fc)
{
	struct obhf_op *list = fc->waiting, **tail = &fc->waiting;
	fc->waiting = NULL;
	while (list) {
		struct obhf_op *op = list;
		list = op->next;
		op->next = NULL;
		if (fc->h->exiting || op->t->state != OBH_T_WAITING || op->t->wait_data != op) {
			op_free(op);
			continue;
		}
		int64_t r0 = attempt(fc, op);
		if (r0 == WAIT) {
			while (*tail)
				tail = &(*tail)->next;
			*tail = op;
			continue;
		}
		conclude(fc, op, r0);
	}
}

int64_t obh_fcache_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			const uint32_t *v, char **str, obh_result_fn result, void *result_arg,
			bool free_result_arg)
{
	struct obh_fcache *fc = h->fcache;
	/* A call on an fd goes to the mount that opened it; a path call is only
	 * looked at (it waits for the writes of a cached file, then passes). */
	const struct obh_fd *e = c->nargs && c->args[0].kind == OBH_A_FD ?
				 obh_fd_get(h->fds, (int32_t)v[0]) : NULL;
	enum obh_domain_state st = obh_router_state(h->router, e ? e->route : OBH_DOMAIN_FS);
	if (st == OBH_DOMAIN_FAILED || st == OBH_DOMAIN_LOST) {
		/* Gone for good: every call says so (ENODEV, EIO), as without a
		 * cache; what it still held is lost and was reported. */
		if (c->num == OB__REQUEST__CALL_FS_CLOSE)
			fd_detach(fc, v[0]);
		return OBH_FC_PASS;
	}
	struct obhf_op probe = { .t = t, .c = c, .load_seq = fc->s.load_seq };
	memcpy(probe.v, v, sizeof(probe.v));
	memcpy(probe.str, str, sizeof(probe.str));
	int64_t r0 = attempt(fc, &probe);
	bool read = c->num == OB__REQUEST__CALL_FS_READ || c->num == OB__REQUEST__CALL_FS_PREAD;
	if (r0 != WAIT) {
		if (read && r0 >= 0 && r0 != OBH_FC_PASS)
			fc->s.st.hits++;
		if (r0 != OBH_FC_PASS)
			fc->s.st.served++;
		if (c->num == OB__REQUEST__CALL_FS_CLOSE && r0 != OBH_FC_PASS)
			obh_fd_release(h->fds, (int32_t)v[0]);
		return r0;
	}
	if (read)
		fc->s.st.misses++;
	struct obhf_op *op = malloc(sizeof(*op));
	if (!op)
		return -OB_ABI_ENOMEM;
	*op = probe;
	op->result = result;
	op->result_arg = result_arg;
	op->free_result_arg = free_result_arg;
	op->start_ns = obh_now_ns();
	memset(str, 0, sizeof(op->str));
	obh_sched_block(h, t, OBH_W_REPLY, NULL, -1, "fs cache");
	t->wait_data = op;
	struct obhf_op **tail = &fc->waiting; /* FIFO: one thread's calls keep their order */
	while (*tail)
		tail = &(*tail)->next;
	*tail = op;
	return OBH_BLOCKED;
}
