/*
 * Unit tests of the gdb stub's packet codec (src/gdb/packet.c) and its
 * command dispatcher (src/gdb/session.c, commands.c) against a fake
 * target (gdb_fake.c): framing, acks and retransmission, bad input, and
 * the answers to each command.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gdb/packet.h"
#include "gdb/session.h"
#include "gdb_fake.h"

static enum obg_event feed_str(struct obg_framer *f, const char *s)
{
	enum obg_event ev = OBG_EV_NONE;
	for (; *s; s++) {
		ev = obg_framer_feed(f, (uint8_t)*s);
		if (ev != OBG_EV_NONE && s[1])
			fail_msg("event %d before the end of \"%s\"", ev, s);
	}
	return ev;
}

static void test_framer(void **state)
{
	(void)state;
	static struct obg_framer f;
	obg_framer_reset(&f);
	assert_int_equal(feed_str(&f, "$g#67"), OBG_EV_PACKET);
	assert_string_equal(f.body, "g");
	assert_int_equal(feed_str(&f, "$g#00"), OBG_EV_BAD_CHECKSUM);
	assert_int_equal(feed_str(&f, "$g#zz"), OBG_EV_BAD_CHECKSUM);
	assert_int_equal(feed_str(&f, "+"), OBG_EV_ACK);
	assert_int_equal(feed_str(&f, "-"), OBG_EV_NACK);
	assert_int_equal(feed_str(&f, "\x03"), OBG_EV_INTERRUPT);
	/* Noise between packets is skipped and counted. */
	f.garbage = 0;
	assert_int_equal(feed_str(&f, "xyz$?#3f"), OBG_EV_PACKET);
	assert_string_equal(f.body, "?");
	assert_int_equal(f.garbage, 3);
	/* A '$' inside a packet starts over. */
	assert_int_equal(feed_str(&f, "$abc$g#67"), OBG_EV_PACKET);
	assert_string_equal(f.body, "g");
	/* Overlong: the checksum still has to match, the body is dropped. */
	obg_framer_feed(&f, '$');
	uint8_t sum = 0;
	for (int i = 0; i < OBG_PACKET_MAX + 10; i++) {
		assert_int_equal(obg_framer_feed(&f, 'a'), OBG_EV_NONE);
		sum = (uint8_t)(sum + 'a');
	}
	char cs[8];
	snprintf(cs, sizeof(cs), "#%02x", sum);
	assert_int_equal(feed_str(&f, cs), OBG_EV_OVERLONG);
	assert_true(f.len <= OBG_PACKET_MAX);
	/* A 0x03 inside a packet is data. */
	assert_int_equal(feed_str(&f, "$\x03#03"), OBG_EV_PACKET);
}

static void test_frame_and_escape(void **state)
{
	(void)state;
	char out[64];
	long n = obg_frame("OK", 2, out, sizeof(out));
	assert_int_equal(n, 6);
	assert_memory_equal(out, "$OK#9a", 6);
	/* $ # } * are escaped, and the checksum covers the escapes. */
	n = obg_frame("a$#}*", 5, out, sizeof(out));
	assert_true(n > 0);
	out[n] = '\0';
	assert_string_equal(out, "$a}\x04}\x03}]}\x0a#c3");
	static struct obg_framer f;
	obg_framer_reset(&f);
	assert_int_equal(feed_str(&f, out), OBG_EV_PACKET);
	long m = obg_unescape(f.body, f.len);
	assert_int_equal(m, 5);
	assert_memory_equal(f.body, "a$#}*", 5);
	assert_int_equal(obg_frame("OK", 2, out, 5), -ENOSPC);
	char bad[] = "ab}";
	assert_int_equal(obg_unescape(bad, 3), -EINVAL);
}

