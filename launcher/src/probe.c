/*
 * The launcher's Hello check of a plugin: of each before the CPU host
 * starts, and of a restarted one.
 */
#include "probe.h"

#include "outboard/key.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outboard/log.h"
#include "supervise.h"

#define CAT "launcher"

__attribute__((format(printf, 3, 4)))
static void probe_fail(struct obl_probe *p, int err, const char *fmt, ...)
{
	if (p->result != 0)
		return;
	p->result = err;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
}

static bool serves(const Ob__Hello *h, enum obl_domain d)
{
	for (size_t i = 0; i < h->n_domains; i++)
		if ((int)h->domains[i] == obl_wire_domain(d))
			return true;
	return false;
}

static void probe_on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	(void)conn;
	struct obl_probe *p = arg;
	if (env->body_case != OB__ENVELOPE__BODY_HELLO || p->result != 0)
		return;
	const Ob__Hello *h = env->hello;
	if (h->status != 0) {
		probe_fail(p, -EPROTO, "refused the handshake: %s",
			   h->error && *h->error ? h->error : "no reason given");
		return;
	}
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		if ((p->pp->domains & OBL_DOMAIN_BIT(d)) && !serves(h, (enum obl_domain)d)) {
			probe_fail(p, -EPROTO, "does not serve the %s domain",
				   obl_domain_name((enum obl_domain)d));
			return;
		}
	}
	char dn[64];
	OB_DEBUG(CAT, "%s plugin %s answered: backend %s %s",
		 obl_domain_list(p->pp->domains, dn, sizeof(dn)), p->pp->label, h->backend,
		 h->backend_version);
	p->result = 1;
}

static void probe_on_error(void *arg, ob_conn *conn, int err, const char *what)
{
	(void)conn;
	struct obl_probe *p = arg;
	probe_fail(p, -(err < 0 ? -err : err), "handshake failed: %s", what ? what : "?");
}

void obl_probe_fail(struct obl_probe *p, int err, const char *why)
{
	probe_fail(p, err, "%s", why);
}

void obl_probe_close(struct obl_probe *p)
{
	ob_conn_close(p->conn, 0);
	p->conn = NULL;
}

int obl_probe_open(struct obl_probe *p, const struct obl_plugin_plan *pp,
		   const uint8_t *key)
{
	*p = (struct obl_probe){ .pp = pp };
	struct ob_conn_opts opts = { .name = p->pp->label, .no_heartbeat = true };
	/* A remote tcp:// plugin proves the shared key; local ones have none. */
	if (strncmp(pp->url, "tcp://", 6) == 0)
		opts.key = key;
	struct ob_conn_callbacks cbs = {
		.on_message = probe_on_message, .on_error = probe_on_error,
	};
	int rc = ob_conn_dial(p->pp->url, &opts, &cbs, p, &p->conn);
	if (rc == 0) {
		/* The init function, not OB__HELLO__INIT, whose casts drop const. */
		static char role[] = "launcher";
		Ob__Hello hello;
		ob__hello__init(&hello);
		hello.role = role;
		rc = ob_conn_hello(p->conn, &hello);
	}
	if (rc < 0)
		probe_fail(p, rc, "cannot dial it: %s", strerror(-rc));
	return rc;
}

/* 1 when every probe has answered, 0 while some wait, or the first
 * failure. */
static int probes_state(const struct obl_probe *probes, int n)
{
	int done = 1;
	for (int i = 0; i < n; i++) {
		if (probes[i].result < 0)
			return probes[i].result;
		if (probes[i].result == 0)
			done = 0;
	}
	return done;
}

/* connect(2) to "host:port" once, blocking up to the kernel's verdict on
 * a refusal (immediate) or 1 s: 0 when it connects (or the address does
 * not parse), else its errno. */
static int tcp_connect_errno(const char *hostport)
{
	char host[256];
	const char *colon = strrchr(hostport, ':');
	if (!colon || (size_t)(colon - hostport) >= sizeof(host))
		return 0;
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = '\0';
	if (host[0] == '[') { /* [::1]:5555 */
		memmove(host, host + 1, strlen(host));
		host[strcspn(host, "]")] = '\0';
	}
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai)
		return 0;
	int err = 0;
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		err = errno;
		if (err == EINPROGRESS) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			socklen_t len = sizeof(err);
			err = 0;
			if (poll(&pfd, 1, 1000) == 1)
				getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
		}
	}
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return err;
}

