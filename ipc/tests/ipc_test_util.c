/* Shared harness for the IPC unit tests: see ipc_test_util.h. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <nanomsg/nn.h>
#include <nanomsg/pair.h>

#include "ipc_test_util.h"

static char dir_path[64];

static void remove_dir(void)
{
	DIR *d = opendir(dir_path);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[sizeof(dir_path) + 256];

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir_path, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir_path);
}

const char *tu_dir(void)
{
	if (!dir_path[0]) {
		strcpy(dir_path, "/tmp/ob-ipc-test-XXXXXX");
		assert_non_null(mkdtemp(dir_path));
		atexit(remove_dir);
	}
	return dir_path;
}

void tu_url(char *buf, size_t size, const char *name)
{
	int n = snprintf(buf, size, "ipc://%s/%s.sock", tu_dir(), name);

	assert_true(n > 0 && (size_t)n < size);
}

void tu_tcp_url(char *buf, size_t size)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sa_len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), n;

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sa_len), 0);
	close(fd);
	n = snprintf(buf, size, "tcp://127.0.0.1:%u", (unsigned)ntohs(sa.sin_port));
	assert_true(n > 0 && (size_t)n < size);
}

ob_conn *tu_listen_tcp(char *url, size_t size, const struct ob_conn_opts *opts,
		       const struct ob_conn_callbacks *cbs, void *arg)
{
	for (int attempt = 0; attempt < 20; attempt++) {
		ob_conn *conn = NULL;
		int rc;

		tu_tcp_url(url, size);
		rc = ob_conn_listen(url, opts, cbs, arg, &conn);
		if (rc == 0)
			return conn;
		assert_int_equal(rc, -EADDRINUSE);
	}
	fail_msg("no free loopback port after 20 attempts");
	return NULL;
}

bool tu_pump(ob_conn *const *conns, int n, bool (*cond)(void *arg), void *arg,
	     int timeout_ms)
{
	int64_t end = ob_now_ms() + timeout_ms;

	for (;;) {
		struct pollfd pfds[16];
		int npfd = 0, wait = 10;

		for (int i = 0; i < n; i++)
			assert_true(ob_conn_process(conns[i]) >= 0);
		if (cond && cond(arg))
			return true;
		if (ob_now_ms() >= end)
			return cond == NULL;
		for (int i = 0; i < n; i++) {
			int t = ob_conn_timeout(conns[i]);

			if (t >= 0 && t < wait)
				wait = t;
			npfd += ob_conn_pollfds(conns[i], pfds + npfd, 16 - npfd);
		}
		poll(pfds, (nfds_t)npfd, wait);
	}
}

bool tu_pump1(ob_conn *a, bool (*cond)(void *arg), void *arg, int timeout_ms)
{
	return tu_pump(&a, 1, cond, arg, timeout_ms);
}

bool tu_pump2(ob_conn *a, ob_conn *b, bool (*cond)(void *arg), void *arg, int timeout_ms)
{
	ob_conn *conns[2] = {a, b};

	return tu_pump(conns, 2, cond, arg, timeout_ms);
}

bool tu_count_reached(void *arg)
{
	struct tu_count *c = arg;

	return atomic_load(&c->n) >= c->target;
}

/* ---- raw nanomsg peer ---- */

static int raw_socket(void)
{
	int sock = nn_socket(AF_SP, NN_PAIR);
	int unlimited = -1;

	assert_true(sock >= 0);
	assert_int_equal(nn_setsockopt(sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &unlimited,
				       sizeof(unlimited)), 0);
	return sock;
}

int tu_raw_dial(const char *url)
{
	int sock = raw_socket();

	assert_true(nn_connect(sock, url) >= 0);
	return sock;
}

int tu_raw_bind(const char *url)
{
	int sock = raw_socket();

	assert_true(nn_bind(sock, url) >= 0);
	return sock;
}

void tu_raw_close(int sock)
{
	assert_int_equal(nn_close(sock), 0);
}

static void pump_a_little(ob_conn *conn)
{
	if (conn)
		tu_pump1(conn, NULL, NULL, 5);
	else
		poll(NULL, 0, 5);
}

void tu_raw_send(int sock, const void *data, size_t len, ob_conn *conn)
{
	int64_t end = ob_now_ms() + TU_WAIT_MS;

	for (;;) {
		int rc = nn_send(sock, data, len, NN_DONTWAIT);

		if (rc >= 0) {
			assert_int_equal((size_t)rc, len);
			return;
		}
		assert_int_equal(errno, EAGAIN);
		assert_true(ob_now_ms() < end);
		pump_a_little(conn);
	}
}

