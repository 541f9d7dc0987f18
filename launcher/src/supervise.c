/*
 * Supervising the children of `outboard run`: one poll loop over the
 * signal pipe, the children's output pipes and IPC connections, and the
 * timers of plugin restarts (revive.c).
 */
#define _GNU_SOURCE /* pipe2 */
#include "supervise.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outboard/log.h"
#include "sup_internal.h"

#define CAT "launcher"
#define MAX_POLLFDS 192 /* relays and connections of every plugin, mounts too */
/* How long leftover output of stopped plugins is still relayed. */
#define DRAIN_MS 500

static void child_reset(struct obl_child *c)
{
	memset(c, 0, sizeof(*c));
	c->domain = -1;
	c->out.fd = c->err.fd = -1;
}

int obl_sup_init(struct obl_sup *s, const struct obl_os *os)
{
	memset(s, 0, sizeof(*s));
	s->os = os;
	s->phase = OBL_STARTING;
	for (int d = 0; d < OBL_PLAN_SLOTS; d++)
		child_reset(&s->plugins[d]);
	child_reset(&s->host);
	s->signal_fd = os->catch_signals();
	return s->signal_fd < 0 ? s->signal_fd : 0;
}

static void reap_blocking(struct obl_sup *s, struct obl_child *c);

/* ---- starting children ---- */

int obl_sup_start_plugin(struct obl_sup *s, const struct obl_plugin_plan *pp)
{
	struct obl_child *c = &s->plugins[pp->slot];
	char dn[64];
	obl_domain_list(pp->domains, dn, sizeof(dn));
	int out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int rc = 0;
	if (devnull < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		rc = -errno;
		OB_ERROR(CAT, "%s plugin %s: cannot make pipes: %s", dn, pp->label, strerror(-rc));
		goto out;
	}
	/* A restarted backend continues its predecessor's output (plugin.h). */
	char restart_env[48];
	snprintf(restart_env, sizeof(restart_env), "OUTBOARD_PLUGIN_RESTART=%d", c->restarts);
	struct obl_spawn sp = {
		.path = pp->exe, .argv = pp->argv,
		.stdin_fd = devnull, .stdout_fd = out[1], .stderr_fd = err[1],
		.new_group = true, .env_add = c->restarts > 0 ? restart_env : NULL,
	};
	rc = s->os->spawn(&sp, &c->pid);
	if (rc < 0) {
		OB_ERROR(CAT, "%s plugin %s: cannot start %s: %s", dn, pp->label, pp->exe,
			 strerror(-rc));
		goto out;
	}
	OB_DEBUG(CAT, "%s plugin %s started, pid %d", dn, pp->label, (int)c->pid);
	c->pp = pp;
	c->label = pp->label;
	c->domain = (int)pp->domain;
	c->domains = pp->domains;
	c->running = true;
	c->ready = false;
	c->own_group = true;
	/* A restart: what the last process left unfinished goes out first. */
	obl_relay_close(&c->out);
	obl_relay_close(&c->err);
	obl_relay_init(&c->out, out[0], STDERR_FILENO, pp->label);
	obl_relay_init(&c->err, err[0], STDERR_FILENO, pp->label);
	out[0] = err[0] = -1;
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	if (devnull >= 0)
		close(devnull);
	return rc;
}

int obl_sup_start_host(struct obl_sup *s, const struct obl_plan *plan)
{
	struct obl_spawn sp = {
		.path = plan->cpu_exe, .argv = plan->cpu_argv,
		.stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1,
	};
	int rc = s->os->spawn(&sp, &s->host.pid);
	if (rc < 0) {
		OB_ERROR(CAT, "cannot start the CPU host %s: %s", plan->cpu_exe, strerror(-rc));
		return rc;
	}
	OB_DEBUG(CAT, "CPU host %s started, pid %d", plan->cpu_exe, (int)s->host.pid);
	static char cpu_label[] = "cpu";
	s->host.label = cpu_label;
	s->host.running = true;
	s->plan = plan;
	return 0;
}

