/*
 * The file cache's requests to the fs plugin (see fcache.h): block loads,
 * write-behind, and replaying writes a dead plugin took with it.
 */
#include "fcache_priv.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "fs.pb-c.h"
#include "outboard.pb-c.h"
#include "outboard/log.h"
#include "router.h"

#define CAT OBHF_LOG

/* A load in flight: count blocks from first, made while f->gen was gen. */
struct load {
	struct obh_fcache *fc;
	struct obh_fc_file *file;
	int64_t first;
	unsigned count;
	uint32_t gen;
	int64_t sent_ns;
};

int64_t obhf_handle(struct obh_fcache *fc, struct obh_fc_file *f, bool want_write)
{
	for (int fd = 3; fd < OBH_MAX_FDS; fd++) {
		if (fc->fds[fd].file != f)
			continue;
		const struct obh_fd *e = obh_fd_get(fc->h->fds, fd);
		if (!e || e->stale || e->kind != OBH_FD_FILE)
			continue;
		uint32_t acc = e->flags & 3u;
		if (want_write ? acc != OB__OPEN_FLAG__OPEN_RDONLY : acc != OB__OPEN_FLAG__OPEN_WRONLY)
			return e->remote;
	}
	return -1;
}

uint32_t obhf_max_window(const struct obh_fcache *fc)
{
	/* Keep about 64 MB/s worth of round trips in flight on slow links
	 * (5 ms each way: 640 KiB), never less than OBHF_RA_MAX, never more
	 * than a quarter of the cache. */
	uint64_t w = (uint64_t)fc->rtt_ns * 64 / 1000;
	if (w < OBHF_RA_MAX)
		w = OBHF_RA_MAX;
	if (w > fc->s.limit / 4)
		w = fc->s.limit / 4;
	return w < OBH_FC_BLOCK ? OBH_FC_BLOCK : (uint32_t)w;
}

uint64_t obhf_wb_window(const struct obh_fcache *fc)
{
	/* 256 MB/s worth of round trips: 8 MiB covers every round trip up to
	 * 32 ms; past that the window grows with it, up to half the cache
	 * (write-behind buffers are the cache's memory). */
	uint64_t w = (uint64_t)fc->rtt_ns * 256 / 1000;
	uint64_t cap = fc->s.limit / 2 > OBHF_WB_MIN_WINDOW ? fc->s.limit / 2 : OBHF_WB_MIN_WINDOW;
	if (w < OBHF_WB_MIN_WINDOW)
		w = OBHF_WB_MIN_WINDOW;
	return w < cap ? w : cap;
}

static void up_again(void *arg, int err)
{
	struct obhf_up *u = arg;
	struct obh_fcache *fc = u->fc;
	(void)err; /* parked calls see the route's state when they retry */
	fc->h->pending_calls--;
	u->armed = false;
	obhf_retry(fc);
}

void obhf_arm_up(struct obh_fcache *fc, unsigned route)
{
	struct obhf_up *u = &fc->up[route];
	if (route >= OBH_MAX_ROUTES || u->armed)
		return;
	*u = (struct obhf_up){ .fc = fc, .route = route, .armed = true };
	fc->h->pending_calls++;
	obh_router_when_up(fc->h->router, route, up_again, u);
}

static int domain_errno(struct obh_fcache *fc, unsigned route)
{
	switch (obh_router_state(fc->h->router, route)) {
	case OBH_DOMAIN_UP: return 0;
	case OBH_DOMAIN_DOWN: return -EAGAIN;
	case OBH_DOMAIN_FAILED: return -ENODEV;
	default: return -EIO;
	}
}

/* ---- loads ---- */

/* The link's round trip, not our own queueing: a reply that waited behind
 * other loads would grow the window, which queues more. So follow the
 * fastest replies at once and slower ones only slowly. */
static void note_rtt(struct obh_fcache *fc, int64_t ns)
{
	if (!fc->rtt_samples++ || ns < fc->rtt_ns)
		fc->rtt_ns = ns;
	else
		fc->rtt_ns += (ns - fc->rtt_ns) / 64;
}