void tu_raw_send_env(int sock, const Ob__Envelope *env, ob_conn *conn)
{
	size_t len = ob__envelope__get_packed_size(env);
	uint8_t *buf = malloc(len ? len : 1);

	assert_non_null(buf);
	ob__envelope__pack(env, buf);
	tu_raw_send(sock, buf, len, conn);
	free(buf);
}

void *tu_raw_recv(int sock, ob_conn *conn, int timeout_ms, size_t *len)
{
	int64_t end = ob_now_ms() + timeout_ms;

	for (;;) {
		void *buf;
		int rc = nn_recv(sock, &buf, NN_MSG, NN_DONTWAIT);

		if (rc >= 0) {
			*len = (size_t)rc;
			return buf;
		}
		assert_int_equal(errno, EAGAIN);
		if (ob_now_ms() >= end)
			return NULL;
		pump_a_little(conn);
	}
}

Ob__Envelope *tu_raw_recv_env(int sock, ob_conn *conn, int timeout_ms)
{
	int64_t end = ob_now_ms() + timeout_ms;

	for (;;) {
		void *buf;
		int rc = nn_recv(sock, &buf, NN_MSG, NN_DONTWAIT);

		if (rc >= 0) {
			Ob__Envelope *env = ob__envelope__unpack(NULL, (size_t)rc, buf);

			nn_freemsg(buf);
			return env;
		}
		assert_int_equal(errno, EAGAIN);
		if (ob_now_ms() >= end)
			return NULL;
		pump_a_little(conn);
	}
}

bool tu_raw_wait_pong(int sock, uint64_t seq, ob_conn *conn, int timeout_ms)
{
	int64_t end = ob_now_ms() + timeout_ms;

	while (ob_now_ms() < end) {
		Ob__Envelope *env = tu_raw_recv_env(sock, conn, (int)(end - ob_now_ms()));
		bool found;

		if (!env)
			continue;
		found = env->body_case == OB__ENVELOPE__BODY_PONG && env->pong->seq == seq;
		ob__envelope__free_unpacked(env, NULL);
		if (found)
			return true;
	}
	return false;
}

void tu_raw_ping(int sock, uint64_t seq, ob_conn *conn)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Ping ping = OB__PING__INIT;

	ping.seq = seq;
	env.body_case = OB__ENVELOPE__BODY_PING;
	env.ping = &ping;
	tu_raw_send_env(sock, &env, conn);
}

/* ---- a connection served by another thread ---- */

static void *thread_main(void *arg)
{
	struct tu_thread *t = arg;

	atomic_store(&t->running, true);
	while (!t->stop) {
		if (ob_conn_run(t->conn, 50, &t->stop) < 0)
			break;
	}
	atomic_store(&t->running, false);
	return NULL;
}

void tu_thread_start(struct tu_thread *t, ob_conn *conn)
{
	t->conn = conn;
	t->stop = false;
	atomic_store(&t->running, false);
	assert_int_equal(pthread_create(&t->thread, NULL, thread_main, t), 0);
}

void tu_thread_stop(struct tu_thread *t)
{
	t->stop = true;
	assert_int_equal(pthread_join(t->thread, NULL), 0);
}

/* ---- messages ---- */

void tu_read_req_init(struct tu_read_req *r, uint32_t fd, uint32_t count)
{
	ob__request__init(&r->req);
	ob__fs_read__init(&r->rd);
	r->rd.fd = fd;
	r->rd.count = count;
	r->req.call_case = OB__REQUEST__CALL_FS_READ;
	r->req.fs_read = &r->rd;
}

void tu_reply_read(ob_conn *conn, uint64_t id, uint32_t status, const void *data,
		   size_t len)
{
	Ob__Reply reply = OB__REPLY__INIT;
	Ob__FsReadResult res = OB__FS_READ_RESULT__INIT;

	reply.id = id;
	reply.status = status;
	if (status == 0) {
		res.buf.data = (uint8_t *)(uintptr_t)data;
		res.buf.len = len;
		reply.result_case = OB__REPLY__RESULT_FS_READ;
		reply.fs_read = &res;
	}
	assert_int_equal(ob_conn_reply(conn, &reply), 0);
}

uint64_t tu_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1Dull;
}
