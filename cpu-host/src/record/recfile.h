/*
 * The recording file format (proto/record.proto, docs/debugging.md): the
 * magic, then a RecordHeader and Records, each preceded by its length as a
 * base-128 varint (protobuf's delimited streams).
 *
 * The writer goes through stdio; its first write error (a full disk) is
 * kept and every later put is a no-op returning it, so a recording that
 * fails never disturbs the run: the caller reports it once.
 *
 * The reader decodes a whole file held in memory, checking every length
 * against what is left and against OBH_REC_MAX_MESSAGE before unpacking.
 * Errors name the byte offset where the file went wrong.
 */
#ifndef OBH_RECFILE_H
#define OBH_RECFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "record.pb-c.h"

#define OBH_REC_MAGIC "OBREC\r\n\x1a"
#define OBH_REC_MAGIC_LEN 8
/* Larger than any frame the IPC accepts (a band of rows, a read): a
 * length beyond it is garbage, not a message. */
#define OBH_REC_MAX_MESSAGE (64u << 20)
/* A whole recording is read into memory: refuse files beyond this. */
#define OBH_REC_MAX_FILE ((size_t)2 << 30)

struct obh_recw;

/* Create (truncate) path and write the magic and hdr. 0 or -errno; the
 * writer is owned by the caller (obh_recw_close). */
int obh_recw_open(const char *path, const Ob__RecordHeader *hdr, struct obh_recw **out);

/* Append one record. 0, or the first write error (-errno) seen so far. */
int obh_recw_put(struct obh_recw *w, const Ob__Record *rec);

/* Flush and close. 0, or the first error (-errno). Accepts NULL. */
int obh_recw_close(struct obh_recw *w);

/* A decoded recording. Owned: obh_rec_free. */
struct obh_rec {
	Ob__RecordHeader *hdr;
	Ob__Record **recs;
	size_t n;
	size_t *offsets;     /* file offset of each record, for messages */
};

/*
 * Decode data (the whole file). 0, or -EINVAL (not a recording, garbage,
 * an unknown version) or -ENOMEM; on -EINVAL why gets a one-line reason
 * naming the offset ("truncated record at byte 1234: 56 bytes of 200").
 * On error *out is left empty.
 */
int obh_rec_decode(const uint8_t *data, size_t len, struct obh_rec *out, char *why,
		   size_t whylen);

/* Read and decode path. 0, -errno (the file), or obh_rec_decode's. */
int obh_rec_load(const char *path, struct obh_rec *out, char *why, size_t whylen);

void obh_rec_free(struct obh_rec *r); /* accepts an empty or half-built one */

#endif /* OBH_RECFILE_H */
