/*
 * Private to the plugin SDK (obp_ names). The SDK is split by concept:
 *   options.c   command line: getopt_long over the SDK's and the plugin's
 *               options, --help/--version/--describe text
 *   dispatch.c  the call table, the one dispatch function and the one reply
 *               path, deferred calls (struct ob_call)
 *   control.c   everything else that arrives (Hello, StatsQuery, Shutdown),
 *               frames from other sources, events and Credit
 *   transport.c the seam between the SDK and where frames go: an
 *               ob_conn by default, a capture function in tests; and the
 *               connection as the loop's frame source
 *   stdin_frames.c  --stdin-frames: frames from stdin, to stdout (a
 *               transport and a frame source)
 *   confine.c   the seccomp filter (--no-seccomp, OB_NO_SECCOMP)
 *   shm.c       the shared-memory data path: the side socket, the region
 *               the host offers in its Hello, spans in and out of calls
 *   loop.c      the poll loop and the signal fd
 *   main.c      ob_plugin_main: the lifecycle
 *
 * Incoming envelopes all enter through obp_handle_envelope (from the
 * connection's on_message, or ob_plugin_dispatch_frame); outgoing ones all
 * leave through struct obp_transport. A frame source other than nanomsg
 * (stdin for fuzzers) needs only those two ends, plus a struct obp_source
 * for the loop to poll.
 */
#ifndef OBP_SDK_H
#define OBP_SDK_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outboard/key.h"
#include "outboard/plugin.h"
#include "outboard/shm.h"

/* Log category of the SDK itself. */
#define OBP_LOG "plugin-sdk"

/* How long a clean shutdown waits for the host to confirm it received
 * everything (ob_conn_flush). */
#define OBP_FLUSH_MS 1000

/* How long the host may stay silent before the plugin declares it gone.
 * Longer than the IPC default (3 s): a CPU host whose only thread computes
 * without making calls does not service its connections until it makes
 * one (cpu-host/src/slicing.h), and a plugin that gave up on it would drop
 * its events meanwhile. A host that dies is reported by the launcher. */
#define OBP_HOST_DEAD_MS 120000u

/*
 * Where outgoing envelopes go. Each function returns 0 or a negated errno
 * and never takes ownership of its message. The default sends over p->conn
 * (obp_conn_transport); tests and a stdin transport install their own.
 */
struct obp_transport {
	int (*reply)(void *arg, const Ob__Reply *reply);
	int (*event)(void *arg, const Ob__Event *ev);
	int (*send)(void *arg, const Ob__Envelope *env); /* Hello, Stats */
	void *arg;
};

/* One row of the dispatch table: a call number's handler and where its
 * args and result live in Request and Reply. */
struct obp_entry {
	ob_handler_fn fn;                          /* NULL: ENOSYS */
	const ProtobufCFieldDescriptor *args;      /* NULL: not a call number */
	const ProtobufCFieldDescriptor *result;
};

/* Counters of the dispatcher; Stats is built from these and the conn's. */
struct obp_counters {
	uint64_t requests, replies, posted, events, errors, dropped;
	uint64_t reply_failures; /* replies the transport refused */
	uint32_t in_flight, max_in_flight;
};

/* Command-line state (options.c). */
struct obp_options {
	const char *listen;
	const char *log_level;
	const char *key_file;        /* --key FILE */
	bool insecure;               /* --insecure: tcp:// without a key */
	bool no_seccomp;             /* --no-seccomp */
	bool stdin_frames;           /* --stdin-frames (test only) */
	bool help, version, describe;
	bool describe_options; /* --describe-options */
	const char **values; /* per plugin option, NULL when absent */
	size_t n_values;
};

struct ob_plugin_ctx {
	struct ob_plugin plugin;     /* copy, fields past plugin.size zeroed */
	const char *program;         /* "outboard-<name>", static storage */
	struct obp_options opts;
	void *ctx;                   /* the plugin's, from init */

	struct obp_entry *table;     /* indexed by call number */
	uint32_t table_len;

	ob_conn *conn;               /* NULL until bound, and in tests */
	uint8_t key[OB_KEY_BYTES];   /* from --key, until the endpoint is bound */
	bool have_key;
	uint32_t max_message;        /* what the connection accepts; Hello says it */
	uint32_t heartbeat_ms;
	struct obp_transport tx;
	bool connected;              /* a peer is there (see ob_plugin_event) */
	bool stop;
	/* fini has run (or is running): requests that still arrive, while the
	 * connection flushes before closing, get ECANCELED, never a handler. */
	bool finished;

