/*
 * The console fds (see console.h).
 */
#include "console.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dispatch.h"
#include "fs.pb-c.h"
#include "layout.h"
#include "mem.h"
#include "outboard.pb-c.h"
#include "outboard/errno.h"

/* At most this much of stdin per guest read: a pipe's whole buffer. */
#define READ_CHUNK (64u * 1024u)

/* A guest read of stdin that found nothing to read, parked until input or
 * end of file arrives. Threads are named by id: a waiter may outlive its
 * thread (killed by an exit elsewhere), and a stale one consumes nothing. */
struct stdin_wait {
	struct stdin_wait *next;
	uint32_t tid;
	const struct obh_call *c;
	uint32_t v[OBH_MAX_ARGS];
	struct obh_console_done done;
};

/* The readers waiting on stdin, first come first served. */
struct obh_console_in {
	struct stdin_wait *head, **tail;
};

bool obh_console_isatty(const struct obh_fd *f)
{
	return f && f->kind == OBH_FD_CONSOLE && isatty(f->host_fd);
}

int obh_console_write(int host_fd, const void *buf, uint32_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(host_fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (uint32_t)n;
	}
	return 0;
}

static int64_t console_write(struct obh_mem *mem, const struct obh_fd *f, uint32_t addr,
			     uint32_t len)
{
	if (f->host_fd == 0)
		return -OB_ABI_EBADF;
	const void *direct = obh_mem_host_ptr(mem, addr, len, OBH_PROT_R);
	void *copy = NULL;
	if (!direct && len) {
		copy = malloc(len);
		if (!copy)
			return -OB_ABI_ENOMEM;
		if (obh_mem_read(mem, addr, copy, len)) {
			free(copy);
			return -OB_ABI_EFAULT;
		}
		direct = copy;
	}
	int err = obh_console_write(f->host_fd, direct, len);
	free(copy);
	return err ? -ob_errno_to_abi(-err) : (int64_t)len;
}

/* Would a read of fd 0 return at once (data, end of file or an error)? */
static bool stdin_ready(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	int r;
	do
		r = poll(&p, 1, 0);
	while (r < 0 && errno == EINTR);
	return r != 0; /* a poll error: let read() report it */
}

/* One read(2) of stdin into guest [addr, addr + len): bytes read, 0 at end
 * of file, -EAGAIN when a non-blocking stdin has nothing after all, or
 * another -ABI errno. */
static int64_t stdin_read(struct obh_mem *mem, uint32_t addr, uint32_t len)
{
	if (len > READ_CHUNK)
		len = READ_CHUNK; /* a short read, as from any pipe */
	/* Checked again here: the buffer may have gone while the thread
	 * waited, and input read into nowhere would be lost. */
	if (obh_mem_check(mem, addr, len, OBH_PROT_W))
		return -OB_ABI_EFAULT;
	void *direct = obh_mem_host_ptr(mem, addr, len, OBH_PROT_W);
	void *buf = direct ? direct : malloc(len);
	if (!buf)
		return -OB_ABI_ENOMEM;
	ssize_t n;
	do
		n = read(0, buf, len);
	while (n < 0 && errno == EINTR);
	int64_t r0 = n >= 0 ? n : errno == EAGAIN ? -EAGAIN : -ob_errno_to_abi(errno);
	if (n > 0 && !direct && obh_mem_write(mem, addr, buf, (uint32_t)n))
		r0 = -OB_ABI_EFAULT;
	if (!direct)
		free(buf);
	return r0;
}

/* Park thread t on stdin. OBH_BLOCKED, or -ENOMEM (nothing parked). */
static int64_t stdin_park(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			  const uint32_t *v, const struct obh_console_done *done)
{
	struct obh_console_in *in = h->console_in;
	if (!in) {
		in = calloc(1, sizeof(*in));
		if (!in)
			return -OB_ABI_ENOMEM;
		in->tail = &in->head;
		h->console_in = in;
	}
	struct stdin_wait *w = calloc(1, sizeof(*w));
	if (!w)
		return -OB_ABI_ENOMEM;
	w->tid = t->id;
	w->c = c;
	memcpy(w->v, v, sizeof(w->v));
	w->done = *done;
	*in->tail = w;
	in->tail = &w->next;
	obh_sched_block(h, t, OBH_W_STDIN, NULL, -1, "stdin");
	return OBH_BLOCKED;
}

