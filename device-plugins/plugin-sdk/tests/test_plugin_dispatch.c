/*
 * The SDK's dispatcher in-process: frames go in through
 * ob_plugin_dispatch_frame (the fuzzing seam) or obp_dispatch, and what the
 * SDK sends is captured by a transport installed in place of the
 * connection. Covers what a well-behaved peer cannot send: garbage frames,
 * unknown call numbers, handler misbehaviour, plugin descriptions that must
 * be refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../src/sdk.h"
#include "outboard/errno.h"

#define MAX_SENT 32

/* --------------------------------------------------------------- capture */

static Ob__Envelope *sent[MAX_SENT];
static size_t n_sent;

static void capture(const Ob__Envelope *env)
{
	size_t len = ob__envelope__get_packed_size(env);
	uint8_t *buf = malloc(len ? len : 1);

	assert_non_null(buf);
	assert_true(n_sent < MAX_SENT);
	ob__envelope__pack(env, buf);
	sent[n_sent] = ob__envelope__unpack(NULL, len, buf);
	assert_non_null(sent[n_sent]);
	n_sent++;
	free(buf);
}

static int cap_reply(void *arg, const Ob__Reply *reply)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;

	(void)arg;
	env.body_case = OB__ENVELOPE__BODY_REPLY;
	env.reply = (Ob__Reply *)(uintptr_t)reply;
	capture(&env);
	return 0;
}

static int cap_event(void *arg, const Ob__Event *ev)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;

	(void)arg;
	env.body_case = OB__ENVELOPE__BODY_EVENT;
	env.event = (Ob__Event *)(uintptr_t)ev;
	capture(&env);
	return 0;
}

static int cap_send(void *arg, const Ob__Envelope *env)
{
	(void)arg;
	capture(env);
	return 0;
}

static void clear_sent(void)
{
	for (size_t i = 0; i < n_sent; i++)
		ob__envelope__free_unpacked(sent[i], NULL);
	n_sent = 0;
}

/* ----------------------------------------------------------- test plugin */

static ob_call *parked;       /* the call fs_stat deferred */
static const Ob__FsStat *parked_args;

static int h_read(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *result)
{
	const Ob__FsRead *a = (const Ob__FsRead *)args;
	Ob__FsReadResult *r = (Ob__FsReadResult *)result;

	(void)ctx, (void)call;
	r->buf.data = malloc(a->count + 1);
	r->buf.len = a->count;
	memset(r->buf.data, 'x', a->count);
	return 0;
}

static int h_stat(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *result)
{
	(void)ctx, (void)result;
	parked = call;
	parked_args = (const Ob__FsStat *)args;
	return OB_DEFER;
}

/* Completes inside the handler, then defers. */
static int h_open(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *result)
{
	(void)ctx, (void)args;
	((Ob__FsOpenResult *)result)->ret = 42;
	ob_call_complete(call, 0);
	return OB_DEFER;
}

/* A classic slip: a negated errno. */
static int h_unlink(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *result)
{
	(void)ctx, (void)call, (void)args, (void)result;
	return -EACCES;
}

static int h_write(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *result)
{
	(void)ctx, (void)call, (void)args, (void)result;
	return EIO;
}

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_FS, OB__DOMAIN__DOMAIN_INPUT };

static const struct ob_handler handlers[] = {
	{ OB__REQUEST__CALL_FS_STAT, h_stat },
	{ OB__REQUEST__CALL_FS_READ, h_read },
	{ OB__REQUEST__CALL_FS_OPEN, h_open },
	{ OB__REQUEST__CALL_FS_UNLINK, h_unlink },
	{ OB__REQUEST__CALL_FS_WRITE, h_write },
	{ OB__REQUEST__CALL_FS_MKDIR, NULL }, /* same as absent */
};

static const struct ob_plugin_option options[] = {
	{ "root", true, "DIR", "the root" },
	{ "ro", false, NULL, "read-only" },
	{ NULL, false, NULL, NULL },
};

