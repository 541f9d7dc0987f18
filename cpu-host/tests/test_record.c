/*
 * Unit tests: the recording file format (record/recfile.h) and the message
 * printer and comparer (record/msgdump.h): a round trip, and every way a
 * file can be bad, each named with its offset.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "record/msgdump.h"
#include "record/recfile.h"

/* A recording of a header and three records in a temporary file, read
 * back into memory: *len bytes, malloc'd. */
static uint8_t *sample(size_t *len)
{
	char path[] = "/tmp/ob-test-record.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	Ob__RecordHeader hdr;
	ob__record_header__init(&hdr);
	char prog[] = "prog", x[] = "x";
	char *args[] = { prog, x };
	hdr.version = OB__RECORD_VERSION__RECORD_VERSION_CURRENT;
	hdr.n_args = 2;
	hdr.args = args;
	struct obh_recw *w;
	assert_int_equal(obh_recw_open(path, &hdr, &w), 0);

	Ob__FsOpen open;
	ob__fs_open__init(&open);
	char a_txt[] = "/a.txt";
	open.path = a_txt;
	open.flags = 0x601;
	Ob__Request req = OB__REQUEST__INIT;
	req.thread = 1;
	req.call_case = OB__REQUEST__CALL_FS_OPEN;
	req.fs_open = &open;
	Ob__Record rec = OB__RECORD__INIT;
	rec.route = 1;
	rec.thread = 1;
	rec.id = 7;
	rec.body_case = OB__RECORD__BODY_REQUEST;
	rec.request = &req;
	assert_int_equal(obh_recw_put(w, &rec), 0);

	Ob__FsOpenResult res = OB__FS_OPEN_RESULT__INIT;
	res.ret = 3;
	Ob__Reply rep = OB__REPLY__INIT;
	rep.id = 7;
	rep.result_case = OB__REPLY__RESULT_FS_OPEN;
	rep.fs_open = &res;
	Ob__Record rrec = OB__RECORD__INIT;
	rrec.id = 7;
	rrec.body_case = OB__RECORD__BODY_REPLY;
	rrec.reply = &rep;
	assert_int_equal(obh_recw_put(w, &rrec), 0);

	Ob__DisplayVsync vs = OB__DISPLAY_VSYNC__INIT;
	vs.frame = 9;
	Ob__Event ev = OB__EVENT__INIT;
	ev.event_case = OB__EVENT__EVENT_VSYNC;
	ev.vsync = &vs;
	Ob__Record erec = OB__RECORD__INIT;
	erec.body_case = OB__RECORD__BODY_EVENT;
	erec.event = &ev;
	erec.clock_ns = 5000000;
	assert_int_equal(obh_recw_put(w, &erec), 0);
	assert_int_equal(obh_recw_close(w), 0);

	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint8_t *data = malloc(1 << 16);
	*len = fread(data, 1, 1 << 16, f);
	fclose(f);
	unlink(path);
	return data;
}

static void test_round_trip(void **state)
{
	(void)state;
	size_t len;
	uint8_t *data = sample(&len);
	struct obh_rec r;
	char why[200];
	assert_memory_equal(data, OBH_REC_MAGIC, OBH_REC_MAGIC_LEN);
	assert_int_equal(obh_rec_decode(data, len, &r, why, sizeof(why)), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.hdr->n_args, 2);
	assert_string_equal(r.hdr->args[1], "x");
	assert_int_equal(r.recs[0]->body_case, OB__RECORD__BODY_REQUEST);
	assert_string_equal(r.recs[0]->request->fs_open->path, "/a.txt");
	assert_int_equal(r.recs[1]->reply->fs_open->ret, 3);
	assert_int_equal(r.recs[2]->event->vsync->frame, 9);
	assert_true(r.offsets[0] > OBH_REC_MAGIC_LEN);
	assert_true(r.offsets[1] > r.offsets[0] && r.offsets[2] > r.offsets[1]);
	obh_rec_free(&r);
	free(data);
}

/* Every prefix but the whole file and the end of a record is an error
 * that names an offset; none crashes. */
