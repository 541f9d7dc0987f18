/*
 * libFuzzer target for the device plugins' request dispatchers: the plugin
 * SDK's real dispatcher (ob_plugin_dispatch_frame) in front of the real
 * backends (fs-hostdir, fs-mem, display-png, display-null, sound-wav,
 * sound-null, input-script), with a transport that captures what the
 * plugin sends instead of a nanomsg connection.
 *
 * Input layout:
 *   byte 0   bits 0-6 pick the backend (modulo OBZ_N_BACKENDS, numbered as
 *            enum obz_backend_index); bit 7 (OBZ_VARIANT) its variant
 *            command line (backends.c)
 *   then     frames, each a 16-bit little-endian length and that many bytes
 *            of Envelope (a short tail is one last frame)
 * A fresh plugin context (options, init) serves each input, so handler
 * state (open files, a sound stream, a framebuffer) lives for exactly one
 * input's frames. Between frames the harness runs the plugin's timeout and
 * process hooks once when they are due now, as the SDK's loop would; a
 * Shutdown frame ends the input as it ends the loop.
 *
 * Every input is served with a shared region of OBZ_SHM_SIZE bytes mapped
 * (filled with a fixed pattern), as a local host would offer it, so that
 * Request.shm_in and shm_out spans reach the SDK's checks and handlers.
 *
 * Findings besides crashes, leaks and sanitizer reports (each aborts):
 * - a frame the plugin sends that does not decode again, or is larger than
 *   the connection would carry;
 * - a request that got no reply, or two (replies must equal requests minus
 *   posted ones, once fini and the SDK have finished every deferred call);
 * - fs-hostdir touching anything outside its root (scratch.h).
 *
 * OB_FUZZ_LOG=debug (any level name of outboard/log.h) turns the plugins'
 * logs on, to read what a crashing input does; by default they are off.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "scratch.h"
#include "sdk.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Replies the transport took during the current input. */
static uint64_t replies_seen;
/* OB_FUZZ_LOG is set: also print what the plugin sends. */
static bool verbose;


static void print_sent(const Ob__Envelope *env, size_t len)
{
	if (env->body_case == OB__ENVELOPE__BODY_REPLY)
		fprintf(stderr, "fuzz_plugins: sent reply %llu status %u result %d (%zu bytes)\n",
			(unsigned long long)env->reply->id, env->reply->status,
			(int)env->reply->result_case, len);
	else if (env->body_case == OB__ENVELOPE__BODY_EVENT)
		fprintf(stderr, "fuzz_plugins: sent event %d (%zu bytes)\n",
			(int)env->event->event_case, len);
	else
		fprintf(stderr, "fuzz_plugins: sent envelope %d (%zu bytes)\n",
			(int)env->body_case, len);
}

/* What the connection would do with env: refuse it when too big, else pack
 * it; the host would then unpack it, so that must work. */
static int transmit(const ob_plugin_ctx *p, const Ob__Envelope *env)
{
	size_t len = ob__envelope__get_packed_size(env);
	uint8_t *buf;
	Ob__Envelope *copy;

	if (len > p->max_message)
		return -EMSGSIZE;
	buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	if (ob__envelope__pack(env, buf) != len)
		obz_die("%s: packed size of a %d envelope changed while packing", p->plugin.name,
			(int)env->body_case);
	copy = ob__envelope__unpack(NULL, len, buf);
	if (!copy)
		obz_die("%s sent a %zu-byte frame (body %d) that does not decode", p->plugin.name,
			len, (int)env->body_case);
	if (verbose)
		print_sent(copy, len);
	ob__envelope__free_unpacked(copy, NULL);
	free(buf);
	return 0;
}

static int tx_reply(void *arg, const Ob__Reply *reply)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	int err;

	env.body_case = OB__ENVELOPE__BODY_REPLY;
	env.reply = (Ob__Reply *)(uintptr_t)reply; /* only read by pack */
	err = transmit(arg, &env);
	if (!err)
		replies_seen++;
	return err;
}