static struct ob_plugin test_plugin(void)
{
	return (struct ob_plugin){
		.size = sizeof(struct ob_plugin),
		.name = "unit",
		.version = "0.1",
		.domains = domains,
		.n_domains = 2,
		.handlers = handlers,
		.n_handlers = sizeof(handlers) / sizeof(handlers[0]),
		.options = options,
	};
}

static int setup(void **state)
{
	struct ob_plugin pl = test_plugin();
	ob_plugin_ctx *p;

	if (obp_ctx_new(&pl, &p))
		return -1;
	p->tx = (struct obp_transport){ .reply = cap_reply, .event = cap_event, .send = cap_send };
	parked = NULL;
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	obp_ctx_free(*state);
	clear_sent();
	return 0;
}

/* ------------------------------------------------------------- helpers */

static int feed(ob_plugin_ctx *p, const Ob__Envelope *env)
{
	size_t len = ob__envelope__get_packed_size(env);
	uint8_t *buf = malloc(len ? len : 1);
	int rc;

	assert_non_null(buf);
	ob__envelope__pack(env, buf);
	rc = ob_plugin_dispatch_frame(p, buf, len);
	free(buf);
	return rc;
}

/* Feed a request whose call is call_case with args msg. */
static void feed_call(ob_plugin_ctx *p, uint64_t id, bool posted, int call_case, const void *msg)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field(&ob__request__descriptor, (unsigned)call_case);
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Request req = OB__REQUEST__INIT;

	req.id = id;
	req.posted = posted;
	if (f) {
		req.call_case = (Ob__Request__CallCase)call_case;
		memcpy((char *)&req + f->offset, &msg, sizeof(msg));
	}
	env.body_case = OB__ENVELOPE__BODY_REQUEST;
	env.request = &req;
	assert_int_equal(feed(p, &env), 0);
}

static const Ob__Reply *sent_reply(size_t i)
{
	assert_true(i < n_sent);
	assert_int_equal(sent[i]->body_case, OB__ENVELOPE__BODY_REPLY);
	return sent[i]->reply;
}

/* --------------------------------------------------------------- tests */

static void test_garbage_frames(void **state)
{
	ob_plugin_ctx *p = *state;
	static const uint8_t junk[] = { 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x99 };
	uint8_t *big = calloc(1, OB_DEFAULT_MAX_MESSAGE + 1);

	assert_non_null(big);
	assert_int_equal(ob_plugin_dispatch_frame(p, junk, sizeof(junk)), -EPROTO);
	assert_int_equal(ob_plugin_dispatch_frame(p, big, OB_DEFAULT_MAX_MESSAGE + 1), -EMSGSIZE);
	assert_int_equal(ob_plugin_dispatch_frame(p, NULL, 1), -EINVAL);
	assert_int_equal(p->count.dropped, 2);
	assert_int_equal(n_sent, 0);
	/* An empty frame is a valid, empty Envelope: ignored. */
	assert_int_equal(ob_plugin_dispatch_frame(p, big, 0), 0);
	assert_int_equal(n_sent, 0);
	free(big);
}

static void test_sync_reply(void **state)
{
	ob_plugin_ctx *p = *state;
	Ob__FsRead rd = OB__FS_READ__INIT;
	const Ob__Reply *r;

	rd.count = 7;
	feed_call(p, 11, false, OB__REQUEST__CALL_FS_READ, &rd);
	r = sent_reply(0);
	assert_int_equal(r->id, 11);
	assert_int_equal(r->status, 0);
	assert_int_equal(r->result_case, OB__REPLY__RESULT_FS_READ);
	assert_memory_equal(r->fs_read->buf.data, "xxxxxxx", 7);
	assert_int_equal(p->count.replies, 1);
}

/* After fini (the final flush still receives): no handler runs; a call
 * is answered ECANCELED, a posted one only counted. */
