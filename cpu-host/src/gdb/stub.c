/*
 * The gdb stub's connection and its glue to the run loop (see gdb.h).
 */
#define _GNU_SOURCE /* accept4, NI_MAXHOST */
#include "gdb.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel/kobjs.h"
#include "outboard/log.h"
#include "router.h"
#include "scheduler.h"
#include "stub_priv.h"
#include "symbols.h"

#define CAT "gdb"
#define MAX_POLLFDS 16
#define EXIT_KILLED (128 + SIGKILL) /* as a shell reports a killed program */

int obh_gdb_parse_addr(const char *spec, char *host, size_t cap, char *port, size_t pcap)
{
	const char *colon = strrchr(spec, ':');
	const char *p = colon ? colon + 1 : spec;
	char *end;
	errno = 0;
	long v = strtol(p, &end, 10);
	if (!*p || *end || errno || v < 0 || v > 65535)
		return -EINVAL;
	size_t hlen = colon ? (size_t)(colon - spec) : 0;
	/* [::1]:1234 */
	if (hlen >= 2 && spec[0] == '[' && spec[hlen - 1] == ']') {
		spec++;
		hlen -= 2;
	}
	if (colon && hlen == 0)
		return -EINVAL; /* ":1234": say which host, or give the port alone */
	if (hlen >= cap)
		return -EINVAL;
	/* Only localhost unless the user names another address. */
	snprintf(host, cap, "%.*s", (int)(colon ? hlen : 9), colon ? spec : "127.0.0.1");
	snprintf(port, pcap, "%ld", v);
	return 0;
}

static int listen_on(const char *spec, char *shown, size_t cap)
{
	char host[256], port[8];
	if (obh_gdb_parse_addr(spec, host, sizeof(host), port, sizeof(port))) {
		OB_ERROR(CAT, "bad --gdb address '%s': give PORT or HOST:PORT", spec);
		return -EINVAL;
	}
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE }, *res;
	int rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		OB_ERROR(CAT, "--gdb %s: %s", spec, gai_strerror(rc));
		return -EINVAL;
	}
	int fd = -1, err = -EADDRNOTAVAIL;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 1)) {
			err = -errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0) {
		OB_ERROR(CAT, "cannot listen on %s:%s: %s", host, port, strerror(-err));
		return err;
	}
	if (strcmp(host, "127.0.0.1") && strcmp(host, "localhost") && strcmp(host, "::1"))
		OB_WARN(CAT, "the gdb stub listens on %s: it has no authentication, anyone who "
			     "reaches it controls the guest", host);
	/* The port actually bound (PORT 0 picks a free one). */
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char hbuf[NI_MAXHOST], sbuf[NI_MAXSERV];
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, sl, hbuf, sizeof(hbuf), sbuf, sizeof(sbuf),
			NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		snprintf(shown, cap, strchr(hbuf, ':') ? "[%s]:%s" : "%s:%s", hbuf, sbuf);
	else
		snprintf(shown, cap, "%s:%s", host, port);
	return fd;
}

/* Guest time stands still while stopped: push every deadline the program
 * sees back by the stopped time. */
static void resume_clock(struct obh_host *h, int64_t stopped_ns)
{
	h->start_ns += stopped_ns;
	for (struct obh_thread *t = obh_sched_first(h); t; t = t->next_all)
		if (t->state == OBH_T_WAITING && t->deadline_ns != INT64_MAX)
			t->deadline_ns += stopped_ns;
	for (struct obh_timer *tm = h->timers; tm; tm = tm->next)
		tm->next_ns += stopped_ns;
}

/* Wait until fd is readable while the guest is stopped: the plugins are
 * held (heartbeats go on, replies and events wait). 0, or -errno when
 * poll fails. */
