/*
 * Restoring a restarted plugin (see recovery.h).
 */
#include "recovery.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fdtable.h"
#include "mounts.h"
#include "fs.pb-c.h"
#include "input.pb-c.h"
#include "outboard.pb-c.h"
#include "outboard/log.h"
#include "router.h"
#include "sound.pb-c.h"

#define CAT "recovery"

/* One restore run: counts the requests still unanswered. */
struct restore {
	struct obh_host *h;
	unsigned outstanding;
	unsigned reopened, lost;
	void (*done)(void *arg);
	void *arg;
};

/* One file or directory being reopened. */
struct reopen {
	struct restore *r;
	int32_t fd;
	unsigned route;             /* the fd's mount */
	uint32_t handle;
	uint32_t entries_left;      /* directories: readdirs still to skip */
};

void obh_recovery_note(struct obh_host *h, const struct obh_call *c, const uint32_t *v)
{
	if (c->num == OB__REQUEST__CALL_SOUND_OPEN) {
		h->sound_stream.open = true;
		h->sound_stream.rate = v[0];
		h->sound_stream.channels = v[1];
	} else if (c->num == OB__REQUEST__CALL_SOUND_CLOSE) {
		h->sound_stream.open = false;
	}
}

static void finished_one(struct restore *r)
{
	if (--r->outstanding)
		return;
	if (r->reopened || r->lost)
		OB_INFO(CAT, "%u files reopened on the restarted plugin, %u lost", r->reopened,
			r->lost);
	r->done(r->arg);
	free(r);
}

static void lose(struct reopen *o, const char *why)
{
	struct obh_fd *f = obh_fd_get(o->r->h->fds, o->fd);
	if (f) {
		f->stale = true;
		OB_WARN(CAT, "fd %d (%s) cannot be reopened on the restarted plugin: %s; "
			     "its calls now fail with EIO", o->fd, f->path ? f->path : "?", why);
	}
	o->r->lost++;
	finished_one(o->r);
	free(o);
}

static void reopened(struct reopen *o)
{
	struct obh_fd *f = obh_fd_get(o->r->h->fds, o->fd);
	if (f)
		f->remote = o->handle;
	o->r->reopened++;
	finished_one(o->r);
	free(o);
}

static int send(struct restore *r, unsigned route, Ob__Request *req, ob_reply_fn fn,
		void *arg)
{
	return obh_router_send_restore(r->h->router, route, req, fn, arg);
}

static void on_readdir(void *arg, int status, const Ob__Reply *rep);

/* Skip the entries the guest had already read. */
static void skip_entry(struct reopen *o)
{
	if (!o->entries_left) {
		reopened(o);
		return;
	}
	o->entries_left--;
	Ob__Request req = OB__REQUEST__INIT;
	Ob__FsReaddir rd = OB__FS_READDIR__INIT;
	rd.dir = o->handle;
	req.call_case = OB__REQUEST__CALL_FS_READDIR;
	req.fs_readdir = &rd;
	if (send(o->r, o->route, &req, on_readdir, o))
		lose(o, "the plugin went away again");
}

static void on_readdir(void *arg, int status, const Ob__Reply *rep)
{
	struct reopen *o = arg;
	if (!rep || rep->status || status)
		lose(o, "its entries cannot be read again");
	else
		skip_entry(o);
}

static void on_lseek(void *arg, int status, const Ob__Reply *rep)
{
	struct reopen *o = arg;
	if (!rep || rep->status || status)
		lose(o, "its offset cannot be restored");
	else
		reopened(o);
}

