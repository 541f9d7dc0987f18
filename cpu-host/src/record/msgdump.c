/*
 * Protobuf messages as text (see msgdump.h).
 */
#include "msgdump.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Messages nest only a few levels (no type contains itself); this bounds
 * a hostile one all the same. */
#define MAX_DEPTH 8

static void dump(FILE *out, const ProtobufCMessage *m, size_t shown, int depth);

static void put_bytes(FILE *out, const uint8_t *p, size_t n, size_t shown, bool is_string)
{
	fputc('"', out);
	for (size_t i = 0; i < n && i < shown; i++) {
		uint8_t c = p[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c >= 32 && c < 127)
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
	fputc('"', out);
	if (n > shown || !is_string)
		fprintf(out, n > shown ? "...(%zu bytes)" : "(%zu bytes)", n);
}

/* Whether field f of m is present: set in its oneof, non-default alone. */
static bool present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	const uint8_t *base = (const uint8_t *)m;
	const void *at = base + f->offset;
	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return *(const size_t *)(base + f->quantifier_offset) > 0;
	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
		return *(const uint32_t *)(base + f->quantifier_offset) == f->id;
	switch (f->type) {
	case PROTOBUF_C_TYPE_MESSAGE:
		return *(const void *const *)at != NULL;
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(const char *const *)at;
		return s && *s;
	}
	case PROTOBUF_C_TYPE_BYTES:
		return ((const ProtobufCBinaryData *)at)->len > 0;
	case PROTOBUF_C_TYPE_BOOL:
		return *(const protobuf_c_boolean *)at;
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_DOUBLE:
		return *(const uint64_t *)at != 0;
	default:
		return *(const uint32_t *)at != 0;
	}
}

static size_t elem_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_MESSAGE: case PROTOBUF_C_TYPE_STRING: return sizeof(void *);
	case PROTOBUF_C_TYPE_BYTES: return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_BOOL: return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	default: return 4;
	}
}

static void put_value(FILE *out, const ProtobufCFieldDescriptor *f, const void *at, size_t shown,
		      int depth)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
		fprintf(out, "%d", *(const int32_t *)at);
		break;
	case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
		fprintf(out, "%u", *(const uint32_t *)at);
		break;
	case PROTOBUF_C_TYPE_ENUM: {
		const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
			f->descriptor, *(const int *)at);
		if (v)
			fputs(v->name, out);
		else
			fprintf(out, "%d", *(const int *)at);
		break;
	}
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
		fprintf(out, "%lld", (long long)*(const int64_t *)at);
		break;
	case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
		fprintf(out, "%llu", (unsigned long long)*(const uint64_t *)at);
		break;
	case PROTOBUF_C_TYPE_FLOAT:
		fprintf(out, "%g", (double)*(const float *)at);
		break;
	case PROTOBUF_C_TYPE_DOUBLE:
		fprintf(out, "%g", *(const double *)at);
		break;
	case PROTOBUF_C_TYPE_BOOL:
		fputs(*(const protobuf_c_boolean *)at ? "true" : "false", out);
		break;
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(const char *const *)at;
		put_bytes(out, (const uint8_t *)(s ? s : ""), s ? strlen(s) : 0, shown, true);
		break;
	}
	case PROTOBUF_C_TYPE_BYTES: {
		const ProtobufCBinaryData *b = at;
		put_bytes(out, b->data, b->len, shown, false);
		break;
	}
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *sub = *(const ProtobufCMessage *const *)at;
		fputs("{", out);
		if (sub && depth < MAX_DEPTH)
			dump(out, sub, shown, depth + 1);
		else if (sub)
			fputs(" ...", out);
		fputs(" }", out);
		break;
	}
	}
}

