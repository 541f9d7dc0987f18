/*
 * The gdb stub (outboard run --gdb [HOST:]PORT, or -g PORT): the guest
 * starts stopped at its entry point and waits for a GDB remote-protocol
 * client on a plain TCP socket (the protocol is gdb's own, not protobuf).
 *
 * All-stop: the whole guest stops at a breakpoint, watchpoint, step or
 * Ctrl-C, because one host thread runs every guest thread and the stub
 * serves the client on that thread between slices. While the guest is
 * stopped its clock and timers stand still (obh_program_ns does not count
 * the stopped time), plugin replies and events wait in their sockets, and
 * the connections' heartbeats are answered (obh_router_hold).
 *
 * Nothing here costs anything without --gdb: the hooks (gdb/hooks.c) are
 * installed only while a breakpoint, watchpoint or step needs them.
 * docs/debugging.md is the user's guide.
 */
#ifndef OBH_GDB_H
#define OBH_GDB_H

#include <poll.h>
#include <stddef.h>

#include "host.h"

struct obh_thread;

/*
 * Listen on spec ("PORT" on localhost, or "HOST:PORT") and wait until a
 * client connects; h->gdb is set on success. Called once the program is
 * loaded. 0 or -errno, with the reason logged.
 */
int obh_gdb_start(struct obh_host *h, const char *spec);

/* Split "PORT" (host 127.0.0.1), "HOST:PORT" or "[V6ADDR]:PORT" into
 * host and port strings; PORT 0 picks a free port. 0 or -EINVAL. */
int obh_gdb_parse_addr(const char *spec, char *host, size_t cap, char *port, size_t pcap);

/* Close the connection and free everything. Accepts h->gdb == NULL. */
void obh_gdb_destroy(struct obh_host *h);

/* The client's fd while the guest runs (for Ctrl-C): fills at most n. */
int obh_gdb_pollfds(struct obh_host *h, struct pollfd *pfds, int n);

/*
 * Between slices: when a stop is due (entry, breakpoint, watchpoint, step
 * done, Ctrl-C), report it and serve the client until it resumes, detaches
 * or kills (then h->exiting is set).
 */
void obh_gdb_check(struct obh_host *h);

/* A fault is about to end the run: report it (SIGSEGV, SIGILL...) and let
 * the client look at the thread before the run ends. */
void obh_gdb_fault(struct obh_host *h, struct obh_thread *t);

/* The run ended with this exit status: tell the client (W or X). */
void obh_gdb_exit(struct obh_host *h, int status);

#endif /* OBH_GDB_H */