static void on_open(void *arg, int status, const Ob__Reply *rep)
{
	struct reopen *o = arg;
	const struct obh_fd *f = obh_fd_get(o->r->h->fds, o->fd);
	if (!rep || rep->status || status || !f) {
		lose(o, rep && rep->status ? strerror(status) : "no answer");
		return;
	}
	bool dir = f->kind == OBH_FD_DIR;
	o->handle = (uint32_t)(dir ? rep->fs_opendir->ret : rep->fs_open->ret);
	if (dir) {
		o->entries_left = f->dir_pos;
		skip_entry(o);
		return;
	}
	if (f->offset <= 0) {
		reopened(o);
		return;
	}
	Ob__Request req = OB__REQUEST__INIT;
	Ob__FsLseek ls = OB__FS_LSEEK__INIT;
	ls.fd = o->handle;
	ls.offset = f->offset;
	ls.whence = OB__WHENCE__WHENCE_SET;
	req.call_case = OB__REQUEST__CALL_FS_LSEEK;
	req.fs_lseek = &ls;
	if (send(o->r, o->route, &req, on_lseek, o))
		lose(o, "the plugin went away again");
}

static void reopen_fd(struct restore *r, int32_t fd, const struct obh_fd *f)
{
	struct reopen *o = calloc(1, sizeof(*o));
	Ob__Request req = OB__REQUEST__INIT;
	Ob__FsOpen op;
	Ob__FsOpendir od;
	ob__fs_open__init(&op);
	ob__fs_opendir__init(&od);
	r->outstanding++;
	if (!o) {
		r->lost++;
		finished_one(r);
		return;
	}
	o->r = r;
	o->fd = fd;
	o->route = f->route;
	char *path = obh_mounts_rel(r->h, f->route, f->path); /* inside the fd's mount */
	if (f->kind == OBH_FD_DIR) {
		od.path = path;
		req.call_case = OB__REQUEST__CALL_FS_OPENDIR;
		req.fs_opendir = &od;
	} else {
		op.path = path;
		op.flags = f->flags & ~(uint32_t)(OB__OPEN_FLAG__OPEN_CREAT | OB__OPEN_FLAG__OPEN_EXCL |
						   OB__OPEN_FLAG__OPEN_TRUNC);
		req.call_case = OB__REQUEST__CALL_FS_OPEN;
		req.fs_open = &op;
	}
	if (!f->path || send(r, o->route, &req, on_open, o))
		lose(o, f->path ? "the plugin went away again" : "its path is unknown");
}

static void on_sound_open(void *arg, int status, const Ob__Reply *rep)
{
	struct restore *r = arg;
	if (!rep || rep->status || status)
		OB_WARN(CAT, "the sound stream cannot be reopened on the restarted plugin");
	finished_one(r);
}

static void reopen_sound(struct restore *r)
{
	Ob__Request req = OB__REQUEST__INIT;
	Ob__SoundOpen so = OB__SOUND_OPEN__INIT;
	so.rate = r->h->sound_stream.rate;
	so.channels = r->h->sound_stream.channels;
	req.call_case = OB__REQUEST__CALL_SOUND_OPEN;
	req.sound_open = &so;
	r->outstanding++;
	if (send(r, OBH_DOMAIN_SOUND, &req, on_sound_open, r)) {
		OB_WARN(CAT, "the sound stream cannot be reopened: the plugin went away again");
		finished_one(r);
	}
}

int obh_recovery_restore(struct obh_host *h, uint64_t route_mask, void (*done)(void *arg),
			 void *arg)
{
	struct restore *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	*r = (struct restore){ .h = h, .outstanding = 1, .done = done, .arg = arg };
	/* Each fs mount restores the files opened on it, and only those. */
	for (int32_t fd = obh_fd_next_remote(h->fds, 0); fd >= 0;
	     fd = obh_fd_next_remote(h->fds, fd + 1)) {
		const struct obh_fd *f = obh_fd_get(h->fds, fd);
		if (!f->stale && f->route < 64 && (route_mask & (1ull << f->route)))
			reopen_fd(r, fd, f);
	}
	if ((route_mask & (1ull << OBH_DOMAIN_SOUND)) && h->sound_stream.open)
		reopen_sound(r);
	if (route_mask & (1ull << OBH_DOMAIN_INPUT))
		obh_router_start_input(h->router);
	finished_one(r); /* the initial count: done now if nothing is pending */
	return 0;
}