static void dump(FILE *out, const ProtobufCMessage *m, size_t shown, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const uint8_t *base = (const uint8_t *)m;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (!present(m, f))
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			const uint8_t *arr = *(const uint8_t *const *)(base + f->offset);
			for (size_t k = 0; k < n; k++) {
				fprintf(out, " %s: ", f->name);
				put_value(out, f, arr + k * elem_size(f), shown, depth);
			}
		} else {
			fprintf(out, " %s%s", f->name, f->type == PROTOBUF_C_TYPE_MESSAGE ? " " : ": ");
			put_value(out, f, base + f->offset, shown, depth);
		}
	}
}

void obh_msgdump(FILE *out, const ProtobufCMessage *m, size_t bytes_shown)
{
	dump(out, m, bytes_shown, 0);
}

/* Field by field, recursing into sub-messages; 1 at the first difference. */
static int diff(const ProtobufCMessage *a, const ProtobufCMessage *b, char *path, size_t size,
		size_t used, int depth)
{
	const ProtobufCMessageDescriptor *d = a->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		bool pa = present(a, f), pb = present(b, f);
		int n = snprintf(path + used, size - used, "%s%s", used ? "." : "", f->name);
		size_t next = n < 0 || (size_t)n >= size - used ? size - 1 : used + (size_t)n;
		if (pa != pb)
			return 1;
		if (!pa)
			continue;
		if (f->type == PROTOBUF_C_TYPE_MESSAGE && f->label != PROTOBUF_C_LABEL_REPEATED &&
		    depth < MAX_DEPTH) {
			const ProtobufCMessage *sa = *(const ProtobufCMessage *const *)
				((const uint8_t *)a + f->offset);
			const ProtobufCMessage *sb = *(const ProtobufCMessage *const *)
				((const uint8_t *)b + f->offset);
			if (diff(sa, sb, path, size, next, depth + 1))
				return 1;
			continue;
		}
		/* A scalar, string, bytes or repeated field: compare its encoding. */
		if (f->label == PROTOBUF_C_LABEL_REPEATED || f->type == PROTOBUF_C_TYPE_MESSAGE) {
			size_t na = *(const size_t *)((const uint8_t *)a + f->quantifier_offset);
			size_t nb = *(const size_t *)((const uint8_t *)b + f->quantifier_offset);
			if (f->label == PROTOBUF_C_LABEL_REPEATED && na != nb)
				return 1;
			continue; /* repeated contents: compared whole below */
		}
		const void *va = (const uint8_t *)a + f->offset, *vb = (const uint8_t *)b + f->offset;
		if (f->type == PROTOBUF_C_TYPE_STRING) {
			if (strcmp(*(const char *const *)va, *(const char *const *)vb) != 0)
				return 1;
		} else if (f->type == PROTOBUF_C_TYPE_BYTES) {
			const ProtobufCBinaryData *x = va, *y = vb;
			if (x->len != y->len || (x->len && memcmp(x->data, y->data, x->len) != 0))
				return 1;
		} else if (memcmp(va, vb, elem_size(f)) != 0) {
			return 1;
		}
	}
	path[used] = '\0';
	return 0;
}

int obh_msgdiff(const ProtobufCMessage *a, const ProtobufCMessage *b, char *path, size_t size)
{
	path[0] = '\0';
	if (diff(a, b, path, size, 0, 0))
		return 1;
	/* Repeated contents and anything reflection skipped: the encodings. */
	size_t na = protobuf_c_message_get_packed_size(a);
	size_t nb = protobuf_c_message_get_packed_size(b);
	if (na != nb)
		goto whole;
	uint8_t sa[512], sb[512];
	uint8_t *pa = na <= sizeof(sa) ? sa : malloc(na), *pb = nb <= sizeof(sb) ? sb : malloc(nb);
	int r = 0;
	if (!pa || !pb) {
		r = 1;
	} else {
		protobuf_c_message_pack(a, pa);
		protobuf_c_message_pack(b, pb);
		r = memcmp(pa, pb, na) != 0;
	}
	if (pa != sa)
		free(pa);
	if (pb != sb)
		free(pb);
	if (!r)
		return 0;
whole:
	snprintf(path, size, "%s", "(repeated fields)");
	return 1;
}
