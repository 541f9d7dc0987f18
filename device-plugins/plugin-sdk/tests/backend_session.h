/*
 * A session with one real backend executable through --stdin-frames (see
 * frame_io.h), for the tests that drive every backend confined as it always
 * is: the input being built, the next request id, a scratch directory for
 * the files the backend writes, and the executable's path. Failures abort
 * the test (cmocka).
 */
#ifndef BACKEND_SESSION_H
#define BACKEND_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "frame_io.h"

struct session {
	struct frames in;
	uint64_t next_id;
	char dir[64];
	char bin[256];
};

/* cmocka setup and teardown: *state is a new session with its scratch
 * directory; teardown removes both. */
int session_setup(void **state);
int session_teardown(void **state);

/* The backend's path in s->bin; false (the test skips) when it was not built. */
bool session_binary(struct session *s, const char *name);
/* Queue a blocking call (msg borrowed); returns its id. */
uint64_t session_call(struct session *s, int call_case, const void *msg);
/* Queue a posted call. */
void session_post(struct session *s, int call_case, const void *msg);
/* A new session on the same backend (a restart): fresh input, ids anew. */
void session_next_run(struct session *s);

/* Run the session: the backend must exit 0, confined in mode ("strict",
 * "files", ...), with no system call trapped by its filter. */
void session_run_confined(struct session *s, const char *const *args, const char *env,
			  const char *mode, struct run *r);
/* The reply with this id (it must exist); ok_reply also wants status 0. */
const Ob__Reply *session_reply(const struct run *r, uint64_t id);
const Ob__Reply *session_ok_reply(const struct run *r, uint64_t id);

/* dir/name with text in it. */
void session_write_file(const char *dir, const char *name, const char *text);
/* A string for a protobuf-c string field, which is not const. */
char *session_wire(const char *s);

#endif /* BACKEND_SESSION_H */
