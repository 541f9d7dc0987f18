/*
 * The gdb command dispatcher: one switch over the packet's first letter
 * (and, for q/Q/v packets, its name) to small handle_* functions. Each
 * handler writes its answer into a reply buffer, or returns -errno, and
 * one reply path (do_reply) puts either on the wire: errors as "E" plus
 * two hex digits, unsupported packets as the empty reply the protocol
 * asks for.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

/* Largest reply body we build (the 'm' of PacketSize/2 bytes fits). */
#define REPLY_MAX (OBG_PACKET_MAX + 64)
#define MAX_THREADS 1024

/* The target description: ARM core registers, numbered as in 'g'. */
static const char target_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	"<target version=\"1.0\">\n"
	"  <architecture>arm</architecture>\n"
	"  <feature name=\"org.gnu.gdb.arm.core\">\n"
	"    <reg name=\"r0\" bitsize=\"32\" regnum=\"0\"/>\n"
	"    <reg name=\"r1\" bitsize=\"32\"/>\n"
	"    <reg name=\"r2\" bitsize=\"32\"/>\n"
	"    <reg name=\"r3\" bitsize=\"32\"/>\n"
	"    <reg name=\"r4\" bitsize=\"32\"/>\n"
	"    <reg name=\"r5\" bitsize=\"32\"/>\n"
	"    <reg name=\"r6\" bitsize=\"32\"/>\n"
	"    <reg name=\"r7\" bitsize=\"32\"/>\n"
	"    <reg name=\"r8\" bitsize=\"32\"/>\n"
	"    <reg name=\"r9\" bitsize=\"32\"/>\n"
	"    <reg name=\"r10\" bitsize=\"32\"/>\n"
	"    <reg name=\"r11\" bitsize=\"32\"/>\n"
	"    <reg name=\"r12\" bitsize=\"32\"/>\n"
	"    <reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
	"    <reg name=\"lr\" bitsize=\"32\"/>\n"
	"    <reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/>\n"
	"    <reg name=\"cpsr\" bitsize=\"32\" regnum=\"16\"/>\n"
	"  </feature>\n"
	"</target>\n";

struct reply {
	char buf[REPLY_MAX];
	size_t len;
};

