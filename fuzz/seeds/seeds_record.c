/*
 * Seeds for fuzz_record: small recordings as `outboard run --record`
 * writes them (proto/record.proto): an fs session with replies (open,
 * write, read, fstat, readdir, close, a failed open), a posted display
 * call and an input event, a transport failure and a restore, and a
 * truncated copy.
 */
#include <string.h>

#include "record.pb-c.h"
#include "seed.h"

static void varint_message(struct obz_seed *s, const ProtobufCMessage *m)
{
	uint8_t buf[1024], len[10];
	size_t n = protobuf_c_message_get_packed_size(m), k = 0;
	if (n > sizeof(buf))
		return;
	protobuf_c_message_pack(m, buf);
	for (size_t v = n;; v >>= 7) {
		len[k++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		if (v <= 0x7f)
			break;
	}
	obz_seed_bytes(s, len, k);
	obz_seed_bytes(s, buf, n);
}

static void start(struct obz_seed *s)
{
	static char fs[] = "fs", display[] = "display", input[] = "input", url[] = "ipc:///x",
		    hostdir[] = "fs-hostdir", png[] = "display-png", script[] = "input-script",
		    root[] = "/", prog[] = "prog.elf";
	static uint32_t fs_calls[] = { 64, 65, 66, 67, 71, 79, 80, 81 }, display_calls[] = { 128, 130 };
	Ob__RecordRoute r1, r2, r4;
	ob__record_route__init(&r1);
	ob__record_route__init(&r2);
	ob__record_route__init(&r4);
	r1.route = 1, r1.domain = OB__DOMAIN__DOMAIN_FS, r1.name = fs, r1.mount = root;
	r1.url = url, r1.backend = hostdir, r1.n_calls = 8, r1.calls = fs_calls;
	r2.route = 2, r2.domain = OB__DOMAIN__DOMAIN_DISPLAY, r2.name = display, r2.url = url;
	r2.backend = png, r2.n_calls = 2, r2.calls = display_calls;
	r4.route = 4, r4.domain = OB__DOMAIN__DOMAIN_INPUT, r4.name = input, r4.url = url;
	r4.backend = script;
	Ob__RecordRoute *routes[] = { &r1, &r2, &r4 };
	char *args[] = { prog };
	Ob__RecordHeader hdr;
	ob__record_header__init(&hdr);
	hdr.version = OB__RECORD_VERSION__RECORD_VERSION_CURRENT;
	hdr.n_args = 1, hdr.args = args, hdr.n_routes = 3, hdr.routes = routes;
	obz_seed_start(s, 'O');
	obz_seed_bytes(s, "BREC\r\n\x1a", 7);
	varint_message(s, &hdr.base);
}

/* A request record of thread 1 on route with call (case) and message. */
static void request(struct obz_seed *s, unsigned route, uint64_t id, uint32_t call,
		    const void *msg, bool posted)
{
	Ob__Request req = OB__REQUEST__INIT;
	req.id = id;
	req.thread = 1;
	req.posted = posted;
	req.call_case = (Ob__Request__CallCase)call;
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field(&ob__request__descriptor, call);
	memcpy((uint8_t *)&req + f->offset, &msg, sizeof(msg));
	Ob__Record r = OB__RECORD__INIT;
	r.route = route, r.thread = 1, r.id = id, r.pc = 0x8000;
	r.body_case = OB__RECORD__BODY_REQUEST;
	r.request = &req;
	varint_message(s, &r.base);
}

static void reply(struct obz_seed *s, unsigned route, uint64_t id, uint32_t status,
		  uint32_t call, const void *msg)
{
	Ob__Reply rep = OB__REPLY__INIT;
	rep.id = id;
	rep.status = status;
	if (msg) {
		rep.result_case = (Ob__Reply__ResultCase)call;
		const ProtobufCFieldDescriptor *f =
			protobuf_c_message_descriptor_get_field(&ob__reply__descriptor, call);
		memcpy((uint8_t *)&rep + f->offset, &msg, sizeof(msg));
	}
	Ob__Record r = OB__RECORD__INIT;
	r.route = route, r.thread = 1, r.id = id;
	r.body_case = OB__RECORD__BODY_REPLY;
	r.reply = &rep;
	varint_message(s, &r.base);
}

static void fs_session(struct obz_seed *s)
{
	static char path[] = "/data/a.txt", name[] = "a.txt";
	static uint8_t text[] = "hello world\n";
	Ob__FsOpen open;
	ob__fs_open__init(&open);
	open.path = path, open.flags = 0x601, open.mode = 0644;
	Ob__FsOpenResult opened = OB__FS_OPEN_RESULT__INIT;
	opened.ret = 3;
	request(s, 1, 1, OB__REQUEST__CALL_FS_OPEN, &open, false);
	reply(s, 1, 1, 0, OB__REPLY__RESULT_FS_OPEN, &opened);
	Ob__FsWrite wr = OB__FS_WRITE__INIT;
	wr.fd = 3, wr.buf = (ProtobufCBinaryData){ 12, text }, wr.count = 12;
	Ob__FsWriteResult wrote = OB__FS_WRITE_RESULT__INIT;
	wrote.ret = 12;
	request(s, 1, 2, OB__REQUEST__CALL_FS_WRITE, &wr, false);
	reply(s, 1, 2, 0, OB__REPLY__RESULT_FS_WRITE, &wrote);
	Ob__FsRead rd = OB__FS_READ__INIT;
	rd.fd = 3, rd.count = 64;
	Ob__FsReadResult got = OB__FS_READ_RESULT__INIT;
	got.buf = (ProtobufCBinaryData){ 12, text };
	request(s, 1, 3, OB__REQUEST__CALL_FS_READ, &rd, false);
	reply(s, 1, 3, 0, OB__REPLY__RESULT_FS_READ, &got);
	Ob__FsFstat st = OB__FS_FSTAT__INIT;
	st.fd = 3;
	Ob__FileStat fst = OB__FILE_STAT__INIT;
	fst.size = 12, fst.mode = 0100644;
	Ob__FsFstatResult stat = OB__FS_FSTAT_RESULT__INIT;
	stat.st = &fst;
	request(s, 1, 4, OB__REQUEST__CALL_FS_FSTAT, &st, false);
	reply(s, 1, 4, 0, OB__REPLY__RESULT_FS_FSTAT, &stat);
	Ob__FsReaddir rdd = OB__FS_READDIR__INIT;
	rdd.dir = 4, rdd.name_len = 256;
	Ob__FsReaddirResult ent;
	ob__fs_readdir_result__init(&ent);
	ent.ret = 1, ent.name = name;
	request(s, 1, 5, OB__REQUEST__CALL_FS_READDIR, &rdd, false);
	reply(s, 1, 5, 0, OB__REPLY__RESULT_FS_READDIR, &ent);
	Ob__FsClose cl = OB__FS_CLOSE__INIT;
	cl.fd = 3;
	request(s, 1, 6, OB__REQUEST__CALL_FS_CLOSE, &cl, false);
	reply(s, 1, 6, 0, OB__REPLY__RESULT_FS_CLOSE, NULL);
	request(s, 1, 7, OB__REQUEST__CALL_FS_OPEN, &open, false);
	reply(s, 1, 7, 2 /* ENOENT */, 0, NULL);
}

void obz_seeds_record(const char *dir)
{
	struct obz_seed s;
	start(&s);
	fs_session(&s);
	Ob__DisplayFillRect fill = OB__DISPLAY_FILL_RECT__INIT;
	fill.w = fill.h = 10, fill.color = 0x30b040;
	request(&s, 2, 8, OB__REQUEST__CALL_DISPLAY_FILL_RECT, &fill, true);
	Ob__InputEvent key = OB__INPUT_EVENT__INIT;
	key.kind = OB__INPUT_EVENT__KIND__KIND_KEY_DOWN, key.key = 'A', key.time_ms = 5;
	Ob__Event ev = OB__EVENT__INIT;
	ev.event_case = OB__EVENT__EVENT_INPUT, ev.input = &key;
	Ob__Record er = OB__RECORD__INIT;
	er.route = 4, er.clock_ns = 5000000, er.body_case = OB__RECORD__BODY_EVENT, er.event = &ev;
	varint_message(&s, &er.base);
	/* A call that got no reply: its transport failed. */
	Ob__FsRead rd = OB__FS_READ__INIT;
	rd.fd = 3, rd.count = 16;
	request(&s, 1, 9, OB__REQUEST__CALL_FS_READ, &rd, false);
	Ob__Reply none = OB__REPLY__INIT;
	none.id = 9;
	Ob__Record tr = OB__RECORD__INIT;
	tr.route = 1, tr.thread = 1, tr.id = 9, tr.transport_status = 110;
	tr.body_case = OB__RECORD__BODY_REPLY, tr.reply = &none;
	varint_message(&s, &tr.base);
	struct obz_seed cut = { 0 };
	obz_seed_start(&cut, s.buf[0]);
	obz_seed_bytes(&cut, s.buf + 1, s.len / 2);
	obz_seed_write(&s, dir, "fuzz_record", "session");
	obz_seed_write(&cut, dir, "fuzz_record", "truncated");

	start(&s);
	fs_session(&s);
	obz_seed_write(&s, dir, "fuzz_record", "fs");
}
