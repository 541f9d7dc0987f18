/*
 * The host's end of the shared-memory data path (src/router_shm.c) against
 * a fake plugin in the same process: a real ob_conn pair over ipc://, and
 * the region passed over the real side socket. What a plugin can do wrong
 * (or maliciously) in a reply must never reach the host's memory: a span at
 * another offset, longer than lent, in a reply with an error, beside inline
 * bytes, or when nothing was lent, fails the call with EIO. Spans come back
 * with the plugin's answer only: a call that ends without one (the plugin
 * went silent, or died mid-transfer) keeps its spans lent until the region
 * is dropped.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipc_test_util.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "outboard/shm.h"
#include "router_priv.h"

struct fake {
	ob_conn *plugin;            /* the plugin's listening end */
	int side;                   /* its side socket */
	ob_shm *mapped;             /* its view of the region */
	Ob__Request *req;           /* the last request it got (a copy) */
	char url[256];
	struct obh_router r;
	struct obh_link l;
};

/* The host's callback: what it got. */
struct got {
	int calls, status;
	bool had_reply;
	uint8_t data[8192];
	size_t len;
};

static void on_plugin_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct fake *f = arg;
	size_t len;
	uint8_t *buf;

	(void)conn;
	if (env->body_case != OB__ENVELOPE__BODY_REQUEST)
		return;
	len = ob__request__get_packed_size(env->request);
	buf = malloc(len ? len : 1);
	assert_non_null(buf);
	ob__request__pack(env->request, buf);
	if (f->req)
		ob__request__free_unpacked(f->req, NULL);
	f->req = ob__request__unpack(NULL, len, buf);
	free(buf);
}

static void on_reply(void *arg, int status, const Ob__Reply *rep)
{
	struct got *g = arg;

	g->calls++;
	g->status = status;
	g->had_reply = rep != NULL;
	g->len = 0;
	if (rep && !rep->status && rep->result_case == OB__REPLY__RESULT_FS_READ) {
		g->len = rep->fs_read->buf.len;
		assert_true(g->len <= sizeof(g->data));
		memcpy(g->data, rep->fs_read->buf.data, g->len);
	}
}

static bool have_req(void *arg)
{
	return ((struct fake *)arg)->req != NULL;
}

static bool got_one(void *arg)
{
	return ((struct got *)arg)->calls > 0;
}

/* A fake plugin with its region taken, and a host link that uses it. */
static int setup(void **state)
{
	static const struct ob_conn_callbacks pcb = { .on_message = on_plugin_message };
	struct fake *f = calloc(1, sizeof(*f));
	Ob__Hello hello, answer;

	assert_non_null(f);
	tu_url(f->url, sizeof(f->url), "shm-plugin");
	assert_int_equal(ob_conn_listen(f->url, NULL, &pcb, f, &f->plugin), 0);
	assert_int_equal(ob_shm_listen(f->url, &f->side), 0);
	f->l.router = &f->r;
	f->l.url = f->url;
	snprintf(f->l.domains, sizeof(f->l.domains), "fs");
	assert_int_equal(ob_conn_dial(f->url, NULL, NULL, NULL, &f->l.conn), 0);
	ob__hello__init(&hello);
	obhr_shm_offer(&f->l, &hello);
	assert_true(hello.shm_token != 0);
	assert_int_equal(ob_shm_accept(f->side, hello.shm_token, hello.shm_size, 1000, &f->mapped),
			 0);
	ob__hello__init(&answer);
	answer.shm_size = hello.shm_size;
	answer.shm_token = hello.shm_token;
	obhr_shm_answer(&f->l, &answer);
	assert_true(obhr_shm_active(&f->l));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	ob_conn_close(f->l.conn, 0);
	f->l.conn = NULL;
	obhr_shm_drop(&f->l);
	ob_conn_close(f->plugin, 0);
	ob_shm_unlisten(f->side, f->url);
	ob_shm_free(f->mapped);
	if (f->req)
		ob__request__free_unpacked(f->req, NULL);
	free(f);
	return 0;
}