static void put(struct reply *r, const char *s)
{
	size_t n = strlen(s);
	if (n > sizeof(r->buf) - r->len)
		n = sizeof(r->buf) - r->len;
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

static void putf(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct reply *r, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(r, tmp);
}

static void put_hex(struct reply *r, const void *data, size_t len)
{
	if (2 * len > sizeof(r->buf) - r->len)
		len = (sizeof(r->buf) - r->len) / 2;
	obg_hex_encode(data, len, r->buf + r->len);
	r->len += 2 * len;
}

static void put_le32(struct reply *r, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	put_hex(r, b, 4);
}

/* The thread registers and memory go to: Hg's, or the first live one. */
static uint32_t g_thread(struct obg_session *s)
{
	uint32_t ids[1];
	if (s->g_tid && s->g_tid != OBG_TID_ALL)
		return s->g_tid;
	return s->ops->threads(s->ctx, ids, 1) > 0 ? ids[0] : 0;
}

/* "addr,len" at *p. */
static int parse_addr_len(const char **p, const char *end, uint32_t *addr, uint32_t *len)
{
	if (obg_parse_hex(p, end, addr) || *p >= end || *(*p)++ != ',' ||
	    obg_parse_hex(p, end, len))
		return -EINVAL;
	return 0;
}

/* ---- registers ---- */

static int handle_read_regs(struct obg_session *s, struct reply *r)
{
	uint32_t regs[OBG_NREGS];
	int err = s->ops->read_regs(s->ctx, g_thread(s), regs);
	if (err)
		return err;
	for (int i = 0; i < OBG_NREGS; i++)
		put_le32(r, regs[i]);
	return 0;
}

static int handle_write_regs(struct obg_session *s, const char *p, size_t len, struct reply *r)
{
	uint8_t b[OBG_NREGS * 4];
	if (len != 2 * sizeof(b) || obg_hex_decode(p, sizeof(b), b))
		return -EINVAL;
	uint32_t tid = g_thread(s);
	for (int i = 0; i < OBG_NREGS; i++) {
		uint32_t v = b[4 * i] | b[4 * i + 1] << 8 | b[4 * i + 2] << 16 |
			     (uint32_t)b[4 * i + 3] << 24;
		int err = s->ops->write_reg(s->ctx, tid, i, v);
		if (err)
			return err;
	}
	put(r, "OK");
	return 0;
}

static int handle_read_reg(struct obg_session *s, const char *p, const char *end,
			   struct reply *r)
{
	uint32_t n, regs[OBG_NREGS];
	if (obg_parse_hex(&p, end, &n) || p != end)
		return -EINVAL;
	if (n >= OBG_NREGS)
		return -ENOENT;
	int err = s->ops->read_regs(s->ctx, g_thread(s), regs);
	if (err)
		return err;
	put_le32(r, regs[n]);
	return 0;
}

static int handle_write_reg(struct obg_session *s, const char *p, const char *end,
			    struct reply *r)
{
	uint32_t n;
	uint8_t b[4];
	if (obg_parse_hex(&p, end, &n) || p >= end || *p++ != '=' || end - p != 8 ||
	    obg_hex_decode(p, 4, b))
		return -EINVAL;
	if (n >= OBG_NREGS)
		return -ENOENT;
	int err = s->ops->write_reg(s->ctx, g_thread(s), (int)n,
				    b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24);
	if (!err)
		put(r, "OK");
	return err;
}

/* ---- memory ---- */

static int handle_read_mem(struct obg_session *s, const char *p, const char *end,
			   struct reply *r)
{
	uint32_t addr, len;
	if (parse_addr_len(&p, end, &addr, &len) || p != end)
		return -EINVAL;
	if (len > OBG_PACKET_MAX / 2)
		len = OBG_PACKET_MAX / 2; /* gdb asks again for the rest */
	uint8_t buf[OBG_PACKET_MAX / 2];
	if (len == 0)
		return 0; /* nothing asked: the empty answer, mapped or not */
	long got = s->ops->read_mem(s->ctx, addr, buf, len);
	if (got <= 0 || got > (long)len)
		return -EFAULT;
	put_hex(r, buf, (size_t)got);
	return 0;
}

static int handle_write_mem(struct obg_session *s, char *p, char *end, bool binary,
			    struct reply *r)
{
	uint32_t addr, len;
	const char *q = p;
	if (parse_addr_len(&q, end, &addr, &len) || q >= end || *q != ':')
		return -EINVAL;
	char *data = p + (q - p) + 1;
	size_t have = (size_t)(end - data);
	uint8_t buf[OBG_PACKET_MAX];
	if (binary) {
		long n = obg_unescape(data, have);
		if (n < 0 || (size_t)n != len)
			return -EINVAL;
		memcpy(buf, data, len);
	} else if (have != 2 * (size_t)len || len > sizeof(buf) || obg_hex_decode(data, len, buf)) {
		return -EINVAL;
	}
	if (len) {
		int err = s->ops->write_mem(s->ctx, addr, buf, len);
		if (err)
			return err;
	}
	put(r, "OK");
	return 0;
}

/* ---- break and watchpoints ---- */

static int handle_point(struct obg_session *s, const char *p, const char *end, bool insert,
			struct reply *r)
{
	uint32_t type, addr, kind;
	if (obg_parse_hex(&p, end, &type) || p >= end || *p++ != ',' ||
	    parse_addr_len(&p, end, &addr, &kind))
		return -EINVAL;
	/* Conditions and commands after ';' (evaluated by gdb itself here). */
	if (p != end && *p != ';')
		return -EINVAL;
	if (type > OBG_WP_ACCESS) {
		r->len = 0; /* unsupported type: the empty reply */
		return 0;
	}
	int err = s->ops->point(s->ctx, (enum obg_point)type, addr, kind, insert);
	if (!err)
		put(r, "OK");
	return err;
}

/* ---- threads ---- */

static int handle_thread_select(struct obg_session *s, const char *p, const char *end,
				struct reply *r)
{
	if (p >= end)
		return -EINVAL;
	char which = *p++;
	uint32_t tid;
	if (obg_parse_tid(&p, end, &tid) || p != end)
		return -EINVAL;
	uint32_t regs[OBG_NREGS];
	if (tid != 0 && tid != OBG_TID_ALL && s->ops->read_regs(s->ctx, tid, regs))
		return -ESRCH;
	if (which == 'g')
		s->g_tid = tid;
	else if (which == 'c')
		s->c_tid = tid;
	else
		return -EINVAL;
	put(r, "OK");
	return 0;
}

static int handle_thread_alive(struct obg_session *s, const char *p, const char *end,
			       struct reply *r)
{
	uint32_t tid, regs[OBG_NREGS];
	if (obg_parse_tid(&p, end, &tid) || p != end)
		return -EINVAL;
	if (s->ops->read_regs(s->ctx, tid, regs))
		return -ESRCH;
	put(r, "OK");
	return 0;
}

static void put_thread_list(struct obg_session *s, struct reply *r)
{
	static uint32_t ids[MAX_THREADS];
	int n = s->ops->threads(s->ctx, ids, MAX_THREADS);
	put(r, "m");
	for (int i = 0; i < n; i++)
		putf(r, "%s%x", i ? "," : "", ids[i]);
}

/* The XML every qXfer:threads:read chunk is cut from. */
static size_t threads_xml(struct obg_session *s, char *out, size_t cap)
{
	static uint32_t ids[MAX_THREADS];
	int n = s->ops->threads(s->ctx, ids, MAX_THREADS);
	size_t k = (size_t)snprintf(out, cap, "<?xml version=\"1.0\"?>\n<threads>\n");
	for (int i = 0; i < n && k < cap; i++) {
		char name[64] = "";
		s->ops->thread_name(s->ctx, ids[i], name, sizeof(name));
		for (char *c = name; *c; c++) /* names are symbols; keep the XML well-formed */
			if (*c == '<' || *c == '>' || *c == '&' || *c == '"')
				*c = '_';
		k += (size_t)snprintf(out + k, cap - k, "<thread id=\"%x\" name=\"%s\"/>\n",
				      ids[i], name);
	}
	if (k < cap)
		k += (size_t)snprintf(out + k, cap - k, "</threads>\n");
	return k < cap ? k : cap - 1;
}

static int handle_extra_info(struct obg_session *s, const char *p, const char *end,
			     struct reply *r)
{
	uint32_t tid;
	char name[64] = "", state[96] = "", text[200];
	if (obg_parse_tid(&p, end, &tid) || p != end)
		return -EINVAL;
	if (s->ops->thread_name(s->ctx, tid, name, sizeof(name)) ||
	    s->ops->thread_state(s->ctx, tid, state, sizeof(state)))
		return -ESRCH;
	int n = snprintf(text, sizeof(text), "%s, %s", name, state);
	put_hex(r, text, (size_t)(n < (int)sizeof(text) ? n : (int)sizeof(text) - 1));
	return 0;
}

/* qXfer:OBJECT:read:ANNEX:offset,length */
static int handle_xfer(struct obg_session *s, const char *p, const char *end, struct reply *r)
{
	static char doc[MAX_THREADS * 64 + 64];
	const char *data;
	size_t size;
	if (end - p >= 25 && !strncmp(p, "features:read:target.xml:", 25)) {
		p += 25;
		data = target_xml;
		size = sizeof(target_xml) - 1;
	} else if (!strncmp(p, "features:read:", 14)) {
		return -ENOENT; /* another annex: there is only target.xml */
	} else if (end - p >= 14 && !strncmp(p, "threads:read::", 14)) {
		p += 14;
		size = threads_xml(s, doc, sizeof(doc));
		data = doc;
	} else {
		r->len = 0; /* an object we do not serve */
		return 0;
	}
	uint32_t off, len;
	if (parse_addr_len(&p, end, &off, &len) || p != end)
		return -EINVAL;
	if (len > OBG_PACKET_MAX / 2)
		len = OBG_PACKET_MAX / 2;
	if (off >= size) {
		put(r, "l");
		return 0;
	}
	size_t n = size - off < len ? size - off : len;
	put(r, off + n >= size ? "l" : "m");
	memcpy(r->buf + r->len, data + off, n); /* escaped by the framer */
	r->len += n;
	return 0;
}

static int handle_query(struct obg_session *s, char *p, char *end, struct reply *r)
{
	if (!strncmp(p, "Supported", 9)) {
		putf(r, "PacketSize=%x;qXfer:features:read+;qXfer:threads:read+;"
			"QStartNoAckMode+;vContSupported+", OBG_PACKET_MAX);
	} else if (!strcmp(p, "C")) {
		putf(r, "QC%x", g_thread(s));
	} else if (!strcmp(p, "fThreadInfo")) {
		put_thread_list(s, r);
	} else if (!strcmp(p, "sThreadInfo")) {
		put(r, "l"); /* every thread went in the first answer */
	} else if (!strncmp(p, "ThreadExtraInfo,", 16)) {
		return handle_extra_info(s, p + 16, end, r);
	} else if (!strncmp(p, "Xfer:", 5)) {
		return handle_xfer(s, p + 5, end, r);
	} else if (!strncmp(p, "Attached", 8)) {
		put(r, "0"); /* we started the program: quitting gdb kills it, as with qemu -g */
	} else if (!strcmp(p, "Offsets")) {
		uint32_t b = s->ops->load_bias(s->ctx);
		putf(r, "Text=%x;Data=%x;Bss=%x", b, b, b);
	} else if (!strncmp(p, "Symbol:", 7)) {
		put(r, "OK"); /* no symbols wanted */
	}
	return 0; /* anything else: the empty reply, "not supported" */
}

/* ---- resuming ---- */

/* vCont;ACTION[:tid];... In all-stop mode one step action picks the
 * stepping thread; every other thread continues. */
static enum obg_action handle_vcont(struct obg_session *s, const char *p, const char *end,
				    int *err)
{
	enum obg_action act = OBG_ACT_NONE;
	while (p < end && *p == ';') {
		p++;
		if (p >= end)
			break;
		char a = *p++;
		uint32_t sig, tid = OBG_TID_ALL;
		if ((a == 'C' || a == 'S') && obg_parse_hex(&p, end, &sig))
			break;
		if (p < end && *p == ':') {
			p++;
			if (obg_parse_tid(&p, end, &tid))
				break;
		}
		if ((a == 's' || a == 'S') && act != OBG_ACT_STEP) {
			act = OBG_ACT_STEP;
			s->step_tid = tid == OBG_TID_ALL || tid == 0 ? g_thread(s) : tid;
		} else if (a == 'c' || a == 'C') {
			if (act == OBG_ACT_NONE)
				act = OBG_ACT_CONTINUE;
		} else if (a != 's' && a != 'S') {
			break; /* 't', 'r' and the like: not announced, refused */
		}
	}
	if (p != end || act == OBG_ACT_NONE)
		*err = -EINVAL;
	return act;
}

static int handle_v(struct obg_session *s, char *p, char *end, struct reply *r,
		    enum obg_action *act)
{
	int err = 0;
	if (!strcmp(p, "Cont?")) {
		put(r, "vCont;c;C;s;S");
	} else if (!strncmp(p, "Cont;", 5) || !strcmp(p, "Cont")) {
		*act = handle_vcont(s, p + 4, end, &err);
		return err;
	} else if (!strncmp(p, "Kill", 4)) {
		put(r, "OK");
		*act = OBG_ACT_KILL;
	}
	/* vMustReplyEmpty, vFile, vRun...: the empty reply. */
	return 0;
}

static enum obg_action resume_legacy(struct obg_session *s, char cmd, const char *p,
				     const char *end, int *err)
{
	uint32_t v;
	if (cmd == 'C' || cmd == 'S') { /* signal to deliver: guests have none; ignored */
		if (obg_parse_hex(&p, end, &v)) {
			*err = -EINVAL;
			return OBG_ACT_NONE;
		}
		if (p < end && *p == ';')
			p++;
	}
	if (p != end) { /* resuming at an address: not supported by gdb any more */
		*err = -EINVAL;
		return OBG_ACT_NONE;
	}
	if (cmd == 's' || cmd == 'S') {
		s->step_tid = s->c_tid && s->c_tid != OBG_TID_ALL ? s->c_tid : g_thread(s);
		return OBG_ACT_STEP;
	}
	return OBG_ACT_CONTINUE;
}

/* ---- the dispatch switch and the one reply path ---- */

static int do_reply(struct obg_session *s, struct reply *r, int err)
{
	if (err) {
		char e[4];
		int code = -err;
		snprintf(e, sizeof(e), "E%02x", code > 0 && code < 256 ? code : 1);
		return obg_session_send(s, e, 3);
	}
	return obg_session_send(s, r->buf, r->len);
}

enum obg_action obg_session_packet(struct obg_session *s, char *body, size_t len)
{
	static struct reply r; /* one session at a time on the host thread */
	char *p = body + 1, *end = body + len;
	enum obg_action act = OBG_ACT_NONE;
	int err = 0;
	r.len = 0;
	if (!len)
		return do_reply(s, &r, 0) ? OBG_ACT_CLOSE : OBG_ACT_NONE;
	switch (body[0]) {
	case '?':
		put(&r, s->last_stop);
		break;
	case 'g': err = handle_read_regs(s, &r); break;
	case 'G': err = handle_write_regs(s, p, (size_t)(end - p), &r); break;
	case 'p': err = handle_read_reg(s, p, end, &r); break;
	case 'P': err = handle_write_reg(s, p, end, &r); break;
	case 'm': err = handle_read_mem(s, p, end, &r); break;
	case 'M': err = handle_write_mem(s, p, end, false, &r); break;
	case 'X': err = handle_write_mem(s, p, end, true, &r); break;
	case 'Z': err = handle_point(s, p, end, true, &r); break;
	case 'z': err = handle_point(s, p, end, false, &r); break;
	case 'H': err = handle_thread_select(s, p, end, &r); break;
	case 'T': err = handle_thread_alive(s, p, end, &r); break;
	case 'q': err = handle_query(s, p, end, &r); break;
	case 'Q':
		if (!strcmp(p, "StartNoAckMode")) {
			put(&r, "OK");
			err = do_reply(s, &r, 0); /* this OK is still acked */
			s->no_ack = true;
			return err ? OBG_ACT_CLOSE : OBG_ACT_NONE;
		}
		break;
	case 'v': err = handle_v(s, p, end, &r, &act); break;
	case 'c': case 'C': case 's': case 'S':
		act = resume_legacy(s, body[0], p, end, &err);
		break;
	case 'D':
		put(&r, "OK");
		act = OBG_ACT_DETACH;
		break;
	case 'k':
		return OBG_ACT_KILL; /* no reply: gdb does not wait for one */
	default:
		break; /* unknown: the empty reply */
	}
	/* A resume is answered later, by the stop reply. */
	if (!err && (act == OBG_ACT_CONTINUE || act == OBG_ACT_STEP))
		return act;
	if (do_reply(s, &r, err))
		return OBG_ACT_CLOSE;
	return err ? OBG_ACT_NONE : act;
}