void obl_sup_host_go(struct obl_sup *s)
{
	obl_sup_tell_ready(s);
	s->phase = OBL_RUNNING;
}

void obl_sup_stop_host(struct obl_sup *s)
{
	obl_sup_signal(s, &s->host, SIGKILL);
	reap_blocking(s, &s->host);
}

/* ---- events ---- */

void obl_sup_signal(struct obl_sup *s, struct obl_child *c, int signo)
{
	if (c->running)
		s->os->kill(c->own_group ? -c->pid : c->pid, signo);
}

void obl_sup_kill_all(struct obl_sup *s)
{
	obl_sup_signal(s, &s->host, SIGKILL);
	for (int d = 0; d < OBL_PLAN_SLOTS; d++)
		obl_sup_signal(s, &s->plugins[d], SIGKILL);
}

/* A death by a signal only a crash sends (the launcher sends SIGTERM and
 * SIGKILL, a terminal SIGINT): news even at an orderly end. */
static bool crashed(int code)
{
	switch (code - 128) {
	case SIGSYS: case SIGSEGV: case SIGBUS: case SIGABRT: case SIGFPE: case SIGILL:
	case SIGXFSZ: case SIGXCPU:
		return true;
	default:
		return false;
	}
}

static void plugin_exited(struct obl_sup *s, struct obl_child *c)
{
	char detail[64], dn[64];
	int code = obl_shell_status(c->status);
	/* The plugin's own line (relayed above) names the call. */
	const char *why = code == 128 + SIGSYS
		? " (a system call its seccomp filter forbids; docs/confinement.md)" : "";
	obl_describe_status(c->status, detail, sizeof(detail));
	obl_domain_list(c->domains, dn, sizeof(dn));
	switch (s->phase) {
	case OBL_STARTING:
		OB_ERROR(CAT, "%s plugin %s %s%s%s", dn, c->label, detail,
			 c->ready ? "" : " before answering Hello", why);
		s->plugin_failed = true;
		break;
	case OBL_RUNNING:
		OB_ERROR(CAT, "%s plugin %s %s%s%s", dn, c->label, detail,
			 c->ready ? "" : " before answering Hello", why);
		obl_revive_died(s, c, detail);
		break;
	case OBL_STOPPING: {
		/* A failure status at an orderly end is news (valgrind's
		 * --error-exitcode, a backend that could not finish its file),
		 * and so is a crash; SIGTERM or SIGKILL is not: the launcher
		 * may have sent it. */
		if ((code > 0 && code < 128) || crashed(code))
			OB_WARN(CAT, "%s plugin %s %s while shutting down%s", dn, c->label, detail,
				why);
		else
			OB_DEBUG(CAT, "%s plugin %s %s", dn, c->label, detail);
		break;
	}
	}
}

static struct obl_child *find_child(struct obl_sup *s, pid_t pid)
{
	if (s->host.running && s->host.pid == pid)
		return &s->host;
	for (int d = 0; d < OBL_PLAN_SLOTS; d++)
		if (s->plugins[d].running && s->plugins[d].pid == pid)
			return &s->plugins[d];
	return NULL;
}

static void child_reaped(struct obl_sup *s, struct obl_child *c, int status)
{
	c->running = false;
	c->status = status;
	/* Its last words come before the report of its death. */
	obl_relay_pump(&c->out);
	obl_relay_pump(&c->err);
	if (c == &s->host) {
		char detail[64];
		obl_describe_status(status, detail, sizeof(detail));
		/* A guest's fault is the host's report and exit 128+signal; the
		 * host itself dying of one is an emulator failure (or a limit
		 * such as RLIMIT_FSIZE), which must not pass without a word.
		 * Only a death by the signal tells the two apart. */
		if (WIFSIGNALED(status) && crashed(obl_shell_status(status)))
			OB_ERROR(CAT, "the CPU host %s: an emulator failure, not the guest's", detail);
		else
			OB_DEBUG(CAT, "CPU host %s", detail);
	} else {
		plugin_exited(s, c);
	}
}

