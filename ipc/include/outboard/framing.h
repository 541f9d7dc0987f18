/*
 * Length-prefixed frames over a byte stream: a 4-byte little-endian length,
 * then that many bytes (a packed Envelope). The request lane (ipc.h,
 * ob_conn_attach_lane) and the plugin SDK's --stdin-frames transport both
 * speak it; nanomsg keeps message boundaries itself and needs none.
 *
 * Header-only: a few lines each side of a stream, no state of their own.
 * The caller owns every buffer.
 */
#ifndef OUTBOARD_FRAMING_H
#define OUTBOARD_FRAMING_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OB_FRAME_HEADER 4u

static inline void ob_frame_put_len(uint8_t hdr[OB_FRAME_HEADER], uint32_t len)
{
	for (unsigned i = 0; i < OB_FRAME_HEADER; i++)
		hdr[i] = (uint8_t)(len >> (8 * i));
}

static inline uint32_t ob_frame_get_len(const uint8_t hdr[OB_FRAME_HEADER])
{
	return (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
	       (uint32_t)hdr[3] << 24;
}

/*
 * The next whole frame in buf[*at, len): 1 with *frame and *frame_len set
 * and *at moved past it; 0 when the bytes there are not a whole frame yet
 * (*frame_len is then the length its header announces, or 0 before a whole
 * header); -EMSGSIZE when the header announces more than max bytes (the
 * stream cannot be followed past it).
 */
static inline int ob_frame_next(const uint8_t *buf, size_t len, size_t *at, uint32_t max,
				const uint8_t **frame, uint32_t *frame_len)
{
	size_t left = len - *at;

	*frame_len = 0;
	if (left < OB_FRAME_HEADER)
		return 0;
	*frame_len = ob_frame_get_len(buf + *at);
	if (*frame_len > max)
		return -EMSGSIZE;
	if (left - OB_FRAME_HEADER < *frame_len)
		return 0;
	*frame = buf + *at + OB_FRAME_HEADER;
	*at += OB_FRAME_HEADER + *frame_len;
	return 1;
}

#ifdef __cplusplus
}
#endif

#endif /* OUTBOARD_FRAMING_H */
