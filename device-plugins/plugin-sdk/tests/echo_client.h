/*
 * Test helpers: start the real outboard-test-echo binary (OB_TEST_ECHO) on a
 * private ipc:// endpoint and talk to it with an ob_conn, as the CPU host
 * does. Every wait here is bounded.
 */
#ifndef ECHO_CLIENT_H
#define ECHO_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "outboard/ipc.h"

#define ECHO_WAIT_MS 10000 /* upper bound of any wait; never reached when things work */
#define ECHO_MAX_EVENTS 64

/* One reply, kept after the connection's callback returned. */
struct echo_reply {
	bool done;       /* volatile bool semantics: ob_conn_run watches it */
	int status;      /* host errno as ob_conn gives it (0, EACCES, ETIMEDOUT...) */
	int order;       /* 1 for the first reply the client saw, 2 for the next... */
	Ob__Reply *copy; /* unpacked copy, NULL when the connection failed it */
};

struct echo_client {
	pid_t pid;                 /* -1 once reaped */
	int wait_status;           /* from waitpid, once reaped */
	char dir[64];              /* mkdtemp directory holding the socket */
	char url[128];
	int out_fd, err_fd;        /* the child's stdout/stderr, or -1 */
	ob_conn *conn;
	const uint8_t *key;        /* echo_connect dials with this key (NULL: none) */
	const char *binary;        /* what echo_spawn starts (NULL: OB_TEST_ECHO) */

	/* What arrived besides replies. */
	int n_replies;
	unsigned n_events;
	Ob__InputEvent__Kind kinds[ECHO_MAX_EVENTS];
	uint32_t keys[ECHO_MAX_EVENTS];
	uint64_t credit_done;      /* highest Credit.done_id */
	bool have_stats;
	Ob__Stats stats;           /* scalar copy of the last Stats */
	bool down;                 /* on_state(false) seen */

	/* Reply boxes for the tests: they live as long as the connection, so
	 * a call failed by teardown (ECANCELED) still has somewhere to land. */
	struct echo_reply r[8];
};

/* Make the directory and URL; the child is not started. */
void echo_client_init(struct echo_client *c);
/* Switch the URL to tcp://127.0.0.1:<port>, a port from the ephemeral
 * range that was free a moment ago. */
void echo_use_tcp(struct echo_client *c);
/* "<dir>/<name>": a file in the client's directory, removed by
 * echo_client_fini (key files). */
void echo_path(const struct echo_client *c, const char *name, char *buf, size_t size);
/* Start the echo with --listen url and extra args (NULL-terminated, may be
 * NULL). capture: pipe its stdout and stderr. */
void echo_spawn(struct echo_client *c, const char *const *extra, bool capture);
/* Run the echo without --listen (for --help and friends); capture output. */
void echo_spawn_bare(struct echo_client *c, const char *const *args);
/* Wait until the echo has bound its endpoint (its socket file exists):
 * by then its signals go to its poll loop, and a dial connects at once.
 * Over tcp:// there is no file to see: true at once (a dialer keeps
 * trying, and echo_connect's handshake waits). */
bool echo_wait_ready(const struct echo_client *c);
/* Dial and handshake. dead_ms 0 = default. Returns the handshake result;
 * *answer (if not NULL) gets the plugin's Hello. */
int echo_connect(struct echo_client *c, uint32_t dead_ms, uint32_t protocol_version,
		 Ob__Hello **answer);
void echo_disconnect(struct echo_client *c);

/* Send a request with call number call_case and args msg. posted: no
 * reply expected (r may be NULL). Returns ob_conn_call's result. */
int echo_call(struct echo_client *c, int call_case, const void *msg, bool posted,
	      uint32_t deadline_ms, struct echo_reply *r, uint64_t *id);
/* Send a bare envelope body (Shutdown, StatsQuery...). */
int echo_send(struct echo_client *c, const Ob__Envelope *env);

/* Process the connection until *flag is true or ECHO_WAIT_MS passes;
 * returns *flag. */
bool echo_wait_flag(struct echo_client *c, const bool *flag);
/* Process until n events arrived, credit reaches id, stats arrive. */
bool echo_wait_events(struct echo_client *c, unsigned n);
bool echo_wait_credit(struct echo_client *c, uint64_t id);
bool echo_query_stats(struct echo_client *c);
/* Wait (pumping the connection if any) for the child to end; true when it
 * did within ECHO_WAIT_MS. wait_status then holds the waitpid status. */
bool echo_wait_exit(struct echo_client *c);
/* Read the captured stdout/stderr to the end (the child closes them when
 * it exits). Returns a malloc'd NUL-terminated string. */
char *echo_read_all(int fd);

/* Kill a child still running, reap it, close everything, remove the dir. */
void echo_client_fini(struct echo_client *c);

/* cmocka fixtures: *state becomes a fresh client (ipc://), and is finished
 * and freed. */
int echo_fixture_setup(void **state);
int echo_fixture_teardown(void **state);
void echo_reply_fini(struct echo_reply *r);

#endif /* ECHO_CLIENT_H */