static void report(const struct obl_probe *p)
{
	const struct obl_plugin_plan *pp = p->pp;
	char dn[64];
	obl_domain_list(pp->domains, dn, sizeof(dn));
	if (pp->kind == OBL_PLUGIN_LOCAL)
		OB_ERROR(CAT, "%s plugin %s (%s) %s", dn, pp->label, pp->url, p->why);
	else
		OB_ERROR(CAT, "%s plugin at %s %s", dn, pp->url, p->why);
}

/* A remote probe whose connection attempts fail at once (nothing listens,
 * no route): failed with the reason a plain connect gives. True if any. */
static bool refused(struct obl_probe *probes, int n)
{
	bool any = false;
	for (int i = 0; i < n; i++) {
		struct obl_probe *p = &probes[i];
		if (p->result != 0 || strncmp(p->pp->url, "tcp://", 6) != 0 ||
		    ob_conn_connect_errors(p->conn) == 0)
			continue;
		int err = tcp_connect_errno(p->pp->url + 6);
		if (err) {
			probe_fail(p, -err, "cannot be reached: %s", strerror(err));
			any = true;
		}
	}
	return any;
}

static int wait_answers(struct obl_sup *s, const struct obl_plan *plan, struct obl_probe *probes,
			ob_conn **conns, int n)
{
	int64_t deadline = s->os->now_ms() + plan->plugin_timeout_ms;
	for (;;) {
		int state = probes_state(probes, n);
		if (state != 0)
			return state > 0 ? 0 : state;
		if (s->plugin_failed)
			return -ECHILD;
		if (s->host.pid > 0 && !s->host.running)
			return -ESRCH; /* a bad program, say: nothing to wait for */
		if (s->stop_signo)
			return -EINTR;
		int64_t left = deadline - s->os->now_ms();
		if (left <= 0) {
			char why[64];
			snprintf(why, sizeof(why), "did not answer Hello within %d ms",
				 plan->plugin_timeout_ms);
			for (int i = 0; i < n; i++)
				probe_fail(&probes[i], -ETIMEDOUT, "%s", why);
			return -ETIMEDOUT;
		}
		/* nanomsg redials a refused tcp:// peer silently: look. */
		if (refused(probes, n))
			return -ECONNREFUSED;
		int rc = obl_sup_step(s, conns, n, left > 100 ? 100 : (int)left);
		if (rc < 0)
			return rc;
	}
}

int obl_probe_plugins(struct obl_sup *s, const struct obl_plan *plan)
{
	struct obl_probe probes[OBL_PLAN_SLOTS];
	ob_conn *conns[OBL_PLAN_SLOTS];
	int n = 0, rc = 0;
	uint8_t key[OB_KEY_BYTES];
	bool have_key = plan->key_file && ob_key_load(plan->key_file, key) == 0;
	for (int d = 0; d < OBL_PLAN_SLOTS; d++) {
		const struct obl_plugin_plan *pp = &plan->plugins[d];
		/* One probe per process: a shared domain is its owner's. */
		if ((pp->kind != OBL_PLUGIN_LOCAL && pp->kind != OBL_PLUGIN_REMOTE) ||
		    pp->on_demand)
			continue;
		if (pp->kind == OBL_PLUGIN_REMOTE && strncmp(pp->url, "tcp://", 6) == 0 &&
		    !have_key) {
			char dn[64];
			fprintf(stderr, "outboard: the %s plugin at %s is remote: it needs the "
					"shared key (--key FILE; outboard-keygen makes one)\n",
				obl_domain_list(pp->domains, dn, sizeof(dn)), pp->url);
			return -EACCES;
		}
		if (obl_probe_open(&probes[n], pp, have_key ? key : NULL) < 0 && rc == 0)
			rc = probes[n].result;
		conns[n] = probes[n].conn;
		n++;
	}
	if (rc == 0)
		rc = wait_answers(s, plan, probes, conns, n);
	for (int i = 0; i < n; i++) {
		if (probes[i].result < 0)
			report(&probes[i]);
		else if (probes[i].result > 0 && probes[i].pp->kind == OBL_PLUGIN_LOCAL)
			s->plugins[probes[i].pp->slot].ready = true;
		obl_probe_close(&probes[i]);
	}
	return rc;
}
