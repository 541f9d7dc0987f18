/*
 * The plugin's one poll loop: the frame source's fds (the connection, or
 * stdin), the plugin's own fds (pollfds/timeout/process), and a signalfd
 * for SIGTERM and SIGINT, waited on together with the nearest timeout.
 * Signals are blocked and read from the fd, so no work ever happens in a
 * signal handler.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "sdk.h"

#define OBP_MAX_POLLFDS 64

int obp_signals_open(void)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigset_t set;
	int fd;

	/* A peer that vanishes mid-send must be an error return, not death. */
	sigemptyset(&ign.sa_mask);
	if (sigaction(SIGPIPE, &ign, NULL) < 0)
		return -errno;
	/* A write past RLIMIT_FSIZE (a guest's file, a PNG, a WAV) must be
	 * EFBIG for the caller, not the plugin's death. */
	if (sigaction(SIGXFSZ, &ign, NULL) < 0)
		return -errno;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	/* Before init and the connection start threads, so that every thread
	 * inherits the mask and the signals only ever reach the fd. */
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Read every pending signal; true when one asks us to stop. */
static bool drain_signals(int sigfd)
{
	struct signalfd_siginfo si;
	bool stop = false;

	while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		OB_INFO(OBP_LOG, "%s: shutting down", strsignal((int)si.ssi_signo));
		stop = true;
	}
	return stop;
}

static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* The plugin's fds go after ours; returns how many it added. */
static int plugin_pollfds(ob_plugin_ctx *p, struct pollfd *pfds, int room)
{
	int n;

	if (!p->plugin.pollfds || room <= 0)
		return 0;
	n = p->plugin.pollfds(p->ctx, pfds, room);
	if (n < 0 || n > room) {
		OB_ERROR(OBP_LOG, "%s: pollfds returned %d (room for %d); ignoring its fds",
			 p->plugin.name, n, room);
		return 0;
	}
	return n;
}

static bool any_ready(const struct pollfd *pfds, int n)
{
	for (int i = 0; i < n; i++)
		if (pfds[i].revents)
			return true;
	return false;
}

int obp_run(ob_plugin_ctx *p, int sigfd, const struct obp_source *src)
{
	struct pollfd pfds[OBP_MAX_POLLFDS];

	while (!p->stop) {
		int n = 0, first_plugin, n_plugin, timeout, plugin_timeout = -1, err;
		int64_t plugin_due = -1;

		pfds[n++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		err = src->pollfds(src->arg, pfds + n, OBP_MAX_POLLFDS - n);
		if (err < 0)
			return err;
		n += err;
		first_plugin = n;
		n_plugin = plugin_pollfds(p, pfds + n, OBP_MAX_POLLFDS - n);
		n += n_plugin;
		if (p->plugin.timeout)
			plugin_timeout = p->plugin.timeout(p->ctx);
		if (plugin_timeout >= 0)
			plugin_due = ob_now_ms() + plugin_timeout;
		timeout = min_timeout(src->timeout(src->arg), plugin_timeout);

		if (poll(pfds, (nfds_t)n, timeout) < 0 && errno != EINTR) {
			err = -errno;
			OB_ERROR(OBP_LOG, "poll: %s", strerror(errno));
			return err;
		}
		if (pfds[0].revents && drain_signals(sigfd))
			p->stop = true;
		err = src->process(src->arg);
		if (err < 0)
			return err;
		if (p->plugin.process && (any_ready(pfds + first_plugin, n_plugin) ||
					  (plugin_due >= 0 && ob_now_ms() >= plugin_due)))
			p->plugin.process(p->ctx, p);
		obp_send_credit(p);
	}
	return 0;
}
