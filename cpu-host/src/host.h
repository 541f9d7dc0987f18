/*
 * The CPU host: one Unicorn engine, the guest kernel around it, and the
 * router that sends domain calls to plugins.
 *
 * Threading: everything here runs on one host thread, except the preemption
 * watcher (preempt.c), which only raises a flag the engine's hooks check.
 *
 * Names: obh_ is private to the CPU host.
 */
#ifndef OBH_HOST_H
#define OBH_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <unicorn/unicorn.h>

#include "calls.h"
#include "mem.h"

struct obh_mem;
struct obh_router;
struct obh_preempt;
struct obh_fdtable;
struct obh_kobjs;
struct obh_sched;
struct obh_semihost;
struct obh_events;
struct obh_timer;
struct obh_syms;
struct obh_mounts;
struct obh_console_in;
struct obh_gdb;
struct obh_fcache;
struct obh_record;
struct obh_replay;

/* Exit statuses of outboard-cpu besides the guest's own (docs/abi.md). */
#define OBH_EXIT_DEADLOCK 124
#define OBH_EXIT_HOST_ERROR 125
#define OBH_EXIT_TIME_LIMIT 142 /* 128 + SIGALRM, as timeout(1) would give */
#define OBH_EXIT_REPLAY_DIVERGED 123 /* --replay: the guest left the recording */

/* The host page (OBH_HOST_PAGE, mem.h): HLE thunks and return backstops. */
#define OBH_BACKSTOP_THREAD_EXIT (OBH_HOST_PAGE + 0x00) /* lr of every new thread */
#define OBH_BACKSTOP_UPCALL (OBH_HOST_PAGE + 0x08)      /* lr of upcalls */
#define OBH_THUNK_BASE (OBH_HOST_PAGE + 0x100)          /* 8 bytes per call number */
#define OBH_THUNK_SIZE 8u
/* svc immediates the host page uses (ARM state, 24 bits). */
#define OBH_SVC_BACKSTOP_THREAD 0xfffe01u
#define OBH_SVC_BACKSTOP_UPCALL 0xfffe02u
#define OBH_SVC_THUNK_BASE 0xfe0000u /* + call number */
#define OBH_SVC_SEMIHOST_ARM 0x123456u
#define OBH_SVC_SEMIHOST_THUMB 0xabu

/* Slices: a CPU-bound thread is preempted after at most this long. */
#define OBH_SLICE_NS (10 * 1000 * 1000)

/* fs mounts besides "/" (mounts.h): --mount, --mount-ro. */
#define OBH_MAX_MOUNTS 16

struct obh_options {
	const char *program;            /* guest ELF path */
	int guest_argc;
	char **guest_argv;              /* argv[0] is the program */
	uint32_t heap_max;              /* bytes */
	uint32_t main_stack;            /* bytes */
	uint32_t trace_mask;            /* bit per enum obh_domain */
	uint8_t trace_calls[32];        /* bit per call number (--trace=open,read) */
	bool trace_time;                /* --trace-time: seconds since the start */
	bool trace_durations;           /* --trace-durations: <ms> after each call */
	const char *trace_file;         /* --trace-file; NULL = stderr */
	bool stats;                     /* print IPC statistics at exit */
	const char *plugin_url[OBH_DOMAIN_COUNT]; /* per domain, NULL = none */
	const char *control_url;        /* launcher's control endpoint, or NULL */
	bool wait_ready;                /* --wait-ready: dial plugins at the launcher's READY */
	const char *key_file;           /* shared key for tcp:// plugins (--key) */
	int plugin_timeout_ms;          /* handshake bound */
	int call_timeout_ms;            /* deadline of blocking domain calls, 0 = none */
	int time_limit_ms;              /* end the run after this long, 0 = none */
	const char *mount_arg[OBH_MAX_MOUNTS]; /* "PATH=URL" (--mount, --mount-ro) */
	bool mount_ro[OBH_MAX_MOUNTS];
	unsigned n_mounts;
	const char *on_demand[OBH_MAX_MOUNTS]; /* --on-demand PATH=BACKEND: mounts whose
					 * plugin the launcher starts at their first call */
	unsigned n_on_demand;
	const char *on_demand_backend[OBH_DOMAIN_COUNT]; /* --on-demand DOMAIN=BACKEND:
					 * the same for a device domain, else NULL */
	char **env;                     /* the guest's environment, "NAME=VALUE", NULL-ended;
					 * NULL = empty. Owned array, strings in argv */
	int n_env;
	const char *gdb_addr;           /* --gdb [HOST:]PORT, or NULL (gdb/gdb.h) */
	uint64_t fs_cache;              /* file cache bytes (--fs-cache), 0 = off */
	bool fs_cache_given;            /* --fs-cache was on the command line */
	const char *record_file;        /* --record FILE (record/record.h), or NULL */
	const char *replay_file;        /* --replay FILE (record/replay.h), or NULL */
	const char *print_file;         /* --print-recording FILE (record/print.h) */
	const char *compare_file;       /* --compare-recording FILE (record/compare.h) */
	const char *compare_route;      /* --compare-route NAME; NULL = "fs" */
};

