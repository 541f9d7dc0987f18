/*
 * Any protobuf-c message as one line of protobuf text format, by
 * reflection: `fs_open { path: "a.txt" flags: 1537 mode: 420 }`. Fields
 * at their default value (proto3: zero, empty) are left out; bytes show
 * their first shown bytes and their length. For reports (a replay that
 * diverged, a backend answering differently, events in `outboard trace`).
 */
#ifndef OBH_MSGDUMP_H
#define OBH_MSGDUMP_H

#include <stddef.h>
#include <stdio.h>

#include <protobuf-c/protobuf-c.h>

/* Print m's set fields (without braces around the whole). */
void obh_msgdump(FILE *out, const ProtobufCMessage *m, size_t bytes_shown);

/* The name of the first field where a and b (same type) differ, written
 * to path ("fs_read.data"), or 0 when they are equal. Packs both. */
int obh_msgdiff(const ProtobufCMessage *a, const ProtobufCMessage *b, char *path, size_t size);

#endif /* OBH_MSGDUMP_H */
