/*
 * Kernel objects: mutexes, semaphores, event flags and message queues, named
 * by small integer handles the guest gets from *_create and gives back to
 * handle_close. A handle of the wrong kind or a stale one is -EBADF (a guest
 * error, logged as such).
 */
#ifndef OBH_KOBJS_H
#define OBH_KOBJS_H

#include <stdint.h>

#include "host.h"
#include "scheduler.h"

#define OBH_MAX_KOBJS 4096

enum obh_kobj_kind {
	OBH_KOBJ_FREE = 0,
	OBH_KOBJ_MUTEX,
	OBH_KOBJ_SEM,
	OBH_KOBJ_EVF,
	OBH_KOBJ_QUEUE,
	OBH_KOBJ_TIMER,
};

struct obh_mutex {
	struct obh_thread *owner;
	uint32_t depth;
	bool recursive;
	struct obh_waitq waiters;
};

struct obh_sem {
	uint32_t count, max;
	struct obh_waitq waiters;
};

struct obh_evf {
	uint32_t bits;
	bool auto_reset;
	struct obh_waitq waiters;   /* wait_data: struct obh_evf_wait */
};

struct obh_queue {
	uint32_t msg_size, capacity;
	uint32_t head, count;
	uint8_t *slots;             /* capacity * (4 + msg_size): length + bytes */
	struct obh_waitq senders;   /* wait_data: struct obh_queue_wait */
	struct obh_waitq receivers;
};

/* A periodic timer (upcall.c); also on the host's list of timers. */
struct obh_timer {
	int64_t period_ns, next_ns;
	uint32_t fn, arg;
	struct obh_thread *owner;   /* runs the upcalls */
	uint32_t pending;           /* expirations not delivered yet */
	int32_t handle;
	struct obh_timer *next;
};

struct obh_kobj {
	enum obh_kobj_kind kind;
	char what[24];              /* "mutex 3", for deadlock reports */
	union {
		struct obh_mutex mutex;
		struct obh_sem sem;
		struct obh_evf evf;
		struct obh_queue queue;
		struct obh_timer timer;
	} u;
};

struct obh_kobjs;

int obh_kobjs_create(struct obh_kobjs **out);
void obh_kobjs_destroy(struct obh_kobjs *k); /* accepts NULL */

/* A new object of kind; its handle in *handle. NULL: -ENFILE in *err. */
struct obh_kobj *obh_kobj_new(struct obh_kobjs *k, enum obh_kobj_kind kind, int32_t *handle);

/* The object behind handle if it has this kind, else NULL (logged as a
 * guest error naming the thread). */
struct obh_kobj *obh_kobj_get(struct obh_host *h, struct obh_thread *t, int32_t handle,
			      enum obh_kobj_kind kind);

/* The object behind handle, of any kind, or NULL. No logging. */
struct obh_kobj *obh_kobj_peek(struct obh_kobjs *k, int32_t handle);

/* Free the object's slot (the caller freed its contents). */
void obh_kobj_free(struct obh_kobjs *k, int32_t handle);

/* Wait with a timeout: 0 means poll; returns -EAGAIN when the caller
 * should not block, else parks t and returns OBH_BLOCKED. */
int64_t obh_kobj_wait(struct obh_host *h, struct obh_thread *t, struct obh_waitq *q,
		      int32_t timeout_ms, const char *what);

/* Take a timer off the host's list (before its handle is freed). */
void obh_timer_unlink(struct obh_host *h, struct obh_timer *tm);

/* Release a mutex held by a thread that exits (called from thread exit). */
void obh_kobjs_thread_gone(struct obh_host *h, struct obh_thread *t);

#endif /* OBH_KOBJS_H */
