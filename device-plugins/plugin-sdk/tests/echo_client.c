/*
 * Test helpers around a real outboard-test-echo process (echo_client.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "echo_client.h"

#ifndef OB_TEST_ECHO
#error "OB_TEST_ECHO must name the outboard-test-echo binary"
#endif

#define MAX_ARGS 32

static void fail(const char *what)
{
	fprintf(stderr, "echo_client: %s: %s\n", what, strerror(errno));
	abort();
}

void echo_client_init(struct echo_client *c)
{
	memset(c, 0, sizeof(*c));
	c->pid = -1;
	c->out_fd = c->err_fd = -1;
	snprintf(c->dir, sizeof(c->dir), "/tmp/ob-plugsdk-XXXXXX");
	if (!mkdtemp(c->dir))
		fail("mkdtemp");
	snprintf(c->url, sizeof(c->url), "ipc://%s/x.sock", c->dir);
}

void echo_use_tcp(struct echo_client *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		fail("socket");
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		fail("bind");
	close(fd);
	snprintf(c->url, sizeof(c->url), "tcp://127.0.0.1:%u", (unsigned)ntohs(sa.sin_port));
}

void echo_path(const struct echo_client *c, const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", c->dir, name);
}

static void spawn(struct echo_client *c, const char **argv, bool capture)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 };

	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	c->out_fd = c->err_fd = -1;
	if (capture && (pipe(out) < 0 || pipe(err) < 0))
		fail("pipe");
	c->pid = fork();
	if (c->pid < 0)
		fail("fork");
	if (c->pid == 0) {
		if (capture) {
			dup2(out[1], STDOUT_FILENO);
			dup2(err[1], STDERR_FILENO);
			close(out[0]), close(out[1]), close(err[0]), close(err[1]);
		}
		execv(c->binary ? c->binary : OB_TEST_ECHO, (char **)(uintptr_t)argv);
		_exit(127);
	}
	if (capture) {
		close(out[1]);
		close(err[1]);
		c->out_fd = out[0];
		c->err_fd = err[0];
	}
}

void echo_spawn(struct echo_client *c, const char *const *extra, bool capture)
{
	const char *argv[MAX_ARGS];
	int n = 0;

	argv[n++] = "outboard-test-echo";
	argv[n++] = "--listen";
	argv[n++] = c->url;
	for (; extra && *extra && n < MAX_ARGS - 1; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	spawn(c, argv, capture);
}

void echo_spawn_bare(struct echo_client *c, const char *const *args)
{
	const char *argv[MAX_ARGS];
	int n = 0;

	argv[n++] = "outboard-test-echo";
	for (; args && *args && n < MAX_ARGS - 1; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	spawn(c, argv, true);
}

static void on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct echo_client *c = arg;

	(void)conn;
	if (env->body_case == OB__ENVELOPE__BODY_STATS) {
		c->stats = *env->stats;
		c->stats.base.unknown_fields = NULL;
		c->stats.base.n_unknown_fields = 0;
		c->have_stats = true;
	} else if (env->body_case == OB__ENVELOPE__BODY_EVENT) {
		const Ob__Event *ev = env->event;

		if (ev->event_case == OB__EVENT__EVENT_CREDIT && ev->credit->done_id > c->credit_done)
			c->credit_done = ev->credit->done_id;
		if (ev->event_case == OB__EVENT__EVENT_INPUT && c->n_events < ECHO_MAX_EVENTS) {
			c->kinds[c->n_events] = ev->input->kind;
			c->keys[c->n_events] = ev->input->key;
			c->n_events++;
		}
	}
}

static void on_state(void *arg, ob_conn *conn, bool up)
{
	struct echo_client *c = arg;

	(void)conn;
	if (!up)
		c->down = true;
}

bool echo_wait_ready(const struct echo_client *c)
{
	char path[96];
	struct stat st;
	int64_t end = ob_now_ms() + ECHO_WAIT_MS;

	if (strncmp(c->url, "tcp://", 6) == 0)
		return true;
	snprintf(path, sizeof(path), "%s/x.sock", c->dir);
	while (stat(path, &st) < 0) {
		if (ob_now_ms() > end)
			return false;
		poll(NULL, 0, 5);
	}
	return true;
}

int echo_connect(struct echo_client *c, uint32_t dead_ms, uint32_t protocol_version,
		 Ob__Hello **answer)
{
	struct ob_conn_opts opts = { .name = "test-client", .heartbeat_ms = 100, .dead_ms = dead_ms,
				     .key = c->key };
	struct ob_conn_callbacks cbs = { .on_message = on_message, .on_state = on_state };
	Ob__Hello hello;
	int rc;

	if (!echo_wait_ready(c))
		return -ETIMEDOUT;
	c->down = false;
	rc = ob_conn_dial(c->url, &opts, &cbs, c, &c->conn);
	if (rc)
		return rc;
	ob__hello__init(&hello);
	hello.protocol_version = protocol_version;
	hello.role = (char *)(uintptr_t)"test";
	return ob_conn_handshake(c->conn, &hello, ECHO_WAIT_MS, answer);
}

void echo_disconnect(struct echo_client *c)
{
	ob_conn_close(c->conn, 0);
	c->conn = NULL;
}

static Ob__Reply *copy_reply(const Ob__Reply *reply)
{
	size_t len = ob__reply__get_packed_size(reply);
	uint8_t *buf = malloc(len ? len : 1);
	Ob__Reply *copy;

	if (!buf)
		fail("malloc");
	ob__reply__pack(reply, buf);
	copy = ob__reply__unpack(NULL, len, buf);
	free(buf);
	return copy;
}

/* The reply box remembers its client through this pairing. */
struct reply_ctx {
	struct echo_client *c;
	struct echo_reply *r;
};

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	struct reply_ctx *rc = arg;

	rc->r->status = status;
	rc->r->order = ++rc->c->n_replies;
	rc->r->copy = reply ? copy_reply(reply) : NULL;
	rc->r->done = true;
	free(rc);
}

