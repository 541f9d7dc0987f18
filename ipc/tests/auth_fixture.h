/*
 * Shared fixture of the authentication tests (test_ipc_auth.c,
 * test_ipc_auth_wire.c): one side of a connection with counting callbacks
 * (a listening side answers requests with "pong" and Hellos with its own),
 * bounded waits over the sides and an optional relay (ipc_relay.h), calls,
 * and raw nanomsg peers. Everything runs in the test's thread unless a
 * test hands a side to tu_thread.
 */
#ifndef AUTH_FIXTURE_H
#define AUTH_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc_relay.h"
#include "ipc_test_util.h"

/* Two random keys, made by af_group_setup. */
extern uint8_t af_key_a[OB_KEY_BYTES], af_key_b[OB_KEY_BYTES];
extern const struct ob_conn_callbacks af_cbs;

struct side {
	ob_conn *conn;
	bool serve;           /* answer requests and Hellos (the listener) */
	int messages, requests, events, hellos;
	int errors, eacces;
	int downs;
	char last_path[64];   /* path of the last FsOpen served */
};

/* Options of the tests: heartbeat 100 ms, dead 1500 ms, auth timeout 1 s. */
struct ob_conn_opts af_opts(const uint8_t *key, const char *name, bool heartbeat);
/* A listening side on a fresh loopback tcp URL (written into url). */
void listen_side(struct side *s, char *url, size_t size, const uint8_t *key, bool heartbeat);
void dial_side(struct side *s, const char *url, const uint8_t *key, bool heartbeat);
void close_side(struct side *s);
struct ob_conn_stats af_stats(const struct side *s);
/* Send our own Hello on conn. */
void answer_hello(ob_conn *conn);

/* Run the sides (either may be NULL) and the relay (may be NULL) until
 * cond(arg) holds, at most TU_WAIT_MS; returns cond's value. */
bool af_run(struct relay *r, struct side *a, struct side *b, bool (*cond)(void *arg),
	    void *arg);
/* Until *value >= target. */
bool wait_int(struct relay *r, struct side *a, struct side *b, const int *value, int target);
/* Until the uint64_t counter of struct ob_conn_stats at offset, on s,
 * reaches target. */
bool wait_stat(struct relay *r, struct side *a, struct side *b, const struct side *s,
	       size_t offset, uint64_t target);
#define SESSIONS offsetof(struct ob_conn_stats, sessions)
#define FAILURES offsetof(struct ob_conn_stats, auth_failures)
#define DROPPED offsetof(struct ob_conn_stats, dropped)

/* One call's outcome. */
struct box {
	bool done;
	int status;
	size_t len;
	char data[16];
};
/* An ob_reply_fn filling the struct box in arg. */
void af_on_reply(void *arg, int status, const Ob__Reply *reply);
bool box_done(void *arg);
/* Send an FsRead from d; returns its id. */
uint64_t start_call(struct side *d, struct box *b);
/* A request from d answered by l with "pong". */
void call_ok(struct relay *r, struct side *d, struct side *l);
/* arg: struct side *[2]; both see their peer up. */
bool both_up(void *arg);
/* Both sides have had n sessions and see each other up. */
void wait_sessions(struct relay *r, struct side *d, struct side *l, uint64_t n);
/* A legitimate peer with af_key_a gets through to l and is served. */
void legit_peer_served(struct side *l, const char *url);

/* Read and discard what a raw peer received. */
void raw_drain(int raw);
/* Wait until a raw peer has connected again since *est connections, then
 * send from it (pumping l). */
void raw_send_connected(int raw, uint64_t *est, struct side *l, const void *data, size_t len);

/* cmocka group setup: the keys, and quiet logs unless OB_TEST_VERBOSE. */
int af_group_setup(void **state);

#endif /* AUTH_FIXTURE_H */