/* Send an fs_read of count through the link; wait until the plugin has it. */
static void send_read(struct fake *f, uint32_t count, struct got *g)
{
	struct tu_read_req rr;

	tu_read_req_init(&rr, 3, count);
	if (f->req)
		ob__request__free_unpacked(f->req, NULL);
	f->req = NULL;
	memset(g, 0, sizeof(*g));
	assert_int_equal(obhr_shm_call(&f->l, &rr.req, on_reply, g, NULL, NULL), 0);
	assert_true(tu_pump2(f->l.conn, f->plugin, have_req, f, TU_WAIT_MS));
}

/* The plugin answers the last request: its bytes at span (off, len), and
 * inline bytes when inline_len. */
static void answer(struct fake *f, struct got *g, uint32_t status, uint32_t off, uint32_t len,
		   size_t inline_len)
{
	Ob__Reply rep = OB__REPLY__INIT;
	Ob__FsReadResult res = OB__FS_READ_RESULT__INIT;
	Ob__ShmSpan sp = OB__SHM_SPAN__INIT;
	uint8_t junk[16] = { 0 };

	rep.id = f->req->id;
	rep.status = status;
	if (!status) {
		rep.result_case = OB__REPLY__RESULT_FS_READ;
		rep.fs_read = &res;
		res.buf.data = junk;
		res.buf.len = inline_len;
	}
	sp.offset = off;
	sp.length = len;
	rep.shm_out = &sp;
	assert_int_equal(ob_conn_reply(f->plugin, &rep), 0);
	assert_true(tu_pump2(f->l.conn, f->plugin, got_one, g, TU_WAIT_MS));
}

static void test_read_through_span(void **state)
{
	struct fake *f = *state;
	struct got g;

	send_read(f, 4096, &g);
	assert_non_null(f->req->shm_out);
	assert_int_equal(f->req->shm_out->length, 4096);
	assert_true(obhr_shm_lent_bytes(&f->l) >= 4096);
	uint8_t *at = ob_shm_base(f->mapped) + f->req->shm_out->offset;
	for (int i = 0; i < 100; i++)
		at[i] = (uint8_t)(200 - i);
	answer(f, &g, 0, f->req->shm_out->offset, 100, 0);
	assert_int_equal(g.status, 0);
	assert_true(g.had_reply);
	assert_int_equal(g.len, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(g.data[i], 200 - i);
	assert_int_equal(obhr_shm_lent_bytes(&f->l), 0);
	assert_int_equal(f->l.shm_bad, 0);
	/* A small read stays inline: nothing lent. */
	send_read(f, 16, &g);
	assert_null(f->req->shm_out);
}

/* Every way a reply can name a span it was not lent: EIO, and the span
 * still comes back (the plugin answered). */
static void test_bad_reply_spans(void **state)
{
	struct fake *f = *state;
	struct got g;
	struct {
		uint32_t status, delta, len;
		size_t inline_len;
	} bad[] = {
		{ 0, 64, 10, 0 },        /* another offset */
		{ 0, 0, 4097, 0 },       /* longer than lent */
		{ 0, 0, UINT32_MAX, 0 }, /* far longer */
		{ 0, 0, 10, 5 },         /* inline bytes too */
		{ OB_ABI_EIO, 0, 10, 0 }, /* an error with a span */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		send_read(f, 4096, &g);
		assert_non_null(f->req->shm_out);
		answer(f, &g, bad[i].status, f->req->shm_out->offset + bad[i].delta, bad[i].len,
		       bad[i].inline_len);
		assert_int_equal(g.status, EIO);
		assert_false(g.had_reply);
		assert_int_equal(f->l.shm_bad, i + 1);
		assert_int_equal(obhr_shm_lent_bytes(&f->l), 0);
	}
	/* A span in a reply to a call that lent none (a small read). */
	send_read(f, 16, &g);
	assert_null(f->req->shm_out);
	answer(f, &g, 0, 0, 8, 0);
	assert_int_equal(g.status, EIO);
	assert_false(g.had_reply);
}

/* Payloads go into the region: the plugin reads them there. */
static void test_write_through_span(void **state)
{
	struct fake *f = *state;
	Ob__Request req = OB__REQUEST__INIT;
	Ob__FsWrite w = OB__FS_WRITE__INIT;
	static uint8_t data[3000];
	struct got g = { 0 };

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13);
	w.fd = 3;
	w.buf.data = data;
	w.buf.len = sizeof(data);
	w.count = sizeof(data);
	req.call_case = OB__REQUEST__CALL_FS_WRITE;
	req.fs_write = &w;
	if (f->req)
		ob__request__free_unpacked(f->req, NULL);
	f->req = NULL;
	assert_int_equal(obhr_shm_call(&f->l, &req, on_reply, &g, NULL, NULL), 0);
	/* The caller's request is as it gave it. */
	assert_ptr_equal(w.buf.data, data);
	assert_int_equal(w.buf.len, sizeof(data));
	assert_null(req.shm_in);
	assert_true(tu_pump2(f->l.conn, f->plugin, have_req, f, TU_WAIT_MS));
	assert_non_null(f->req->shm_in);
	assert_int_equal(f->req->fs_write->buf.len, 0);
	assert_int_equal(f->req->shm_in->length, sizeof(data));
	assert_memory_equal(ob_shm_base(f->mapped) + f->req->shm_in->offset, data, sizeof(data));
	Ob__Reply rep = OB__REPLY__INIT;
	Ob__FsWriteResult res = OB__FS_WRITE_RESULT__INIT;
	rep.id = f->req->id;
	rep.result_case = OB__REPLY__RESULT_FS_WRITE;
	rep.fs_write = &res;
	res.ret = sizeof(data);
	assert_int_equal(ob_conn_reply(f->plugin, &rep), 0);
	assert_true(tu_pump2(f->l.conn, f->plugin, got_one, &g, TU_WAIT_MS));
	assert_int_equal(g.status, 0);
	assert_int_equal(obhr_shm_lent_bytes(&f->l), 0);
}

