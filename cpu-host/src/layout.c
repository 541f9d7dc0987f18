/*
 * Guest struct layout of scalar messages (see layout.h).
 */
#include "layout.h"

#include <errno.h>
#include <string.h>

uint32_t obh_layout_field_size(const ProtobufCFieldDescriptor *f)
{
	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return 0;
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_ENUM:
	case PROTOBUF_C_TYPE_BOOL:
	case PROTOBUF_C_TYPE_FLOAT:
		return 4;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	default:
		return 0;
	}
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Walks the fields; returns the struct size, or 0. Offset of field `want`
 * (if < n_fields) goes to *want_off. */
static uint32_t walk(const ProtobufCMessageDescriptor *d, unsigned want, uint32_t *want_off)
{
	uint32_t off = 0, max_align = 4;
	for (unsigned i = 0; i < d->n_fields; i++) {
		uint32_t sz = obh_layout_field_size(&d->fields[i]);
		if (!sz)
			return 0;
		off = align_up(off, sz);
		if (i == want)
			*want_off = off;
		off += sz;
		if (sz > max_align)
			max_align = sz;
	}
	return align_up(off, max_align);
}

uint32_t obh_layout_offset(const ProtobufCMessageDescriptor *d, unsigned i)
{
	uint32_t off = 0;
	if (i >= d->n_fields || !walk(d, i, &off))
		return 0;
	return off;
}

uint32_t obh_layout_size(const ProtobufCMessageDescriptor *d)
{
	uint32_t unused;
	return walk(d, d->n_fields, &unused);
}

static void put_le(uint8_t *out, uint64_t v, uint32_t size)
{
	for (uint32_t i = 0; i < size; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

int obh_layout_encode(const ProtobufCMessageDescriptor *d, const ProtobufCMessage *m,
		      uint8_t *out)
{
	uint32_t size = obh_layout_size(d);
	if (!size)
		return -EINVAL;
	memset(out, 0, size);
	const uint8_t *base = (const uint8_t *)m;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		uint32_t sz = obh_layout_field_size(f);
		uint64_t v = 0;
		if (sz == 4) {
			uint32_t v32;
			memcpy(&v32, base + f->offset, 4);
			v = v32;
		} else {
			memcpy(&v, base + f->offset, 8);
		}
		put_le(out + obh_layout_offset(d, i), v, sz);
	}
	return 0;
}