static void test_truncations(void **state)
{
	(void)state;
	size_t len;
	uint8_t *data = sample(&len);
	struct obh_rec whole, r;
	char why[200];
	assert_int_equal(obh_rec_decode(data, len, &whole, why, sizeof(why)), 0);
	for (size_t n = 0; n < len; n++) {
		bool boundary = false;
		for (size_t i = 0; i < whole.n; i++)
			boundary |= n == whole.offsets[i];
		int err = obh_rec_decode(data, n, &r, why, sizeof(why));
		if (boundary) {
			assert_int_equal(err, 0); /* a shorter recording, whole records */
			obh_rec_free(&r);
			continue;
		}
		assert_int_equal(err, -EINVAL);
		assert_null(r.hdr);
		if (n >= OBH_REC_MAGIC_LEN)
			assert_non_null(strstr(why, "byte "));
	}
	obh_rec_free(&whole);
	free(data);
}

static void test_bad_files(void **state)
{
	(void)state;
	struct obh_rec r;
	char why[200];
	const uint8_t not_magic[] = "OBRECXXXX";
	assert_int_equal(obh_rec_decode(not_magic, 9, &r, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "not an outboard recording"));

	uint8_t huge[] = "OBREC\r\n\x1a\xff\xff\xff\xff\x7f";
	assert_int_equal(obh_rec_decode(huge, 13, &r, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "bad header at byte 8: length too large"));

	uint8_t long_varint[20] = "OBREC\r\n\x1a";
	memset(long_varint + 8, 0x80, 12);
	assert_int_equal(obh_rec_decode(long_varint, 20, &r, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "header at byte 8"));

	/* A header of another version: field 1 = 2. */
	const uint8_t v2[] = "OBREC\r\n\x1a\x02\x08\x02";
	assert_int_equal(obh_rec_decode(v2, 11, &r, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "version 2"));

	/* A good header, then a record with no body (an empty message). */
	const uint8_t nobody[] = "OBREC\r\n\x1a\x02\x08\x01\x00";
	assert_int_equal(obh_rec_decode(nobody, 12, &r, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "bad record at byte 11: no request, reply or event"));

	/* A record that does not decode: field 10 (request) of length 5 with 1. */
	const uint8_t bad[] = "OBREC\r\n\x1a\x02\x08\x01\x02\x52\x05";
	assert_int_equal(obh_rec_decode(bad, 14, &r, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "bad record at byte 11: it does not decode"));
}

static void test_writer_errors(void **state)
{
	(void)state;
	Ob__RecordHeader hdr;
	ob__record_header__init(&hdr);
	struct obh_recw *w;
	assert_int_equal(obh_recw_open("/nonexistent-dir/x.obr", &hdr, &w), -ENOENT);
	/* /dev/full takes the open, refuses the header's bytes. */
	assert_int_equal(obh_recw_open("/dev/full", &hdr, &w), -ENOSPC);
	assert_int_equal(obh_rec_load("/nonexistent-dir/x.obr", &(struct obh_rec){ 0 }, NULL, 0),
			 -ENOENT);
}

static void test_dump_and_diff(void **state)
{
	(void)state;
	Ob__FsRead a = OB__FS_READ__INIT, b = OB__FS_READ__INIT;
	a.fd = 3;
	a.count = 10;
	b = a;
	char path[64], *text = NULL;
	size_t n = 0;
	assert_int_equal(obh_msgdiff(&a.base, &b.base, path, sizeof(path)), 0);
	b.count = 11;
	assert_int_equal(obh_msgdiff(&a.base, &b.base, path, sizeof(path)), 1);
	assert_string_equal(path, "count");

	Ob__Request ra = OB__REQUEST__INIT, rb = OB__REQUEST__INIT;
	ra.call_case = rb.call_case = OB__REQUEST__CALL_FS_READ;
	ra.fs_read = &a;
	rb.fs_read = &b;
	assert_int_equal(obh_msgdiff(&ra.base, &rb.base, path, sizeof(path)), 1);
	assert_string_equal(path, "fs_read.count");

	FILE *out = open_memstream(&text, &n);
	obh_msgdump(out, &ra.base, 8);
	fclose(out);
	assert_string_equal(text, " fs_read { fd: 3 count: 10 }");
	free(text);

	Ob__FsWrite wr = OB__FS_WRITE__INIT;
	uint8_t bytes[] = "hello\nworld!";
	wr.buf = (ProtobufCBinaryData){ .len = 12, .data = bytes };
	out = open_memstream(&text, &n);
	obh_msgdump(out, &wr.base, 6);
	fclose(out);
	assert_string_equal(text, " buf: \"hello\\n\"...(12 bytes)");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_writer_errors),
		cmocka_unit_test(test_dump_and_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