static void test_requests_after_fini(void **state)
{
	ob_plugin_ctx *p = *state;
	Ob__FsRead rd = OB__FS_READ__INIT;

	p->finished = true;
	rd.count = 7;
	feed_call(p, 5, false, OB__REQUEST__CALL_FS_READ, &rd);
	feed_call(p, 6, true, OB__REQUEST__CALL_FS_READ, &rd);
	assert_int_equal(sent_reply(0)->id, 5);
	assert_int_equal(sent_reply(0)->status, OB_ABI_ECANCELED);
	assert_int_equal(sent_reply(0)->result_case, OB__REPLY__RESULT__NOT_SET);
	assert_int_equal(p->count.errors, 2);
	assert_int_equal(p->count.requests, 2);
}

static void test_bad_call_numbers(void **state)
{
	ob_plugin_ctx *p = *state;
	Ob__FsRead rd = OB__FS_READ__INIT;
	Ob__Request req = OB__REQUEST__INIT;

	feed_call(p, 1, false, 0, NULL);
	assert_int_equal(sent_reply(0)->status, OB_ABI_EINVAL);
	/* Numbers only a hand-built message can carry. */
	req.id = 2;
	req.call_case = (Ob__Request__CallCase)99; /* inside the table, not a call */
	req.fs_read = &rd;
	obp_dispatch(p, &req);
	assert_int_equal(sent_reply(1)->status, OB_ABI_EINVAL);
	req.id = 3;
	req.call_case = (Ob__Request__CallCase)100000;
	obp_dispatch(p, &req);
	assert_int_equal(sent_reply(2)->status, OB_ABI_EINVAL);
	req.id = 4;
	req.call_case = OB__REQUEST__CALL_FS_READ;
	req.fs_read = NULL;
	obp_dispatch(p, &req);
	assert_int_equal(sent_reply(3)->status, OB_ABI_EINVAL);
	assert_int_equal(sent_reply(3)->id, 4);
	assert_int_equal(p->count.errors, 4);
}

static void test_enosys_and_negative_errno(void **state)
{
	ob_plugin_ctx *p = *state;
	Ob__FsMkdir mk;
	Ob__FsUnlink ul;

	ob__fs_mkdir__init(&mk);
	ob__fs_unlink__init(&ul);
	feed_call(p, 5, false, OB__REQUEST__CALL_FS_MKDIR, &mk);
	feed_call(p, 6, false, OB__REQUEST__CALL_FS_UNLINK, &ul);
	assert_int_equal(sent_reply(0)->status, OB_ABI_ENOSYS);
	assert_int_equal(sent_reply(0)->result_case, OB__REPLY__RESULT__NOT_SET);
	assert_int_equal(sent_reply(1)->status, OB_ABI_EACCES);
}

static void test_deferred(void **state)
{
	ob_plugin_ctx *p = *state;
	Ob__FsStat st;
	Ob__FsStatResult *res;

	ob__fs_stat__init(&st);
	st.path = (char *)(uintptr_t)"kept/after/the/frame";
	feed_call(p, 9, false, OB__REQUEST__CALL_FS_STAT, &st);
	assert_non_null(parked);
	assert_int_equal(n_sent, 0);
	assert_int_equal(p->count.in_flight, 1);
	/* The frame is gone; the call's copy is not (ASan would object). */
	assert_string_equal(parked_args->path, "kept/after/the/frame");
	assert_ptr_equal(ob_call_args(parked), parked_args);
	assert_int_equal(ob_call_request(parked)->id, 9);
	assert_ptr_equal(ob_call_plugin(parked), p);
	res = (Ob__FsStatResult *)ob_call_result(parked);
	res->st = malloc(sizeof(*res->st));
	ob__file_stat__init(res->st);
	res->st->size = 1234;
	ob_call_complete(parked, 0);
	assert_int_equal(sent_reply(0)->id, 9);
	assert_int_equal(sent_reply(0)->fs_stat->st->size, 1234);
	assert_int_equal(p->count.in_flight, 0);
	assert_int_equal(p->count.max_in_flight, 1);
}