	struct ob_call *deferred;    /* list of calls waiting for ob_call_complete */
	struct obp_counters count;
	unsigned handler_warnings;   /* rate limit for handler bug reports */
	unsigned posted_warnings;    /* rate limit for failed posted calls */

	/* Shared memory (shm.c). */
	int shm_listen_fd;           /* the side socket; -1 when none */
	struct obp_region *region;   /* the current host's region, or NULL */

	/* Credit bookkeeping (control.c). */
	uint64_t posted_done_id;     /* highest posted id that has finished */
	uint64_t credited_id;        /* done_id of the last Credit sent */
	uint32_t posted_deferred;    /* posted calls still deferred */
};

/* protobuf-c's string fields are char * but are only read when packing:
 * pass our const strings without a cast that -Wcast-qual rejects. */
static inline char *obp_wire_str(const char *s)
{
	union {
		const char *in;
		char *out;
	} u = { .in = s };

	return u.out;
}

/* --- main.c: a context without the process around it (tests, fuzzers) --- */

/* Validate plugin (handlers, domains, options) and build an unbound
 * context. 0, -EINVAL (the reason is logged) or -ENOMEM. */
int obp_ctx_new(const struct ob_plugin *plugin, ob_plugin_ctx **out);
/* Finish deferred calls with ECANCELED and free. Does not call fini and
 * does not close the connection. Accepts NULL. */
void obp_ctx_free(ob_plugin_ctx *p);

/* --- options.c --- */

/* Plugin option names must be unique and not clash with the SDK's.
 * 0 or -EINVAL (logged). */
int obp_check_plugin_options(const struct ob_plugin *pl);
/* Parse argv into p->opts. 0, or -EINVAL after printing why to stderr
 * (including --listen tcp://... without --key or --insecure). */
int obp_parse_options(ob_plugin_ctx *p, int argc, char **argv);
/* Print --help, --version or --describe output to stdout. */
void obp_print_help(const ob_plugin_ctx *p);
void obp_print_version(const ob_plugin_ctx *p);
void obp_print_describe(const ob_plugin_ctx *p);
/* --describe-options: one line per option a config file may set, "NAME"
 * for a flag, "NAME ARG" for an option with a value. */
void obp_print_describe_options(const ob_plugin_ctx *p);
/* "fs", "display", "sound", "input"; NULL for anything else. */
const char *obp_domain_name(Ob__Domain d);
void obp_options_free(struct obp_options *o);

/* --- dispatch.c --- */

/* Build p->table from p->plugin.handlers. 0, -EINVAL (logged), -ENOMEM. */
int obp_table_build(ob_plugin_ctx *p);
/* Dispatch one request; req is only borrowed (the call copies it). */
void obp_dispatch(ob_plugin_ctx *p, const Ob__Request *req);
/* Answer every deferred call with status (host errno) and free it. */
void obp_cancel_deferred(ob_plugin_ctx *p, int status);

/* --- control.c --- */

/* Route one incoming envelope (borrowed). */
void obp_handle_envelope(ob_plugin_ctx *p, const Ob__Envelope *env);
/* A posted call finished (dispatch.c tells control.c, for Credit). */
void obp_posted_done(ob_plugin_ctx *p, uint64_t id);
/* Send Credit if posted calls finished since the last one. */
void obp_send_credit(ob_plugin_ctx *p);
/* The ob_conn callbacks that feed obp_handle_envelope. */
extern const struct ob_conn_callbacks obp_conn_callbacks;

/* --- shm.c --- */

struct obp_region;

/* A call's use of the region: the args' bytes field it pointed into the
 * region, the span lent for its result, and a reference on the region. */
struct obp_shm_use {
	struct obp_region *region;       /* NULL: the call uses no region */
	ProtobufCBinaryData *patched;    /* in the call's request copy */
	Ob__ShmSpan out;
	bool has_out;
	ProtobufCBinaryData *result_bytes; /* emptied while the reply is packed */
};

/* Listen on the endpoint's side socket (ipc:// only; a failure is logged
 * and leaves the plugin without shared memory). Before confinement. */
void obp_shm_listen(ob_plugin_ctx *p);
/* Close the side socket (removing its file) and drop the region. */
void obp_shm_close(ob_plugin_ctx *p);
/* A peer's Hello: drop the previous region and take the one it offers.
 * Returns the size mapped (the answer's shm_size), or 0 (inline). *lane
 * gets the side connection when the host offered it as a request lane and
 * this connection may take one (the caller owns it), else -1. */
