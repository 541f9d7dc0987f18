/*
 * Preemption watcher (see preempt.h).
 *
 * Protocol: arm() clears the flag, bumps a generation under the lock and
 * wakes the watcher; the watcher polls the plugin fds plus an eventfd until
 * the deadline; then, if the same generation is still armed, it raises the
 * flag, which the engine's block hook consumes (obh_preempt_due).
 * disarm() clears the generation and kicks the eventfd so the watcher
 * leaves poll() at once.
 *
 * Slices without the block hook do without the thread: waking it to watch
 * and kicking it off again cost two context switches per slice, a third of
 * a plugin round trip when the slices are short (one blocking call after
 * another: docs/performance.md, figure 3). The trap hook polls the fds
 * itself instead, without waiting, at most once per OBH_TRAP_POLL_NS.
 */
#define _GNU_SOURCE
#include "preempt.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "scheduler.h"

#define MAX_FDS 16
/* How often, at most, the trap hook polls the plugin fds: a poll() per
 * interval, and per trap a read of the coarse clock (about 6 ns here,
 * against 28 for CLOCK_MONOTONIC and 150 for a host-handled call). The
 * coarse clock moves once a kernel tick (1-4 ms), so the interval is in
 * practice a tick. */
#define OBH_TRAP_POLL_NS (1000 * 1000)

struct obh_preempt {
	struct obh_preempt_flag flag; /* first: obh_preempt_due reads it (preempt.h) */
	uc_engine *uc;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int kick_fd;
	bool quit;
	bool armed;
	uint64_t generation;
	int64_t deadline_ns;
	struct pollfd fds[MAX_FDS + 1];
	int nfds;
	uint64_t stops;
	/* The main thread's own watch (obh_preempt_trap_watch), never shared. */
	struct pollfd trap_fds[MAX_FDS];
	int trap_nfds;
	int64_t trap_next_ns;
};

static int ms_until(int64_t deadline_ns)
{
	if (deadline_ns == INT64_MAX)
		return -1;
	int64_t left = deadline_ns - obh_now_ns();
	if (left <= 0)
		return 0;
	return (int)((left + 999999) / 1000000);
}

static int64_t coarse_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void drain_kick(struct obh_preempt *p)
{
	uint64_t v;
	while (read(p->kick_fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		;
}

static void *watch(void *arg)
{
	struct obh_preempt *p = arg;
	struct pollfd fds[MAX_FDS + 1];

	pthread_mutex_lock(&p->lock);
	while (!p->quit) {
		if (!p->armed) {
			pthread_cond_wait(&p->cond, &p->lock);
			continue;
		}
		uint64_t gen = p->generation;
		int n = p->nfds;
		memcpy(fds, p->fds, sizeof(fds[0]) * (size_t)n);
		int timeout = ms_until(p->deadline_ns);
		pthread_mutex_unlock(&p->lock);

		int r = poll(fds, (nfds_t)n, timeout);
		drain_kick(p);

		pthread_mutex_lock(&p->lock);
		bool fd_ready = false;
		for (int i = 1; r > 0 && i < n; i++)
			fd_ready |= (fds[i].revents != 0);
		bool expired = ms_until(p->deadline_ns) == 0;
		if ((fd_ready || expired) && p->armed && p->generation == gen) {
			atomic_store_explicit(&p->flag.due, true, memory_order_release);
			p->stops++;
			/* One stop per slice: wait for the next arm (or quit). */
			while (!p->quit && p->armed && p->generation == gen)
				pthread_cond_wait(&p->cond, &p->lock);
		}
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int obh_preempt_create(uc_engine *uc, struct obh_preempt **out)
{
	struct obh_preempt *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->uc = uc;
	p->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->kick_fd < 0) {
		int err = -errno;
		free(p);
		return err;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	int err = pthread_create(&p->thread, NULL, watch, p);
	if (err) {
		close(p->kick_fd);
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->cond);
		free(p);
		return -err;
	}
	*out = p;
	return 0;
}

void obh_preempt_destroy(struct obh_preempt *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->quit = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	uint64_t one = 1;
	(void)!write(p->kick_fd, &one, sizeof(one));
	pthread_join(p->thread, NULL);
	close(p->kick_fd);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p);
}

void obh_preempt_arm(struct obh_preempt *p, int64_t deadline_ns, const struct pollfd *pfds,
		     int n)
{
	if (n > MAX_FDS)
		n = MAX_FDS;
	pthread_mutex_lock(&p->lock);
	p->fds[0] = (struct pollfd){ .fd = p->kick_fd, .events = POLLIN };
	for (int i = 0; i < n; i++) {
		p->fds[i + 1] = pfds[i];
		p->fds[i + 1].events = POLLIN;
		p->fds[i + 1].revents = 0;
	}
	p->nfds = n + 1;
	p->deadline_ns = deadline_ns;
	atomic_store_explicit(&p->flag.due, false, memory_order_relaxed);
	p->generation++;
	p->armed = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

void obh_preempt_disarm(struct obh_preempt *p)
{
	pthread_mutex_lock(&p->lock);
	p->armed = false;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	uint64_t one = 1;
	(void)!write(p->kick_fd, &one, sizeof(one));
}

void obh_preempt_trap_watch(struct obh_preempt *p, const struct pollfd *pfds, int n)
{
	if (n > MAX_FDS)
		n = MAX_FDS;
	for (int i = 0; i < n; i++)
		p->trap_fds[i] = (struct pollfd){ .fd = pfds[i].fd, .events = POLLIN };
	p->trap_nfds = n;
	p->trap_next_ns = coarse_now_ns() + OBH_TRAP_POLL_NS;
}

bool obh_preempt_trap_due(struct obh_preempt *p)
{
	if (p->trap_nfds == 0)
		return false;
	int64_t now = coarse_now_ns();
	if (now < p->trap_next_ns)
		return false;
	p->trap_next_ns = now + OBH_TRAP_POLL_NS;
	if (poll(p->trap_fds, (nfds_t)p->trap_nfds, 0) <= 0)
		return false;
	p->stops++;
	return true;
}

uint64_t obh_preempt_count(const struct obh_preempt *p)
{
	return p->stops;
}
