/*
 * Authenticated connections as a man in the middle sees them (ipc_relay.h,
 * over tcp://127.0.0.1): the wire carries the documented handshake and
 * then only sealed frames; sealed frames replayed, reordered, tampered
 * with or truncated are dropped without disturbing the session; a captured
 * handshake replayed to the listener is refused; a network drop (the relay
 * restarting) is followed by a new handshake, and calls work again.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <nanomsg/nn.h>

#include "auth_fixture.h"

/* Through the relay: what goes over the wire is sealed. */
static void test_wire_is_sealed(void **state)
{
	static const char marker[] = "secret-path-7f3a9";
	char url_l[64], url_f[64];
	struct side l, d;
	struct relay r;
	struct box b;
	Ob__Request req = OB__REQUEST__INIT;
	Ob__FsOpen op;
	const struct relay_frame *f;

	(void)state;
	listen_side(&l, url_l, sizeof(url_l), af_key_a, false);
	tu_tcp_url(url_f, sizeof(url_f));
	relay_start(&r, url_f, url_l);
	dial_side(&d, url_f, af_key_a, false);
	ob__fs_open__init(&op); /* not the INIT macro: its string cast trips -Wcast-qual */
	op.path = (char *)(uintptr_t)marker;
	req.call_case = OB__REQUEST__CALL_FS_OPEN;
	req.fs_open = &op;
	memset(&b, 0, sizeof(b));
	assert_int_equal(ob_conn_call(d.conn, &req, af_on_reply, &b, NULL), 0);
	assert_true(af_run(&r, &d, &l, box_done, &b));
	assert_int_equal(b.status, 0);
	assert_string_equal(l.last_path, marker);

	/* The handshake, in order and with the documented sizes. */
	assert_true(r.n >= 6);
	assert_true(r.frames[0].to_listener && r.frames[0].len == 36);
	assert_memory_equal(r.frames[0].data, "OBA1", 4);
	assert_true(!r.frames[1].to_listener && r.frames[1].len == 68);
	assert_memory_equal(r.frames[1].data, "OBA2", 4);
	/* The challenge echoes the client's nonce. */
	assert_memory_equal(r.frames[1].data + 4, r.frames[0].data + 4, 32);
	assert_true(r.frames[2].to_listener && r.frames[2].len == 36);
	assert_memory_equal(r.frames[2].data, "OBA3", 4);
	assert_true(!r.frames[3].to_listener && r.frames[3].len == 36);
	assert_memory_equal(r.frames[3].data, "OBA4", 4);
	/* Everything after is sealed, and the path never shows. */
	for (int i = 0; i < r.n; i++) {
		f = &r.frames[i];
		assert_true(f->len >= 4);
		assert_memory_equal(f->data, "OBA", 3);
		if (i >= 4)
			assert_int_equal(f->data[3], 'D');
		for (size_t k = 0; k + sizeof(marker) - 1 <= f->len; k++)
			assert_memory_not_equal(f->data + k, marker, sizeof(marker) - 1);
	}
	close_side(&d);
	relay_stop(&r);
	close_side(&l);
}

/* Hold the next frame the dialer sends; return a copy of it. */
static uint8_t *hold_next(struct relay *r, struct side *d, struct side *l, size_t *len)
{
	int before = r->n;
	uint8_t *copy;

	r->hold_to_listener = true;
	/* The frame arrives at the relay; the listener's side is pumped too. */
	for (int64_t end = ob_now_ms() + TU_WAIT_MS; r->n == before;) {
		assert_true(ob_now_ms() < end);
		relay_run(r, d->conn, l->conn, NULL, NULL, 5);
	}
	assert_int_equal(r->n, before + 1);
	assert_true(r->frames[before].to_listener && r->frames[before].held);
	*len = r->frames[before].len;
	copy = malloc(*len);
	assert_non_null(copy);
	memcpy(copy, r->frames[before].data, *len);
	r->hold_to_listener = false;
	return copy;
}

