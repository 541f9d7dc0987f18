/*
 * The SDK's end of the shared-memory data path, in-process: requests whose
 * bytes are in a region reach handlers as ordinary bytes fields, results go
 * into the span the host lent, and every bad span (outside the region,
 * wrapping, without a region, beside inline bytes) fails the request with
 * EINVAL before a handler runs. A deferred call keeps its region mapped
 * after a new host's Hello has dropped it.
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

#define REGION 65536u

/* --------------------------------------------------------------- capture */

static Ob__Reply *last;   /* the last reply sent, unpacked */
static unsigned replies;

static int cap_reply(void *arg, const Ob__Reply *reply)
{
	size_t len = ob__reply__get_packed_size(reply);
	uint8_t *buf = malloc(len ? len : 1);

	(void)arg;
	assert_non_null(buf);
	ob__reply__pack(reply, buf);
	if (last)
		ob__reply__free_unpacked(last, NULL);
	last = ob__reply__unpack(NULL, len, buf);
	assert_non_null(last);
	free(buf);
	replies++;
	return 0;
}

static int cap_other(void *arg, const Ob__Event *ev)
{
	(void)arg, (void)ev;
	return 0;
}

static int cap_send(void *arg, const Ob__Envelope *env)
{
	(void)arg, (void)env;
	return 0;
}

/* ----------------------------------------------------------- test plugin */

static uint8_t written[REGION];
static size_t written_len;
static unsigned handled;
static ob_call *parked;
static const Ob__FsPwrite *parked_args;

static int h_write(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *result)
{
	const Ob__FsWrite *a = (const Ob__FsWrite *)args;

	(void)ctx, (void)call;
	handled++;
	written_len = a->buf.len;
	memcpy(written, a->buf.data, a->buf.len);
	((Ob__FsWriteResult *)result)->ret = (int64_t)a->buf.len;
	return 0;
}

static int h_read(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *result)
{
	const Ob__FsRead *a = (const Ob__FsRead *)args;
	Ob__FsReadResult *r = (Ob__FsReadResult *)result;

	(void)ctx, (void)call;
	handled++;
	r->buf.data = malloc(a->count + 1);
	r->buf.len = a->count;
	for (uint32_t i = 0; i < a->count; i++)
		r->buf.data[i] = (uint8_t)('a' + i % 26);
	return 0;
}

static int h_pwrite(void *ctx, ob_call *call, const ProtobufCMessage *args, ProtobufCMessage *result)
{
	(void)ctx, (void)result;
	handled++;
	parked = call;
	parked_args = (const Ob__FsPwrite *)args;
	return OB_DEFER;
}

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_FS };
static const struct ob_handler handlers[] = {
	{ OB__REQUEST__CALL_FS_WRITE, h_write },
	{ OB__REQUEST__CALL_FS_READ, h_read },
	{ OB__REQUEST__CALL_FS_PWRITE, h_pwrite },
};
static const struct ob_plugin plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "shm-test",
	.version = "1",
	.domains = domains,
	.n_domains = 1,
	.handlers = handlers,
	.n_handlers = sizeof(handlers) / sizeof(handlers[0]),
};

static ob_plugin_ctx *new_ctx(bool with_region, uint8_t **base)
{
	ob_plugin_ctx *p;
	ob_shm *shm;

	assert_int_equal(obp_ctx_new(&plugin, &p), 0);
	p->tx = (struct obp_transport){ .reply = cap_reply, .event = cap_other, .send = cap_send };
	if (with_region) {
		assert_int_equal(ob_shm_create(REGION, &shm), 0);
		*base = ob_shm_base(shm);
		for (uint32_t i = 0; i < REGION; i++)
			(*base)[i] = (uint8_t)(i * 7);
		assert_int_equal(obp_shm_use(p, shm), 0);
	}
	handled = 0;
	replies = 0;
	return p;
}

static void free_ctx(ob_plugin_ctx *p)
{
	obp_ctx_free(p);
	if (last)
		ob__reply__free_unpacked(last, NULL);
	last = NULL;
}

/* Dispatch a request for call with args msg and the given spans (NULL:
 * none), through the same frame path as the connection. */
static void request(ob_plugin_ctx *p, uint32_t call, void *msg, const Ob__ShmSpan *in,
		    const Ob__ShmSpan *out)
{
	static uint64_t id;
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field(&ob__request__descriptor, call);
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Request req = OB__REQUEST__INIT;
	Ob__ShmSpan spans[2];
	uint8_t *buf;
	size_t len;

	req.id = ++id;
	req.call_case = (Ob__Request__CallCase)call;
	*(void **)((char *)&req + f->offset) = msg;
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
	len = ob__envelope__get_packed_size(&env);
	buf = malloc(len);
	assert_non_null(buf);
	ob__envelope__pack(&env, buf);
	assert_int_equal(ob_plugin_dispatch_frame(p, buf, len), 0);
	free(buf);
}

static Ob__ShmSpan span(uint32_t offset, uint32_t length)
{
	Ob__ShmSpan s = OB__SHM_SPAN__INIT;

	s.offset = offset;
	s.length = length;
	return s;
}

static void expect_status(uint32_t abi)
{
	assert_non_null(last);
	assert_int_equal(last->status, abi);
}

/* ----------------------------------------------------------------- tests */

