/*
 * outboard-test-echo: a test-only backend for the fs domain. Each call has a
 * behaviour a test can predict, so the tests of the plugin SDK, the launcher
 * and the CPU host can reach every path: payloads, errors, a missing
 * handler, deferred and out-of-order replies, events, crashes, exits and
 * hangs.
 *
 *   fs_open(path)    "crash" abort(); "exit:N" _exit(N); "hang" never
 *                    answers (SIGTERM kills it); "event:N" sends N key-down
 *                    events (key 0..N-1), then ret 3; "sleep:MS" answers
 *                    ret MS after MS ms; "forbidden:CALL" makes a system
 *                    call the seccomp filter forbids (below); anything else
 *                    ret 100 + strlen(path)
 *   fs_close         0
 *   fs_read(fd, n)   n bytes, byte i = (fd + i) & 0xff (n <= 16 MiB)
 *   fs_write(buf)    ret len(buf)
 *   fs_stat(path)    path is a number of ms: answers after that long, with
 *                    st.size = that number (replies come back out of order)
 *   fs_unlink        EACCES
 *   fs_mkdir         no handler: ENOSYS
 *
 * Options: --greeting TEXT (printed to stderr at start), --fail-init (init
 * fails with ENODEV), --domains LIST (claim to serve these domains, e.g.
 * "display,input", in --describe and Hello, instead of fs; the handlers stay
 * the fs ones: the launcher's tests use it to stand in for multi-domain and
 * not-yet-built backends).
 *
 * Confinement tests (docs/confinement.md): the echo's allow-list is the
 * SDK's base list plus pause (for "hang"). "forbidden:CALL" tries one call
 * the filter forbids, so the process dies of SIGSYS; with the filter off
 * (--no-seccomp, OB_NO_SECCOMP=1) each is harmless and the reply says what
 * it returned: execve of a path that does not exist (ENOENT), socket(AF_INET)
 * (ret 0, closed at once), ptrace(PTRACE_PEEKUSER) of itself (ESRCH: nobody
 * traces it), fork (the child exits at once; ret 0), and open("/etc/passwd")
 * (ret 0, closed at once).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outboard/plugin.h"

#define ECHO_LOG "test-echo"
#define ECHO_MAX_READ (16u << 20)
#define ECHO_MAX_DELAY_MS 600000L
#define ECHO_MAX_EVENTS 100000L

enum echo_kind { ECHO_OPEN, ECHO_STAT };

/* A deferred reply, due at a monotonic time (ob_now_ms). */
struct echo_timer {
	int64_t due;
	uint64_t seq;  /* ties fire in arrival order */
	ob_call *call;
	enum echo_kind kind;
	long value;
};

struct echo {
	struct echo_timer *timers;
	size_t n_timers, cap_timers;
	uint64_t next_seq;
	uint64_t written; /* bytes accepted by fs_write */
};

/* Parse a whole decimal number in [0, max]. 0 or EINVAL. */
static int parse_number(const char *s, long max, long *out)
{
	char *end;
	long v;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v > max)
		return EINVAL;
	*out = v;
	return 0;
}

static int add_timer(struct echo *e, ob_call *call, enum echo_kind kind, long ms)
{
	if (e->n_timers == e->cap_timers) {
		size_t cap = e->cap_timers ? 2 * e->cap_timers : 8;
		struct echo_timer *t = realloc(e->timers, cap * sizeof(*t));

		if (!t)
			return ENOMEM;
		e->timers = t;
		e->cap_timers = cap;
	}
	e->timers[e->n_timers++] = (struct echo_timer){
		.due = ob_now_ms() + ms, .seq = e->next_seq++, .call = call, .kind = kind, .value = ms,
	};
	return OB_DEFER;
}

static void complete_timer(const struct echo_timer *t)
{
	ProtobufCMessage *result = ob_call_result(t->call);

	if (t->kind == ECHO_OPEN) {
		((Ob__FsOpenResult *)result)->ret = t->value;
	} else {
		Ob__FsStatResult *r = (Ob__FsStatResult *)result;

		r->st = malloc(sizeof(*r->st));
		if (!r->st) {
			ob_call_complete(t->call, ENOMEM);
			return;
		}
		ob__file_stat__init(r->st);
		r->st->type = OB__FILE_TYPE__FILE_TYPE_REGULAR;
		r->st->size = (uint64_t)t->value;
	}
	ob_call_complete(t->call, 0);
}

/* The index of the earliest timer, or -1. */
static long earliest(const struct echo *e)
{
	long best = -1;

	for (size_t i = 0; i < e->n_timers; i++) {
		const struct echo_timer *t = &e->timers[i], *b = best < 0 ? NULL : &e->timers[best];

		if (!b || t->due < b->due || (t->due == b->due && t->seq < b->seq))
			best = (long)i;
	}
	return best;
}

static int echo_timeout(void *ctx)
{
	const struct echo *e = ctx;
	long i = earliest(e);
	int64_t left;

	if (i < 0)
		return -1;
	left = e->timers[i].due - ob_now_ms();
	return left <= 0 ? 0 : (left > 60000 ? 60000 : (int)left);
}

