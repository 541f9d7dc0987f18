/*
 * The guest's event queue: input events from the input plugin (keys,
 * pointer, quit) and display events (expose, vsync), in arrival order.
 *
 * A guest takes events with input_wait/input_poll, or registers a handler
 * (input_set_handler) that the host calls on the registering thread as an
 * upcall (upcall.h). The queue is bounded (OBH_EVENTS_CAPACITY): when it
 * is full the oldest event is dropped, so a guest that falls behind sees
 * the newest input, and every drop is counted (input_stats).
 */
#ifndef OBH_EVENTS_H
#define OBH_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "host.h"
#include "input.pb-c.h"
#include "scheduler.h"

#define OBH_EVENTS_CAPACITY 256

/* One queued event: the fields of Ob__InputEvent. */
struct obh_event {
	uint32_t kind, key;
	int32_t x, y;
	uint64_t time_ms;
};

struct obh_events;

int obh_events_create(struct obh_events **out);
void obh_events_destroy(struct obh_events *e); /* accepts NULL */

/* A new event for the guest: hands it to a waiting thread, or queues it
 * (dropping the oldest when full) and tells the handler's thread. */
void obh_events_push(struct obh_host *h, const struct obh_event *ev);

/* Take the oldest event; false when the queue is empty. */
bool obh_events_pop(struct obh_events *e, struct obh_event *ev);

/* The thread that registered a handler (or NULL), its function and arg. */
struct obh_thread *obh_events_handler(struct obh_events *e, uint32_t *fn, uint32_t *arg);

/* Whether events of this kind are queued at all (input_set_mask). */
bool obh_events_wanted(const struct obh_events *e, uint32_t kind);

/* Write ev into guest memory as struct ob_input_event. 0 or -EFAULT. */
int obh_event_store(struct obh_host *h, uint32_t addr, const struct obh_event *ev);

/* Size of struct ob_input_event in guest memory. */
uint32_t obh_event_guest_size(void);

/* Forget a thread that exits (its handler, its wait). */
void obh_events_thread_gone(struct obh_host *h, struct obh_thread *t);

#endif /* OBH_EVENTS_H */