static void test_sealed_replay_reorder_tamper(void **state)
{
	char url_l[64], url_f[64];
	struct side l, d;
	struct relay r;
	struct box a, b, c;
	uint8_t *fa, *fb, *fc;
	size_t la, lb, lc;
	uint64_t dropped, id_a;
	const struct relay_frame *reply;

	(void)state;
	/* No heartbeats: every sealed frame is one the test made. */
	listen_side(&l, url_l, sizeof(url_l), af_key_a, false);
	tu_tcp_url(url_f, sizeof(url_f));
	relay_start(&r, url_f, url_l);
	dial_side(&d, url_f, af_key_a, false);
	call_ok(&r, &d, &l);
	assert_int_equal(l.requests, 1);

	/* Replay: the request frame again. */
	dropped = af_stats(&l).dropped;
	relay_inject(&r, true, relay_find(&r, true, 'D', 0)->data,
		     relay_find(&r, true, 'D', 0)->len);
	assert_true(wait_stat(&r, &d, &l, &l, DROPPED, dropped + 1));
	assert_int_equal(l.requests, 1);

	/* Replay toward the dialer: the reply again. */
	reply = relay_find(&r, false, 'D', 0);
	assert_non_null(reply);
	dropped = af_stats(&d).dropped;
	relay_inject(&r, false, reply->data, reply->len);
	assert_true(wait_stat(&r, &d, &l, &d, DROPPED, dropped + 1));
	assert_int_equal(af_stats(&d).unmatched, 0);

	/* Reorder: A then B sent, B then A delivered. B passes, A is late. */
	id_a = start_call(&d, &a);
	fa = hold_next(&r, &d, &l, &la);
	start_call(&d, &b);
	fb = hold_next(&r, &d, &l, &lb);
	dropped = af_stats(&l).dropped;
	relay_inject(&r, true, fb, lb);
	relay_inject(&r, true, fa, la);
	assert_true(af_run(&r, &d, &l, box_done, &b));
	assert_int_equal(b.status, 0);
	assert_true(wait_stat(&r, &d, &l, &l, DROPPED, dropped + 1));
	assert_int_equal(l.requests, 2);
	assert_false(a.done);
	assert_int_equal(ob_conn_cancel(d.conn, id_a), 0);

	/* Tamper: a flipped bit, then a truncated frame, are dropped and do
	 * not disturb the session: the genuine frame still passes. */
	start_call(&d, &c);
	fc = hold_next(&r, &d, &l, &lc);
	dropped = af_stats(&l).dropped;
	fc[lc - 1] ^= 0x01;
	relay_inject(&r, true, fc, lc);
	assert_true(wait_stat(&r, &d, &l, &l, DROPPED, dropped + 1));
	relay_inject(&r, true, fc, 20);
	assert_true(wait_stat(&r, &d, &l, &l, DROPPED, dropped + 2));
	fc[lc - 1] ^= 0x01;
	relay_inject(&r, true, fc, lc);
	assert_true(af_run(&r, &d, &l, box_done, &c));
	assert_int_equal(c.status, 0);
	assert_int_equal(l.requests, 3);
	assert_true(af_stats(&l).authenticated && af_stats(&d).authenticated);

	free(fa);
	free(fb);
	free(fc);
	close_side(&d);
	relay_stop(&r);
	close_side(&l);
}

static void test_replayed_handshake(void **state)
{
	char url_l[64], url_f[64];
	struct side l, d;
	struct relay r;
	uint8_t hello[36], proof[36];
	uint64_t est = 0;
	int raw;

	(void)state;
	listen_side(&l, url_l, sizeof(url_l), af_key_a, true);
	tu_tcp_url(url_f, sizeof(url_f));
	relay_start(&r, url_f, url_l);
	dial_side(&d, url_f, af_key_a, true);
	call_ok(&r, &d, &l);
	assert_int_equal(relay_find(&r, true, '1', 0)->len, sizeof(hello));
	memcpy(hello, relay_find(&r, true, '1', 0)->data, sizeof(hello));
	assert_int_equal(relay_find(&r, true, '3', 0)->len, sizeof(proof));
	memcpy(proof, relay_find(&r, true, '3', 0)->data, sizeof(proof));
	close_side(&d);
	relay_stop(&r);

	/* An eavesdropper replays the legitimate dialer's first frames. */
	raw = tu_raw_dial(url_l);
	for (int round = 1; round <= 2; round++) {
		int messages = l.messages;
		size_t len;
		uint8_t *got;

		/* Round 2 starts once the listener dropped round 1's
		 * connection and the raw peer came back. */
		raw_send_connected(raw, &est, &l, hello, sizeof(hello));
		got = tu_raw_recv(raw, l.conn, TU_WAIT_MS, &len);
		assert_non_null(got);
		/* A fresh challenge: nothing derived from the key. */
		assert_int_equal(len, 68);
		assert_memory_equal(got, "OBA2", 4);
		assert_memory_equal(got + 4, hello + 4, 32);
		nn_freemsg(got);
		tu_raw_send(raw, proof, sizeof(proof), l.conn);
		got = tu_raw_recv(raw, l.conn, TU_WAIT_MS, &len);
		assert_non_null(got);
		assert_int_equal(len, 4);
		assert_memory_equal(got, "OBAF", 4);
		nn_freemsg(got);
		assert_true(wait_stat(NULL, &l, NULL, &l, FAILURES, (uint64_t)round));
		assert_true(l.eacces >= round);
		assert_int_equal(l.messages, messages);
	}
	tu_raw_close(raw);
	assert_int_equal(af_stats(&l).sessions, 1);

	legit_peer_served(&l, url_l);
	close_side(&l);
}

static void test_network_drop(void **state)
{
	char url_l[64], url_f[64];
	struct side l, d;
	struct relay r;

	(void)state;
	listen_side(&l, url_l, sizeof(url_l), af_key_a, true);
	tu_tcp_url(url_f, sizeof(url_f));
	relay_start(&r, url_f, url_l);
	dial_side(&d, url_f, af_key_a, true);
	call_ok(&r, &d, &l);

	/* The path between them breaks and comes back. */
	relay_stop(&r);
	relay_start(&r, url_f, url_l);
	wait_sessions(&r, &d, &l, 2);
	call_ok(&r, &d, &l);
	assert_int_equal(l.errors + d.errors, 0);
	close_side(&d);
	relay_stop(&r);
	close_side(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_is_sealed),
		cmocka_unit_test(test_sealed_replay_reorder_tamper),
		cmocka_unit_test(test_replayed_handshake),
		cmocka_unit_test(test_network_drop),
	};

	return cmocka_run_group_tests(tests, af_group_setup, NULL);
}
