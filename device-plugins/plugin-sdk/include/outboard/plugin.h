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
 * --version, plus the plugin's own options), binds the endpoint, answers the
 * Hello handshake, runs the receive loop, dispatches each request to its
 * handler, sends the one reply (or none for a posted call), answers pings,
 * and shuts down cleanly on Shutdown, SIGTERM or SIGINT.
 *
 * A call with no handler is answered ENOSYS. Handlers return host errno
 * values; the SDK converts them to the ABI numbering in its single reply
 * path.
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
 * the SDK and valid until the call completes. result is the matching result
 * message (e.g. Ob__FsOpenResult), already initialised; the handler fills it.
 * Pointer fields the handler sets in result (bytes data, strings,
 * sub-messages) must come from malloc: the SDK frees them with
 * protobuf_c_message_free_unpacked after sending.
 *
 * Returns 0, a positive host errno (the reply carries it and no result), or
 * OB_DEFER to answer later with ob_call_complete. For a posted call the
 * return value is only counted and logged.
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

/*
 * The plugin description. Lifecycle, in order:
 *   init   after options are parsed, before the endpoint is bound. It sets
 *          *ctx, the first argument of every other callback. Returns 0 or a
 *          positive errno (the process exits 1 with the logged reason).
 *   pollfds/timeout/process  optional: backends with their own fds or timers
 *          (SDL, input scripts) join the SDK's poll loop through these.
 *          pollfds fills up to n entries and returns the count; timeout
 *          returns ms until process is due (-1 none); process runs when one
 *          of its fds is ready or its timeout passed.
 *   fini   at exit. Must accept a ctx from a failed or partial init
 *          (including NULL).
 */
struct ob_plugin {
	size_t size;          /* sizeof(struct ob_plugin) */
	const char *name;     /* backend name, "fs-hostdir" */
	const char *version;
	const char *summary;  /* one line for --help */
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
};

/* Runs the plugin; returns the process exit status. */
int ob_plugin_main(const struct ob_plugin *plugin, int argc, char **argv);

/* The value of a plugin option ("--root DIR" -> "DIR"), "" for a flag that
 * was given without an argument, NULL when absent. Valid for the process's
 * lifetime. */
const char *ob_plugin_opt(const ob_plugin_ctx *p, const char *name);

/* Send an unsolicited event to the host (caller keeps ownership of ev).
 * 0, or a negated errno (-ENOTCONN when no host is connected). */
int ob_plugin_event(ob_plugin_ctx *p, const Ob__Event *ev);

/* The plugin context a call belongs to. */
ob_plugin_ctx *ob_call_plugin(const ob_call *call);

/* The request being handled (id, thread, deadline). Owned by the SDK. */
const Ob__Request *ob_call_request(const ob_call *call);

/* The result message of a deferred call, to fill before completing. */
ProtobufCMessage *ob_call_result(ob_call *call);

/*
 * Complete a call whose handler returned OB_DEFER: sends the reply (status 0
 * with the result, or a positive host errno) and frees the call. The call
 * must not be used afterwards.
 */
void ob_call_complete(ob_call *call, int status);

/* Ask the loop to stop after the current iteration (from a handler or
 * process callback). */
void ob_plugin_stop(ob_plugin_ctx *p);

#ifdef __cplusplus
}
#endif

#endif /* OUTBOARD_PLUGIN_H */