static int64_t console_read(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			    const struct obh_fd *f, const uint32_t *v,
			    const struct obh_console_done *done)
{
	if (f->host_fd != 0)
		return -OB_ABI_EBADF;
	if (v[2] == 0)
		return 0;
	/* Behind readers already waiting, or with nothing to read yet: wait. */
	if (!obh_console_waiting(h) && stdin_ready()) {
		int64_t r0 = stdin_read(h->mem, v[1], v[2]);
		if (r0 != -EAGAIN)
			return r0;
	}
	return stdin_park(h, t, c, v, done);
}

bool obh_console_waiting(const struct obh_host *h)
{
	return h->console_in && h->console_in->head;
}

int obh_console_pollfds(const struct obh_host *h, struct pollfd *pfds, int n)
{
	if (n < 1 || !obh_console_waiting(h))
		return 0;
	pfds[0] = (struct pollfd){ .fd = 0, .events = POLLIN };
	return 1;
}

static void wait_free(struct stdin_wait *w)
{
	if (w->done.free_result_arg)
		free(w->done.result_arg);
	free(w);
}

static struct stdin_wait *wait_pop(struct obh_console_in *in)
{
	struct stdin_wait *w = in->head;
	in->head = w->next;
	if (!in->head)
		in->tail = &in->head;
	return w;
}

void obh_console_process(struct obh_host *h)
{
	struct obh_console_in *in = h->console_in;
	static char *const no_str[OBH_MAX_ARGS];
	while (in && in->head) {
		struct obh_thread *t = obh_thread_by_id(h, in->head->tid);
		if (!t || t->state != OBH_T_WAITING || t->wait != OBH_W_STDIN) {
			wait_free(wait_pop(in)); /* its thread is gone: it reads nothing */
			continue;
		}
		if (!stdin_ready())
			return;
		struct stdin_wait *w = in->head;
		int64_t r0 = stdin_read(h->mem, w->v[1], w->v[2]);
		if (r0 == -EAGAIN)
			return;
		wait_pop(in);
		obh_dispatch_finish(h, t, w->c, w->v, no_str, r0, w->done.result,
				    w->done.result_arg, true, w->done.start_ns);
		wait_free(w);
	}
}

void obh_console_fini(struct obh_host *h)
{
	struct obh_console_in *in = h->console_in;
	if (!in)
		return;
	while (in->head)
		wait_free(wait_pop(in));
	free(in);
	h->console_in = NULL;
}

static int64_t console_fstat(struct obh_mem *mem, uint32_t addr)
{
	Ob__FileStat st = OB__FILE_STAT__INIT;
	uint8_t buf[128];
	st.type = OB__FILE_TYPE__FILE_TYPE_OTHER;
	st.mode = 0620;
	st.nlink = 1;
	st.blksize = 1024;
	obh_layout_encode(&ob__file_stat__descriptor, &st.base, buf);
	int err = obh_mem_write(mem, addr, buf, obh_layout_size(&ob__file_stat__descriptor));
	return err ? -OB_ABI_EFAULT : 0;
}

int64_t obh_console_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			 const struct obh_fd *f, const uint32_t *v,
			 const struct obh_console_done *done)
{
	struct obh_mem *mem = h->mem;
	switch (c->num) {
	case OB__REQUEST__CALL_FS_WRITE:
		return console_write(mem, f, v[1], v[2]);
	case OB__REQUEST__CALL_FS_READ:
		return console_read(h, t, c, f, v, done);
	case OB__REQUEST__CALL_FS_FSTAT:
		return console_fstat(mem, v[1]);
	case OB__REQUEST__CALL_FS_CLOSE:
	case OB__REQUEST__CALL_FS_FSYNC:
		return 0;
	case OB__REQUEST__CALL_FS_LSEEK:
	case OB__REQUEST__CALL_FS_PREAD:
	case OB__REQUEST__CALL_FS_PWRITE:
		return -OB_ABI_ESPIPE;
	default:
		return -OB_ABI_EINVAL;
	}
}
