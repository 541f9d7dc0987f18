/*
 * The outboard guest SDK: everything a guest program includes.
 *
 * Calls: every ob_<name>() in <outboard_calls.h> (generated from the host's
 * call table) returns a value >= 0 on success or a negated errno
 * (newlib's numbering, <errno.h>) in [-4095, -1]. They never touch errno.
 * The C library (newlib) is wired to the same calls: open/read/printf/
 * malloc/... work as usual and set errno.
 *
 * Names: ob_ and OB_ are the SDK's; __ob_ names are its internals.
 */
#ifndef OUTBOARD_H
#define OUTBOARD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Timeouts, in milliseconds: wait forever; 0 polls (-EAGAIN). */
#define OB_FOREVER (-1)

/* ob_mutex_create flags. */
#define OB_MUTEX_RECURSIVE 1

/* ob_evf_create flags and ob_evf_wait modes. */
#define OB_EVF_AUTO_RESET 1
#define OB_EVF_ANY 0
#define OB_EVF_ALL 1

/* ob_clock_get clocks (nanoseconds). */
#define OB_CLOCK_REALTIME 0
#define OB_CLOCK_MONOTONIC 1

/* ob_readdir entry types. */
#define OB_DT_END 0
#define OB_DT_FILE 1
#define OB_DT_DIR 2
#define OB_DT_OTHER 3

/* Thread priorities: 0 is the highest, 31 the lowest. */
#define OB_PRIO_HIGHEST 0
#define OB_PRIO_DEFAULT 16
#define OB_PRIO_LOWEST 31

/*
 * A thread's body. Its return value is the thread's exit status, which
 * ob_thread_join collects.
 */
typedef int (*ob_thread_fn)(void *arg);

/*
 * An event handler (ob_input_set_handler) and a timer callback
 * (ob_timer_start). Both run as upcalls on the thread that registered them,
 * which then resumes exactly where it was. ev is valid during the call.
 */
struct ob_input_event;
typedef void (*ob_event_fn)(const struct ob_input_event *ev, void *arg);
typedef void (*ob_timer_fn)(void *arg);

/* The mask bit of an event kind (OB_EV_*), for ob_input_set_mask. Event
 * kinds, key codes (OB_KEY_*) and pixel formats (OB_PIXEL_*) come from the
 * wire enums, in the generated outboard_calls.h. */
#define OB_EV_MASK(kind) (1u << (kind))

#define OUTBOARD_TYPES_DEFINED 1

#ifdef __cplusplus
}
#endif

#include <outboard_calls.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Starts a thread running fn(arg) with its own C library state: errno,
 * stdio streams and the like are per thread (each thread gets its own newlib
 * struct _reent). When fn returns, that state is reclaimed (the thread's
 * stdio buffers are flushed; the console stays open) and the thread ends
 * with fn's result as its status. A thread that calls ob_thread_exit
 * itself leaves its state (about 1 KiB) allocated. Use this rather than
 * ob_thread_create, whose threads share the main thread's C library state.
 *
 * priority: 0 (highest) .. 31; stack_size: bytes, 0 for the host's default.
 * Returns the thread id (for ob_thread_join), or -EINVAL (fn is NULL),
 * -ENOMEM (no memory for the C library state), -EAGAIN (the SDK could not
 * set up its C library lock at start), or what ob_thread_create returns.
 */
int ob_thread_spawn(ob_thread_fn fn, void *arg, int priority, uint32_t stack_size);

/* Monotonic time since the program started, in ns (0 if the clock fails). */
uint64_t ob_monotonic_ns(void);

#ifdef __cplusplus
}
#endif

#endif /* OUTBOARD_H */