static void test_complete_inside_handler(void **state)
{
	ob_plugin_ctx *p = *state;
	Ob__FsOpen op;

	ob__fs_open__init(&op);
	feed_call(p, 12, false, OB__REQUEST__CALL_FS_OPEN, &op);
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent_reply(0)->status, 0);
	assert_int_equal(sent_reply(0)->fs_open->ret, 42);
	assert_int_equal(p->count.in_flight, 0);
}

static void test_cancel_on_free(void **state)
{
	ob_plugin_ctx *p = *state;
	Ob__FsStat st;

	ob__fs_stat__init(&st);
	feed_call(p, 13, false, OB__REQUEST__CALL_FS_STAT, &st);
	assert_int_equal(n_sent, 0);
	obp_ctx_free(p);
	*state = NULL;
	assert_int_equal(sent_reply(0)->id, 13);
	assert_int_equal(sent_reply(0)->status, OB_ABI_ECANCELED);
}

static const Ob__Event *sent_credit(size_t i)
{
	assert_true(i < n_sent);
	assert_int_equal(sent[i]->body_case, OB__ENVELOPE__BODY_EVENT);
	assert_int_equal(sent[i]->event->event_case, OB__EVENT__EVENT_CREDIT);
	return sent[i]->event;
}

static void test_posted_and_credit(void **state)
{
	ob_plugin_ctx *p = *state;
	Ob__FsWrite wr = OB__FS_WRITE__INIT;
	Ob__FsStat st;

	/* A failing posted call: no reply, an error count, then Credit. */
	feed_call(p, 20, true, OB__REQUEST__CALL_FS_WRITE, &wr);
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent_credit(0)->credit->done_id, 20);
	assert_int_equal(p->count.errors, 1);
	assert_int_equal(p->count.posted, 1);

	/* A deferred posted call holds Credit back until it finishes. */
	ob__fs_stat__init(&st);
	feed_call(p, 21, true, OB__REQUEST__CALL_FS_STAT, &st);
	feed_call(p, 22, true, OB__REQUEST__CALL_FS_WRITE, &wr);
	assert_int_equal(n_sent, 1);
	ob_call_complete(parked, 0);
	obp_send_credit(p);
	assert_int_equal(n_sent, 2);
	assert_int_equal(sent_credit(1)->credit->done_id, 22);
	/* Nothing new finished: no second Credit. */
	obp_send_credit(p);
	assert_int_equal(n_sent, 2);
}

static void test_control_messages(void **state)
{
	ob_plugin_ctx *p = *state;
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Hello hello;
	Ob__Ping ping = OB__PING__INIT;
	Ob__StatsQuery q = OB__STATS_QUERY__INIT;
	Ob__Shutdown sd;
	const Ob__Hello *a;

	ob__hello__init(&hello);
	hello.protocol_version = OB_PROTOCOL_VERSION;
	env.body_case = OB__ENVELOPE__BODY_HELLO;
	env.hello = &hello;
	assert_int_equal(feed(p, &env), 0);
	a = sent[0]->hello;
	assert_int_equal(a->status, 0);
	assert_string_equal(a->backend, "unit");
	assert_int_equal(a->n_domains, 2);
	/* Ascending, and only calls with a handler (not mkdir's NULL). */
	assert_int_equal(a->n_calls, 5);
	assert_int_equal(a->calls[0], OB__REQUEST__CALL_FS_OPEN);
	assert_int_equal(a->calls[4], OB__REQUEST__CALL_FS_UNLINK);

	hello.protocol_version = OB_PROTOCOL_VERSION + 1;
	assert_int_equal(feed(p, &env), 0);
	assert_int_equal(sent[1]->hello->status, OB_ABI_EPROTO);

	/* A refusal is never answered. */
	hello.status = OB_ABI_EPROTO;
	assert_int_equal(feed(p, &env), 0);
	assert_int_equal(n_sent, 2);

	ping.seq = 77;
	env.body_case = OB__ENVELOPE__BODY_PING;
	env.ping = &ping;
	assert_int_equal(feed(p, &env), 0);
	assert_int_equal(sent[2]->body_case, OB__ENVELOPE__BODY_PONG);
	assert_int_equal(sent[2]->pong->seq, 77);

	env.body_case = OB__ENVELOPE__BODY_STATS_QUERY;
	env.stats_query = &q;
	assert_int_equal(feed(p, &env), 0);
	assert_int_equal(sent[3]->body_case, OB__ENVELOPE__BODY_STATS);

	ob__shutdown__init(&sd);
	env.body_case = OB__ENVELOPE__BODY_SHUTDOWN;
	env.shutdown = &sd;
	assert_false(p->stop);
	assert_int_equal(feed(p, &env), 0);
	assert_true(p->stop);
}

