/*
 * The recording file format (see recfile.h).
 */
#include "recfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct obh_recw {
	FILE *f;
	int err;      /* first error, -errno */
	uint8_t *buf; /* packing buffer, grown as needed */
	size_t cap;
};

static void put_bytes(struct obh_recw *w, const void *p, size_t n)
{
	if (w->err || !n)
		return; /* an empty message has no bytes (and no buffer) to write */
	if (fwrite(p, 1, n, w->f) != n)
		w->err = errno ? -errno : -EIO;
}

/* The length prefix and the packed message. */
static int put_message(struct obh_recw *w, const ProtobufCMessage *m)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	uint8_t len[10];
	size_t ln = 0;
	if (w->err)
		return w->err;
	if (n > w->cap) {
		uint8_t *grown = realloc(w->buf, n);
		if (!grown)
			return w->err = -ENOMEM;
		w->buf = grown;
		w->cap = n;
	}
	if (n)
		protobuf_c_message_pack(m, w->buf);
	for (size_t v = n;; v >>= 7) {
		len[ln++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		if (v <= 0x7f)
			break;
	}
	errno = 0;
	put_bytes(w, len, ln);
	put_bytes(w, w->buf, n);
	return w->err;
}

int obh_recw_open(const char *path, const Ob__RecordHeader *hdr, struct obh_recw **out)
{
	struct obh_recw *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	if (!(w->f = fopen(path, "wb"))) {
		int err = -errno;
		free(w);
		return err;
	}
	/* A large buffer: a recording is written in big chunks, not per call. */
	setvbuf(w->f, NULL, _IOFBF, 1u << 16);
	errno = 0;
	put_bytes(w, OBH_REC_MAGIC, OBH_REC_MAGIC_LEN);
	int err = put_message(w, &hdr->base);
	if (!err && fflush(w->f) != 0)
		err = -errno;
	if (err) {
		fclose(w->f);
		free(w->buf);
		free(w);
		return err;
	}
	*out = w;
	return 0;
}

int obh_recw_put(struct obh_recw *w, const Ob__Record *rec)
{
	return put_message(w, &rec->base);
}

int obh_recw_close(struct obh_recw *w)
{
	if (!w)
		return 0;
	int err = w->err;
	errno = 0;
	if (fflush(w->f) != 0 && !err)
		err = errno ? -errno : -EIO;
	if (fclose(w->f) != 0 && !err)
		err = errno ? -errno : -EIO;
	free(w->buf);
	free(w);
	return err;
}

/* ---- reading ---- */

static int fail(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (whylen)
		vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A varint length at data[*off]: 0, or 1 when cut short, 2 when too long. */
static int get_varint(const uint8_t *data, size_t len, size_t *off, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*off >= len)
			return 1;
		uint8_t b = data[(*off)++];
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return 2;
}

/* The next message's bytes: *at and *n. 0, 1 at a clean end, or -EINVAL. */
static int next_frame(const uint8_t *data, size_t len, size_t *off, const uint8_t **at,
		      size_t *n, const char *what, char *why, size_t whylen)
{
	size_t start = *off;
	uint64_t v;
	if (start == len)
		return 1;
	int r = get_varint(data, len, off, &v);
	if (r == 1)
		return fail(why, whylen, "truncated %s at byte %zu: its length is cut short", what,
			    start);
	if (r == 2 || v > OBH_REC_MAX_MESSAGE)
		return fail(why, whylen, "bad %s at byte %zu: length %s (at most %u)", what, start,
			    r == 2 ? "over 64 bits" : "too large", OBH_REC_MAX_MESSAGE);
	if (v > len - *off)
		return fail(why, whylen, "truncated %s at byte %zu: %zu of its %llu bytes present",
			    what, start, len - *off, (unsigned long long)v);
	*at = data + *off;
	*n = (size_t)v;
	*off += (size_t)v;
	return 0;
}