static void echo_process(void *ctx, ob_plugin_ctx *p)
{
	struct echo *e = ctx;
	long i;

	(void)p;
	while ((i = earliest(e)) >= 0 && e->timers[i].due <= ob_now_ms()) {
		struct echo_timer t = e->timers[i];

		e->timers[i] = e->timers[--e->n_timers];
		complete_timer(&t);
	}
}

/* "hang": stop answering for good. Only SIGKILL, or SIGTERM/SIGINT with
 * their default action, end the process. */
__attribute__((noreturn)) static void hang(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	for (;;)
		pause();
}

static int send_key_events(ob_call *call, long n)
{
	for (long i = 0; i < n; i++) {
		Ob__InputEvent key = OB__INPUT_EVENT__INIT;
		Ob__Event ev = OB__EVENT__INIT;
		int err;

		key.kind = OB__INPUT_EVENT__KIND__KIND_KEY_DOWN;
		key.key = (uint32_t)i;
		ev.event_case = OB__EVENT__EVENT_INPUT;
		ev.input = &key;
		err = ob_plugin_event(ob_call_plugin(call), &ev);
		if (err) {
			OB_WARN(ECHO_LOG, "event %ld not sent: %s", i, strerror(-err));
			return -err;
		}
	}
	return 0;
}

/* Each returns 0 or the host errno of its call (the filter off). */
static int try_execve(void)
{
	char *const argv[] = { NULL };

	execve("/nonexistent/outboard-forbidden", argv, argv);
	return errno;
}

static int try_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int try_ptrace(void)
{
	errno = 0;
	if (ptrace(PTRACE_PEEKUSER, getpid(), NULL, NULL) == -1 && errno)
		return errno;
	return 0;
}

static int try_fork(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0);
	return waitpid(pid, &status, 0) < 0 ? errno : 0;
}

static int try_open(void)
{
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* "forbidden:CALL": EINVAL for a CALL not listed above. */
static int forbidden(const char *what)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} calls[] = {
		{ "execve", try_execve }, { "socket", try_socket }, { "ptrace", try_ptrace },
		{ "fork", try_fork },     { "open", try_open },
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (strcmp(what, calls[i].name) == 0)
			return calls[i].fn();
	return EINVAL;
}

static int echo_open(void *ctx, ob_call *call, const ProtobufCMessage *args,
		     ProtobufCMessage *result)
{
	const Ob__FsOpen *a = (const Ob__FsOpen *)args;
	Ob__FsOpenResult *r = (Ob__FsOpenResult *)result;
	const char *path = a->path;
	long n;
	int err;

	if (strcmp(path, "crash") == 0)
		abort();
	if (strcmp(path, "hang") == 0)
		hang();
	if (strncmp(path, "exit:", 5) == 0 && parse_number(path + 5, 255, &n) == 0)
		_exit((int)n);
	if (strncmp(path, "forbidden:", 10) == 0)
		return forbidden(path + 10);
	if (strncmp(path, "sleep:", 6) == 0) {
		if (parse_number(path + 6, ECHO_MAX_DELAY_MS, &n))
			return EINVAL;
		return add_timer(ctx, call, ECHO_OPEN, n);
	}
	if (strncmp(path, "event:", 6) == 0) {
		if (parse_number(path + 6, ECHO_MAX_EVENTS, &n))
			return EINVAL;
		err = send_key_events(call, n);
		if (err)
			return err;
		r->ret = 3;
		return 0;
	}
	r->ret = 100 + (int64_t)strlen(path);
	return 0;
}

static int echo_close(void *ctx, ob_call *call, const ProtobufCMessage *args,
		      ProtobufCMessage *result)
{
	(void)ctx, (void)call, (void)args, (void)result;
	return 0;
}

static int echo_read(void *ctx, ob_call *call, const ProtobufCMessage *args,
		     ProtobufCMessage *result)
{
	const Ob__FsRead *a = (const Ob__FsRead *)args;
	Ob__FsReadResult *r = (Ob__FsReadResult *)result;

	(void)ctx, (void)call;
	if (a->count > ECHO_MAX_READ)
		return EINVAL;
	r->buf.data = malloc(a->count ? a->count : 1);
	if (!r->buf.data)
		return ENOMEM;
	for (uint32_t i = 0; i < a->count; i++)
		r->buf.data[i] = (uint8_t)((a->fd + i) & 0xff);
	r->buf.len = a->count;
	return 0;
}

static int echo_write(void *ctx, ob_call *call, const ProtobufCMessage *args,
		      ProtobufCMessage *result)
{
	const Ob__FsWrite *a = (const Ob__FsWrite *)args;
	struct echo *e = ctx;

	(void)call;
	e->written += a->buf.len;
	((Ob__FsWriteResult *)result)->ret = (int64_t)a->buf.len;
	return 0;
}