static void reap_children(struct obl_sup *s)
{
	int status;
	pid_t pid;
	while ((pid = s->os->wait(-1, &status, false)) > 0) {
		struct obl_child *c = find_child(s, pid);
		if (c)
			child_reaped(s, c, status);
	}
}

static void stop_signal(struct obl_sup *s, const struct obl_signal *sig)
{
	char name[16];
	obl_signal_name(sig->signo, name, sizeof(name));
	switch (s->phase) {
	case OBL_STARTING:
		s->stop_signo = sig->signo;
		break;
	case OBL_RUNNING:
		if (++s->stop_signals >= 2) {
			OB_WARN(CAT, "second %s: killing everything", name);
			s->stop_signo = sig->signo;
			obl_sup_kill_all(s);
		} else if (!sig->from_terminal) {
			/* A terminal's ^C already reached the host, which is in our
			 * foreground process group. */
			OB_INFO(CAT, "forwarding %s to the CPU host", name);
			obl_sup_signal(s, &s->host, sig->signo);
		}
		break;
	case OBL_STOPPING:
		for (int d = 0; d < OBL_PLAN_SLOTS; d++)
			obl_sup_signal(s, &s->plugins[d], SIGKILL);
		break;
	}
}

static void handle_signals(struct obl_sup *s)
{
	struct obl_signal sig;
	while (s->os->next_signal(&sig) > 0) {
		if (sig.signo == SIGCHLD)
			reap_children(s);
		else
			stop_signal(s, &sig);
	}
	/* A SIGCHLD record lost to a full pipe must not hide an exit. */
	reap_children(s);
}

/* ---- the loop ---- */

struct poll_set {
	struct pollfd pfds[MAX_POLLFDS];
	struct obl_relay *relays[MAX_POLLFDS]; /* for each pfd: its relay, or NULL */
	int n;
	int timeout;
};

static void add_relay(struct poll_set *ps, struct obl_relay *r)
{
	if (r->fd < 0 || ps->n >= MAX_POLLFDS)
		return;
	ps->pfds[ps->n] = (struct pollfd){ .fd = r->fd, .events = POLLIN };
	ps->relays[ps->n++] = r;
}

static void add_conn(struct poll_set *ps, ob_conn *conn)
{
	if (!conn)
		return;
	int k = ob_conn_pollfds(conn, ps->pfds + ps->n, MAX_POLLFDS - ps->n);
	for (int i = 0; i < k; i++)
		ps->relays[ps->n + i] = NULL;
	ps->n += k > 0 ? k : 0;
	int t = ob_conn_timeout(conn);
	if (t >= 0 && (ps->timeout < 0 || t < ps->timeout))
		ps->timeout = t;
}

int obl_sup_step(struct obl_sup *s, ob_conn *const *extra, int n_extra, int timeout_ms)
{
	struct poll_set ps = { .n = 0, .timeout = timeout_ms };
	ps.pfds[ps.n] = (struct pollfd){ .fd = s->signal_fd, .events = POLLIN };
	ps.relays[ps.n++] = NULL;
	for (int d = 0; d < OBL_PLAN_SLOTS; d++) {
		add_relay(&ps, &s->plugins[d].out);
		add_relay(&ps, &s->plugins[d].err);
	}
	add_conn(&ps, s->control);
	for (int i = 0; i < n_extra; i++)
		add_conn(&ps, extra[i]);
	ob_conn *checks[OBL_PLAN_SLOTS];
	int n_checks = obl_revive_conns(s, checks, OBL_PLAN_SLOTS);
	for (int i = 0; i < n_checks; i++)
		add_conn(&ps, checks[i]);
	ps.timeout = obl_revive_timeout(s, ps.timeout);

	int rc = s->os->poll(ps.pfds, (nfds_t)ps.n, ps.timeout);
	if (rc < 0)
		return rc;
	for (int i = 1; i < ps.n; i++)
		if (ps.relays[i] && ps.pfds[i].revents)
			obl_relay_pump(ps.relays[i]);
	/* Connections never block in process, so run them every turn. */
	if (s->control)
		ob_conn_process(s->control);
	for (int i = 0; i < n_extra; i++)
		if (extra[i])
			ob_conn_process(extra[i]);
	/* Taken again: the host's RELEASED, just processed, closes the checks
	 * of plugins still starting on demand (obl_revive_stop). */
	n_checks = obl_revive_conns(s, checks, OBL_PLAN_SLOTS);
	for (int i = 0; i < n_checks; i++)
		ob_conn_process(checks[i]);
	/* Signals after output: a child's output is relayed before its death
	 * is told; restarts last, once the dead are known. */
	if (ps.pfds[0].revents)
		handle_signals(s);
	obl_revive_tick(s);
	return 0;
}

