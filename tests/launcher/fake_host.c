/*
 * fake-host: stands in for outboard-cpu in the launcher's tests. It takes
 * the CPU host's command line,
 *
 *   fake-host --plugin D=URL... --control URL [--wait-ready] [--log-level L] [--trace T]
 *             [--stats] [--heap-max S] [--stack S] [--plugin-timeout MS] [--call-timeout MS]
 *             [--time-limit MS] [--env NAME=VALUE]... -- COMMAND [ARGS...]...
 *
 * (--on-demand DOMAIN=BACKEND: that domain's plugin is started on demand;
 * this host wants it at once, as a program whose first call is to it:
 * Supervise{WANTED} after READY, then its UP, unprinted, before dialing;
 * --on-demand PATH=... for a mount is ignored, as --mount is not taken)
 * dials every plugin and the control endpoint and does the Hello handshake
 * (role "host") with each, as the real host does (with --wait-ready, as
 * the launcher passes it: the control endpoint first, and the plugins once
 * Supervise{READY} came on it, unprinted), then runs the "guest
 * program": a list of commands, in order. Domains given the same URL share
 * one connection (one plugin process serving both).
 *
 *   echo-read N    fs_read(fd=N, count=4) on the fs plugin; print the bytes
 *                  as hex ("read 07 08 09 0a")
 *   crash          fs_open("crash") on the fs plugin, without waiting
 *   forbidden:CALL fs_open("forbidden:CALL"): test-echo makes CALL, which its
 *                  seccomp filter forbids (SIGSYS)
 *   hang           fs_open("hang") on the fs plugin (it stops answering),
 *                  without waiting
 *   hung DOMAIN    send the launcher Supervise{DOMAIN, HUNG, "no heartbeat"}
 *   wanted DOMAIN  send the launcher Supervise{DOMAIN, WANTED}
 *   wait-death     wait (10 s at most) for one more Supervise{DIED} on the
 *                  control connection than the earlier wait-deaths took
 *   wait-up        the same for Supervise{UP}
 *   wait-failed    the same for Supervise{FAILED}
 *
 * Every Supervise received is printed as it arrives:
 * "supervise DOMAIN STATE PLUGIN[ URL]: DETAIL" (the URL when it has one).
 * As the real host does, a DIED closes the connection to the domain's
 * plugin and an UP dials its URL afresh and does the Hello handshake, so
 * calls after a wait-up reach the restarted plugin.
 *   print-plugins  "plugin DOMAIN URL conn K backend NAME serves D1,D2" for
 *                  each connected domain: K numbers the connections, NAME
 *                  and the list are from the plugin's Hello
 *   sleep MS       keep the connections alive for MS ms
 *   print-pid      "pid P ppid Q"
 *   print-args     "arg: X" for each of its own arguments; the commands
 *                  after it are not run (so they can look like options)
 *   print-rundir   "rundir DIR" (the directory of the control endpoint)
 *   ignore-term    ignore SIGTERM from now on
 *   raise SIG      kill itself with signal number SIG
 *   exit N         exit with status N (otherwise 0 after the last command)
 *
 * Failures exit with distinct statuses: 90 bad command line, 91 dial or
 * handshake failed, 92 a call failed, 93 the Supervise awaited did not arrive.
 */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outboard/ipc.h"
#include "outboard/log.h"

#define N_DOMAINS 5 /* Ob__Domain values 1-4 */
#define N_STATES 5  /* Ob__Supervise__State values 1-4 */
#define CALL_MS 5000
#define DEATH_WAIT_MS 10000
/* As the real host: a Goodbye and a bounded flush before closing, so a
 * plugin knows its peer left on purpose. */
#define CLOSE_FLUSH_MS 200

enum { EXIT_USAGE = 90, EXIT_DIAL = 91, EXIT_CALL = 92, EXIT_NO_DEATH = 93 };

static const char *const domain_names[N_DOMAINS] = { "none", "fs", "display", "sound",
						     "input" };

/* A plugin's Hello answer, as print-plugins shows it. */
struct hello_info {
	char backend[64];
	char domains[64];
};

