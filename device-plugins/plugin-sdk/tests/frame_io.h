/*
 * Test helpers for --stdin-frames: build an input of length-prefixed
 * Envelope frames, run a real plugin binary on it (stdin from a file,
 * stdout and stderr into files, so nothing can block on a full pipe), and
 * decode what it wrote. Every wait is bounded; failures abort the test.
 */
#ifndef FRAME_IO_H
#define FRAME_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outboard.pb-c.h"

#define FRAME_WAIT_MS 20000 /* a run that takes longer is a hung plugin */

/* An input being built: frames, or any bytes at all. */
struct frames {
	uint8_t *buf;
	size_t len, cap;
};

void frames_raw(struct frames *f, const void *data, size_t len);
/* A 4-byte little-endian length, then len bytes of data. */
void frames_frame(struct frames *f, const void *data, uint32_t len);
void frames_envelope(struct frames *f, const Ob__Envelope *env);
void frames_hello(struct frames *f, uint32_t protocol_version);
void frames_ping(struct frames *f, uint64_t seq);
void frames_stats_query(struct frames *f);
void frames_shutdown(struct frames *f);
/* A Request with id and call number call_case whose args are msg (a
 * message of that call's type, borrowed). */
void frames_request(struct frames *f, uint64_t id, int call_case, const void *msg, bool posted);
void frames_free(struct frames *f);

/* What a run produced. */
struct run {
	int status;            /* waitpid status */
	uint8_t *out;          /* stdout */
	size_t out_len;
	char *err;             /* stderr, NUL-terminated */
	Ob__Envelope **env;    /* stdout decoded, in order */
	size_t n_env;
	bool well_framed;      /* stdout is whole frames, each an Envelope */
};

/* Run binary with args (NULL-terminated, after argv[0]) and env_extra
 * ("NAME=VALUE" or NULL) on input; decode stdout. */
void run_plugin(const char *binary, const char *const *args, const char *env_extra,
		const struct frames *input, struct run *r);
void run_free(struct run *r);

/* The reply with this id, or NULL; and how many envelopes of a kind. */
const Ob__Reply *run_reply(const struct run *r, uint64_t id);
size_t run_count(const struct run *r, Ob__Envelope__BodyCase kind);
/* The index of the first envelope of kind at or after from, or n_env. */
size_t run_find(const struct run *r, Ob__Envelope__BodyCase kind, size_t from);
/* Exited normally with this status. */
bool run_exited(const struct run *r, int code);

/* A private directory under /tmp for files a plugin writes; removed
 * (with its files, one level deep) by scratch_remove. */
void scratch_make(char *dir, size_t size);
void scratch_remove(const char *dir);

#endif /* FRAME_IO_H */
