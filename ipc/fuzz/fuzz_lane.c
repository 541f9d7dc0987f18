/*
 * libFuzzer target: bytes from the fuzzer arrive on a request lane
 * (ob_conn_attach_lane), the lane's own framing (a 32-bit little-endian
 * length per frame: lengths over the limit, frames cut short, garbage
 * between) in front of the real receive path, as a local plugin or host
 * could send them.
 *
 * Input layout: byte 0 as fuzz_envelope's (bit 0: listening, bit 1: four
 * calls outstanding); the rest is written as it is into the other end of
 * the lane, which is then closed, so every input also ends the lane.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "outboard/ipc.h"
#include "outboard/log.h"
#include "fuzz_endpoint.h"

#define MAX_ROUNDS 64

static const char *url;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	url = obz_fuzz_endpoint("fuzz-lane");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ob_conn *conn;
	int sv[2];

	if (size < 1)
		return 0;
	conn = obz_fuzz_conn(url, data[0], "fuzz-lane");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
	    ob_conn_attach_lane(conn, sv[0]) < 0)
		abort();
	data++;
	size--;
	/* Write what the socket takes, let the connection read, repeat. */
	for (int round = 0; size > 0 && round < MAX_ROUNDS; round++) {
		ssize_t n = send(sv[1], data, size, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n > 0) {
			data += n;
			size -= (size_t)n;
		}
		ob_conn_process(conn);
	}
	close(sv[1]);
	for (int round = 0; ob_conn_has_lane(conn) && round < MAX_ROUNDS; round++)
		ob_conn_process(conn);
	if (ob_conn_has_lane(conn)) /* every lane ends at the end of its bytes */
		abort();
	ob_conn_close(conn, 0);
	return 0;
}