int echo_call(struct echo_client *c, int call_case, const void *msg, bool posted,
	      uint32_t deadline_ms, struct echo_reply *r, uint64_t *id)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field(&ob__request__descriptor, (unsigned)call_case);
	Ob__Request req = OB__REQUEST__INIT;
	struct reply_ctx *ctx = NULL;
	int rc;

	req.posted = posted;
	req.deadline_ms = deadline_ms;
	if (f && (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)) {
		req.call_case = (Ob__Request__CallCase)call_case;
		memcpy((char *)&req + f->offset, &msg, sizeof(msg));
	}
	if (!posted) {
		ctx = malloc(sizeof(*ctx));
		if (!ctx)
			fail("malloc");
		*ctx = (struct reply_ctx){ .c = c, .r = r };
		memset(r, 0, sizeof(*r));
	}
	rc = ob_conn_call(c->conn, &req, posted ? NULL : on_reply, ctx, id);
	if (rc)
		free(ctx);
	return rc;
}

int echo_send(struct echo_client *c, const Ob__Envelope *env)
{
	return ob_conn_send(c->conn, env);
}

bool echo_wait_flag(struct echo_client *c, const bool *flag)
{
	int64_t end = ob_now_ms() + ECHO_WAIT_MS;

	while (!*flag && ob_now_ms() < end)
		if (ob_conn_run(c->conn, 50, flag) < 0)
			break;
	return *flag;
}

/* Process until cond(c, arg) holds, bounded. */
static bool wait_until(struct echo_client *c, bool (*cond)(const struct echo_client *, uint64_t),
		       uint64_t arg)
{
	int64_t end = ob_now_ms() + ECHO_WAIT_MS;

	while (!cond(c, arg) && ob_now_ms() < end)
		if (ob_conn_run(c->conn, 20, NULL) < 0)
			break;
	return cond(c, arg);
}

static bool have_events(const struct echo_client *c, uint64_t n)
{
	return c->n_events >= n;
}

static bool have_credit(const struct echo_client *c, uint64_t id)
{
	return c->credit_done >= id;
}

static bool have_stats(const struct echo_client *c, uint64_t unused)
{
	(void)unused;
	return c->have_stats;
}

bool echo_wait_events(struct echo_client *c, unsigned n)
{
	return wait_until(c, have_events, n);
}

bool echo_wait_credit(struct echo_client *c, uint64_t id)
{
	return wait_until(c, have_credit, id);
}

bool echo_query_stats(struct echo_client *c)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__StatsQuery q = OB__STATS_QUERY__INIT;

	c->have_stats = false;
	env.body_case = OB__ENVELOPE__BODY_STATS_QUERY;
	env.stats_query = &q;
	if (echo_send(c, &env))
		return false;
	return wait_until(c, have_stats, 0);
}

bool echo_wait_exit(struct echo_client *c)
{
	int64_t end = ob_now_ms() + ECHO_WAIT_MS;

	while (c->pid > 0 && ob_now_ms() < end) {
		int st;
		pid_t w = waitpid(c->pid, &st, WNOHANG);

		if (w == c->pid) {
			c->wait_status = st;
			c->pid = -1;
			break;
		}
		/* Keep answering: a plugin flushes (Ping/Pong) before exiting. */
		if (c->conn)
			ob_conn_run(c->conn, 10, NULL);
		else
			poll(NULL, 0, 10);
	}
	return c->pid < 0;
}

char *echo_read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int64_t end = ob_now_ms() + ECHO_WAIT_MS;

	if (!buf)
		fail("malloc");
	while (fd >= 0 && ob_now_ms() < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if (len + 1 == cap) {
			buf = realloc(buf, cap *= 2);
			if (!buf)
				fail("realloc");
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

void echo_reply_fini(struct echo_reply *r)
{
	if (r->copy)
		ob__reply__free_unpacked(r->copy, NULL);
	r->copy = NULL;
}

/* Whatever else a test left in dir (key files). */
static void remove_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		char path[384];

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
}

void echo_client_fini(struct echo_client *c)
{
	char path[96];

	echo_disconnect(c);
	for (size_t i = 0; i < sizeof(c->r) / sizeof(c->r[0]); i++)
		echo_reply_fini(&c->r[i]);
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
		c->pid = -1;
	}
	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	c->out_fd = c->err_fd = -1;
	snprintf(path, sizeof(path), "%s/x.sock", c->dir);
	unlink(path);
	remove_files(c->dir);
	rmdir(c->dir);
}

int echo_fixture_setup(void **state)
{
	struct echo_client *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	echo_client_init(c);
	*state = c;
	return 0;
}

int echo_fixture_teardown(void **state)
{
	echo_client_fini(*state);
	free(*state);
	return 0;
}
