/*
 * Guest memory layout of OUT_STRUCT results (docs/abi.md): a message of
 * scalar fields becomes a C struct with its fields in field-number order;
 * 32-bit fields take 4 bytes, 64-bit fields 8 bytes aligned to 8, and the
 * size is rounded up to the largest alignment. The host's marshalling and
 * the SDK header generator (ob-abigen) both use these functions, so the
 * guest's structs and the bytes the host writes cannot disagree.
 */
#ifndef OBH_LAYOUT_H
#define OBH_LAYOUT_H

#include <protobuf-c/protobuf-c.h>
#include <stdint.h>

/* Size in bytes of the field's guest representation: 4 or 8, or 0 if the
 * field cannot be laid out (strings, bytes, messages, repeated fields). */
uint32_t obh_layout_field_size(const ProtobufCFieldDescriptor *f);

/* Guest offset of field index i (in d->fields order), and the struct's
 * size. Both 0 when the message cannot be laid out. */
uint32_t obh_layout_offset(const ProtobufCMessageDescriptor *d, unsigned i);
uint32_t obh_layout_size(const ProtobufCMessageDescriptor *d);

/* Write m (of type d) into out (obh_layout_size(d) bytes), little-endian.
 * 0, or -EINVAL when d cannot be laid out. */
int obh_layout_encode(const ProtobufCMessageDescriptor *d, const ProtobufCMessage *m,
		      uint8_t *out);

#endif /* OBH_LAYOUT_H */