static int echo_stat(void *ctx, ob_call *call, const ProtobufCMessage *args,
		     ProtobufCMessage *result)
{
	const Ob__FsStat *a = (const Ob__FsStat *)args;
	long ms;

	(void)result;
	if (parse_number(a->path, ECHO_MAX_DELAY_MS, &ms))
		return EINVAL;
	return add_timer(ctx, call, ECHO_STAT, ms);
}

static int echo_unlink(void *ctx, ob_call *call, const ProtobufCMessage *args,
		       ProtobufCMessage *result)
{
	(void)ctx, (void)call, (void)args, (void)result;
	return EACCES;
}

static int echo_init(ob_plugin_ctx *p, void **ctx)
{
	const char *greeting = ob_plugin_opt(p, "greeting");

	if (greeting)
		fprintf(stderr, "%s\n", greeting);
	if (ob_plugin_opt(p, "fail-init"))
		return ENODEV;
	*ctx = calloc(1, sizeof(struct echo));
	return *ctx ? 0 : ENOMEM;
}

static void echo_fini(void *ctx)
{
	struct echo *e = ctx;

	if (!e)
		return;
	/* Calls still waiting on a timer are answered ECANCELED by the SDK. */
	OB_DEBUG(ECHO_LOG, "%llu bytes written, %zu replies pending",
		 (unsigned long long)e->written, e->n_timers);
	free(e->timers);
	free(e);
}

static const Ob__Domain echo_domains[] = { OB__DOMAIN__DOMAIN_FS };

/* "hang" waits in pause(); nothing else beyond the SDK's base list. */
static const char *const echo_syscalls[] = { "pause", NULL };

static const struct ob_handler echo_handlers[] = {
	{ OB__REQUEST__CALL_FS_OPEN, echo_open },
	{ OB__REQUEST__CALL_FS_CLOSE, echo_close },
	{ OB__REQUEST__CALL_FS_READ, echo_read },
	{ OB__REQUEST__CALL_FS_WRITE, echo_write },
	{ OB__REQUEST__CALL_FS_STAT, echo_stat },
	{ OB__REQUEST__CALL_FS_UNLINK, echo_unlink },
};

static const struct ob_plugin_option echo_options[] = {
	{ "greeting", true, "TEXT", "print TEXT to stderr at start" },
	{ "fail-init", false, NULL, "make init fail (tests the failure path)" },
	{ "domains", true, "LIST", "claim to serve LIST (fs,display,sound,input) instead of fs" },
	{ NULL, false, NULL, NULL },
};

static const struct ob_plugin echo_plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "test-echo",
	.version = "1.0",
	.summary = "Test-only fs backend with predictable answers, errors, delays and crashes.",
	.domains = echo_domains,
	.n_domains = sizeof(echo_domains) / sizeof(echo_domains[0]),
	.handlers = echo_handlers,
	.n_handlers = sizeof(echo_handlers) / sizeof(echo_handlers[0]),
	.options = echo_options,
	.init = echo_init,
	.timeout = echo_timeout,
	.process = echo_process,
	.fini = echo_fini,
	.allow_syscalls = echo_syscalls,
};

/* The --domains LIST in argv ("--domains L" or "--domains=L"), or NULL. The
 * SDK parses the command line only after the plugin is described to it,
 * so this one option is looked at first. */
static const char *domains_arg(int argc, char **argv)
{
	const char *list = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--domains") == 0 && i + 1 < argc)
			list = argv[++i];
		else if (strncmp(argv[i], "--domains=", 10) == 0)
			list = argv[i] + 10;
	}
	return list;
}

/* "display,input" into domains (at most max); the count, or 0 when the
 * list is empty or names an unknown domain. */
static size_t parse_domains(const char *list, Ob__Domain *domains, size_t max)
{
	static const struct {
		const char *name;
		Ob__Domain domain;
	} names[] = {
		{ "fs", OB__DOMAIN__DOMAIN_FS },
		{ "display", OB__DOMAIN__DOMAIN_DISPLAY },
		{ "sound", OB__DOMAIN__DOMAIN_SOUND },
		{ "input", OB__DOMAIN__DOMAIN_INPUT },
	};
	size_t n = 0;

	while (n < max) {
		size_t len = strcspn(list, ","), k;

		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (strlen(names[k].name) == len && strncmp(names[k].name, list, len) == 0)
				break;
		if (k == sizeof(names) / sizeof(names[0]))
			return 0;
		domains[n++] = names[k].domain;
		if (!list[len])
			return n;
		list += len + 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *list = domains_arg(argc, argv);
	struct ob_plugin plugin = echo_plugin;
	Ob__Domain domains[4];

	if (list) {
		plugin.n_domains = parse_domains(list, domains, sizeof(domains) / sizeof(domains[0]));
		if (!plugin.n_domains) {
			fprintf(stderr, "outboard-test-echo: --domains wants a list of fs, display, "
				"sound, input; got '%s'\n", list);
			return 2;
		}
		plugin.domains = domains;
	}
	return ob_plugin_main(&plugin, argc, argv);
}
