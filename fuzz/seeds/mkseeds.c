/*
 * ob_fuzz_seeds DIR: writes the seed corpus of every fuzz target into
 * DIR/<target>/, generated from the protocol's own types so the seeds
 * follow proto/ when it changes. The build runs it (fuzz/CMakeLists.txt);
 * the fuzz tests copy DIR/<target> into their working corpus.
 *
 *   fuzz_plugins   seeds_plugins.c: a session per backend
 *   fuzz_envelope  Hello, requests, replies to the harness's calls, events
 *   fuzz_auth      the same envelopes sealed after the harness's handshake
 *   fuzz_lane      the same envelopes in the request lane's framing
 *   fuzz_guest     seeds_guest.c: ARM code making each syscall
 *   fuzz_elf       seeds_guest.c: minimal executables
 *   fuzz_gdb       seeds_gdb.c: gdb connection transcripts, bad packets
 *   fuzz_record    seeds_record.c: recordings of fs and display traffic
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outboard/ipc.h"
#include "seed.h"

/* A framed or sealed-framed Reply{id, status, fs_read{buf}}. */
static void reply_frame(struct obz_seed *s, uint64_t id, uint32_t status, const char *data)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Reply reply = OB__REPLY__INIT;
	Ob__FsReadResult rd = OB__FS_READ_RESULT__INIT;

	rd.buf.data = (uint8_t *)(uintptr_t)data;
	rd.buf.len = strlen(data);
	reply.id = id;
	reply.status = status;
	if (status == 0) {
		reply.result_case = OB__REPLY__RESULT_FS_READ;
		reply.fs_read = &rd;
	}
	env.body_case = OB__ENVELOPE__BODY_REPLY;
	env.reply = &reply;
	obz_seed_frame(s, &env);
}

/* A reply whose bytes are in a shared-memory span (Reply.shm_out). */
static void shm_reply_frame(struct obz_seed *s, uint64_t id, uint32_t offset, uint32_t length)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Reply reply = OB__REPLY__INIT;
	Ob__FsReadResult rd = OB__FS_READ_RESULT__INIT;
	Ob__ShmSpan span = OB__SHM_SPAN__INIT;

	span.offset = offset;
	span.length = length;
	reply.id = id;
	reply.result_case = OB__REPLY__RESULT_FS_READ;
	reply.fs_read = &rd;
	reply.shm_out = &span;
	env.body_case = OB__ENVELOPE__BODY_REPLY;
	env.reply = &reply;
	obz_seed_frame(s, &env);
}

/* A Hello offering (or, answered, taking) a shared-memory region. */
static void shm_hello_frame(struct obz_seed *s)
{
	static char role[] = "host";
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Hello hello;

	ob__hello__init(&hello);
	hello.protocol_version = OB_PROTOCOL_VERSION;
	hello.role = role;
	hello.shm_token = 0x1122334455667788ull;
	hello.shm_size = 32u << 20;
	hello.lane = true;
	env.body_case = OB__ENVELOPE__BODY_HELLO;
	env.hello = &hello;
	obz_seed_frame(s, &env);
}

static void event_frame(struct obz_seed *s)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Event ev = OB__EVENT__INIT;
	Ob__InputEvent in = OB__INPUT_EVENT__INIT;

	in.kind = OB__INPUT_EVENT__KIND__KIND_KEY_DOWN;
	in.key = OB__KEY_CODE__KEY_LEFT;
	in.time_ms = 16;
	ev.event_case = OB__EVENT__EVENT_INPUT;
	ev.input = &in;
	env.body_case = OB__ENVELOPE__BODY_EVENT;
	env.event = &ev;
	obz_seed_frame(s, &env);
}

/* One session of fuzz_envelope's seeds into s (16-bit framing). */
static void envelope_session(struct obz_seed *s, uint8_t flags)
{
	Ob__FsRead rd = OB__FS_READ__INIT;

	obz_seed_start(s, flags);
	if (flags & 1)
		shm_hello_frame(s);
	else
		obz_seed_hello(s);
	obz_seed_ping(s, 7);
	if (flags & 2) {
		shm_reply_frame(s, 3, 4096, 16);
		reply_frame(s, 1, 0, "data");
		reply_frame(s, 2, 5, "");
		reply_frame(s, 4, 0, "");
		reply_frame(s, 4, 0, "again");
	}
	rd.fd = 3, rd.count = 16;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_READ, &rd);
	event_frame(s);
	obz_seed_stats_query(s);
	obz_seed_shutdown(s);
}