static void on_load(void *arg, int status, const Ob__Reply *rep)
{
	struct load *l = arg;
	struct obh_fcache *fc = l->fc;
	struct obh_fc_store *s = &fc->s;
	struct obh_fc_file *f = l->file;
	fc->h->pending_calls--;
	if (fc->closing) { /* the router is closing: the store goes next */
		free(l);
		return;
	}
	bool ok = rep && !rep->status && rep->result_case == OB__REPLY__RESULT_FS_PREAD &&
		  f->gen == l->gen;
	size_t got = ok ? rep->fs_pread->buf.len : 0;
	if (ok)
		note_rtt(fc, obh_now_ns() - l->sent_ns);
	else if (rep && rep->status && f->gen == l->gen)
		f->rerr = status;
	else if (!rep && !obh_router_recovering(fc->h->router, f->route))
		f->rerr = status == ETIMEDOUT ? ETIMEDOUT : EIO;
	else if (!rep)
		obhf_arm_up(fc, f->route); /* sent again when the restarted plugin is back */
	s->load_seq++;
	f->refs++;
	for (unsigned i = 0; i < l->count; i++) {
		struct obh_fc_block *b = obh_fc_block_find(s, f, l->first + i);
		if (!b || !b->loading)
			continue;
		size_t at = (size_t)i * OBH_FC_BLOCK;
		uint32_t n = got > at ? (uint32_t)(got - at < OBH_FC_BLOCK ? got - at : OBH_FC_BLOCK) : 0;
		b->loading = false;
		if (!n) {
			b->ahead = false;
			obh_fc_block_drop(s, b);
			continue;
		}
		memcpy(b->data, rep->fs_pread->buf.data + at, n);
		if (b->ahead)
			s->st.ra_bytes += n;
		b->valid = n;
		b->load_seq = s->load_seq;
		obh_fc_block_settle(s, b);
	}
	if (ok) {
		int64_t end = l->first * OBH_FC_BLOCK + (int64_t)got;
		if (got && f->eof_hint >= 0 && end > f->eof_hint)
			f->eof_hint = -1; /* it grew */
		if (got < (size_t)l->count * OBH_FC_BLOCK) {
			if (f->eof_hint < 0 || end < f->eof_hint)
				f->eof_hint = end;
			f->eof_seq = s->load_seq;
		}
	}
	f->refs--;
	obh_fc_file_put(s, f);
	free(l);
	obhf_retry(fc);
}

int obhf_load(struct obh_fcache *fc, struct obh_fc_file *f, int64_t first, unsigned count,
	      bool ahead)
{
	struct obh_fc_store *s = &fc->s;
	int err = domain_errno(fc, f->route);
	int64_t fd = obhf_handle(fc, f, false);
	if (err)
		return err;
	if (fd < 0)
		return -EBADF;
	struct load *l = calloc(1, sizeof(*l));
	if (!l)
		return -EAGAIN;
	*l = (struct load){ .fc = fc, .file = f, .first = first, .gen = f->gen };
	for (; l->count < count; l->count++) {
		struct obh_fc_block *b = obh_fc_block_new(s, f, first + l->count);
		if (!b)
			break;
		b->loading = true;
		b->ahead = ahead;
	}
	if (!l->count) {
		free(l);
		return -EAGAIN;
	}
	Ob__Request req = OB__REQUEST__INIT;
	Ob__FsPread pr = OB__FS_PREAD__INIT;
	pr.fd = (uint32_t)fd;
	pr.count = l->count * OBH_FC_BLOCK;
	pr.offset = first * OBH_FC_BLOCK;
	req.call_case = OB__REQUEST__CALL_FS_PREAD;
	req.fs_pread = &pr;
	req.deadline_ms = (uint32_t)fc->h->opts.call_timeout_ms;
	l->sent_ns = obh_now_ns();
	err = obh_router_call(fc->h->router, f->route, &req, on_load, l, NULL);
	if (err) {
		for (unsigned i = 0; i < l->count; i++) {
			struct obh_fc_block *b = obh_fc_block_find(s, f, first + i);
			b->ahead = false;
			obh_fc_block_drop(s, b);
		}
		free(l);
		return err == -ENOMEM ? -EAGAIN : err;
	}
	fc->h->pending_calls++;
	s->st.sent++;
	return 0;
}

static void on_close(void *arg, int status, const Ob__Reply *rep)
{
	struct obh_fcache *fc = arg;
	(void)status;
	(void)rep; /* the guest already has its answer: the write-behind error */
	fc->h->pending_calls--;
}

void obhf_send_close(struct obh_fcache *fc, unsigned route, uint32_t fd)
{
	Ob__Request req = OB__REQUEST__INIT;
	Ob__FsClose cl = OB__FS_CLOSE__INIT;
	cl.fd = fd;
	req.call_case = OB__REQUEST__CALL_FS_CLOSE;
	req.fs_close = &cl;
	if (obh_router_call(fc->h->router, route, &req, on_close, fc, NULL) == 0) {
		fc->h->pending_calls++;
		fc->s.st.sent++;
	} /* else the plugin is gone, and its handles with it */
}

/* ---- write-behind ---- */

bool obhf_settled(const struct obh_fc_file *f)
{
	return !f->dirty_blocks && !f->writes_in_flight && !f->replay && !f->replay_armed;
}