struct host {
	ob_conn *plugins[N_DOMAINS];
	const char *urls[N_DOMAINS];
	int conn_no[N_DOMAINS];          /* which connection: domains sharing one have the same */
	struct hello_info hellos[N_DOMAINS];
	ob_conn *control;
	const char *control_url;
	bool wait_ready;                 /* --wait-ready */
	bool ready;                      /* Supervise{READY} came */
	bool on_demand[N_DOMAINS];       /* --on-demand DOMAIN=...: WANTED before dialing */
	bool started[N_DOMAINS];         /* its UP "started on demand" came */
	int seen[N_STATES];              /* Supervise messages received, per state */
	int awaited[N_STATES];           /* how many wait-death/up/failed asked for */
	/* Supervise actions, applied between turns of pump (a callback must
	 * not close connections): close the domain's connection, or dial it
	 * again at up_url. */
	bool close_pending[N_DOMAINS];
	char *up_url[N_DOMAINS];
	/* the reply of the one call in flight */
	bool replied;
	int status;
	uint8_t data[16];
	size_t len;
};

static int domain_from_name(const char *name, size_t len)
{
	for (int d = 1; d < N_DOMAINS; d++)
		if (strlen(domain_names[d]) == len && strncmp(domain_names[d], name, len) == 0)
			return d;
	return -1;
}

static const char *supervise_state(int state)
{
	switch (state) {
	case OB__SUPERVISE__STATE__STATE_UP:
		return "UP";
	case OB__SUPERVISE__STATE__STATE_DIED:
		return "DIED";
	case OB__SUPERVISE__STATE__STATE_FAILED:
		return "FAILED";
	case OB__SUPERVISE__STATE__STATE_HUNG:
		return "HUNG";
	default:
		return "?";
	}
}

static void control_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	(void)conn;
	struct host *h = arg;
	if (env->body_case != OB__ENVELOPE__BODY_SUPERVISE)
		return;
	const Ob__Supervise *sv = env->supervise;
	int d = (int)sv->domain, st = (int)sv->state;
	if (st == OB__SUPERVISE__STATE__STATE_READY) {
		h->ready = true;
		return;
	}
	bool known = d > 0 && d < N_DOMAINS;
	if (known && st == OB__SUPERVISE__STATE__STATE_UP && h->on_demand[d] && !h->started[d]) {
		h->started[d] = true; /* the answer to our WANTED: dialed as at the start */
		return;
	}
	printf("supervise %s %s %s%s%s: %s\n", known ? domain_names[d] : "?",
	       supervise_state(st), sv->plugin, *sv->url ? " " : "", sv->url, sv->detail);
	fflush(stdout);
	if (st > 0 && st < N_STATES)
		h->seen[st]++;
	if (!known)
		return;
	if (st == OB__SUPERVISE__STATE__STATE_DIED) {
		h->close_pending[d] = true;
	} else if (st == OB__SUPERVISE__STATE__STATE_UP && *sv->url) {
		free(h->up_url[d]);
		h->up_url[d] = strdup(sv->url);
	}
}

static void keep_hello(const Ob__Hello *answer, struct hello_info *info)
{
	size_t len = 0;
	snprintf(info->backend, sizeof(info->backend), "%s", answer->backend);
	info->domains[0] = '\0';
	for (size_t i = 0; i < answer->n_domains && len < sizeof(info->domains); i++) {
		int d = (int)answer->domains[i];
		len += (size_t)snprintf(info->domains + len, sizeof(info->domains) - len, "%s%s",
					i ? "," : "", d > 0 && d < N_DOMAINS ? domain_names[d] : "?");
	}
}

/* Dial url and do the Hello handshake as "host"; info (may be NULL) gets
 * the answer. */
static int connect_to(struct host *h, const char *url, const char *name,
		      void (*on_message)(void *, ob_conn *, const Ob__Envelope *), ob_conn **out,
		      struct hello_info *info)
{
	struct ob_conn_opts opts = { .name = name };
	struct ob_conn_callbacks cbs = { .on_message = on_message };
	int rc = ob_conn_dial(url, &opts, &cbs, h, out);
	if (rc < 0) {
		fprintf(stderr, "fake-host: cannot dial %s: %s\n", url, strerror(-rc));
		return rc;
	}
	static char role[] = "host";
	Ob__Hello hello;
	ob__hello__init(&hello);
	hello.role = role;
	Ob__Hello *answer = NULL;
	rc = ob_conn_handshake(*out, &hello, CALL_MS, &answer);
	if (rc < 0) {
		fprintf(stderr, "fake-host: no Hello from %s: %s\n", url, strerror(-rc));
		return rc;
	}
	if (info)
		keep_hello(answer, info);
	ob__hello__free_unpacked(answer, NULL);
	return 0;
}