static void test_events_need_a_peer(void **state)
{
	ob_plugin_ctx *p = *state;
	Ob__Event ev = OB__EVENT__INIT;
	Ob__InputEvent in = OB__INPUT_EVENT__INIT;
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Ping ping = OB__PING__INIT;

	ev.event_case = OB__EVENT__EVENT_INPUT;
	ev.input = &in;
	assert_int_equal(ob_plugin_event(p, &ev), -ENOTCONN);
	assert_int_equal(ob_plugin_event(p, NULL), -EINVAL);
	env.body_case = OB__ENVELOPE__BODY_PING;
	env.ping = &ping;
	assert_int_equal(feed(p, &env), 0);
	assert_int_equal(ob_plugin_event(p, &ev), 0);
	assert_int_equal(p->count.events, 1);
}

/* A plugin description the SDK must refuse. */
static void expect_refused(struct ob_plugin pl)
{
	ob_plugin_ctx *p = (ob_plugin_ctx *)1;

	assert_int_equal(obp_ctx_new(&pl, &p), -EINVAL);
	assert_null(p);
}

static void test_refused_plugins(void **state)
{
	static const struct ob_handler dup[] = {
		{ OB__REQUEST__CALL_FS_READ, h_read }, { OB__REQUEST__CALL_FS_READ, h_read },
	};
	static const struct ob_handler not_call[] = { { 2, h_read } };
	static const struct ob_handler too_big[] = { { 5000, h_read } };
	static const struct ob_plugin_option clash[] = { { "listen", true, "X", "" }, { NULL, 0, 0, 0 } };
	static const struct ob_plugin_option twice[] = {
		{ "a", false, NULL, "" }, { "a", false, NULL, "" }, { NULL, 0, 0, 0 },
	};
	static const Ob__Domain bad_domain[] = { (Ob__Domain)9 };
	struct ob_plugin pl;

	(void)state;
	pl = test_plugin(), pl.handlers = dup, pl.n_handlers = 2;
	expect_refused(pl);
	pl = test_plugin(), pl.handlers = not_call, pl.n_handlers = 1;
	expect_refused(pl);
	pl = test_plugin(), pl.handlers = too_big, pl.n_handlers = 1;
	expect_refused(pl);
	pl = test_plugin(), pl.options = clash;
	expect_refused(pl);
	pl = test_plugin(), pl.options = twice;
	expect_refused(pl);
	pl = test_plugin(), pl.n_domains = 0;
	expect_refused(pl);
	pl = test_plugin(), pl.domains = bad_domain, pl.n_domains = 1;
	expect_refused(pl);
	pl = test_plugin(), pl.name = "has space";
	expect_refused(pl);
	pl = test_plugin(), pl.size = 0;
	expect_refused(pl);
}

/* An older, smaller struct ob_plugin: the missing fields count as NULL. */
static void test_smaller_plugin_struct(void **state)
{
	struct ob_plugin pl = test_plugin();
	ob_plugin_ctx *p = NULL;

	(void)state;
	pl.size = offsetof(struct ob_plugin, init);
	pl.init = (int (*)(ob_plugin_ctx *, void **))(uintptr_t)1; /* must be ignored */
	assert_int_equal(obp_ctx_new(&pl, &p), 0);
	assert_null(p->plugin.init);
	obp_ctx_free(p);
}

