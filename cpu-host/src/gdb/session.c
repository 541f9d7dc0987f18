/*
 * A gdb session's byte stream: acks, retransmission, and the hand-off of
 * complete packets to the dispatcher (commands.c).
 */
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outboard/log.h"

#define CAT "gdb"

void obg_session_init(struct obg_session *s, const struct obg_target_ops *ops, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->ctx = ctx;
	obg_framer_reset(&s->framer);
	strcpy(s->last_stop, "S05");
}

void obg_session_fini(struct obg_session *s)
{
	free(s->last_sent);
	s->last_sent = NULL;
}

int obg_session_send(struct obg_session *s, const char *body, size_t len)
{
	/* Worst case every byte is escaped, plus $, #, two checksum digits. */
	size_t cap = 2 * len + 4;
	char *out = malloc(cap);
	if (!out)
		return -ENOMEM;
	long n = obg_frame(body, len, out, cap);
	if (n < 0) {
		free(out);
		return (int)n;
	}
	int err = s->ops->send(s->ctx, out, (size_t)n);
	/* Kept until the next packet, in case the client nacks it. */
	free(s->last_sent);
	s->last_sent = out;
	s->last_sent_len = (size_t)n;
	return err;
}

int obg_session_stop_reply(struct obg_session *s, const char *reply)
{
	snprintf(s->last_stop, sizeof(s->last_stop), "%s", reply);
	return obg_session_send(s, reply, strlen(reply));
}

static int send_ack(struct obg_session *s, char ack)
{
	if (s->no_ack)
		return 0;
	return s->ops->send(s->ctx, &ack, 1);
}

enum obg_action obg_session_feed(struct obg_session *s, const void *data, size_t len,
				 size_t *used, bool *interrupted)
{
	const uint8_t *b = data;
	for (size_t i = 0; i < len; i++) {
		enum obg_action act = OBG_ACT_NONE;
		int err = 0;
		switch (obg_framer_feed(&s->framer, b[i])) {
		case OBG_EV_NONE:
		case OBG_EV_ACK:
			break;
		case OBG_EV_INTERRUPT:
			*interrupted = true;
			break;
		case OBG_EV_NACK:
			if (s->last_sent)
				err = s->ops->send(s->ctx, s->last_sent, s->last_sent_len);
			break;
		case OBG_EV_BAD_CHECKSUM:
			s->bad_packets++;
			OB_WARN(CAT, "a packet with a bad checksum: asking for it again");
			err = send_ack(s, '-');
			break;
		case OBG_EV_OVERLONG:
			s->bad_packets++;
			OB_WARN(CAT, "a packet longer than %d bytes: dropped", OBG_PACKET_MAX);
			/* Acked and answered with an error, so the client does not
			 * resend the same overlong packet for ever. */
			err = send_ack(s, '+');
			if (!err)
				err = obg_session_send(s, "E01", 3);
			break;
		case OBG_EV_PACKET:
			err = send_ack(s, '+');
			if (!err)
				act = obg_session_packet(s, s->framer.body, s->framer.len);
			break;
		}
		if (err)
			act = OBG_ACT_CLOSE;
		if (act != OBG_ACT_NONE) {
			*used = i + 1;
			return act;
		}
	}
	*used = len;
	return OBG_ACT_NONE;
}
