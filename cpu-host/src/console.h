/*
 * The console: guest fds 0, 1 and 2. They never leave the host: stdout and
 * stderr go straight to outboard-cpu's own, and stdin is outboard-cpu's
 * stdin (the launcher passes all three through).
 *
 * A read of stdin never blocks the engine. When stdin has something (data,
 * end of file, an error) the read is answered at once; otherwise the
 * thread waits (OBH_W_STDIN) and other threads run. The run loop polls fd 0
 * with the plugin fds while anyone waits (obh_console_pollfds), and
 * obh_console_process answers the waiting readers in arrival order. Every
 * read(2) asks for at most what the guest asked for, so nothing is read
 * ahead: bytes the guest has not asked for stay in the pipe or the
 * terminal. A terminal keeps its own modes (canonical, echo, ^D).
 */
#ifndef OBH_CONSOLE_H
#define OBH_CONSOLE_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "calls.h"
#include "dispatch.h"
#include "fdtable.h"
#include "host.h"
#include "scheduler.h"

/* How a console call that waited is finished (obh_dispatch_finish). */
struct obh_console_done {
	obh_result_fn result;   /* may be NULL */
	void *result_arg;
	bool free_result_arg;
	int64_t start_ns;       /* for the trace */
};

/*
 * Serve an fs call of thread t whose fd argument (v[0]) is a console fd.
 * Returns r0, or OBH_BLOCKED for a read of stdin that waits: t is parked,
 * the console then owns done->result_arg (freed when free_result_arg) and
 * finishes the call itself, waking t.
 */
int64_t obh_console_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
			 const struct obh_fd *f, const uint32_t *v,
			 const struct obh_console_done *done);

/* Is a guest thread waiting on stdin? */
bool obh_console_waiting(const struct obh_host *h);

/* The fd to poll for waiting readers (fd 0) into pfds (room for n):
 * 1, or 0 when nobody waits. */
int obh_console_pollfds(const struct obh_host *h, struct pollfd *pfds, int n);

/* Answer waiting readers from what stdin has now; never blocks. */
void obh_console_process(struct obh_host *h);

/* Drop the waiting readers (end of the run). */
void obh_console_fini(struct obh_host *h);

/* Is f a console fd whose host fd is a terminal? What qemu-arm answers:
 * interpreters choose between a prompt and a script by it. */
bool obh_console_isatty(const struct obh_fd *f);

/* Write len bytes to host fd (1 or 2) in full. 0 or -errno. */
int obh_console_write(int host_fd, const void *buf, uint32_t len);

#endif /* OBH_CONSOLE_H */
