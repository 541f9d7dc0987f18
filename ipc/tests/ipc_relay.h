/*
 * A man in the middle for the authentication tests: two raw nanomsg PAIR
 * sockets that forward frames between a dialer and a listener, recording
 * every frame, and that can hold frames back so a test can replay,
 * reorder, corrupt or drop them.
 *
 *   dialer --dials--> [front (bound)] relay [back (dials)] --> listener
 */
#ifndef IPC_RELAY_H
#define IPC_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outboard/ipc.h"

#define RELAY_MAX_FRAMES 512

struct relay_frame {
	uint8_t *data;
	size_t len;
	bool to_listener;   /* direction: dialer -> listener */
	bool held;          /* captured, not forwarded */
};

struct relay {
	int front, back;
	bool hold_to_listener;  /* capture frames for the listener without forwarding */
	struct relay_frame frames[RELAY_MAX_FRAMES];
	int n;
};

/* Bind front_url, dial back_url. */
void relay_start(struct relay *r, const char *front_url, const char *back_url);
/* Close both sockets and free the frames. */
void relay_stop(struct relay *r);
/* Forward whatever has arrived, both ways (one pass, no waiting). */
void relay_pump(struct relay *r);
/* Run the conns (may be NULL) and the relay until cond(arg) holds or
 * timeout_ms passes; returns cond's value (true when cond is NULL). */
bool relay_run(struct relay *r, ob_conn *a, ob_conn *b, bool (*cond)(void *arg), void *arg,
	       int timeout_ms);
/* Send bytes to the listener (as if from the dialer) or to the dialer. */
void relay_inject(struct relay *r, bool to_listener, const void *data, size_t len);
/* The i-th recorded frame going the given way with tag type ('1', 'D'...),
 * counting from 0; NULL when there is none. */
const struct relay_frame *relay_find(const struct relay *r, bool to_listener, char type,
				     int i);

#endif /* IPC_RELAY_H */