uint32_t obp_shm_take(ob_plugin_ctx *p, const Ob__Hello *in, int *lane);
/* Serve calls from shm (ownership passes, also on failure) as if a host
 * had offered it: tests and fuzzers, which have no side socket. 0 or
 * -ENOMEM. */
int obp_shm_use(ob_plugin_ctx *p, ob_shm *shm);
/* Point req's (a call's own copy) bytes argument into the region and note
 * its result span in *use. 0, or -EINVAL for a span outside the region, a
 * span without a region, or shm_in on a call without an empty bytes field. */
int obp_shm_attach(ob_plugin_ctx *p, const Ob__Request *req, ProtobufCMessage *args,
		   struct obp_shm_use *use);
/* Undo attach before the request copy is freed. Accepts an empty use. */
void obp_shm_detach(struct obp_shm_use *use);
/* Before packing a reply: copy result's bytes into the lent span, fill
 * *span, and empty the bytes field (its value saved in *saved). false when
 * the call has no span or the bytes do not fit it: they go inline. */
bool obp_shm_put_result(struct obp_shm_use *use, ProtobufCMessage *result,
			Ob__ShmSpan *span, ProtobufCBinaryData *saved);
/* After packing: give the result its bytes back (to be freed with it). */
void obp_shm_restore_result(struct obp_shm_use *use, const ProtobufCBinaryData *saved);

/* --- loop.c's view of where frames come from --- */

/*
 * A frame source: the loop polls its fds beside the plugin's, and calls
 * process after every wake-up; process reads what is ready, feeds it to
 * obp_handle_envelope (or ob_plugin_dispatch_frame), and may set p->stop.
 * pollfds returns how many of the n entries it filled, or -errno; timeout
 * the ms until process is due (-1: none); process 0, or -errno to end the
 * run as a failure (logged by the source).
 */
struct obp_source {
	int (*pollfds)(void *arg, struct pollfd *pfds, int n);
	int (*timeout)(void *arg);
	int (*process)(void *arg);
	void *arg;
};

/* --- transport.c --- */

/* The default transport: over p->conn. */
void obp_use_conn_transport(ob_plugin_ctx *p);
/* The connection p->conn as the loop's frame source. */
struct obp_source obp_conn_source(ob_plugin_ctx *p);

/* --- stdin_frames.c (--stdin-frames) --- */

struct obp_stdin;
/* Frames from in_fd, what the plugin sends to out_fd (plugin.h describes
 * the format): installs the transport in p and fills *src. The fds are
 * borrowed. 0 or -ENOMEM. */
int obp_stdin_open(ob_plugin_ctx *p, int in_fd, int out_fd, struct obp_stdin **out,
		   struct obp_source *src);
/* Free; accepts NULL. Put the conn transport back first if p lives on. */
void obp_stdin_close(struct obp_stdin *s);

/* --- confine.c --- */

/* What to confine a process to; obp_confine builds it from p. */
struct obp_confine {
	enum ob_confine mode;
	const char *const *allow;    /* the plugin's allow_syscalls; may be NULL */
	const char *url;             /* the endpoint; NULL for none (stdin) */
	/* The endpoint may be bound again at run time (a listener with a key
	 * drops a failed peer that way): sockets of url's family may then be
	 * created, bound, listened on and connected. Otherwise no new socket
	 * of any kind. */
	bool rebind;
};

/* Make glibc's malloc safe under the filter (one arena: no heap shrink
 * that reads /proc). Call before any thread exists; ob_plugin_main does
 * it first. */
void obp_confine_prepare(void);
/* Install the filter described by c on every thread, with the SIGSYS
 * reporter. 0, or a negated errno (logged): -EINVAL for a name libseccomp
 * does not know, or what libseccomp and the kernel report. */
int obp_confine_install(const struct obp_confine *c);
/* Confine p's process as p->plugin and the options ask, unless
 * --no-seccomp or OB_NO_SECCOMP; logs what it did. 0 or -errno. */
int obp_confine(const ob_plugin_ctx *p);
/* Whether this build's sanitizer runtime widened the allow-list. */
bool obp_confine_relaxed_for_sanitizer(void);

/* --- loop.c --- */

/* Block SIGTERM and SIGINT (before any thread exists) and return a signal
 * fd for them, or a negated errno. */
int obp_signals_open(void);
/* Run until ob_plugin_stop, Shutdown, a signal on sigfd, or the source's
 * end. 0 or -errno. */
int obp_run(ob_plugin_ctx *p, int sigfd, const struct obp_source *src);

#endif /* OBP_SDK_H */
