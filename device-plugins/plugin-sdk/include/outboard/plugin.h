/*
 * outboard plugin SDK: a device backend is a table of handlers plus main().
 *
 *     static const struct ob_handler handlers[] = {
 *             { OB__REQUEST__CALL_FS_OPEN, handle_open },
 *             ...
 *     };
 *     static const struct ob_plugin plugin = {
 *             .size = sizeof(struct ob_plugin),
 *             .name = "fs-hostdir", .version = "1.0",
 *             .domains = domains, .n_domains = 1,
 *             .handlers = handlers, .n_handlers = ARRAY_LEN(handlers),
 *             .options = options,
 *             .init = hostdir_init, .fini = hostdir_fini,
 *     };
 *     int main(int argc, char **argv) { return ob_plugin_main(&plugin, argc, argv); }
 *
 * The SDK parses the command line (--listen URL, --log-level, --help,
 * --version, --describe, plus the plugin's own options), binds the endpoint,
 * answers the Hello handshake, runs the receive loop, dispatches each request
 * to its handler, sends the one reply (or none for a posted call), answers
 * pings and StatsQuery, and shuts down cleanly on Shutdown, SIGTERM or
 * SIGINT.
 *
 * Command line and exit status of ob_plugin_main:
 *   --listen URL       bind here ("ipc:///run/x.sock", "tcp://0.0.0.0:5555");
 *                      required unless --stdin-frames or one of --help,
 *                      --version, --describe is given
 *   --key FILE         shared key file (outboard-keygen FILE, mode 0600): only
 *                      a peer holding the same key is served, and all traffic
 *                      is encrypted (docs/security.md). Required with tcp://
 *                      unless --insecure; optional with ipc://
 *   --insecure         listen on tcp:// without a key (trusted networks only;
 *                      logged as a warning); contradicts --key
 *   --log-level LEVEL  error|guest|stub|warn|info|debug or 0-5
 *   --help             usage, including the plugin's options; exit 0
 *   --version          "outboard-<name> <version> (protocol N)"; exit 0
 *   --describe         exactly one line "<name> <version> <dom>[,<dom>...]",
 *                      domains named fs, display, sound, input; exit 0
 *   --describe-options one line per option a config file may set: the
 *                      plugin's own, then key, insecure, no-seccomp; "NAME"
 *                      for a flag, "NAME ARG" with a value; exit 0. The
 *                      launcher refuses a config key not listed here
 *   --no-seccomp       do not confine the process (see Confinement below);
 *                      OB_NO_SECCOMP set to anything but "" or "0" in the
 *                      environment does the same (for valgrind, debuggers)
 *   --stdin-frames     test only (fuzzers, captured sessions): serve frames
 *                      read from stdin instead of an endpoint; see below.
 *                      Contradicts --listen, --key and --insecure
 *   exit 0 after Shutdown, SIGTERM or SIGINT; 1 when the key file, init,
 *   binding or confinement fails (the reason is logged); 2 for a bad command
 *   line, including tcp:// without --key or --insecure (message on stderr).
 *   A call the seccomp filter forbids kills the process with SIGSYS.
 *
 * --stdin-frames: stdin carries frames, each a 4-byte little-endian length
 * and that many bytes of a packed Envelope, exactly as they would arrive
 * from the host; each goes through ob_plugin_dispatch_frame, so the real
 * dispatcher handles it. Everything the plugin sends (Hello answers,
 * replies, events, Credit, Pong, Stats) goes to stdout in the same framing.
 * The plugin is initialised and confined as with --listen. At end of input,
 * deferred calls get up to 1 s to finish (the plugin's timers keep running)
 * and are then answered ECANCELED. Exit 0 at end of input (a frame cut
 * short by it is dropped, logged and counted), after Shutdown, SIGTERM or
 * SIGINT; 1 when a length exceeds the largest frame (max_message, as
 * Hello says), or stdin or stdout fail.
 * The SDK sets the log program name to "outboard-<name>".
 *
 * A call with no handler is answered ENOSYS; a request without a call, or
 * with a call number the SDK does not know, EINVAL. Handlers return host
 * errno values; the SDK converts them to the ABI numbering in its single
 * reply path.
 *
 * Posted requests get no reply. Once every posted request up to id N has
 * finished, the SDK sends Event{credit{done_id = N}} (at most one per loop
 * iteration), so the host can bound how many posted calls it has in flight.
 *
 * Stats (answer to StatsQuery): requests (dispatched, posted included),
 * replies, posted, events (sent by the plugin), errors (calls that finished
 * with a non-zero status, posted ones included), dropped (frames the
 * connection or ob_plugin_dispatch_frame could not decode), in_flight and
 * max_in_flight (deferred calls).
 *
 * Confinement (docs/confinement.md): after init and after the endpoint is
 * bound (or stdin is ready), before the first frame is served, the SDK
 * installs a seccomp filter (libseccomp) on every thread of the process.
 * A forbidden system call gets one line on stderr naming it ("seccomp:
 * system call 59 (execve) is not allowed") and kills the process with
 * SIGSYS; in a thread that blocks SIGSYS (nanomsg's workers) the kernel
 * kills it with SIGSYS without the line. What is allowed depends on
 * ob_plugin.confine:
 *   OB_CONFINE_ALLOW_LIST  the SDK's base list (what the SDK, nanomsg,
 *       libsodium and glibc need to serve: memory, threads, futexes, time,
 *       poll/epoll, read/write/close on open descriptors, accept and
 *       send/receive on sockets, a listener's re-bind after a failed
 *       authentication) plus ob_plugin.allow_syscalls. Everything else is
 *       forbidden, among it exec, fork, ptrace, new sockets other than
 *       the endpoint's family, opening files, and mapping executable memory.
 *   OB_CONFINE_DENY_LIST   everything except a list of dangerous calls
 *       (exec, ptrace, mount and namespaces, module and kexec loading, bpf,
 *       perf, keyrings, ...): for backends whose libraries load drivers and
 *       talk to servers at any time (SDL). A much weaker guard, and
 *       docs/confinement.md says so.
 *   OB_CONFINE_NONE        no filter.
 * A description from before these fields (a smaller size) gets the base
 * list alone. In a sanitizer build (ASan/LSan/TSan) the allow-list also
 * holds what the sanitizer runtime needs (LSan's check at exit clones a
 * tracer task that ptraces every thread and reads /proc), so fork, ptrace
 * and opening files are possible there; exec, sockets other than the
 * endpoint's and signals to other processes stay forbidden.
 *
 * Threading: everything runs on the thread that called ob_plugin_main; no
 * function here may be called from another thread.
 *
 * Names: ob_ public; obp_ private to the SDK.
 */