/* What a record must hold to be used: a body, and a reply's id. */
static const char *record_problem(const Ob__Record *r)
{
	switch (r->body_case) {
	case OB__RECORD__BODY_REQUEST:
		return r->request->call_case == OB__REQUEST__CALL__NOT_SET ? "a request without a call"
									   : NULL;
	case OB__RECORD__BODY_REPLY:
	case OB__RECORD__BODY_EVENT:
		return NULL;
	default:
		return "no request, reply or event";
	}
}

static int push(struct obh_rec *out, Ob__Record *rec, size_t off, size_t *cap)
{
	if (out->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		Ob__Record **r = realloc(out->recs, nc * sizeof(*r));
		if (!r)
			return -ENOMEM;
		out->recs = r;
		size_t *o = realloc(out->offsets, nc * sizeof(*o));
		if (!o)
			return -ENOMEM;
		out->offsets = o;
		*cap = nc;
	}
	out->recs[out->n] = rec;
	out->offsets[out->n++] = off;
	return 0;
}

int obh_rec_decode(const uint8_t *data, size_t len, struct obh_rec *out, char *why,
		   size_t whylen)
{
	size_t off = OBH_REC_MAGIC_LEN, cap = 0, n;
	const uint8_t *at;
	int err;
	memset(out, 0, sizeof(*out));
	if (len < OBH_REC_MAGIC_LEN || memcmp(data, OBH_REC_MAGIC, OBH_REC_MAGIC_LEN) != 0)
		return fail(why, whylen, "not an outboard recording (no magic at byte 0)");
	err = next_frame(data, len, &off, &at, &n, "header", why, whylen);
	if (err == 1)
		return fail(why, whylen, "truncated at byte %zu: no header", off);
	if (err)
		return err;
	if (!(out->hdr = ob__record_header__unpack(NULL, n, at)))
		return fail(why, whylen, "bad header at byte %d: it does not decode",
			    OBH_REC_MAGIC_LEN);
	if (out->hdr->version != OB__RECORD_VERSION__RECORD_VERSION_CURRENT) {
		unsigned v = out->hdr->version;
		obh_rec_free(out);
		return fail(why, whylen, "recording format version %u; this outboard reads %d", v,
			    OB__RECORD_VERSION__RECORD_VERSION_CURRENT);
	}
	for (;;) {
		size_t start = off;
		err = next_frame(data, len, &off, &at, &n, "record", why, whylen);
		if (err == 1)
			return 0;
		if (err)
			goto bad;
		Ob__Record *rec = ob__record__unpack(NULL, n, at);
		if (!rec) {
			err = fail(why, whylen, "bad record at byte %zu: it does not decode", start);
			goto bad;
		}
		const char *problem = record_problem(rec);
		if (problem) {
			ob__record__free_unpacked(rec, NULL);
			err = fail(why, whylen, "bad record at byte %zu: %s", start, problem);
			goto bad;
		}
		if ((err = push(out, rec, start, &cap))) {
			ob__record__free_unpacked(rec, NULL);
			goto bad;
		}
	}
bad:
	obh_rec_free(out);
	return err;
}

int obh_rec_load(const char *path, struct obh_rec *out, char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0;
	int err = 0;
	if (!f)
		return -errno;
	for (;;) {
		if (len == cap) {
			if (cap >= OBH_REC_MAX_FILE) {
				err = fail(why, whylen, "over %zu bytes: too large", OBH_REC_MAX_FILE);
				goto out;
			}
			size_t nc = cap ? cap * 2 : 1u << 16;
			uint8_t *grown = realloc(data, nc);
			if (!grown) {
				err = -ENOMEM;
				goto out;
			}
			data = grown;
			cap = nc;
		}
		size_t got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f))
				err = -EIO;
			break;
		}
	}
	if (!err)
		err = obh_rec_decode(data, len, out, why, whylen);
out:
	fclose(f);
	free(data);
	return err;
}

void obh_rec_free(struct obh_rec *r)
{
	if (r->hdr)
		ob__record_header__free_unpacked(r->hdr, NULL);
	for (size_t i = 0; i < r->n; i++)
		ob__record__free_unpacked(r->recs[i], NULL);
	free(r->recs);
	free(r->offsets);
	memset(r, 0, sizeof(*r));
}