static int parse(ob_plugin_ctx *p, const char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return obp_parse_options(p, argc, (char **)(uintptr_t)argv);
}

static void test_options(void **state)
{
	ob_plugin_ctx *p = *state;
	const char *good[] = { "x", "--listen", "ipc:///tmp/u", "--root", "/srv", "--ro", NULL };
	const char *eq[] = { "x", "--listen=tcp://h:1", "--root=/a", "--insecure", NULL };
	const char *bad[] = { "x", "--listen", "u", "--root", NULL };

	assert_int_equal(parse(p, good), 0);
	assert_string_equal(p->opts.listen, "ipc:///tmp/u");
	assert_string_equal(ob_plugin_opt(p, "root"), "/srv");
	assert_string_equal(ob_plugin_opt(p, "ro"), "");
	assert_null(ob_plugin_opt(p, "nope"));
	obp_options_free(&p->opts);
	p->opts = (struct obp_options){ 0 };

	assert_int_equal(parse(p, eq), 0);
	assert_string_equal(p->opts.listen, "tcp://h:1");
	assert_string_equal(ob_plugin_opt(p, "root"), "/a");
	assert_null(ob_plugin_opt(p, "ro"));
	assert_true(p->opts.insecure);
	assert_null(p->opts.key_file);
	obp_options_free(&p->opts);
	p->opts = (struct obp_options){ 0 };

	assert_int_equal(parse(p, bad), -EINVAL);
}

static void reparse(ob_plugin_ctx *p, const char **argv, int expect)
{
	obp_options_free(&p->opts);
	p->opts = (struct obp_options){ 0 };
	assert_int_equal(parse(p, argv), expect);
}

/* tcp:// takes --key FILE or an explicit --insecure; ipc:// takes either. */
static void test_security_options(void **state)
{
	ob_plugin_ctx *p = *state;
	const char *tcp_bare[] = { "x", "--listen", "tcp://0.0.0.0:5555", NULL };
	const char *tcp_key[] = { "x", "--listen", "tcp://0.0.0.0:5555", "--key", "k", NULL };
	const char *tcp_key_eq[] = { "x", "--key=k", "--listen=tcp://[::1]:5", NULL };
	const char *tcp_insecure[] = { "x", "--insecure", "--listen", "tcp://h:1", NULL };
	const char *both[] = { "x", "--listen", "tcp://h:1", "--key", "k", "--insecure", NULL };
	const char *empty_key[] = { "x", "--listen", "tcp://h:1", "--key", "", NULL };
	const char *no_key_arg[] = { "x", "--listen", "tcp://h:1", "--key", NULL };
	const char *ipc_key[] = { "x", "--listen", "ipc:///tmp/s", "--key", "k", NULL };
	const char *ipc_bare[] = { "x", "--listen", "ipc:///tmp/s", NULL };
	const char *help[] = { "x", "--help", NULL };

	(void)state;
	reparse(p, tcp_bare, -EINVAL);
	reparse(p, tcp_key, 0);
	assert_string_equal(p->opts.key_file, "k");
	assert_false(p->opts.insecure);
	reparse(p, tcp_key_eq, 0);
	assert_string_equal(p->opts.key_file, "k");
	reparse(p, tcp_insecure, 0);
	assert_true(p->opts.insecure);
	reparse(p, both, -EINVAL);
	reparse(p, empty_key, -EINVAL);
	reparse(p, no_key_arg, -EINVAL);
	reparse(p, ipc_key, 0);
	reparse(p, ipc_bare, 0);
	reparse(p, help, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_garbage_frames),
		T(test_sync_reply),
		T(test_requests_after_fini),
		T(test_bad_call_numbers),
		T(test_enosys_and_negative_errno),
		T(test_deferred),
		T(test_complete_inside_handler),
		T(test_cancel_on_free),
		T(test_posted_and_credit),
		T(test_control_messages),
		T(test_events_need_a_peer),
		T(test_refused_plugins),
		T(test_smaller_plugin_struct),
		T(test_options),
		T(test_security_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