static void wreq_free(struct obh_fcache *fc, struct obh_fc_wreq *w)
{
	struct obh_fc_file *f = w->file;
	obh_fc_release_buffer(&fc->s, w->buf);
	free(w);
	obh_fc_file_put(&fc->s, f);
}

/* The write is lost for good: the guest hears at its next call on f. */
static void write_failed(struct obh_fcache *fc, struct obh_fc_wreq *w, int err)
{
	if (!w->file->err)
		w->file->err = err;
	if (!w->file->close_err)
		w->file->close_err = err;
	if (!w->file->sync_err)
		w->file->sync_err = err;
	w->file->unreported += w->len;
	fc->s.st.wb_errors++;
	OB_WARN(CAT, "a write-behind of %u bytes at %lld to %s failed: %s; the guest is told "
		     "at its next call on the file", w->len, (long long)w->offset,
		w->file->path ? w->file->path : "(unlinked file)", strerror(err));
	wreq_free(fc, w);
}

static void send_write(struct obh_fcache *fc, struct obh_fc_wreq *w);

static void replay_cb(void *arg, int err);

/* Queue w to be sent again, in order, once the plugin is back. */
static void queue_replay(struct obh_fcache *fc, struct obh_fc_wreq *w)
{
	struct obh_fc_file *f = w->file;
	struct obh_fc_wreq **pp = &f->replay;
	while (*pp && (*pp)->seq < w->seq)
		pp = &(*pp)->next;
	w->next = *pp;
	*pp = w;
	if (f->replay_armed)
		return;
	f->replay_armed = true;
	fc->h->pending_calls++;
	obh_router_when_up(fc->h->router, f->route, replay_cb, f);
}

static void replay_cb(void *arg, int err)
{
	struct obh_fc_file *f = arg;
	struct obh_fc_wreq *w = f->replay;
	struct obh_fcache *fc = w->fc; /* armed only with a write queued */
	fc->h->pending_calls--;
	f->replay_armed = false;
	f->replay = NULL;
	f->refs++; /* the last failure must not free f before the loop ends */
	while (w) {
		struct obh_fc_wreq *next = w->next;
		if (err) {
			write_failed(fc, w, err);
		} else {
			fc->s.st.wb_replayed++;
			send_write(fc, w);
		}
		w = next;
	}
	f->refs--;
	obh_fc_file_put(&fc->s, f);
	obhf_retry(fc);
}

static void on_write(void *arg, int status, const Ob__Reply *rep)
{
	struct obh_fc_wreq *w = arg;
	struct obh_fcache *fc = w->fc;
	struct obh_fc_file *f = w->file;
	fc->h->pending_calls--;
	f->writes_in_flight--;
	f->bytes_in_flight -= w->len;
	if (fc->closing) { /* counted as lost by the drain */
		wreq_free(fc, w);
		return;
	}
	if (rep && !rep->status && rep->result_case == OB__REPLY__RESULT_FS_PWRITE &&
	    rep->fs_pwrite->ret == (int64_t)w->len) {
		if (w->sent_ns) /* a writer alone times the link too */
			note_rtt(fc, obh_now_ns() - w->sent_ns);
		wreq_free(fc, w);
	}
	else if (rep)
		write_failed(fc, w, rep->status ? status : ENOSPC); /* a short write: full */
	else if ((status == ECANCELED || status == EIO) &&
		 obh_router_recovering(fc->h->router, f->route))
		queue_replay(fc, w);
	else
		write_failed(fc, w, status == ETIMEDOUT ? ETIMEDOUT : EIO);
	obhf_retry(fc);
}

static void send_write(struct obh_fcache *fc, struct obh_fc_wreq *w)
{
	int err = domain_errno(fc, w->file->route);
	int64_t fd = obhf_handle(fc, w->file, true);
	if (err == -EAGAIN) {
		queue_replay(fc, w); /* never sent: sending it later is safe */
		return;
	}
	if (!err && fd < 0)
		err = -EBADF;
	if (!err) {
		Ob__Request req = OB__REQUEST__INIT;
		Ob__FsPwrite pw = OB__FS_PWRITE__INIT;
		pw.fd = (uint32_t)fd;
		pw.buf.data = w->buf + w->lo;
		pw.buf.len = w->len;
		pw.count = w->len;
		pw.offset = w->offset;
		req.call_case = OB__REQUEST__CALL_FS_PWRITE;
		req.fs_pwrite = &pw;
		req.deadline_ms = (uint32_t)fc->h->opts.call_timeout_ms;
		err = obh_router_call(fc->h->router, w->file->route, &req, on_write, w, NULL);
	}
	if (err == -EIO && obh_router_recovering(fc->h->router, w->file->route)) {
		queue_replay(fc, w);
		return;
	}
	if (err) {
		write_failed(fc, w, -err);
		return;
	}
	OB_DEBUG(CAT, "file %u: write-behind of %u bytes at %lld", w->file->id, w->len,
		 (long long)w->offset);
	fc->h->pending_calls++;
	fc->s.st.wb_writes++;
	fc->s.st.sent++;
	w->sent_ns = w->file->writes_in_flight ? 0 : obh_now_ns();
	w->file->writes_in_flight++;
	w->file->bytes_in_flight += w->len;
}