/* Connect every domain; one connection per distinct URL. */
static bool all_started(const struct host *h)
{
	for (int d = 1; d < N_DOMAINS; d++)
		if (h->on_demand[d] && !h->started[d])
			return false;
	return true;
}

static void pump(struct host *h, int ms, bool (*done)(const struct host *));

/* Ask the launcher for every plugin started on demand, and wait for them. */
static int want_on_demand(struct host *h)
{
	for (int d = 1; d < N_DOMAINS; d++) {
		if (!h->on_demand[d])
			continue;
		Ob__Supervise sv;
		ob__supervise__init(&sv);
		sv.domain = (Ob__Domain)d;
		sv.state = OB__SUPERVISE__STATE__STATE_WANTED;
		Ob__Envelope env;
		ob__envelope__init(&env);
		env.body_case = OB__ENVELOPE__BODY_SUPERVISE;
		env.supervise = &sv;
		if (ob_conn_send(h->control, &env) < 0)
			return -1;
	}
	pump(h, DEATH_WAIT_MS, all_started);
	if (!all_started(h)) {
		fprintf(stderr, "fake-host: a plugin started on demand did not come up\n");
		return -1;
	}
	return 0;
}

static int connect_plugins(struct host *h)
{
	int conns = 0;
	for (int d = 1; d < N_DOMAINS; d++) {
		if (!h->urls[d])
			continue;
		int same = 0;
		for (int e = 1; e < d && !same; e++)
			if (h->urls[e] && strcmp(h->urls[e], h->urls[d]) == 0)
				same = e;
		if (same) {
			h->plugins[d] = h->plugins[same];
			h->conn_no[d] = h->conn_no[same];
			h->hellos[d] = h->hellos[same];
			continue;
		}
		h->conn_no[d] = ++conns;
		if (connect_to(h, h->urls[d], domain_names[d], NULL, &h->plugins[d],
			       &h->hellos[d]) < 0)
			return -1;
	}
	return 0;
}

/* Close domain d's plugin connection, and every domain's sharing it. */
static void close_domain(struct host *h, int d)
{
	ob_conn *c = h->plugins[d];
	if (!c)
		return;
	for (int e = 1; e < N_DOMAINS; e++)
		if (h->plugins[e] == c)
			h->plugins[e] = NULL;
	ob_conn_close(c, 0);
}

/* Domain d's plugin is up again at url: share a connection already made
 * to url for another domain, or dial it. */
static void reopen_domain(struct host *h, int d, const char *url)
{
	if (h->plugins[d])
		return;
	if (!h->urls[d] || strcmp(url, h->urls[d]) != 0)
		printf("url of %s changed: %s\n", domain_names[d], url);
	for (int e = 1; e < N_DOMAINS; e++) {
		if (e != d && h->plugins[e] && h->urls[e] && strcmp(h->urls[e], url) == 0) {
			h->plugins[d] = h->plugins[e];
			return;
		}
	}
	ob_conn *c = NULL;
	if (connect_to(h, url, domain_names[d], NULL, &c, &h->hellos[d]) < 0) {
		ob_conn_close(c, 0);
		return;
	}
	h->plugins[d] = c;
}

static void apply_supervise(struct host *h)
{
	for (int d = 1; d < N_DOMAINS; d++) {
		if (h->close_pending[d]) {
			h->close_pending[d] = false;
			close_domain(h, d);
		}
		if (h->up_url[d]) {
			reopen_domain(h, d, h->up_url[d]);
			free(h->up_url[d]);
			h->up_url[d] = NULL;
		}
	}
}

static void print_plugins(const struct host *h)
{
	for (int d = 1; d < N_DOMAINS; d++)
		if (h->plugins[d])
			printf("plugin %s %s conn %d backend %s serves %s\n", domain_names[d],
			       h->urls[d], h->conn_no[d], h->hellos[d].backend,
			       h->hellos[d].domains);
}