/* A fault that ends the run (fault.c). */
struct obh_fault {
	bool pending;
	int signal;                     /* SIGSEGV, SIGILL, SIGBUS, SIGTRAP */
	const char *kind;               /* "read of unmapped memory", ... */
	uint32_t addr;                  /* faulting data address, if any */
	bool has_addr;
};

struct obh_host {
	uc_engine *uc;
	struct obh_mem *mem;
	struct obh_sched *sched;
	struct obh_kobjs *kobjs;
	struct obh_fdtable *fds;
	struct obh_router *router;
	struct obh_preempt *preempt;
	struct obh_semihost *semihost;
	struct obh_events *events;      /* the guest's event queue (events.h) */
	struct obh_timer *timers;       /* running guest timers (upcall.h) */
	struct obh_syms *syms;          /* the image's function names (loader/syms.h) */
	struct obh_mounts *mounts;      /* the fs namespace (mounts.h) */
	struct obh_console_in *console_in; /* readers waiting on stdin (console.h) */
	struct obh_fcache *fcache;      /* read-ahead, write-behind (fcache.h); NULL: off */
	struct obh_options opts;

	uint32_t tls_slot;              /* guest address, 0 = unbound */
	struct obh_fault fault;

	bool exiting;                   /* exit() called or a fault: leave the run loop */
	int exit_status;
	bool stop_requested;            /* the current slice must end (block, yield, exit) */
	struct {                        /* what recovery.c reopens after a restart */
		bool open;
		uint32_t rate, channels;
	} sound_stream;
	bool slicing;                   /* the block hook is installed (engine.c) */
	uc_hook slice_hook;             /* its handle, while installed */
	struct obh_slicing_state {      /* when to install it (slicing.c) */
		int64_t unneeded_since; /* installed but not needed since; INT64_MAX: needed */
		int64_t removed_at;     /* when it was last removed (0: never) */
		int64_t hold_ns;        /* how long an unneeded hook stays installed */
		uint64_t installs, removals;
		int64_t switch_ns;      /* spent installing and removing it (not retranslating) */
	} slice;
	unsigned pending_calls;         /* blocking domain calls sent, not yet answered */
	uint64_t fcache_lost;           /* written bytes the file cache could not deliver */

	struct obh_gdb *gdb;            /* the gdb stub, or NULL (gdb/gdb.h) */
	struct obh_record *record;      /* --record: the recording being written, or NULL */
	struct obh_replay *replay;      /* --replay: the recording played back, or NULL */
	FILE *trace_out;
	unsigned trace_pending;         /* threads with a device call in flight not yet
					 * printed (trace.c) */
	int64_t start_ns;               /* when the guest started */
};

/* Leave the run loop with this status once the current slice ends. */
void obh_host_exit(struct obh_host *h, int status);

/* Ask the engine to stop at the end of the current instruction. */
void obh_host_stop(struct obh_host *h);

#endif /* OBH_HOST_H */