/* fuzz_envelope: byte 0 bit 0 listening, bit 1 four calls outstanding
 * (ids 1-4); then framed envelopes. */
static void seeds_envelope(const char *dir)
{
	struct obz_seed s;

	for (uint8_t flags = 0; flags < 4; flags++) {
		char name[32];

		envelope_session(&s, flags);
		snprintf(name, sizeof(name), "session-%u", flags);
		obz_seed_write(&s, dir, "fuzz_envelope", name);
	}
}

/* fuzz_lane: fuzz_envelope's sessions with each frame's length widened to
 * the lane's 32 bits, and one more cut off in the middle of a frame. */
static void seeds_lane(const char *dir)
{
	for (uint8_t flags = 0; flags < 5; flags++) {
		struct obz_seed in, out;
		char name[32];

		envelope_session(&in, flags & 3);
		obz_seed_start(&out, flags & 3);
		for (size_t at = 1; at + 2 <= in.len;) {
			size_t len = (size_t)in.buf[at] | (size_t)in.buf[at + 1] << 8;

			obz_seed_u32(&out, (uint32_t)len);
			obz_seed_bytes(&out, in.buf + at + 2, len);
			at += 2 + len;
		}
		if (flags == 4)
			out.len -= 3;
		free(in.buf);
		if (flags == 4)
			snprintf(name, sizeof(name), "cut-short");
		else
			snprintf(name, sizeof(name), "session-%u", flags);
		obz_seed_write(&out, dir, "fuzz_lane", name);
	}
}

/*
 * fuzz_auth: byte 0 bit 0 listening, bit 1 handshake done by the harness,
 * bit 2 three calls queued (ids 1-3); then frames, each a kind byte (bit 0
 * sealed by the harness, bit 1 replaying the previous counter), a 16-bit
 * length and the bytes. The envelopes are fuzz_envelope's, sealed when the
 * harness did the handshake; the last one replays the first.
 */
static void auth_session(struct obz_seed *s, uint8_t first)
{
	uint8_t kind = (first & 2) ? 1 : 0, replay = kind | 2;
	struct obz_seed framed;
	size_t first_len = 0;

	obz_seed_start(&framed, 0);
	obz_seed_hello(&framed);
	if (first & 4) {
		reply_frame(&framed, 1, 0, "data");
		reply_frame(&framed, 3, 2, "");
	}
	obz_seed_ping(&framed, 9);
	event_frame(&framed);
	/* framed: byte 0, then length-prefixed envelopes; prefix each with kind. */
	for (size_t off = 1; off + 2 <= framed.len;) {
		size_t len = (size_t)(framed.buf[off] | framed.buf[off + 1] << 8);

		if (!first_len)
			first_len = len;
		obz_seed_bytes(s, &kind, 1);
		obz_seed_bytes(s, framed.buf + off, 2 + len);
		off += 2 + len;
	}
	obz_seed_bytes(s, &replay, 1);
	obz_seed_bytes(s, framed.buf + 1, 2 + first_len);
	free(framed.buf);
}

static void seeds_auth(const char *dir)
{
	static const uint8_t firsts[] = { 0x1, 0x2, 0x3, 0x6, 0x7 };

	for (size_t i = 0; i < sizeof(firsts); i++) {
		struct obz_seed s;
		char name[32];

		obz_seed_start(&s, firsts[i]);
		auth_session(&s, firsts[i]);
		snprintf(name, sizeof(name), "session-%u", firsts[i]);
		obz_seed_write(&s, dir, "fuzz_auth", name);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: ob_fuzz_seeds DIR\n");
		return 2;
	}
	obz_seeds_plugins(argv[1]);
	seeds_envelope(argv[1]);
	seeds_lane(argv[1]);
	seeds_auth(argv[1]);
	obz_seeds_guest(argv[1]);
	obz_seeds_elf(argv[1]);
	obz_seeds_gdb(argv[1]);
	obz_seeds_record(argv[1]);
	return 0;
}