static bool already_listed(ob_conn *const *conns, int n, const ob_conn *c)
{
	for (int i = 0; i < n; i++)
		if (conns[i] == c)
			return true;
	return false;
}

static bool replied(const struct host *h)
{
	return h->replied;
}

static bool is_ready(const struct host *h)
{
	return h->ready;
}

static bool all_seen(const struct host *h)
{
	for (int st = 1; st < N_STATES; st++)
		if (h->seen[st] < h->awaited[st])
			return false;
	return true;
}

/* Process every connection (shared ones once) for up to ms, or until
 * done(h) (NULL: never). */
static void pump(struct host *h, int ms, bool (*done)(const struct host *))
{
	int64_t deadline = ob_now_ms() + ms;
	for (;;) {
		ob_conn *conns[N_DOMAINS + 1];
		int n = 0;
		for (int d = 1; d < N_DOMAINS; d++)
			if (h->plugins[d] && !already_listed(conns, n, h->plugins[d]))
				conns[n++] = h->plugins[d];
		if (h->control)
			conns[n++] = h->control;
		int64_t left = deadline - ob_now_ms();
		if ((done && done(h)) || left <= 0)
			return;
		struct pollfd pfds[2 * (N_DOMAINS + 1)];
		int npfd = 0, timeout = (int)left;
		for (int i = 0; i < n; i++) {
			npfd += ob_conn_pollfds(conns[i], pfds + npfd, 2);
			int t = ob_conn_timeout(conns[i]);
			if (t >= 0 && t < timeout)
				timeout = t;
		}
		poll(pfds, (nfds_t)npfd, timeout);
		for (int i = 0; i < n; i++)
			ob_conn_process(conns[i]);
		apply_supervise(h);
	}
}

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	struct host *h = arg;
	h->replied = true;
	h->status = status;
	if (status == 0 && reply->result_case == OB__REPLY__RESULT_FS_READ) {
		h->len = reply->fs_read->buf.len < sizeof(h->data) ? reply->fs_read->buf.len
								    : sizeof(h->data);
		memcpy(h->data, reply->fs_read->buf.data, h->len);
	}
}

static int echo_read(struct host *h, unsigned fd)
{
	if (!h->plugins[OB__DOMAIN__DOMAIN_FS])
		return -ENOTCONN;
	Ob__FsRead rd;
	ob__fs_read__init(&rd);
	rd.fd = fd;
	rd.count = 4;
	Ob__Request req;
	ob__request__init(&req);
	req.call_case = OB__REQUEST__CALL_FS_READ;
	req.fs_read = &rd;
	req.deadline_ms = CALL_MS;
	h->replied = false;
	int rc = ob_conn_call(h->plugins[OB__DOMAIN__DOMAIN_FS], &req, on_reply, h, NULL);
	if (rc < 0)
		return rc;
	pump(h, CALL_MS + 1000, replied);
	if (!h->replied || h->status != 0)
		return -EIO;
	printf("read");
	for (size_t i = 0; i < h->len; i++)
		printf(" %02x", h->data[i]);
	printf("\n");
	return 0;
}

static void ignore_reply(void *arg, int status, const Ob__Reply *reply)
{
	(void)arg, (void)status, (void)reply;
}

/* fs_open(path) whose reply never comes: the call completes with EIO or
 * ECANCELED. */
static int open_no_reply(struct host *h, const char *path)
{
	if (!h->plugins[OB__DOMAIN__DOMAIN_FS])
		return -ENOTCONN;
	char copy[32];
	snprintf(copy, sizeof(copy), "%s", path);
	Ob__FsOpen op;
	ob__fs_open__init(&op);
	op.path = copy;
	Ob__Request req;
	ob__request__init(&req);
	req.call_case = OB__REQUEST__CALL_FS_OPEN;
	req.fs_open = &op;
	return ob_conn_call(h->plugins[OB__DOMAIN__DOMAIN_FS], &req, ignore_reply, NULL, NULL);
}