static void test_in_span_reaches_handler(void **state)
{
	uint8_t *base;
	ob_plugin_ctx *p = new_ctx(true, &base);
	Ob__FsWrite w = OB__FS_WRITE__INIT;
	Ob__ShmSpan in = span(1000, 3000), end = span(REGION - 10, 10);

	(void)state;
	w.count = 3000;
	request(p, OB__REQUEST__CALL_FS_WRITE, &w, &in, NULL);
	expect_status(0);
	assert_int_equal(handled, 1);
	assert_int_equal(written_len, 3000);
	assert_memory_equal(written, base + 1000, 3000);
	assert_int_equal(last->fs_write->ret, 3000);
	assert_null(last->shm_out);
	/* Right up to the region's end. */
	request(p, OB__REQUEST__CALL_FS_WRITE, &w, &end, NULL);
	expect_status(0);
	assert_memory_equal(written, base + REGION - 10, 10);
	free_ctx(p);
}

static void test_bad_spans_refused(void **state)
{
	uint8_t *base;
	ob_plugin_ctx *p = new_ctx(true, &base);
	Ob__FsWrite w = OB__FS_WRITE__INIT;
	Ob__FsRead r = OB__FS_READ__INIT;
	const Ob__ShmSpan bad[] = {
		span(REGION - 10, 11), span(REGION + 1, 0), span(UINT32_MAX, 2),
		span(1, UINT32_MAX),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		request(p, OB__REQUEST__CALL_FS_WRITE, &w, &bad[i], NULL);
		expect_status(OB_ABI_EINVAL);
		r.count = 16;
		request(p, OB__REQUEST__CALL_FS_READ, &r, NULL, &bad[i]);
		expect_status(OB_ABI_EINVAL);
	}
	/* Inline bytes and a span at once. */
	Ob__ShmSpan ok = span(0, 4);
	uint8_t abcd[4] = { 'a', 'b', 'c', 'd' };
	w.buf.data = abcd;
	w.buf.len = 4;
	request(p, OB__REQUEST__CALL_FS_WRITE, &w, &ok, NULL);
	expect_status(OB_ABI_EINVAL);
	assert_int_equal(handled, 0);
	free_ctx(p);
}

static void test_no_region(void **state)
{
	uint8_t *base = NULL;
	ob_plugin_ctx *p = new_ctx(false, &base);
	Ob__FsWrite w = OB__FS_WRITE__INIT;
	Ob__FsRead r = OB__FS_READ__INIT;
	Ob__ShmSpan s = span(0, 8);

	(void)state;
	request(p, OB__REQUEST__CALL_FS_WRITE, &w, &s, NULL);
	expect_status(OB_ABI_EINVAL);
	r.count = 8;
	request(p, OB__REQUEST__CALL_FS_READ, &r, NULL, &s);
	expect_status(OB_ABI_EINVAL);
	assert_int_equal(handled, 0);
	/* A Hello offering a region on a context without a side socket: the
	 * answer declines, and calls go on inline. */
	Ob__Hello hello;
	ob__hello__init(&hello);
	hello.protocol_version = OB_PROTOCOL_VERSION;
	hello.shm_token = 1234;
	hello.shm_size = REGION;
	hello.lane = true;
	int lane = 0;
	assert_int_equal(obp_shm_take(p, &hello, &lane), 0);
	assert_int_equal(lane, -1);
	request(p, OB__REQUEST__CALL_FS_READ, &r, NULL, NULL);
	expect_status(0);
	assert_int_equal(last->fs_read->buf.len, 8);
	free_ctx(p);
}

static void test_result_into_span(void **state)
{
	uint8_t *base;
	ob_plugin_ctx *p = new_ctx(true, &base);
	Ob__FsRead r = OB__FS_READ__INIT;
	Ob__ShmSpan out = span(8192, 4096);

	(void)state;
	r.count = 100;
	request(p, OB__REQUEST__CALL_FS_READ, &r, NULL, &out);
	expect_status(0);
	assert_non_null(last->shm_out);
	assert_int_equal(last->shm_out->offset, 8192);
	assert_int_equal(last->shm_out->length, 100);
	assert_int_equal(last->fs_read->buf.len, 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(base[8192 + i], 'a' + i % 26);
	/* Past the span (the bytes after it untouched): inline instead. */
	uint8_t after = base[8192 + 4096];
	r.count = 5000;
	request(p, OB__REQUEST__CALL_FS_READ, &r, NULL, &out);
	expect_status(0);
	assert_null(last->shm_out);
	assert_int_equal(last->fs_read->buf.len, 5000);
	assert_int_equal(base[8192 + 4096], after);
	free_ctx(p);
}

/* A call deferred with its bytes in the region outlives the region's
 * replacement by a new host's Hello: its args stay readable. */
static void test_deferred_keeps_region(void **state)
{
	uint8_t *base;
	ob_plugin_ctx *p = new_ctx(true, &base);
	Ob__FsPwrite w = OB__FS_PWRITE__INIT;
	Ob__ShmSpan in = span(512, 256);
	uint8_t expect[256];

	(void)state;
	memcpy(expect, base + 512, sizeof(expect));
	w.count = 256;
	request(p, OB__REQUEST__CALL_FS_PWRITE, &w, &in, NULL);
	assert_non_null(parked);
	assert_int_equal(replies, 0);
	Ob__Hello hello;
	ob__hello__init(&hello);
	hello.protocol_version = OB_PROTOCOL_VERSION;
	int lane;
	assert_int_equal(obp_shm_take(p, &hello, &lane), 0);
	assert_int_equal(lane, -1);
	assert_null(p->region);
	assert_int_equal(parked_args->buf.len, 256);
	assert_memory_equal(parked_args->buf.data, expect, 256);
	ob_call_complete(parked, 0);
	parked = NULL;
	expect_status(0);
	free_ctx(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_span_reaches_handler),
		cmocka_unit_test(test_bad_spans_refused),
		cmocka_unit_test(test_no_region),
		cmocka_unit_test(test_result_into_span),
		cmocka_unit_test(test_deferred_keeps_region),
	};
	ob_log_set_level(OB_LOG_NONE);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