#ifndef OUTBOARD_PLUGIN_H
#define OUTBOARD_PLUGIN_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "outboard.pb-c.h"
#include "outboard/ipc.h"
#include "outboard/log.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ob_plugin_ctx ob_plugin_ctx;
typedef struct ob_call ob_call;

/* A handler's return value that defers the reply: see ob_call_complete. */
#define OB_DEFER (-1)

/*
 * A handler. args is the request's call message (e.g. Ob__FsOpen), owned by
 * the SDK and valid until the call completes (the SDK keeps its own copy of
 * the request, so a deferred handler may keep using args). result is the
 * matching result message (e.g. Ob__FsOpenResult), already initialised; the
 * handler fills it. Pointer fields the handler sets in result (bytes data,
 * strings, sub-messages) must come from malloc: the SDK frees them with
 * protobuf_c_message_free_unpacked after sending.
 *
 * Returns 0, a positive host errno (the reply carries it and no result), or
 * OB_DEFER to answer later with ob_call_complete. A negative value other than
 * OB_DEFER is taken as a negated errno and logged as a handler bug. For a
 * posted call the return value is only counted and logged.
 */
typedef int (*ob_handler_fn)(void *ctx, ob_call *call, const ProtobufCMessage *args,
			     ProtobufCMessage *result);

struct ob_handler {
	uint32_t call;        /* Ob__Request__CallCase, e.g. OB__REQUEST__CALL_FS_READ */
	ob_handler_fn fn;
};

/* A plugin-specific command-line option, "--name VALUE" or "--name". */
struct ob_plugin_option {
	const char *name;     /* without dashes */
	bool has_arg;
	const char *arg_name; /* for --help: "DIR" */
	const char *help;
};

/* How the SDK confines the plugin's process (see the top of this file). */
enum ob_confine {
	OB_CONFINE_ALLOW_LIST = 0, /* base list + allow_syscalls; the default */
	OB_CONFINE_DENY_LIST,      /* all but the dangerous calls (SDL backends) */
	OB_CONFINE_NONE,           /* no filter */
};

/*
 * The plugin description. handlers: one entry per call number (a duplicate,
 * or a number that is not a call in proto/outboard.proto, fails start-up);
 * an entry with fn NULL is the same as no entry. Lifecycle, in order:
 *   init   after options are parsed, before the endpoint is bound. It sets
 *          *ctx, the first argument of every other callback. Returns 0 or a
 *          positive errno (the process exits 1 with the logged reason).
 *          May be NULL (ctx is then NULL).
 *   pollfds/timeout/process  optional: backends with their own fds or timers
 *          (SDL, input scripts) join the SDK's poll loop through these.
 *          pollfds fills up to n entries and returns the count; timeout
 *          returns ms until process is due (-1 none); process runs when one
 *          of its fds is ready or its timeout passed.
 *   (confinement) after init and binding: from here on, every system call
 *          the plugin makes (handlers, process, fini) must be allowed by
 *          confine and allow_syscalls, so init opens whatever files,
 *          devices and windows the plugin needs. confine and
 *          allow_syscalls are read once, here; allow_syscalls must stay
 *          valid until then (static storage).
 *   fini   at exit. Must accept a ctx from a failed or partial init
 *          (including NULL).
 *
 * allow_syscalls: system calls allowed besides the SDK's base list, by the
 * names of syscall(2) and libseccomp ("openat", "pwrite64"), terminated by
 * NULL; NULL for none. Only with OB_CONFINE_ALLOW_LIST. A name libseccomp
 * does not know fails start-up (exit 1, logged); a name it knows that this
 * architecture lacks ("open" on aarch64) is skipped, so a list may name
 * the variants of every architecture. List the calls themselves, not the
 * libc functions: fopen is openat, fstat is newfstatat, rename is rename
 * or renameat2.
 */
