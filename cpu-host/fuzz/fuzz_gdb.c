/*
 * libFuzzer target for the gdb stub's packet decoder and command
 * dispatcher: the input is a byte stream from a "client" (packets, acks,
 * 0x03, noise), fed to a session over the fake target of the unit tests
 * (cpu-host/tests/gdb_fake.c) in chunks whose sizes the first byte picks,
 * so packets split across reads are covered. A crash, a sanitizer report,
 * a reply that is not a well-formed packet, or memory written outside the
 * fake's range is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gdb/session.h"
#include "gdb_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every '$' the session sent starts a packet with a valid checksum. */
static void check_output(const struct gdb_fake *f)
{
	const char *p = f->out, *end = f->out + f->out_len;
	while ((p = memchr(p, '$', (size_t)(end - p))) != NULL) {
		const char *h = memchr(p, '#', (size_t)(end - p));
		if (!h || end - h < 3)
			abort();
		uint8_t sum = 0;
		for (const char *c = p + 1; c < h; c++)
			sum = (uint8_t)(sum + (uint8_t)*c);
		char cs[3] = { h[1], h[2], 0 };
		if (strtoul(cs, NULL, 16) != sum)
			abort();
		p = h + 3;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gdb_fake fake;
	static struct obg_session s;
	if (size < 1)
		return 0;
	size_t chunk = (size_t)(data[0] % 64) + 1;
	gdb_fake_init(&fake);
	obg_session_init(&s, &gdb_fake_ops, &fake);
	for (size_t off = 1; off < size;) {
		size_t n = size - off < chunk ? size - off : chunk, used = 0;
		bool intr = false;
		enum obg_action act = obg_session_feed(&s, data + off, n, &used, &intr);
		if (used == 0 || used > n)
			abort();
		off += used;
		if (act == OBG_ACT_CLOSE)
			break;
		/* A resume would be answered by a stop reply: send one, as the host does. */
		if (act == OBG_ACT_CONTINUE || act == OBG_ACT_STEP)
			obg_session_stop_reply(&s, "T05thread:1;");
	}
	check_output(&fake);
	obg_session_fini(&s);
	return 0;
}