static int send_supervise(struct host *h, int d, Ob__Supervise__State state)
{
	if (!h->control)
		return -ENOTCONN;
	static char detail[] = "no heartbeat";
	Ob__Supervise sv;
	ob__supervise__init(&sv);
	sv.domain = (Ob__Domain)d;
	sv.state = state;
	if (state == OB__SUPERVISE__STATE__STATE_HUNG)
		sv.detail = detail;
	Ob__Envelope env;
	ob__envelope__init(&env);
	env.body_case = OB__ENVELOPE__BODY_SUPERVISE;
	env.supervise = &sv;
	return ob_conn_send(h->control, &env);
}

/* wait-death, wait-up, wait-failed: one more of state st than so far. */
static int wait_state(struct host *h, int st)
{
	h->awaited[st]++;
	pump(h, DEATH_WAIT_MS, all_seen);
	return all_seen(h) ? 0 : -1;
}

static void print_rundir(const struct host *h)
{
	const char *url = h->control_url ? h->control_url : "";
	const char *path = strncmp(url, "ipc://", 6) == 0 ? url + 6 : url;
	const char *slash = strrchr(path, '/');
	printf("rundir %.*s\n", (int)(slash ? slash - path : 0), path);
}

static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end ? v : -1;
}

/* Run the commands; returns the exit status. */
static int run_commands(struct host *h, int argc, char **argv, int full_argc, char **full_argv)
{
	for (int i = 0; i < argc; i++) {
		const char *cmd = argv[i];
		const char *arg = i + 1 < argc ? argv[i + 1] : "";
		int rc = 0;
		if (strcmp(cmd, "echo-read") == 0 && number(arg) >= 0) {
			rc = echo_read(h, (unsigned)number(arg));
			i++;
		} else if (strcmp(cmd, "crash") == 0 || strcmp(cmd, "hang") == 0 ||
			   strncmp(cmd, "forbidden:", 10) == 0) {
			rc = open_no_reply(h, cmd);
		} else if (strcmp(cmd, "hung") == 0 && domain_from_name(arg, strlen(arg)) > 0) {
			rc = send_supervise(h, domain_from_name(arg, strlen(arg)),
					    OB__SUPERVISE__STATE__STATE_HUNG);
			i++;
		} else if (strcmp(cmd, "wanted") == 0 && domain_from_name(arg, strlen(arg)) > 0) {
			rc = send_supervise(h, domain_from_name(arg, strlen(arg)),
					    OB__SUPERVISE__STATE__STATE_WANTED);
			i++;
		} else if (strcmp(cmd, "wait-death") == 0 || strcmp(cmd, "wait-up") == 0 ||
			   strcmp(cmd, "wait-failed") == 0) {
			int st = cmd[5] == 'd' ? OB__SUPERVISE__STATE__STATE_DIED
				 : cmd[5] == 'u' ? OB__SUPERVISE__STATE__STATE_UP
						 : OB__SUPERVISE__STATE__STATE_FAILED;
			if (wait_state(h, st) < 0) {
				fprintf(stderr, "fake-host: %s: nothing came\n", cmd);
				return EXIT_NO_DEATH;
			}
		} else if (strcmp(cmd, "print-plugins") == 0) {
			print_plugins(h);
		} else if (strcmp(cmd, "sleep") == 0 && number(arg) >= 0) {
			pump(h, (int)number(arg), NULL);
			i++;
		} else if (strcmp(cmd, "print-pid") == 0) {
			printf("pid %d ppid %d\n", (int)getpid(), (int)getppid());
		} else if (strcmp(cmd, "print-args") == 0) {
			for (int k = 1; k < full_argc; k++)
				printf("arg: %s\n", full_argv[k]);
			return 0;
		} else if (strcmp(cmd, "print-rundir") == 0) {
			print_rundir(h);
		} else if (strcmp(cmd, "ignore-term") == 0) {
			signal(SIGTERM, SIG_IGN);
		} else if (strcmp(cmd, "raise") == 0 && number(arg) > 0) {
			fflush(stdout);
			signal((int)number(arg), SIG_DFL);
			raise((int)number(arg));
			i++;
		} else if (strcmp(cmd, "exit") == 0 && number(arg) >= 0) {
			return (int)number(arg);
		} else {
			fprintf(stderr, "fake-host: bad command '%s'\n", cmd);
			return EXIT_USAGE;
		}
		fflush(stdout);
		if (rc < 0) {
			fprintf(stderr, "fake-host: %s failed: %s\n", cmd, strerror(-rc));
			return EXIT_CALL;
		}
	}
	return 0;
}

