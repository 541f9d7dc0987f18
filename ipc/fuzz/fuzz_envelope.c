/*
 * libFuzzer target: frames from the fuzzer go through ob_conn_inject, the
 * real receive path (size check, unpack, validity, dispatch, Hello check,
 * reply matching, Ping answers), on a connection with every callback set.
 *
 * Input layout: byte 0 picks the side (bit 0: listening, which answers bad
 * Hellos) and whether calls are outstanding (bit 1); the rest is a sequence
 * of frames, each a 16-bit little-endian length and that many bytes (a
 * short tail is one last frame). A fresh connection per input keeps call
 * ids 1..OBZ_FUZZ_CALLS (fuzz_endpoint.h), so the fuzzer can find replies
 * that match.
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

static const char *url;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	url = obz_fuzz_endpoint("fuzz-envelope");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ob_conn *conn;

	if (size < 1)
		return 0;
	conn = obz_fuzz_conn(url, data[0], "fuzz");
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
