/*
 * GDB remote protocol framing (see packet.h).
 */
#include "packet.h"

#include <errno.h>
#include <string.h>

static int hex_val(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void obg_framer_reset(struct obg_framer *f)
{
	f->state = OBG_F_IDLE;
	f->overlong = false;
	f->sum = 0;
	f->cs = 0;
	f->len = 0;
	f->body[0] = '\0';
}

static enum obg_event idle_byte(struct obg_framer *f, uint8_t byte)
{
	switch (byte) {
	case '$':
		f->state = OBG_F_BODY;
		f->overlong = false;
		f->sum = 0;
		f->len = 0;
		return OBG_EV_NONE;
	case 0x03:
		return OBG_EV_INTERRUPT;
	case '+':
		return OBG_EV_ACK;
	case '-':
		return OBG_EV_NACK;
	default:
		f->garbage++; /* line noise between packets: ignored, as gdbserver does */
		return OBG_EV_NONE;
	}
}

enum obg_event obg_framer_feed(struct obg_framer *f, uint8_t byte)
{
	int v;
	switch (f->state) {
	case OBG_F_IDLE:
		return idle_byte(f, byte);
	case OBG_F_BODY:
		if (byte == '#') {
			f->state = OBG_F_CS1;
			return OBG_EV_NONE;
		}
		if (byte == '$') { /* a new packet before the end of this one: restart */
			f->garbage += f->len + 1;
			f->len = 0;
			f->sum = 0;
			f->overlong = false;
			return OBG_EV_NONE;
		}
		f->sum = (uint8_t)(f->sum + byte);
		if (f->len < OBG_PACKET_MAX)
			f->body[f->len++] = (char)byte;
		else
			f->overlong = true;
		return OBG_EV_NONE;
	case OBG_F_CS1:
		v = hex_val(byte);
		f->cs = (uint8_t)((v < 0 ? 0 : v) << 4);
		f->cs_bad = v < 0;
		f->state = OBG_F_CS2; /* the packet ends after two chars, hex or not */
		return OBG_EV_NONE;
	case OBG_F_CS2:
		v = hex_val(byte);
		f->state = OBG_F_IDLE;
		f->body[f->len] = '\0';
		if (v < 0 || f->cs_bad || (uint8_t)(f->cs | v) != f->sum)
			return OBG_EV_BAD_CHECKSUM;
		if (f->overlong)
			return OBG_EV_OVERLONG;
		return OBG_EV_PACKET;
	}
	obg_framer_reset(f);
	return OBG_EV_NONE;
}

long obg_frame(const void *body, size_t len, char *out, size_t cap)
{
	const uint8_t *b = body;
	static const char digits[] = "0123456789abcdef";
	size_t k = 0;
	uint8_t sum = 0;
	if (cap < 4)
		return -ENOSPC;
	out[k++] = '$';
	for (size_t i = 0; i < len; i++) {
		uint8_t c = b[i];
		bool esc = c == '$' || c == '#' || c == '}' || c == '*';
		if (k + (esc ? 2 : 1) + 3 > cap)
			return -ENOSPC;
		if (esc) {
			out[k++] = '}';
			sum = (uint8_t)(sum + '}');
			c ^= 0x20;
		}
		out[k++] = (char)c;
		sum = (uint8_t)(sum + c);
	}
	out[k++] = '#';
	out[k++] = digits[sum >> 4];
	out[k++] = digits[sum & 15];
	return (long)k;
}

long obg_unescape(char *data, size_t len)
{
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '}') {
			if (++i == len)
				return -EINVAL;
			data[k++] = (char)(data[i] ^ 0x20);
		} else {
			data[k++] = data[i];
		}
	}
	return (long)k;
}

void obg_hex_encode(const void *data, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = data;
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
}

int obg_hex_decode(const char *hex, size_t len, void *out)
{
	uint8_t *b = out;
	for (size_t i = 0; i < len; i++) {
		int hi = hex_val((uint8_t)hex[2 * i]), lo = hex_val((uint8_t)hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int obg_parse_hex(const char **p, const char *end, uint32_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int digits = 0, d;
	while (s < end && (d = hex_val((uint8_t)*s)) >= 0) {
		v = v << 4 | (uint64_t)d;
		if (v > 0xffffffffu)
			return -EINVAL;
		s++;
		digits++;
	}
	if (!digits)
		return -EINVAL;
	*out = (uint32_t)v;
	*p = s;
	return 0;
}

int obg_parse_tid(const char **p, const char *end, uint32_t *out)
{
	if (end - *p >= 2 && (*p)[0] == '-' && (*p)[1] == '1') {
		*p += 2;
		*out = OBG_TID_ALL;
		return 0;
	}
	return obg_parse_hex(p, end, out);
}