static const struct option long_options[] = {
	{ "plugin", required_argument, NULL, 'p' },
	{ "control", required_argument, NULL, 'c' },
	{ "wait-ready", no_argument, NULL, 'R' },
	{ "log-level", required_argument, NULL, 'l' },
	{ "trace", required_argument, NULL, 't' },
	{ "stats", no_argument, NULL, 's' },
	{ "heap-max", required_argument, NULL, 'H' },
	{ "stack", required_argument, NULL, 'S' },
	{ "trace-file", required_argument, NULL, 'f' },
	{ "trace-time", no_argument, NULL, 'T' },
	{ "trace-durations", no_argument, NULL, 'D' },
	{ "call-timeout", required_argument, NULL, 'C' },
	{ "plugin-timeout", required_argument, NULL, 'P' },
	{ "time-limit", required_argument, NULL, 'L' },
	{ "env", required_argument, NULL, 'E' },
	{ "on-demand", required_argument, NULL, 'O' },
	{ NULL, 0, NULL, 0 },
};

static int parse_args(struct host *h, int argc, char **argv)
{
	int opt;
	while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		if (opt == 'p') {
			const char *eq = strchr(optarg, '=');
			int d = eq ? domain_from_name(optarg, (size_t)(eq - optarg)) : -1;
			if (d < 0)
				return -EINVAL;
			h->urls[d] = eq + 1;
		} else if (opt == 'c') {
			h->control_url = optarg;
		} else if (opt == 'O' && optarg[0] != '/') {
			const char *eq = strchr(optarg, '=');
			int d = eq ? domain_from_name(optarg, (size_t)(eq - optarg)) : -1;
			if (d < 0)
				return -EINVAL;
			h->on_demand[d] = true;
		} else if (opt == 'R') {
			h->wait_ready = true;
		} else if (opt == 'l') {
			enum ob_log_level level;
			if (ob_log_parse_level(optarg, &level) < 0)
				return -EINVAL;
			ob_log_set_level(level);
		} else if (opt == '?') {
			return -EINVAL;
		}
	}
	/* The launcher always passes "--" before the program. */
	if (optind < 2 || strcmp(argv[optind - 1], "--") != 0 || optind >= argc)
		return -EINVAL;
	return optind;
}

int main(int argc, char **argv)
{
	struct host h = { 0 };
	int status = EXIT_DIAL;
	ob_log_set_program("fake-host");
	int first = parse_args(&h, argc, argv);
	if (first < 0) {
		fprintf(stderr, "fake-host: bad command line\n");
		return EXIT_USAGE;
	}
	if (h.wait_ready && h.control_url) {
		if (connect_to(&h, h.control_url, "control", control_message, &h.control, NULL) < 0)
			goto out;
		pump(&h, DEATH_WAIT_MS, is_ready);
		if (!h.ready) {
			fprintf(stderr, "fake-host: no Supervise{READY} within %d ms\n", DEATH_WAIT_MS);
			status = EXIT_NO_DEATH;
			goto out;
		}
		if (want_on_demand(&h) < 0 || connect_plugins(&h) < 0)
			goto out;
	} else {
		if (connect_plugins(&h) < 0)
			goto out;
		if (h.control_url && connect_to(&h, h.control_url, "control", control_message,
						&h.control, NULL) < 0)
			goto out;
	}
	status = run_commands(&h, argc - first, argv + first, argc, argv);
out:
	fflush(stdout);
	for (int d = 1; d < N_DOMAINS; d++) {
		/* A shared connection is closed once, by its first domain. */
		for (int e = d + 1; e < N_DOMAINS; e++)
			if (h.plugins[e] == h.plugins[d])
				h.plugins[e] = NULL;
		ob_conn_close(h.plugins[d], CLOSE_FLUSH_MS);
	}
	ob_conn_close(h.control, 0);
	for (int d = 1; d < N_DOMAINS; d++)
		free(h.up_url[d]);
	return status;
}
