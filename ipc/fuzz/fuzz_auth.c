/*
 * libFuzzer target for the authentication layer (src/auth.c, src/seal.c):
 * frames go through ob_conn_inject into a connection that has a key.
 *
 * Frames as they come cannot pass the handshake (the listener's nonce is
 * new every time), so the harness can also play the legitimate peer: it
 * knows the key, reads the connection's nonces from its private state,
 * completes the handshake, and seals the fuzzer's frames with the peer's
 * session keys, so that they reach the counter checks and the envelope
 * decoder behind them.
 *
 * Input layout: byte 0: bit 0 listening side; bit 1 complete the handshake
 * first; bit 2 queue calls. Then frames, each a kind byte (bit 0: seal it
 * with the peer's session; bit 1: reuse the previous counter, a replay), a
 * 16-bit little-endian length and that many bytes (a short tail is one
 * last frame).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "fuzz_endpoint.h"
#include "ipc_impl.h"

static const char *url;
static const uint8_t key[OB_KEY_BYTES] = { 0x6f, 0x62, 0x21 };
static unsigned sink;

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	(void)arg;
	sink += (unsigned)status + (reply ? (unsigned)reply->status : 0);
}

static void on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	(void)arg;
	(void)conn;
	sink += (unsigned)env->body_case;
}

static void on_error(void *arg, ob_conn *conn, int err, const char *what)
{
	(void)arg;
	(void)conn;
	sink += (unsigned)err + (unsigned)strlen(what);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	url = obz_fuzz_endpoint("fuzz-auth");
	return 0;
}

static void inject_tagged(ob_conn *c, char type, const uint8_t *a, const uint8_t *b)
{
	uint8_t frame[OBI_CHALLENGE_LEN];
	size_t len = OBI_TAG_LEN;

	memcpy(frame, "OBA", 3);
	frame[3] = (uint8_t)type;
	memcpy(frame + len, a, 32);
	len += 32;
	if (b) {
		memcpy(frame + len, b, 32);
		len += 32;
	}
	ob_conn_inject(c, frame, len);
}

/* Play the legitimate peer through the handshake; fill its session. */
static void handshake(ob_conn *c, struct obi_session *peer)
{
	struct obi_keys k;
	uint8_t cn[OBI_NONCE_LEN] = { 1 }, sn[OBI_NONCE_LEN] = { 2 }, mac[OBI_MAC_LEN];

	obi_keys_derive(&k, key);
	if (c->listening) {
		inject_tagged(c, OBI_TAG_HELLO, cn, NULL);
		memcpy(sn, c->auth.server_nonce, sizeof(sn));
		obi_proof(&k, OBI_ROLE_DIALER, cn, sn, mac);
		obi_session_derive(peer, &k, OBI_ROLE_DIALER, cn, sn);
		inject_tagged(c, OBI_TAG_PROOF, mac, NULL);
	} else {
		ob_conn_process(c); /* sends (queues) the Hello */
		memcpy(cn, c->auth.client_nonce, sizeof(cn));
		inject_tagged(c, OBI_TAG_CHALLENGE, cn, sn);
		obi_proof(&k, OBI_ROLE_LISTENER, cn, sn, mac);
		obi_session_derive(peer, &k, OBI_ROLE_LISTENER, cn, sn);
		inject_tagged(c, OBI_TAG_ACCEPT, mac, NULL);
	}
	if (c->auth.state != OBI_AUTH_READY)
		abort(); /* the harness's handshake must succeed */
}

static void make_calls(ob_conn *conn)
{
	for (int i = 0; i < 3; i++) {
		Ob__Request req = OB__REQUEST__INIT;
		Ob__FsRead rd = OB__FS_READ__INIT;

		req.call_case = OB__REQUEST__CALL_FS_READ;
		req.fs_read = &rd;
		ob_conn_call(conn, &req, on_reply, NULL, NULL);
	}
}

static void inject_sealed(ob_conn *c, struct obi_session *peer, const uint8_t *data,
			  size_t len, bool replay)
{
	uint8_t *sealed = malloc(len + OBI_SEAL_OVERHEAD);

	if (!sealed)
		abort();
	if (replay && peer->tx_counter > 0)
		peer->tx_counter--;
	if (obi_seal(peer, data, len, sealed) == 0)
		ob_conn_inject(c, sealed, len + OBI_SEAL_OVERHEAD);
	free(sealed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ob_conn_callbacks cbs = {
		.on_message = on_message, .on_error = on_error,
	};
	struct ob_conn_opts opts = {
		.name = "fuzz", .max_message = 4096, .sendq_max = 64, .no_heartbeat = true,
		.key = key,
	};
	struct obi_session peer = { 0 };
	ob_conn *conn;
	bool ready = false;

	if (size < 1)
		return 0;
	if (((data[0] & 1) ? ob_conn_listen(url, &opts, &cbs, NULL, &conn)
			   : ob_conn_dial(url, &opts, &cbs, NULL, &conn)) < 0)
		abort();
	if (data[0] & 2) {
		handshake(conn, &peer);
		ready = true;
	}
	if (data[0] & 4)
		make_calls(conn);
	data++;
	size--;
	while (size > 0) {
		uint8_t kind = data[0];
		size_t hdr = size >= 3 ? 3 : size, len;

		len = size >= 3 ? (size_t)(data[1] | data[2] << 8) : 0;
		if (len > size - hdr)
			len = size - hdr;
		if (ready && (kind & 1))
			inject_sealed(conn, &peer, data + hdr, len, kind & 2);
		else
			ob_conn_inject(conn, data + hdr, len);
		data += hdr + len;
		size -= hdr + len;
	}
	sodium_memzero(&peer, sizeof(peer));
	ob_conn_close(conn, 0);
	return 0;
}