void obhf_flush_block(struct obh_fcache *fc, struct obh_fc_block *b)
{
	struct obh_fc_wreq *w = calloc(1, sizeof(*w));
	if (!w) {
		/* Keep it dirty: a later flush tries again. */
		return;
	}
	*w = (struct obh_fc_wreq){ .fc = fc, .file = b->file, .lo = b->dlo,
				   .len = b->dhi - b->dlo, .seq = ++fc->write_seq };
	w->offset = b->index * OBH_FC_BLOCK + b->dlo;
	w->buf = obh_fc_block_detach(&fc->s, b);
	send_write(fc, w);
}

/* Block i of f, when it holds only dirty bytes from its start to its end. */
static struct obh_fc_block *full_dirty(struct obh_fcache *fc, struct obh_fc_file *f, int64_t i)
{
	struct obh_fc_block *b = i >= 0 ? obh_fc_block_find(&fc->s, f, i) : NULL;
	return b && !b->loading && b->dlo == 0 && b->dhi == OBH_FC_BLOCK ? b : NULL;
}

unsigned obhf_wb_run(const struct obh_fcache *fc)
{
	uint64_t n = fc->s.limit / 4 / OBH_FC_BLOCK;
	return n < 1 ? 1 : n > OBHF_WB_RUN_MAX ? OBHF_WB_RUN_MAX : (unsigned)n;
}

void obhf_flush_full_run(struct obh_fcache *fc, struct obh_fc_file *f, int64_t i)
{
	/* The run through i, looking no further than a run's length each way:
	 * a forward writer completes one at its last block, a backward one at
	 * its first, any other order whenever its blocks meet. */
	int64_t run = obhf_wb_run(fc), lo = i, hi = i;
	while (i - lo < run - 1 && full_dirty(fc, f, lo - 1))
		lo--;
	while (hi - i < run - 1 && full_dirty(fc, f, hi + 1))
		hi++;
	if (hi - lo + 1 < run)
		return;
	for (int64_t k = lo; k <= hi; k++)
		obhf_flush_block(fc, full_dirty(fc, f, k));
}

unsigned obhf_flush_file(struct obh_fcache *fc, struct obh_fc_file *f)
{
	struct obh_fc_store *s = &fc->s;
	unsigned n = 0;
	for (unsigned i = 0; i < s->hash_size; i++) {
		struct obh_fc_block *b = s->hash[i], *next;
		for (; b; b = next) {
			next = b->hnext;
			if ((!f || b->file == f) && b->dlo != b->dhi) {
				obhf_flush_block(fc, b);
				n++;
			}
		}
	}
	return n;
}

/* ---- the end of the run ---- */

static bool all_settled(struct obh_fcache *fc)
{
	for (struct obh_fc_file *f = fc->s.files; f; f = f->next)
		if (!obhf_settled(f))
			return false;
	return true;
}

uint64_t obh_fcache_drain(struct obh_host *h)
{
	struct obh_fcache *fc = h->fcache;
	if (!fc)
		return 0;
	obhf_flush_file(fc, NULL);
	/* A plugin being restarted gets its recovery time, then some. */
	int64_t give_up = obh_now_ns() + (int64_t)(OBH_RECOVERY_TIMEOUT_MS + 5000) * 1000000;
	while (!all_settled(fc) && obh_now_ns() < give_up) {
		struct pollfd pfds[64];
		int n = obh_router_pollfds(h->router, pfds, 64);
		int timeout = obh_router_timeout(h->router);
		if (timeout < 0 || timeout > 100)
			timeout = 100;
		poll(pfds, (nfds_t)n, timeout);
		obh_router_process(h->router);
	}
	uint64_t lost = 0;
	for (struct obh_fc_file *f = fc->s.files; f; f = f->next) {
		lost += f->bytes_in_flight;
		for (struct obh_fc_wreq *w = f->replay; w; w = w->next)
			lost += w->len;
		if (f->unreported) /* the guest made no call on the file after it failed */
			OB_ERROR(CAT, "%s: %llu bytes written by the guest were lost: %s",
				 f->path ? f->path : "an unlinked file",
				 (unsigned long long)f->unreported, strerror(f->err));
		lost += f->unreported;
	}
	if (lost)
		OB_ERROR(CAT, "%llu bytes written by the guest could not be sent to the fs plugin",
			 (unsigned long long)lost);
	fc->closing = true;
	return lost;
}
