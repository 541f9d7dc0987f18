/* Seed inputs: buffers, framed Envelopes and files (seed.h). */
#include "seed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outboard/ipc.h"

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fprintf(stderr, "ob_fuzz_seeds: out of memory\n");
		exit(1);
	}
	return q;
}

void obz_seed_start(struct obz_seed *s, uint8_t first)
{
	*s = (struct obz_seed){ .next_id = 1 };
	obz_seed_bytes(s, &first, 1);
}

void obz_seed_bytes(struct obz_seed *s, const void *p, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2;
		s->buf = xrealloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

void obz_seed_u16(struct obz_seed *s, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	obz_seed_bytes(s, b, sizeof(b));
}

void obz_seed_u32(struct obz_seed *s, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	obz_seed_bytes(s, b, sizeof(b));
}

void obz_seed_envelope(struct obz_seed *s, const Ob__Envelope *env)
{
	size_t len = ob__envelope__get_packed_size(env);
	uint8_t *buf = xrealloc(NULL, len);

	ob__envelope__pack(env, buf);
	obz_seed_bytes(s, buf, len);
	free(buf);
}

void obz_seed_frame(struct obz_seed *s, const Ob__Envelope *env)
{
	size_t len = ob__envelope__get_packed_size(env);

	if (len > UINT16_MAX) {
		fprintf(stderr, "ob_fuzz_seeds: a %zu-byte frame does not fit a seed\n", len);
		exit(1);
	}
	obz_seed_u16(s, (uint16_t)len);
	obz_seed_envelope(s, env);
}

uint64_t obz_seed_call_shm(struct obz_seed *s, bool posted, uint32_t call, const void *msg,
			   const Ob__ShmSpan *in, const Ob__ShmSpan *out)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field(&ob__request__descriptor, call);
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Request req = OB__REQUEST__INIT;
	Ob__ShmSpan spans[2];

	if (!f) {
		fprintf(stderr, "ob_fuzz_seeds: %u is not a call number\n", call);
		exit(1);
	}
	req.id = s->next_id++;
	req.thread = 1;
	req.posted = posted;
	req.call_case = (Ob__Request__CallCase)call;
	/* The oneof's arm sits at the field's offset, as the SDK finds it. */
	*(const void **)((char *)&req + f->offset) = msg;
	if (in) {
		spans[0] = *in;
		req.shm_in = &spans[0];
	}
	if (out) {
		spans[1] = *out;
		req.shm_out = &spans[1];
	}
	env.body_case = OB__ENVELOPE__BODY_REQUEST;
	env.request = &req;
	obz_seed_frame(s, &env);
	return req.id;
}

uint64_t obz_seed_call(struct obz_seed *s, bool posted, uint32_t call, const void *msg)
{
	return obz_seed_call_shm(s, posted, call, msg, NULL, NULL);
}

void obz_seed_hello(struct obz_seed *s)
{
	static char role[] = "host";
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Hello hello;

	ob__hello__init(&hello); /* its INIT macro trips -Wcast-qual */
	hello.protocol_version = OB_PROTOCOL_VERSION;
	hello.role = role;
	hello.max_message = OB_DEFAULT_MAX_MESSAGE;
	hello.heartbeat_ms = OB_DEFAULT_HEARTBEAT_MS;
	env.body_case = OB__ENVELOPE__BODY_HELLO;
	env.hello = &hello;
	obz_seed_frame(s, &env);
}

void obz_seed_ping(struct obz_seed *s, uint64_t seq)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Ping ping = OB__PING__INIT;

	ping.seq = seq;
	env.body_case = OB__ENVELOPE__BODY_PING;
	env.ping = &ping;
	obz_seed_frame(s, &env);
}

void obz_seed_stats_query(struct obz_seed *s)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__StatsQuery q = OB__STATS_QUERY__INIT;

	env.body_case = OB__ENVELOPE__BODY_STATS_QUERY;
	env.stats_query = &q;
	obz_seed_frame(s, &env);
}

void obz_seed_shutdown(struct obz_seed *s)
{
	static char reason[] = "seed";
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Shutdown sd;

	ob__shutdown__init(&sd);
	sd.reason = reason;
	env.body_case = OB__ENVELOPE__BODY_SHUTDOWN;
	env.shutdown = &sd;
	obz_seed_frame(s, &env);
}

void obz_seed_write(struct obz_seed *s, const char *dir, const char *target, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		goto fail;
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		goto fail;
	snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
	f = fopen(path, "wb");
	if (!f)
		goto fail;
	if (fwrite(s->buf, 1, s->len, f) != s->len || fclose(f) != 0)
		goto fail;
	free(s->buf);
	*s = (struct obz_seed){ 0 };
	return;
fail:
	fprintf(stderr, "ob_fuzz_seeds: %s: %s\n", path, strerror(errno));
	exit(1);
}