static bool any_plugin_running(const struct obl_sup *s)
{
	for (int d = 0; d < OBL_PLAN_SLOTS; d++)
		if (s->plugins[d].running)
			return true;
	return false;
}

static bool any_relay_open(const struct obl_sup *s)
{
	for (int d = 0; d < OBL_PLAN_SLOTS; d++)
		if (s->plugins[d].out.fd >= 0 || s->plugins[d].err.fd >= 0)
			return true;
	return false;
}

/* Run the loop while busy(s), for ms at most. */
static void step_until(struct obl_sup *s, bool (*busy)(const struct obl_sup *), int ms)
{
	int64_t deadline = s->os->now_ms() + ms;
	for (;;) {
		int64_t left = deadline - s->os->now_ms();
		if (!busy(s) || left <= 0)
			return;
		if (obl_sup_step(s, NULL, 0, (int)left) < 0)
			return;
	}
}

static void reap_blocking(struct obl_sup *s, struct obl_child *c)
{
	int status;
	if (c->running && s->os->wait(c->pid, &status, true) == c->pid)
		child_reaped(s, c, status);
	c->running = false;
}

static void terminate_plugins(struct obl_sup *s)
{
	s->phase = OBL_STOPPING;
	obl_revive_stop(s);
	for (int d = 0; d < OBL_PLAN_SLOTS; d++)
		obl_sup_signal(s, &s->plugins[d], SIGTERM);
}

void obl_sup_release_plugins(struct obl_sup *s)
{
	if (s->phase != OBL_RUNNING)
		return;
	OB_DEBUG(CAT, "the CPU host released its plugins: stopping them");
	terminate_plugins(s);
}

void obl_sup_stop_plugins(struct obl_sup *s, int grace_ms)
{
	terminate_plugins(s);
	step_until(s, any_plugin_running, grace_ms);
	for (int d = 0; d < OBL_PLAN_SLOTS; d++) {
		struct obl_child *c = &s->plugins[d];
		char dn[64];
		if (c->running)
			OB_WARN(CAT, "%s plugin %s did not stop within %d ms: killing it",
				obl_domain_list(c->domains, dn, sizeof(dn)), c->label, grace_ms);
		obl_sup_signal(s, c, SIGKILL);
		reap_blocking(s, c);
	}
	/* A grandchild may hold a pipe open: relay for a moment, then drop. */
	step_until(s, any_relay_open, DRAIN_MS);
	for (int d = 0; d < OBL_PLAN_SLOTS; d++) {
		obl_relay_close(&s->plugins[d].out);
		obl_relay_close(&s->plugins[d].err);
	}
}

void obl_sup_destroy(struct obl_sup *s)
{
	if (!s || !s->os)
		return;
	s->phase = OBL_STOPPING;
	obl_revive_stop(s);
	obl_sup_kill_all(s);
	reap_blocking(s, &s->host);
	for (int d = 0; d < OBL_PLAN_SLOTS; d++) {
		reap_blocking(s, &s->plugins[d]);
		obl_relay_close(&s->plugins[d].out);
		obl_relay_close(&s->plugins[d].err);
	}
	ob_conn_close(s->control, 0);
	s->control = NULL;
}