static int wait_stopped(struct obh_host *h, int fd)
{
	for (;;) {
		struct pollfd pfds[MAX_POLLFDS];
		pfds[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
		int n = 1 + obh_router_pollfds(h->router, pfds + 1, MAX_POLLFDS - 1);
		if (poll(pfds, (nfds_t)n, obh_router_timeout(h->router)) < 0 && errno != EINTR)
			return -errno;
		obh_router_process(h->router);
		if (pfds[0].revents)
			return 0;
	}
}

int obh_gdb_start(struct obh_host *h, const char *spec)
{
	char shown[320];
	struct obh_gdb *g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->h = h;
	g->fd = -1;
	g->listen_fd = listen_on(spec, shown, sizeof(shown));
	if (g->listen_fd < 0) {
		int err = g->listen_fd;
		free(g);
		return err;
	}
	fprintf(stderr, "outboard-cpu: waiting for gdb on %s (target remote %s)\n", shown, shown);
	fflush(stderr);
	/* Stopped at the entry already: the wait does not count as guest time. */
	int64_t t0 = obh_now_ns();
	obh_router_hold(h->router, true);
	do
		g->fd = wait_stopped(h, g->listen_fd) ? -1
						      : accept4(g->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	while (g->fd < 0 && (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED));
	obh_router_hold(h->router, false);
	resume_clock(h, obh_now_ns() - t0);
	close(g->listen_fd);
	g->listen_fd = -1;
	if (g->fd < 0) {
		int err = -errno;
		OB_ERROR(CAT, "accept: %s", strerror(errno));
		free(g);
		return err;
	}
	int one = 1;
	setsockopt(g->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	obg_session_init(&g->session, &obg_host_ops, g);
	struct obh_thread *main_thread = obh_thread_by_id(h, 1);
	g->symbols = obg_symbols_load(h->opts.program, main_thread ? main_thread->start_pc : 0);
	g->attached = true;
	g->stop = OBG_STOP_ENTRY;
	g->stop_tid = 1;
	/* Ctrl-C must stop a thread that computes without calls: while h->gdb
	 * is set the block hook stays installed (slicing.c), and slices end
	 * when the client's fd becomes readable (the preemption watcher). */
	h->gdb = g;
	OB_INFO(CAT, "gdb connected");
	return 0;
}

static void disconnect(struct obh_gdb *g)
{
	obg_points_clear(g);
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	g->attached = false;
	g->stop = OBG_STOP_NONE;
	obg_session_fini(&g->session);
}

void obh_gdb_destroy(struct obh_host *h)
{
	struct obh_gdb *g = h->gdb;
	if (!g)
		return;
	if (g->attached && h->uc)
		disconnect(g);
	else if (g->fd >= 0)
		close(g->fd);
	obg_symbols_free(g->symbols);
	free(g);
	h->gdb = NULL;
}

int obh_gdb_pollfds(struct obh_host *h, struct pollfd *pfds, int n)
{
	if (!h->gdb || !h->gdb->attached || n < 1)
		return 0;
	pfds[0] = (struct pollfd){ .fd = h->gdb->fd, .events = POLLIN };
	return 1;
}

/* A thread gdb can be told about: the one that stopped, if it lives. */
static uint32_t report_tid(struct obh_gdb *g)
{
	struct obh_thread *t = obh_thread_by_id(g->h, g->stop_tid);
	if (t && t->state != OBH_T_DEAD)
		return t->id;
	uint32_t ids[1];
	return obg_host_ops.threads(g, ids, 1) > 0 ? ids[0] : 1;
}

/* Read what the client sent. Returns the action asked for; *interrupted on 0x03. */
static enum obg_action read_client(struct obh_gdb *g, bool *interrupted)
{
	char buf[4096];
	ssize_t n = recv(g->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return OBG_ACT_NONE;
	if (n <= 0) {
		OB_WARN(CAT, "gdb went away%s%s: the program runs on", n ? ": " : "",
			n ? strerror(errno) : "");
		return OBG_ACT_CLOSE;
	}
	size_t off = 0;
	while (off < (size_t)n) {
		size_t used;
		enum obg_action act = obg_session_feed(&g->session, buf + off, (size_t)n - off,
						       &used, interrupted);
		off += used;
		if (act != OBG_ACT_NONE) {
			if (off < (size_t)n) /* gdb waits for our stop reply first */
				OB_DEBUG(CAT, "%zd bytes after a resume ignored", (ssize_t)n - (ssize_t)off);
			return act;
		}
	}
	return OBG_ACT_NONE;
}

/* Serve the client while the guest is stopped, until it resumes it. */
static void serve(struct obh_gdb *g)
{
	struct obh_host *h = g->h;
	int64_t t0 = obh_now_ns();
	enum obg_action act = OBG_ACT_NONE;
	/* The plugins' heartbeats go on; their replies and events wait. */
	obh_router_hold(h->router, true);
	while (act == OBG_ACT_NONE) {
		if (wait_stopped(h, g->fd)) {
			act = OBG_ACT_CLOSE;
			break;
		}
		bool interrupted = false; /* a Ctrl-C while stopped means nothing */
		act = read_client(g, &interrupted);
	}
	g->stop = OBG_STOP_NONE;
	switch (act) {
	case OBG_ACT_STEP:
		if (obg_step_begin(g, g->session.step_tid)) {
			OB_ERROR(CAT, "cannot install the step hook");
			g->stop = OBG_STOP_STEP; /* report at once rather than run away */
		}
		break;
	case OBG_ACT_KILL:
		fprintf(stderr, "outboard-cpu: the program was killed from gdb\n");
		disconnect(g);
		obh_host_exit(h, EXIT_KILLED);
		break;
	case OBG_ACT_DETACH:
		OB_INFO(CAT, "gdb detached: the program runs on");
		disconnect(g);
		break;
	case OBG_ACT_CLOSE:
		disconnect(g);
		break;
	default:
		break;
	}
	resume_clock(h, obh_now_ns() - t0);
	obh_router_hold(h->router, false);
}

static void report_and_serve(struct obh_gdb *g, const char *reply)
{
	if (obg_session_stop_reply(&g->session, reply)) {
		OB_WARN(CAT, "cannot reach gdb: the program runs on");
		disconnect(g);
		return;
	}
	serve(g);
}

void obh_gdb_check(struct obh_host *h)
{
	struct obh_gdb *g = h->gdb;
	if (!g || !g->attached)
		return;
	if (g->stop == OBG_STOP_NONE) {
		bool interrupted = false;
		enum obg_action act = read_client(g, &interrupted);
		if (act == OBG_ACT_CLOSE || act == OBG_ACT_KILL || act == OBG_ACT_DETACH) {
			disconnect(g);
			if (act == OBG_ACT_KILL)
				obh_host_exit(h, EXIT_KILLED);
			return;
		}
		if (interrupted) {
			struct obh_thread *cur = obh_sched_current(h);
			g->stop = OBG_STOP_INTERRUPT;
			g->stop_tid = cur ? cur->id : 0;
		}
	}
	/* A step whose thread ended: stop anyway, in another thread. */
	if (g->stop == OBG_STOP_NONE && g->stepping) {
		struct obh_thread *t = obh_thread_by_id(h, g->step_tid);
		if (!t || t->state == OBH_T_DEAD) {
			g->stop = OBG_STOP_STEP;
			g->stop_tid = 0;
		}
	}
	if (g->stop == OBG_STOP_NONE)
		return;
	obg_step_end(g);
	char reply[64];
	uint32_t tid = report_tid(g);
	if (g->stop == OBG_STOP_WATCH) {
		obg_watch_undo(g);
		snprintf(reply, sizeof(reply), "T05%s:%x;thread:%x;", g->watch_kind, g->watch_addr,
			 tid);
	} else {
		snprintf(reply, sizeof(reply), "T%02xthread:%x;",
			 g->stop == OBG_STOP_INTERRUPT ? SIGINT : SIGTRAP, tid);
	}
	g->session.g_tid = tid;
	if (g->stop == OBG_STOP_ENTRY) {
		/* Nothing ran yet: the client asks with '?' when it connects. */
		snprintf(g->session.last_stop, sizeof(g->session.last_stop), "%s", reply);
		serve(g);
		return;
	}
	report_and_serve(g, reply);
}

void obh_gdb_fault(struct obh_host *h, struct obh_thread *t)
{
	struct obh_gdb *g = h->gdb;
	if (!g || !g->attached)
		return;
	char reply[64];
	obg_step_end(g);
	snprintf(reply, sizeof(reply), "T%02xthread:%x;", h->fault.signal, t->id);
	g->session.g_tid = t->id;
	g->stop_tid = t->id;
	report_and_serve(g, reply);
	/* Whatever the client asked, a fault ends the run. */
}

void obh_gdb_exit(struct obh_host *h, int status)
{
	struct obh_gdb *g = h->gdb;
	if (!g || !g->attached)
		return;
	char reply[16];
	if (h->fault.pending && status > 128)
		snprintf(reply, sizeof(reply), "X%02x", (status - 128) & 0xff);
	else
		snprintf(reply, sizeof(reply), "W%02x", status & 0xff);
	obg_session_stop_reply(&g->session, reply);
	disconnect(g);
}
