/*
 * libFuzzer target: frames from the fuzzer go through ob_conn_inject, the
 * real receive path (size check, unpack, validity, dispatch, Hello check,
 * reply matching, Ping answers), on a connection with every callback set.
 *
 * Input layout: byte 0 picks the side (bit 0: listening, which answers bad
 * Hellos) and whether calls are outstanding (bit 1); the rest is a sequence
 * of frames, each a 16-bit little-endian length and that many bytes (a
 * short tail is one last frame). A fresh connection per input keeps call
 * ids 1..N_CALLS, so the fuzzer can find replies that match.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outboard/ipc.h"
#include "outboard/log.h"
#include "fuzz_endpoint.h"

#define N_CALLS 4

static const char *url;
static unsigned completed;

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	(void)arg;
	/* Touch what a real caller reads, so the sanitizers see bad data. */
	if (reply && reply->result_case == OB__REPLY__RESULT_FS_READ && reply->fs_read)
		completed += (unsigned)reply->fs_read->buf.len;
	completed += (unsigned)status;
}

static void on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	(void)arg;
	(void)conn;
	if (env->body_case == OB__ENVELOPE__BODY_HELLO)
		completed += (unsigned)strlen(env->hello->role);
}

static void on_state(void *arg, ob_conn *conn, bool up)
{
	(void)arg;
	(void)conn;
	completed += up;
}

static void on_error(void *arg, ob_conn *conn, int err, const char *what)
{
	(void)arg;
	(void)conn;
	completed += (unsigned)err + (unsigned)strlen(what);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	url = obz_fuzz_endpoint("fuzz-envelope");
	return 0;
}

static void make_calls(ob_conn *conn)
{
	for (int i = 0; i < N_CALLS; i++) {
		Ob__Request req = OB__REQUEST__INIT;
		Ob__FsRead rd = OB__FS_READ__INIT;

		req.call_case = OB__REQUEST__CALL_FS_READ;
		req.fs_read = &rd;
		req.deadline_ms = i == 0 ? 1 : 0;
		ob_conn_call(conn, &req, on_reply, NULL, NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ob_conn_callbacks cbs = {
		.on_message = on_message, .on_state = on_state, .on_error = on_error,
	};
	struct ob_conn_opts opts = {
		.name = "fuzz", .max_message = 4096, .sendq_max = 64, .no_heartbeat = true,
	};
	ob_conn *conn;
	int rc;

	if (size < 1)
		return 0;
	rc = (data[0] & 1) ? ob_conn_listen(url, &opts, &cbs, NULL, &conn)
			   : ob_conn_dial(url, &opts, &cbs, NULL, &conn);
	if (rc < 0)
		abort();
	if (data[0] & 2)
		make_calls(conn);
	data++;
	size--;
	while (size > 0) {
		size_t len = size >= 2 ? (size_t)(data[0] | data[1] << 8) : size;
		size_t skip = size >= 2 ? 2 : 0;

		if (len > size - skip)
			len = size - skip;
		ob_conn_inject(conn, data + skip, len);
		data += skip + len;
		size -= skip + len;
	}
	ob_conn_close(conn, 0);
	return 0;
}