/* The plugin dies mid-transfer (its end closes without answering): the
 * call fails, its span stays lent (a stuck plugin could still write it),
 * and dropping the region (what a plugin's death does) frees everything. */
static void test_plugin_dies_mid_transfer(void **state)
{
	struct fake *f = *state;
	struct got g;

	send_read(f, 8192, &g);
	uint32_t lent = (uint32_t)obhr_shm_lent_bytes(&f->l);
	assert_true(lent >= 8192);
	ob_conn_close(f->plugin, 1000); /* Goodbye: the host's calls fail at once */
	f->plugin = NULL;
	assert_true(tu_pump1(f->l.conn, got_one, &g, TU_WAIT_MS));
	assert_int_equal(g.status, EIO);
	assert_false(g.had_reply);
	assert_int_equal(obhr_shm_lent_bytes(&f->l), lent);
	assert_int_equal(f->l.shm_quarantined, 1);
	/* Whatever the dead plugin left in its mapping, the host's is intact. */
	memset(ob_shm_base(f->mapped), 0xee, 65536);
	ob_shm_free(f->mapped);
	f->mapped = NULL;
	obhr_shm_drop(&f->l);
	assert_false(obhr_shm_active(&f->l));
	assert_int_equal(obhr_shm_lent_bytes(&f->l), 0);
}

/* A new offer replaces the region; an answer that names another offer's
 * token, or declines, leaves the link inline. */
static void test_answer_must_match_offer(void **state)
{
	struct fake *f = *state;
	Ob__Hello hello, answer;
	struct got g;

	for (int round = 0; round < 2; round++) {
		ob__hello__init(&hello);
		obhr_shm_offer(&f->l, &hello);
		assert_false(obhr_shm_active(&f->l)); /* the old region is gone */
		ob_shm_free(f->mapped);
		f->mapped = NULL;
		assert_int_equal(ob_shm_accept(f->side, hello.shm_token, hello.shm_size, 1000,
					       &f->mapped), 0);
		ob__hello__init(&answer);
		answer.shm_size = round ? 0 : hello.shm_size;
		answer.shm_token = round ? 0 : hello.shm_token + 1;
		obhr_shm_answer(&f->l, &answer);
		assert_false(obhr_shm_active(&f->l));
	}
	/* Inline, as without a region. */
	send_read(f, 4096, &g);
	assert_null(f->req->shm_out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_through_span, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_reply_spans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_through_span, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plugin_dies_mid_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answer_must_match_offer, setup, teardown),
	};
	ob_log_set_level(OB_LOG_NONE);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