static void test_hex(void **state)
{
	(void)state;
	uint8_t b[3];
	char hex[7] = "";
	assert_int_equal(obg_hex_decode("00fFa5", 3, b), 0);
	assert_int_equal(b[1], 0xff);
	obg_hex_encode(b, 3, hex);
	assert_string_equal(hex, "00ffa5");
	assert_int_equal(obg_hex_decode("0g", 1, b), -EINVAL);
	const char *s = "1f,x", *e = s + strlen(s);
	uint32_t v;
	assert_int_equal(obg_parse_hex(&s, e, &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(*s, ',');
	s = "123456789";
	assert_int_equal(obg_parse_hex(&s, s + 9, &v), -EINVAL);
	s = ",";
	assert_int_equal(obg_parse_hex(&s, s + 1, &v), -EINVAL);
	s = "-1";
	assert_int_equal(obg_parse_tid(&s, s + 2, &v), 0);
	assert_int_equal(v, OBG_TID_ALL);
}

/* ---- the session ---- */

static struct gdb_fake fake;
static struct obg_session sess;

static int setup(void **state)
{
	(void)state;
	gdb_fake_init(&fake);
	obg_session_init(&sess, &gdb_fake_ops, &fake);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	obg_session_fini(&sess);
	return 0;
}

/* Send one packet; returns the action and leaves the reply body in *reply. */
static enum obg_action ask(const char *body, char *reply, size_t cap)
{
	/* Framed by hand, as gdb would: X bodies carry their own escapes. */
	char framed[OBG_PACKET_MAX * 2 + 8];
	uint8_t sum = 0;
	for (const char *c = body; *c; c++)
		sum = (uint8_t)(sum + (uint8_t)*c);
	int n = snprintf(framed, sizeof(framed), "$%s#%02x", body, sum);
	fake.out_len = 0;
	fake.out[0] = '\0';
	size_t used;
	bool intr = false;
	enum obg_action act = obg_session_feed(&sess, framed, (size_t)n, &used, &intr);
	assert_int_equal(used, n);
	reply[0] = '\0';
	const char *d = strchr(fake.out, '$'), *h = d ? strrchr(d, '#') : NULL;
	if (d && h) {
		size_t len = (size_t)(h - d - 1) < cap - 1 ? (size_t)(h - d - 1) : cap - 1;
		memcpy(reply, d + 1, len);
		reply[len] = '\0';
	}
	return act;
}

static char r[OBG_PACKET_MAX * 2];

static void test_registers(void **state)
{
	(void)state;
	ask("g", r, sizeof(r));
	assert_int_equal(strlen(r), OBG_NREGS * 8);
	assert_memory_equal(r, "00000000010000000200", 20); /* thread 1: r0=0, r1=1 */
	assert_memory_equal(r + 16 * 8, "10000000", 8);        /* cpsr slot */
	ask("Hg2", r, sizeof(r));
	assert_string_equal(r, "OK");
	ask("pf", r, sizeof(r));
	assert_string_equal(r, "0f010000"); /* thread 2's pc: 0x10f */
	ask("P3=efbeadde", r, sizeof(r));
	assert_string_equal(r, "OK");
	assert_int_equal(fake.regs[1][3], 0xdeadbeef);
	ask("p11", r, sizeof(r));
	assert_string_equal(r, "E02"); /* no register 17 */
	ask("Hg99", r, sizeof(r));
	assert_string_equal(r, "E03"); /* ESRCH */
	ask("P3=12", r, sizeof(r));
	assert_string_equal(r, "E16"); /* EINVAL */
	ask("G00", r, sizeof(r));
	assert_string_equal(r, "E16");
}

static void test_memory(void **state)
{
	(void)state;
	ask("m10000,4", r, sizeof(r));
	assert_string_equal(r, "00010203");
	ask("m0,4", r, sizeof(r));
	assert_string_equal(r, "E0e"); /* EFAULT */
	ask("m10ffe,8", r, sizeof(r));
	assert_string_equal(r, "feff"); /* up to the end of the memory */
	ask("M10000,2:abcd", r, sizeof(r));
	assert_string_equal(r, "OK");
	assert_int_equal(fake.mem[1], 0xcd);
	ask("M10000,2:abc", r, sizeof(r));
	assert_string_equal(r, "E16");
	/* X: binary, escaped: 0x7d ('}') goes as "}]". */
	char x[] = "X10004,3:a}]b";
	ask(x, r, sizeof(r));
	assert_string_equal(r, "OK");
	assert_memory_equal(fake.mem + 4, "a}b", 3);
	ask("X10004,5:ab", r, sizeof(r));
	assert_string_equal(r, "E16");
	ask("m0,0", r, sizeof(r)); /* zero bytes of unmapped memory (found by fuzz_gdb) */
	assert_string_equal(r, "");
	ask("mxyz", r, sizeof(r));
	assert_string_equal(r, "E16");
}

static void test_points(void **state)
{
	(void)state;
	ask("Z0,10040,2", r, sizeof(r));
	assert_string_equal(r, "OK");
	assert_int_equal(fake.points, 1);
	assert_int_equal(fake.last_kind, 2);
	ask("Z2,10100,4", r, sizeof(r));
	assert_int_equal(fake.last_type, OBG_WP_WRITE);
	ask("z0,10040,2", r, sizeof(r));
	assert_int_equal(fake.points, 1);
	ask("Z0,0,4", r, sizeof(r));
	assert_string_equal(r, "E0e");
	ask("Z9,10040,4", r, sizeof(r));
	assert_string_equal(r, ""); /* unsupported type */
	ask("Z0,10040", r, sizeof(r));
	assert_string_equal(r, "E16");
}

static void test_threads(void **state)
{
	(void)state;
	ask("qfThreadInfo", r, sizeof(r));
	assert_string_equal(r, "m1,2,5");
	ask("qsThreadInfo", r, sizeof(r));
	assert_string_equal(r, "l");
	ask("T5", r, sizeof(r));
	assert_string_equal(r, "OK");
	ask("T6", r, sizeof(r));
	assert_string_equal(r, "E03");
	ask("qThreadExtraInfo,2", r, sizeof(r));
	char want[64];
	obg_hex_encode("worker, ready", 13, want);
	want[26] = '\0';
	assert_string_equal(r, want);
	ask("qXfer:threads:read::0,fff", r, sizeof(r));
	assert_true(r[0] == 'l');
	assert_non_null(strstr(r, "<thread id=\"2\" name=\"worker\"/>"));
	assert_non_null(strstr(r, "name=\"a_b___c\"")); /* no markup from a name */
	/* Read in pieces: 'm' until the last. */
	ask("qXfer:threads:read::0,10", r, sizeof(r));
	assert_int_equal(r[0], 'm');
	assert_int_equal(strlen(r), 17);
	ask("qXfer:threads:read::fffff,10", r, sizeof(r));
	assert_string_equal(r, "l");
}

static void test_queries(void **state)
{
	(void)state;
	ask("qSupported:multiprocess+;swbreak+", r, sizeof(r));
	assert_non_null(strstr(r, "PacketSize=4000"));
	assert_non_null(strstr(r, "qXfer:features:read+"));
	ask("qXfer:features:read:target.xml:0,ffff", r, sizeof(r));
	assert_int_equal(r[0], 'l');
	assert_non_null(strstr(r, "org.gnu.gdb.arm.core"));
	ask("qXfer:features:read:other.xml:0,ffff", r, sizeof(r));
	assert_string_equal(r, "E02");
	ask("qOffsets", r, sizeof(r));
	assert_string_equal(r, "Text=1000;Data=1000;Bss=1000");
	ask("qC", r, sizeof(r));
	assert_string_equal(r, "QC1");
	ask("vMustReplyEmpty", r, sizeof(r));
	assert_string_equal(r, "");
	ask("?", r, sizeof(r));
	assert_string_equal(r, "S05");
	ask("", r, sizeof(r));
	assert_string_equal(r, "");
}

static void test_resume(void **state)
{
	(void)state;
	assert_int_equal(ask("vCont?", r, sizeof(r)), OBG_ACT_NONE);
	assert_string_equal(r, "vCont;c;C;s;S");
	/* Resuming is answered later, by the stop reply: no reply now. */
	assert_int_equal(ask("vCont;c", r, sizeof(r)), OBG_ACT_CONTINUE);
	assert_string_equal(r, "");
	assert_int_equal(ask("vCont;s:5;c", r, sizeof(r)), OBG_ACT_STEP);
	assert_int_equal(sess.step_tid, 5);
	assert_int_equal(ask("c", r, sizeof(r)), OBG_ACT_CONTINUE);
	ask("Hc2", r, sizeof(r));
	assert_int_equal(ask("s", r, sizeof(r)), OBG_ACT_STEP);
	assert_int_equal(sess.step_tid, 2);
	assert_int_equal(ask("vCont;x", r, sizeof(r)), OBG_ACT_NONE);
	assert_string_equal(r, "E16");
	assert_int_equal(ask("c10000", r, sizeof(r)), OBG_ACT_NONE);
	assert_int_equal(ask("D", r, sizeof(r)), OBG_ACT_DETACH);
	assert_string_equal(r, "OK");
	assert_int_equal(ask("vKill;1", r, sizeof(r)), OBG_ACT_KILL);
	assert_int_equal(ask("k", r, sizeof(r)), OBG_ACT_KILL);
}

static void test_acks(void **state)
{
	(void)state;
	size_t used;
	bool intr = false;
	/* A bad checksum is nacked; a nack resends our last packet. */
	fake.out_len = 0;
	obg_session_feed(&sess, "$g#00", 5, &used, &intr);
	assert_string_equal(fake.out, "-");
	ask("qC", r, sizeof(r));
	fake.out_len = 0;
	obg_session_feed(&sess, "-", 1, &used, &intr);
	assert_string_equal(fake.out, "$QC1#c5");
	/* 0x03 is reported, and the rest of the bytes still handled. */
	fake.out_len = 0;
	obg_session_feed(&sess, "\x03$qC#b4", 7, &used, &intr);
	assert_true(intr);
	assert_string_equal(fake.out, "+$QC1#c5");
	/* No-ack mode: its own OK is still acked, nothing after. */
	ask("QStartNoAckMode", r, sizeof(r));
	assert_string_equal(fake.out, "+$OK#9a");
	ask("qC", r, sizeof(r));
	assert_string_equal(fake.out, "$QC1#c5");
	/* A failing send closes the session. */
	fake.send_fails = true;
	assert_int_equal(ask("qC", r, sizeof(r)), OBG_ACT_CLOSE);
	/* A packet that asks to resume stops the feed there. */
	fake.send_fails = false;
	const char two[] = "$c#63$g#67";
	assert_int_equal(obg_session_feed(&sess, two, sizeof(two) - 1, &used, &intr),
			 OBG_ACT_CONTINUE);
	assert_int_equal(used, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framer),
		cmocka_unit_test(test_frame_and_escape),
		cmocka_unit_test(test_hex),
		cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
