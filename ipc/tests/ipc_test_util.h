/*
 * Shared harness for the IPC unit tests.
 *
 * - A private temporary directory per test binary (mkdtemp), so ipc://
 *   endpoints of parallel test runs never collide.
 * - Pumping: run several connections of this thread together until a
 *   condition holds, with a bounded wait (never a timing assertion).
 * - A raw nanomsg PAIR peer, to send what a well-behaved connection never
 *   would (garbage, oversize frames) and to play a peer that hangs.
 * - A peer thread, for the blocking calls (flush, handshake, close) whose
 *   peer must keep running meanwhile.
 */
#ifndef IPC_TEST_UTIL_H
#define IPC_TEST_UTIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outboard/ipc.h"

/* Generous bound for any "eventually" in these tests. */
#define TU_WAIT_MS 10000

/* Create the temporary directory (once per process); removed at exit. */
const char *tu_dir(void);
/* Write "ipc://<dir>/<name>.sock" into buf (asserts it fits). */
void tu_url(char *buf, size_t size, const char *name);

/* Write "tcp://127.0.0.1:<port>" into buf, with a port from the ephemeral
 * range that was free a moment ago (bound with port 0, then closed).
 * Another process may take it meanwhile: callers that bind it retry with
 * a new one on EADDRINUSE (tu_listen does). */
void tu_tcp_url(char *buf, size_t size);
/* ob_conn_listen on a fresh loopback tcp URL (written into url), retrying
 * with another port while the port is taken. Asserts success. */
ob_conn *tu_listen_tcp(char *url, size_t size, const struct ob_conn_opts *opts,
		       const struct ob_conn_callbacks *cbs, void *arg);

/* Run conns (all owned by this thread) until cond(arg) is true or timeout_ms
 * passes. cond may be NULL (just run for timeout_ms). Returns cond's final
 * value (true when cond is NULL). */
bool tu_pump(ob_conn *const *conns, int n, bool (*cond)(void *arg), void *arg,
	     int timeout_ms);
/* Same for one or two connections. */
bool tu_pump1(ob_conn *a, bool (*cond)(void *arg), void *arg, int timeout_ms);
bool tu_pump2(ob_conn *a, ob_conn *b, bool (*cond)(void *arg), void *arg, int timeout_ms);

/* cond helpers: *(atomic_int *)arg reached a target. */
struct tu_count {
	atomic_int n;
	int target;
};
bool tu_count_reached(void *arg);

/* ---- raw nanomsg peer ---- */

/* A PAIR socket that dials (or binds) url, with NN_RCVMAXSIZE -1 (no limit)
 * so it can receive anything. Asserts on failure. */
int tu_raw_dial(const char *url);
int tu_raw_bind(const char *url);
void tu_raw_close(int sock);
/* Send one frame, pumping conn (may be NULL) while nanomsg has no room.
 * Asserts it went out within TU_WAIT_MS. */
void tu_raw_send(int sock, const void *data, size_t len, ob_conn *conn);
void tu_raw_send_env(int sock, const Ob__Envelope *env, ob_conn *conn);
/* Receive one raw frame, pumping conn (may be NULL) meanwhile. NULL after
 * timeout_ms; else free it with nn_freemsg. */
void *tu_raw_recv(int sock, ob_conn *conn, int timeout_ms, size_t *len);
/* Receive one envelope, pumping conn meanwhile. NULL after timeout_ms or for
 * a frame that does not decode. Free with ob__envelope__free_unpacked. */
Ob__Envelope *tu_raw_recv_env(int sock, ob_conn *conn, int timeout_ms);
/* Receive until a Pong with this seq arrives (other frames are skipped). */
bool tu_raw_wait_pong(int sock, uint64_t seq, ob_conn *conn, int timeout_ms);
/* Send a Ping with seq from the raw socket. */
void tu_raw_ping(int sock, uint64_t seq, ob_conn *conn);

/* ---- a connection served by another thread ---- */

struct tu_thread {
	pthread_t thread;
	ob_conn *conn;
	volatile bool stop;
	atomic_bool running;
};
/* Hand conn to a new thread that runs it until tu_thread_stop. The
 * callbacks of conn run in that thread. */
void tu_thread_start(struct tu_thread *t, ob_conn *conn);
/* Stop and join; conn belongs to the calling thread again. */
void tu_thread_stop(struct tu_thread *t);

/* ---- messages ---- */

/* A small request (fs_read of count bytes from fd) in caller storage. */
struct tu_read_req {
	Ob__Request req;
	Ob__FsRead rd;
};
void tu_read_req_init(struct tu_read_req *r, uint32_t fd, uint32_t count);

/* Reply to request id with status (ABI) and, when status is 0, an FsRead
 * result whose buf holds len bytes of data. Asserts it was sent. */
void tu_reply_read(ob_conn *conn, uint64_t id, uint32_t status, const void *data,
		   size_t len);

/* Deterministic PRNG (xorshift64*), so failures reproduce. */
uint64_t tu_rand(uint64_t *state);

#endif /* IPC_TEST_UTIL_H */
