/*
 * Guest threads and the scheduler.
 *
 * A guest thread is a saved Unicorn CPU context. One host thread drives the
 * engine: it picks the highest-priority ready thread (round robin within a
 * priority), restores its context and runs it for at most one slice. A slice
 * ends when the thread blocks (kernel object, domain call, sleep), yields,
 * exits, faults, or the preemption watcher stops the engine (slice over,
 * or a plugin frame arrived).
 *
 * Waiting: a blocking kernel call puts the thread on a wait queue with an
 * optional deadline and returns OBH_BLOCKED; whoever satisfies the wait
 * calls obh_sched_wake() with the value the thread's r0 receives. A
 * deadline that passes wakes it with -ETIMEDOUT.
 */
#ifndef OBH_SCHEDULER_H
#define OBH_SCHEDULER_H

#include <stdbool.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "calls.h"
#include "host.h"

#define OBH_PRIO_LEVELS 32
#define OBH_PRIO_DEFAULT 16
#define OBH_RECENT_CALLS 8

enum obh_tstate {
	OBH_T_READY,
	OBH_T_RUNNING,
	OBH_T_WAITING,
	OBH_T_DEAD,     /* exited; kept until joined or the run ends */
};

enum obh_wait {
	OBH_W_NONE,
	OBH_W_SLEEP,    /* thread_sleep */
	OBH_W_OBJECT,   /* a wait queue of a kernel object or a join */
	OBH_W_REPLY,    /* a domain call's reply */
	OBH_W_EVENT,    /* input_wait: an event from a plugin */
	OBH_W_CREDIT,   /* a posted call over the window: the plugin's Credit */
	OBH_W_STDIN,    /* a read of the console's stdin (console.h) */
};

struct obh_thread;

/* An intrusive list of threads, priority-ordered (FIFO within a priority). */
struct obh_waitq {
	struct obh_thread *head;
};

struct obh_recent_call {
	uint16_t num;
	int32_t result;
	uint32_t pc;
};

struct obh_call;

struct obh_thread {
	uint32_t id;
	int prio;
	enum obh_tstate state;
	uc_context *ctx;
	bool fresh;                     /* never run: starts at start_pc (bit 0: Thumb) */
	uint32_t start_pc;
	uint32_t start_arg;             /* r0 at start (gdb names threads from it) */
	/* When its time slice ends. Kept while a higher-priority thread runs
	 * in between, so that threads of one priority still take turns when
	 * replies keep preempting them; 0 once it went to the back. */
	int64_t slice_end_ns;

	uint32_t stack_lo, stack_hi;    /* guest stack, guard below stack_lo */
	uint32_t tls_value;

	/* Waiting. */
	enum obh_wait wait;
	const char *wait_what;          /* for deadlock reports: "mutex 3" */
	struct obh_waitq *waitq;        /* queue it is on, if OBH_W_OBJECT */
	int64_t deadline_ns;            /* INT64_MAX: none */
	void *wait_data;                /* OBH_W_REPLY: the call waited for */
	/* The trace (trace.c): a call printed as <unfinished ...>, whose
	 * result is printed as <... resumed> when the thread wakes. */
	const struct obh_call *trace_parked;
	int64_t trace_start_ns;
	/* A device call in flight (sent, no reply yet), printed whole at its
	 * reply unless another trace line comes first: then its input half is
	 * printed "<unfinished ...>" before that line (trace.c). */
	const struct obh_call *trace_inflight;
	uint32_t trace_v[OBH_MAX_ARGS];
	bool trace_split;
	uint32_t wait_arg[3];           /* OBH_W_OBJECT: the object's wait parameters */

	/* Exit and join. */
	int exit_status;
	struct obh_waitq joiners;
	bool joined;

	/* Lists. */
	struct obh_thread *next_all;
	struct obh_thread *next_q;      /* ready queue or wait queue */

	/* Upcalls (upcall.c): the interrupted context while a handler runs,
	 * and the timer expirations this thread still owes its handlers. */
	uc_context *upcall_saved;
	bool upcall_returned;           /* the handler returned: restore upcall_saved */
	uint32_t timer_due;             /* expirations waiting for delivery */

	/* The last few calls, for fault reports. */
	struct obh_recent_call recent[OBH_RECENT_CALLS];
	unsigned recent_pos;
};

struct obh_sched;

int obh_sched_create(struct obh_host *h, struct obh_sched **out);
void obh_sched_destroy(struct obh_sched *s);

/*
 * Create a thread that starts at entry (bit 0: Thumb) with r0 = arg, the
 * given sp and lr = the thread-exit backstop. It is ready at once.
 * Returns the thread or NULL (-ENOMEM/-EAGAIN in *err).
 */
struct obh_thread *obh_thread_new(struct obh_host *h, uint32_t entry, uint32_t arg,
				  uint32_t sp, int prio, int *err);

/* The thread whose context is loaded in the engine, or NULL. */
struct obh_thread *obh_sched_current(struct obh_host *h);
struct obh_thread *obh_thread_by_id(struct obh_host *h, uint32_t id);

/* Iterate over every thread (including dead ones). */
struct obh_thread *obh_sched_first(struct obh_host *h);

/* Put the current thread to sleep until now + ns. */
void obh_sched_sleep(struct obh_host *h, struct obh_thread *t, int64_t ns);

/*
 * Park t on q (NULL: no queue, e.g. waiting for a reply) with a timeout in
 * ms (-1 forever). what names the object for deadlock reports.
 */
void obh_sched_block(struct obh_host *h, struct obh_thread *t, enum obh_wait kind,
		     struct obh_waitq *q, int32_t timeout_ms, const char *what);

/* Wake a waiting thread; its r0 becomes r0. Safe on a thread not waiting. */
void obh_sched_wake(struct obh_host *h, struct obh_thread *t, int32_t r0);

/* Give up the rest of the slice (yield). */
void obh_sched_yield(struct obh_host *h, struct obh_thread *t);

/* Mark t dead with a status, wake its joiners, free its stack. */
void obh_sched_exit_thread(struct obh_host *h, struct obh_thread *t, int status);

/* Change a thread's priority; requeues it. */
void obh_sched_set_prio(struct obh_host *h, struct obh_thread *t, int prio);

/* Free a dead, joined thread. */
void obh_sched_reap(struct obh_host *h, struct obh_thread *t);

/* Wait queues. */
struct obh_thread *obh_waitq_pop(struct obh_waitq *q);
bool obh_waitq_empty(const struct obh_waitq *q);

/* Read or write a register of a thread, live or saved. */
uint32_t obh_thread_reg(struct obh_host *h, struct obh_thread *t, int reg);
void obh_thread_set_reg(struct obh_host *h, struct obh_thread *t, int reg, uint32_t v);

/* Record a call in t's recent-call ring (fault reports). */
void obh_thread_note_call(struct obh_thread *t, uint16_t num, int32_t result, uint32_t pc);

/*
 * The run loop: schedules threads until the program exits, faults or
 * deadlocks. Returns the process exit status.
 */
int obh_sched_run(struct obh_host *h);

/* CLOCK_MONOTONIC in ns: the machine's, for deadlines and durations. */
int64_t obh_now_ns(void);

/* The program's monotonic clock (OB_CLOCK_MONOTONIC, what the guest
 * reads): ns since it started. */
uint64_t obh_program_ns(const struct obh_host *h);

#endif /* OBH_SCHEDULER_H */