static int tx_event(void *arg, const Ob__Event *ev)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;

	env.body_case = OB__ENVELOPE__BODY_EVENT;
	env.event = (Ob__Event *)(uintptr_t)ev;
	return transmit(arg, &env);
}

static int tx_send(void *arg, const Ob__Envelope *env)
{
	return transmit(arg, env);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *level = getenv("OB_FUZZ_LOG");
	enum ob_log_level l = OB_LOG_NONE;

	(void)argc;
	(void)argv;
	if (level && ob_log_parse_level(level, &l) < 0)
		l = OB_LOG_DEBUG;
	verbose = level != NULL;
	ob_log_set_level(l);
	obz_scratch_init();
	obz_backends_init();
	return 0;
}

/* One turn of the SDK's loop after a frame: the plugin's hooks when due
 * now, then Credit. */
static void run_hooks(ob_plugin_ctx *p)
{
	if (p->plugin.timeout && p->plugin.process && p->plugin.timeout(p->ctx) == 0)
		p->plugin.process(p->ctx, p);
	obp_send_credit(p);
}

static void feed_frames(ob_plugin_ctx *p, const uint8_t *data, size_t size)
{
	while (size > 0 && !p->stop) {
		size_t skip = size >= 2 ? 2 : 0;
		size_t len = size >= 2 ? (size_t)(data[0] | data[1] << 8) : size;

		if (len > size - skip)
			len = size - skip;
		(void)ob_plugin_dispatch_frame(p, data + skip, len);
		run_hooks(p);
		data += skip + len;
		size -= skip + len;
	}
}

/* The region a host would have offered, with the same bytes every input. */
static void use_region(ob_plugin_ctx *p)
{
	ob_shm *shm;
	uint8_t *b;

	if (ob_shm_create(OBZ_SHM_SIZE, &shm))
		obz_die("cannot create a %u-byte shared region", OBZ_SHM_SIZE);
	b = ob_shm_base(shm);
	for (uint32_t i = 0; i < OBZ_SHM_SIZE; i++)
		b[i] = (uint8_t)(i * 31u + (i >> 8));
	if (obp_shm_use(p, shm))
		obz_die("out of memory");
}

static void check_replies(const ob_plugin_ctx *p)
{
	uint64_t expected = p->count.requests - p->count.posted;

	if (p->count.in_flight != 0)
		obz_die("%s: %u calls still in flight after stopping", p->plugin.name,
			p->count.in_flight);
	if (p->count.replies + p->count.reply_failures != expected || replies_seen != expected)
		obz_die("%s: %llu requests expecting a reply, %llu replies sent (%llu refused), "
			"%llu seen", p->plugin.name, (unsigned long long)expected,
			(unsigned long long)p->count.replies,
			(unsigned long long)p->count.reply_failures,
			(unsigned long long)replies_seen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Whether the scratch directory differs from its planted state. */
	static bool dirty;
	const struct obz_backend *b;
	unsigned which;
	ob_plugin_ctx *p;

	if (size < 1)
		return 0;
	which = (data[0] & 0x7fu) % OBZ_N_BACKENDS;
	b = obz_backend(which);
	if (dirty && (b->files & (OBZ_FILES_READ | OBZ_FILES_WRITE))) {
		obz_scratch_reset();
		dirty = false;
	}
	p = obz_backend_start(which, data[0] & OBZ_VARIANT);
	p->tx = (struct obp_transport){ .reply = tx_reply, .event = tx_event, .send = tx_send,
					.arg = p };
	replies_seen = 0;
	use_region(p);
	feed_frames(p, data + 1, size - 1);
	obz_backend_stop(p);
	check_replies(p);
	obp_ctx_free(p);
	if (b->files & OBZ_FILES_WRITE)
		dirty = true;
	if (b->files & OBZ_FILES_CONFINED)
		obz_scratch_check_escape();
	return 0;
}
