/*
 * The GDB remote serial protocol's framing: $data#cs packets, +/- acks,
 * the 0x03 interrupt byte, and the hex and binary encodings inside packets.
 *
 * No Debian library implements the gdb remote protocol (gdbserver is a
 * program, not a library), so the framer is written here. It is pure: no
 * sockets, no engine, so the unit tests and the fuzzer (cpu-host/fuzz/
 * fuzz_gdb.c) drive it byte by byte. Input is untrusted: every length is
 * bounded by OBG_PACKET_MAX and nothing is ever read past a buffer.
 *
 * Names: obg_ is private to the CPU host's gdb stub.
 */
#ifndef OBG_PACKET_H
#define OBG_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest packet body we accept and announce (qSupported PacketSize). */
#define OBG_PACKET_MAX 16384

enum obg_event {
	OBG_EV_NONE,        /* byte consumed, nothing complete yet */
	OBG_EV_PACKET,      /* a packet with a good checksum: ack '+' it, then handle it */
	OBG_EV_BAD_CHECKSUM,/* a packet whose checksum is wrong: nack '-' it */
	OBG_EV_OVERLONG,    /* a packet longer than OBG_PACKET_MAX: nack it, it was dropped */
	OBG_EV_INTERRUPT,   /* 0x03 outside a packet: stop the running guest */
	OBG_EV_ACK,         /* '+' */
	OBG_EV_NACK,        /* '-': the peer wants our last packet again */
};

/* Decoder state. Zero-initialised (or obg_framer_reset) it is ready. */
struct obg_framer {
	enum { OBG_F_IDLE, OBG_F_BODY, OBG_F_CS1, OBG_F_CS2 } state;
	bool overlong;
	bool cs_bad;        /* the first checksum char was not hex */
	uint8_t sum;        /* running sum of the body bytes */
	uint8_t cs;         /* the checksum the sender wrote */
	size_t len;
	char body[OBG_PACKET_MAX + 1]; /* NUL-terminated when OBG_EV_PACKET */
	uint64_t garbage;   /* bytes outside any packet that meant nothing */
};

void obg_framer_reset(struct obg_framer *f);

/*
 * Feed one byte. On OBG_EV_PACKET the body is f->body (f->len bytes, still
 * escaped as sent: binary data of X packets is unescaped by obg_unescape),
 * valid until the next call.
 */
enum obg_event obg_framer_feed(struct obg_framer *f, uint8_t byte);

/*
 * Frame a reply: $ body-with-escapes # checksum into out (cap bytes).
 * '$', '#', '}' and '*' in the body are escaped ('}' then byte ^ 0x20) so
 * no reply is ever mistaken for run-length encoding. Returns the framed
 * length, or -ENOSPC when it does not fit (out is left unterminated).
 */
long obg_frame(const void *body, size_t len, char *out, size_t cap);

/* Undo the binary escaping of X packets in place; returns the new length,
 * or -EINVAL for a '}' at the very end. */
long obg_unescape(char *data, size_t len);

/* Hex helpers. obg_hex_encode writes 2*len chars (no NUL). obg_hex_decode
 * reads 2*len hex chars into out: 0, or -EINVAL on a non-hex char. */
void obg_hex_encode(const void *data, size_t len, char *out);
int obg_hex_decode(const char *hex, size_t len, void *out);

/*
 * Parse an unsigned hex number (1..8 digits, as gdb writes addresses and
 * thread ids) from *p up to a char not in [0-9a-fA-F]; advances *p past it.
 * 0, or -EINVAL (no digit, or more than 32 bits).
 */
int obg_parse_hex(const char **p, const char *end, uint32_t *out);

/* Parse a thread id as in Hg/T/vCont: hex, "-1" (all) or "0" (any).
 * -1 comes out as OBG_TID_ALL. 0 or -EINVAL. */
#define OBG_TID_ALL 0xffffffffu
int obg_parse_tid(const char **p, const char *end, uint32_t *out);

#endif /* OBG_PACKET_H */