struct ob_plugin {
	size_t size;          /* sizeof(struct ob_plugin); fields past a smaller size count as NULL */
	const char *name;     /* backend name, "fs-hostdir" */
	const char *version;
	const char *summary;  /* one line for --help; may be NULL */
	const Ob__Domain *domains;
	size_t n_domains;
	const struct ob_handler *handlers;
	size_t n_handlers;
	const struct ob_plugin_option *options; /* terminated by a NULL name; may be NULL */

	int (*init)(ob_plugin_ctx *p, void **ctx);
	int (*pollfds)(void *ctx, struct pollfd *pfds, int n);
	int (*timeout)(void *ctx);
	void (*process)(void *ctx, ob_plugin_ctx *p);
	void (*fini)(void *ctx);

	enum ob_confine confine;
	const char *const *allow_syscalls;
};

/* Runs the plugin; returns the process exit status. */
int ob_plugin_main(const struct ob_plugin *plugin, int argc, char **argv);

/* The value of a plugin option ("--root DIR" -> "DIR"), "" for a flag that
 * was given without an argument, NULL when absent. Valid for the process's
 * lifetime. */
const char *ob_plugin_opt(const ob_plugin_ctx *p, const char *name);

/* Send an unsolicited event to the host (caller keeps ownership of ev).
 * 0, or a negated errno: -ENOTCONN when no host is connected (nothing has
 * arrived yet, or the peer was declared down; the event is not queued for a
 * later peer), otherwise as ob_conn_event. */
int ob_plugin_event(ob_plugin_ctx *p, const Ob__Event *ev);

/* The plugin context a call belongs to. */
ob_plugin_ctx *ob_call_plugin(const ob_call *call);

/* The request being handled (id, thread, deadline). Owned by the SDK,
 * valid until the call completes. */
const Ob__Request *ob_call_request(const ob_call *call);

/* The call's args message, the same pointer the handler got. */
const ProtobufCMessage *ob_call_args(const ob_call *call);

/* The result message of a deferred call, to fill before completing. */
ProtobufCMessage *ob_call_result(ob_call *call);

/*
 * Complete a call whose handler returned OB_DEFER: sends the reply (status 0
 * with the result, or a positive host errno) and frees the call. The call
 * must not be used afterwards. It may also be called from inside the handler
 * that then returns OB_DEFER; the reply goes out when the handler returns.
 * Calls still deferred when the plugin stops are answered ECANCELED after
 * fini.
 */
void ob_call_complete(ob_call *call, int status);

/* Ask the loop to stop after the current iteration (from a handler or
 * process callback). The process then exits 0 as after Shutdown. */
void ob_plugin_stop(ob_plugin_ctx *p);

/*
 * Drive the real dispatcher with one packed Envelope, as if it had arrived
 * from the host: the seam for fuzzers and transports other than nanomsg.
 * The frame is only read, never kept. Replies and events go out the normal
 * way. Returns 0, -EMSGSIZE (larger than max_message) or -EPROTO (not an
 * Envelope); both failures count as dropped.
 */
int ob_plugin_dispatch_frame(ob_plugin_ctx *p, const void *frame, size_t len);

/* ---- output files (outdir.c) ---- */

/*
 * How many times the launcher has restarted this backend before this
 * process (0 for the first start, or when no launcher started it): from
 * OUTBOARD_PLUGIN_RESTART in the environment. A backend that writes
 * output uses it to continue what its predecessor wrote instead of
 * starting over (docs/faults.md).
 */
unsigned ob_plugin_restart_count(void);

/*
 * Output directories are made when the first file goes into them, never
 * before (docs/launcher.md: nothing is created that nobody asked for).
 * ob_out_dir_check: 0 when dir is a directory we may write in, or does not
 * exist yet and could be made (its nearest existing ancestor is one);
 * -ENOTDIR when a component is not a directory, -EACCES, or another
 * negated errno of stat. ob_out_dir_make: mkdir -p dir (mode 0777 less the
 * umask); 0 or a negated errno. Neither keeps dir.
 */
int ob_out_dir_check(const char *dir);
int ob_out_dir_make(const char *dir);

#ifdef __cplusplus
}
#endif

#endif /* OUTBOARD_PLUGIN_H */
