/*
 * Seeds for fuzz_gdb: what gdb-multiarch sends when it connects, sets
 * points, steps and reads threads, framed with real checksums, plus bad
 * packets. The first byte picks the chunk size the target feeds.
 */
#include <stdio.h>
#include <string.h>

#include "seed.h"

static void packet(struct obz_seed *s, const char *body)
{
	unsigned sum = 0;
	char tail[4];
	for (const char *c = body; *c; c++)
		sum += (unsigned char)*c;
	obz_seed_bytes(s, "$", 1);
	obz_seed_bytes(s, body, strlen(body));
	snprintf(tail, sizeof(tail), "#%02x", sum & 0xff);
	obz_seed_bytes(s, tail, 3);
	obz_seed_bytes(s, "+", 1);
}

static const char *const connect_packets[] = {
	"qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;xmlRegisters=arm",
	"vMustReplyEmpty", "QStartNoAckMode", "Hgp0.0", "qXfer:features:read:target.xml:0,ffb",
	"qTStatus", "?", "qfThreadInfo", "qsThreadInfo", "qAttached", "Hc-1", "qC", "qOffsets",
	"g", "qXfer:threads:read::0,ffb", "m10000,40", "p10", "qSymbol::", NULL,
};

static const char *const debug_packets[] = {
	"Z0,10040,4", "Z0,10050,2", "vCont?", "vCont;c", "T2", "Hg2", "g", "qThreadExtraInfo,5",
	"z0,10040,4", "vCont;s:2;c", "Z2,10100,4", "Z3,10100,4", "Z4,10100,4", "z2,10100,4",
	"M10000,4:01020304", "X10000,3:a}]b", "P3=efbeadde", "G", "s", "c", "D", NULL,
};

static void transcript(const char *dir, const char *name, uint8_t first,
		       const char *const *packets)
{
	struct obz_seed s;
	obz_seed_start(&s, first);
	for (size_t i = 0; packets[i]; i++)
		packet(&s, packets[i]);
	obz_seed_write(&s, dir, "fuzz_gdb", name);
}

void obz_seeds_gdb(const char *dir)
{
	struct obz_seed s;
	transcript(dir, "connect", 63, connect_packets);
	transcript(dir, "connect-split", 2, connect_packets);
	transcript(dir, "debug", 63, debug_packets);
	/* Bad input: noise, bad checksums, a nack, an interrupt, a cut packet. */
	obz_seed_start(&s, 7);
	obz_seed_bytes(&s, "xx$g#00$g#zz-\x03+$m10000", 22);
	obz_seed_write(&s, dir, "fuzz_gdb", "bad");
}
