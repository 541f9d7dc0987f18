/*
 * Seeds of fuzz_plugins: for each backend, a session of valid frames as the
 * CPU host would send them (Hello, then calls whose handles come from the
 * calls before), so the fuzzer starts deep in each handler's state. The
 * first byte picks the backend (backends.h); fs and display sessions also
 * go to the variant command lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "seed.h"

#define TARGET "fuzz_plugins"

/* protobuf-c's string and bytes fields are not const, but packing only
 * reads them: pass our constants without a cast -Wcast-qual rejects. */
static char *str(const char *s)
{
	union {
		const char *in;
		char *out;
	} u = { .in = s };

	return u.out;
}

static ProtobufCBinaryData bytes(const void *p, size_t n)
{
	union {
		const void *in;
		uint8_t *out;
	} u = { .in = p };

	return (ProtobufCBinaryData){ .len = n, .data = u.out };
}

/* ------------------------------------------------------------------ fs */

static void fs_open(struct obz_seed *s, const char *path, uint32_t flags, uint32_t mode)
{
	Ob__FsOpen m;

	ob__fs_open__init(&m); /* the INIT macros of messages with strings trip -Wcast-qual */

	m.path = str(path), m.flags = flags, m.mode = mode;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_OPEN, &m);
}

/* A zeroed call message of the type `call` carries (free with free()). */
static ProtobufCMessage *call_msg(uint32_t call)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field(&ob__request__descriptor, call);
	const ProtobufCMessageDescriptor *d = f->descriptor;
	ProtobufCMessage *m = malloc(d->sizeof_message);

	if (!m)
		abort();
	protobuf_c_message_init(d, m);
	return m;
}

/* Where m's field `name` lives. */
static void *field(ProtobufCMessage *m, const char *name)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);

	if (!f) {
		fprintf(stderr, "ob_fuzz_seeds: %s has no field %s\n", m->descriptor->name, name);
		exit(1);
	}
	return (char *)m + f->offset;
}

/* A call whose message is one path: stat, unlink, rmdir, opendir, statvfs. */
static void fs_path_call(struct obz_seed *s, uint32_t call, const char *path)
{
	ProtobufCMessage *m = call_msg(call);

	*(char **)field(m, "path") = str(path);
	obz_seed_call(s, false, call, m);
	free(m);
}

/* A call whose message is one handle: close, fstat, fsync, closedir. */
static void fs_fd_call(struct obz_seed *s, uint32_t call, uint32_t fd)
{
	ProtobufCMessage *m = call_msg(call);

	*(uint32_t *)field(m, call == OB__REQUEST__CALL_FS_CLOSEDIR ? "dir" : "fd") = fd;
	obz_seed_call(s, false, call, m);
	free(m);
}

static void fs_write(struct obz_seed *s, uint32_t fd, const char *text)
{
	Ob__FsWrite m = OB__FS_WRITE__INIT;

	m.fd = fd, m.buf = bytes(text, strlen(text)), m.count = (uint32_t)strlen(text);
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_WRITE, &m);
}

static void fs_read(struct obz_seed *s, uint32_t fd, uint32_t count)
{
	Ob__FsRead m = OB__FS_READ__INIT;

	m.fd = fd, m.count = count;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_READ, &m);
}

static void fs_lseek(struct obz_seed *s, uint32_t fd, int64_t offset, uint32_t whence)
{
	Ob__FsLseek m = OB__FS_LSEEK__INIT;

	m.fd = fd, m.offset = offset, m.whence = whence;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_LSEEK, &m);
}

static void fs_readdir(struct obz_seed *s, uint32_t dir, uint32_t name_len)
{
	Ob__FsReaddir m = OB__FS_READDIR__INIT;

	m.dir = dir, m.name_len = name_len;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_READDIR, &m);
}

static void fs_rename(struct obz_seed *s, const char *from, const char *to)
{
	Ob__FsRename m;

	ob__fs_rename__init(&m);

	m.old_path = str(from), m.new_path = str(to);
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_RENAME, &m);
}

static void fs_mkdir(struct obz_seed *s, const char *path, uint32_t mode)
{
	Ob__FsMkdir m;

	ob__fs_mkdir__init(&m);

	m.path = str(path), m.mode = mode;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_MKDIR, &m);
}

#define RDWR_CREAT (OB__OPEN_FLAG__OPEN_RDWR | OB__OPEN_FLAG__OPEN_CREAT)

/* Every fs call once, on a file and a directory it made (handles 1 and 2). */
static void fs_session(struct obz_seed *s)
{
	Ob__FsPread pr = OB__FS_PREAD__INIT;
	Ob__FsPwrite pw = OB__FS_PWRITE__INIT;
	Ob__FsFtruncate tr = OB__FS_FTRUNCATE__INIT;

	obz_seed_hello(s);
	fs_mkdir(s, "d", 0755);
	fs_open(s, "d/f", RDWR_CREAT, 0644);
	fs_write(s, 1, "hello, world");
	fs_lseek(s, 1, 0, OB__WHENCE__WHENCE_SET);
	fs_read(s, 1, 64);
	pr.fd = 1, pr.count = 5, pr.offset = 7;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_PREAD, &pr);
	pw.fd = 1, pw.buf = bytes("XY", 2), pw.count = 2, pw.offset = 2;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_PWRITE, &pw);
	fs_fd_call(s, OB__REQUEST__CALL_FS_FSTAT, 1);
	tr.fd = 1, tr.length = 4;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_FTRUNCATE, &tr);
	fs_fd_call(s, OB__REQUEST__CALL_FS_FSYNC, 1);
	fs_path_call(s, OB__REQUEST__CALL_FS_STAT, "d/f");
	fs_path_call(s, OB__REQUEST__CALL_FS_OPENDIR, "d");
	fs_readdir(s, 2, 256);
	fs_readdir(s, 2, 2);
	fs_readdir(s, 2, 0);
	fs_fd_call(s, OB__REQUEST__CALL_FS_CLOSEDIR, 2);
	fs_rename(s, "d/f", "d/g");
	fs_path_call(s, OB__REQUEST__CALL_FS_STATVFS, "/");
	fs_fd_call(s, OB__REQUEST__CALL_FS_CLOSE, 1);
	fs_path_call(s, OB__REQUEST__CALL_FS_UNLINK, "d/g");
	fs_path_call(s, OB__REQUEST__CALL_FS_RMDIR, "d");
	obz_seed_stats_query(s);
}

static Ob__ShmSpan span(uint32_t offset, uint32_t length)
{
	Ob__ShmSpan sp = OB__SHM_SPAN__INIT;

	sp.offset = offset, sp.length = length;
	return sp;
}

/* Payloads through the shared region (fuzz_plugins maps OBZ_SHM_SIZE
 * bytes): writes from it, reads into it, and spans past its end, with
 * inline bytes too, and on calls without bytes. */
static void fs_shm(struct obz_seed *s)
{
	Ob__FsWrite w = OB__FS_WRITE__INIT;
	Ob__FsRead r = OB__FS_READ__INIT;
	Ob__FsPread pr = OB__FS_PREAD__INIT;
	Ob__FsPwrite pw = OB__FS_PWRITE__INIT;
	Ob__FsFsync sync = OB__FS_FSYNC__INIT;
	Ob__ShmSpan in = span(4096, 3000), out = span(8192, 4096);
	Ob__ShmSpan end = span(OBZ_SHM_SIZE - 64, 64), past = span(OBZ_SHM_SIZE - 64, 65);
	Ob__ShmSpan wrap = span(UINT32_MAX, 2);

	/* No Hello: one without an offer would drop the harness's region. */
	fs_open(s, "shm", RDWR_CREAT, 0644);
	w.fd = 1, w.count = 3000;
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_FS_WRITE, &w, &in, NULL);
	fs_lseek(s, 1, 0, OB__WHENCE__WHENCE_SET);
	r.fd = 1, r.count = 4096;
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_FS_READ, &r, NULL, &out);
	pr.fd = 1, pr.count = 64, pr.offset = 100;
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_FS_PREAD, &pr, NULL, &end);
	pr.count = 4096; /* more than the span holds: the result goes inline */
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_FS_PREAD, &pr, NULL, &end);
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_FS_PREAD, &pr, NULL, &past);
	pw.fd = 1, pw.count = 64, pw.offset = 10;
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_FS_PWRITE, &pw, &end, NULL);
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_FS_PWRITE, &pw, &wrap, NULL);
	pw.buf = bytes("both", 4); /* inline bytes and a span */
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_FS_PWRITE, &pw, &in, NULL);
	fs_fd_call(s, OB__REQUEST__CALL_FS_FSTAT, 1);
	sync.fd = 1; /* a call without bytes */
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_FS_FSYNC, &sync, &in, &out);
	fs_fd_call(s, OB__REQUEST__CALL_FS_CLOSE, 1);
	obz_seed_stats_query(s);
}

/* What the harness planted: a file to read, a directory, symlinks. */
static void fs_planted(struct obz_seed *s)
{
	obz_seed_hello(s);
	fs_open(s, "hello.txt", OB__OPEN_FLAG__OPEN_RDONLY, 0);
	fs_read(s, 1, 4);
	fs_read(s, 1, 4096);
	fs_read(s, 1, 4096);
	fs_lseek(s, 1, -3, OB__WHENCE__WHENCE_END);
	fs_open(s, "sub", OB__OPEN_FLAG__OPEN_RDONLY, 0);
	fs_path_call(s, OB__REQUEST__CALL_FS_OPENDIR, "/");
	for (int i = 0; i < 6; i++)
		fs_readdir(s, 2, 256);
	fs_path_call(s, OB__REQUEST__CALL_FS_STAT, "up");
	fs_path_call(s, OB__REQUEST__CALL_FS_STAT, "sub/");
	obz_seed_shutdown(s);
	fs_read(s, 1, 1);
}

/* Paths that lead out of the root unless the sandbox holds. */
static void fs_escape(struct obz_seed *s)
{
	uint32_t trunc = RDWR_CREAT | OB__OPEN_FLAG__OPEN_TRUNC;

	obz_seed_hello(s);
	fs_open(s, "../outside/canary", trunc, 0644);
	fs_open(s, "out/canary", trunc, 0644);
	fs_open(s, "up/outside/canary", trunc, 0644);
	fs_open(s, "abs/canary", trunc, 0644);
	fs_write(s, 1, "escaped");
	fs_rename(s, "hello.txt", "up/outside/x");
	fs_rename(s, "out/canary", "stolen");
	fs_mkdir(s, "up/escape", 0700);
	fs_path_call(s, OB__REQUEST__CALL_FS_UNLINK, "out/canary");
	fs_path_call(s, OB__REQUEST__CALL_FS_OPENDIR, "up/..");
	fs_readdir(s, 1, 256);
	fs_path_call(s, OB__REQUEST__CALL_FS_RMDIR, "/");
	fs_path_call(s, OB__REQUEST__CALL_FS_STATVFS, "..");
}

/* Flags and sizes at their edges. */
static void fs_edges(struct obz_seed *s)
{
	Ob__FsPwrite pw = OB__FS_PWRITE__INIT;
	Ob__FsFtruncate tr = OB__FS_FTRUNCATE__INIT;
	uint32_t excl = RDWR_CREAT | OB__OPEN_FLAG__OPEN_EXCL;

	obz_seed_hello(s);
	fs_open(s, "a", excl | OB__OPEN_FLAG__OPEN_APPEND, 0600);
	fs_open(s, "a", excl, 0600);
	fs_write(s, 1, "one");
	fs_lseek(s, 1, 0, OB__WHENCE__WHENCE_SET);
	fs_write(s, 1, "two");
	pw.fd = 1, pw.buf = bytes("far", 3), pw.count = 3, pw.offset = 1 << 20;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_PWRITE, &pw);
	tr.fd = 1, tr.length = -1;
	obz_seed_call(s, false, OB__REQUEST__CALL_FS_FTRUNCATE, &tr);
	fs_lseek(s, 1, INT64_MAX, OB__WHENCE__WHENCE_CUR);
	fs_read(s, 1, UINT32_MAX);
	fs_open(s, "a/", OB__OPEN_FLAG__OPEN_RDONLY, 0);
	fs_open(s, "", OB__OPEN_FLAG__OPEN_RDONLY, 0);
	fs_mkdir(s, "m", 0);
	fs_open(s, "m/x", RDWR_CREAT, 0);
	fs_fd_call(s, OB__REQUEST__CALL_FS_CLOSE, 7);
	fs_fd_call(s, OB__REQUEST__CALL_FS_CLOSEDIR, 1);
	obz_seed_ping(s, 42);
}

/* ------------------------------------------------------------- display */

/* A posted fill_rect, draw_rect (x, y, w, h) or draw_line (x0, y0, x1, y1). */
static void draw_posted(struct obz_seed *s, uint32_t call, int32_t a, int32_t b, int32_t c,
			int32_t d, uint32_t color)
{
	static const char *const rect[] = { "x", "y", "w", "h" };
	static const char *const line[] = { "x0", "y0", "x1", "y1" };
	const char *const *names = call == OB__REQUEST__CALL_DISPLAY_DRAW_LINE ? line : rect;
	ProtobufCMessage *m = call_msg(call);

	*(int32_t *)field(m, names[0]) = a;
	*(int32_t *)field(m, names[1]) = b;
	*(int32_t *)field(m, names[2]) = c;
	*(int32_t *)field(m, names[3]) = d;
	*(uint32_t *)field(m, "color") = color;
	obz_seed_call(s, true, call, m);
	free(m);
}

static void display_session(struct obz_seed *s)
{
	static const uint32_t xrgb[16] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffffff };
	static const uint16_t rgb565[6] = { 0xf800, 0x07e0, 0x001f, 0xffff };
	Ob__DisplayInfo info = OB__DISPLAY_INFO__INIT;
	Ob__DisplayClear clear = OB__DISPLAY_CLEAR__INIT;
	Ob__DisplayDrawText text;
	Ob__DisplayBlit blit = OB__DISPLAY_BLIT__INIT;
	Ob__DisplayPresent present = OB__DISPLAY_PRESENT__INIT;

	ob__display_draw_text__init(&text);
	obz_seed_hello(s);
	obz_seed_call(s, false, OB__REQUEST__CALL_DISPLAY_INFO, &info);
	clear.color = 0x203040;
	obz_seed_call(s, true, OB__REQUEST__CALL_DISPLAY_CLEAR, &clear);
	draw_posted(s, OB__REQUEST__CALL_DISPLAY_FILL_RECT, 2, 3, 10, 8, 0xff8000);
	draw_posted(s, OB__REQUEST__CALL_DISPLAY_DRAW_LINE, -5, 1, 70, 40, 0x00ff00);
	draw_posted(s, OB__REQUEST__CALL_DISPLAY_DRAW_RECT, 1, 1, 30, 20, 0xffffff);
	text.x = 1, text.y = 2, text.text = str("Hi!\nfuzz"), text.color = 0xffff00;
	obz_seed_call(s, true, OB__REQUEST__CALL_DISPLAY_DRAW_TEXT, &text);
	blit.x = 4, blit.y = 4, blit.w = 4, blit.h = 4, blit.stride = 16;
	blit.format = OB__PIXEL_FORMAT__PIXEL_FORMAT_XRGB8888;
	blit.pixels = bytes(xrgb, sizeof(xrgb));
	obz_seed_call(s, true, OB__REQUEST__CALL_DISPLAY_BLIT, &blit);
	blit.x = -1, blit.y = 40, blit.w = 3, blit.h = 2, blit.stride = 6;
	blit.format = OB__PIXEL_FORMAT__PIXEL_FORMAT_RGB565;
	blit.pixels = bytes(rgb565, sizeof(rgb565));
	obz_seed_call(s, true, OB__REQUEST__CALL_DISPLAY_BLIT, &blit);
	obz_seed_call(s, false, OB__REQUEST__CALL_DISPLAY_PRESENT, &present);
	draw_posted(s, OB__REQUEST__CALL_DISPLAY_FILL_RECT, INT32_MIN, INT32_MIN, INT32_MAX,
		    INT32_MAX, 1);
	obz_seed_call(s, false, OB__REQUEST__CALL_DISPLAY_PRESENT, &present);
	obz_seed_stats_query(s);
}

/* Blits whose pixels are in the shared region: a whole 64x64 tile, one
 * reaching the region's end, one past it. */
static void display_shm(struct obz_seed *s)
{
	Ob__DisplayBlit blit = OB__DISPLAY_BLIT__INIT;
	Ob__DisplayPresent present = OB__DISPLAY_PRESENT__INIT;
	Ob__ShmSpan tile = span(0, 64 * 64 * 4), end = span(OBZ_SHM_SIZE - 256, 256);
	Ob__ShmSpan past = span(OBZ_SHM_SIZE - 256, 512);

	/* No Hello: one without an offer would drop the harness's region. */
	blit.x = 0, blit.y = 0, blit.w = 64, blit.h = 64, blit.stride = 256;
	blit.format = OB__PIXEL_FORMAT__PIXEL_FORMAT_XRGB8888;
	obz_seed_call_shm(s, true, OB__REQUEST__CALL_DISPLAY_BLIT, &blit, &tile, NULL);
	blit.x = 10, blit.y = 200, blit.w = 16, blit.h = 4, blit.stride = 64;
	obz_seed_call_shm(s, true, OB__REQUEST__CALL_DISPLAY_BLIT, &blit, &end, NULL);
	obz_seed_call_shm(s, true, OB__REQUEST__CALL_DISPLAY_BLIT, &blit, &past, NULL);
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_DISPLAY_PRESENT, &present, NULL, &tile);
	obz_seed_call(s, false, OB__REQUEST__CALL_DISPLAY_PRESENT, &present);
	obz_seed_stats_query(s);
}

/* --------------------------------------------------------------- sound */

static void sound_open(struct obz_seed *s, uint32_t rate, uint32_t channels)
{
	Ob__SoundOpen m = OB__SOUND_OPEN__INIT;

	m.rate = rate, m.channels = channels;
	obz_seed_call(s, false, OB__REQUEST__CALL_SOUND_OPEN, &m);
}

static void sound_write(struct obz_seed *s, const void *data, uint32_t len)
{
	Ob__SoundWrite m = OB__SOUND_WRITE__INIT;

	m.buf = bytes(data, len), m.len = len;
	obz_seed_call(s, false, OB__REQUEST__CALL_SOUND_WRITE, &m);
}

static void sound_session(struct obz_seed *s)
{
	static const int16_t pcm[32] = { 0, 8000, 16000, 8000, 0, -8000, -16000, -8000 };
	Ob__SoundBeep beep = OB__SOUND_BEEP__INIT;
	Ob__SoundDrain drain = OB__SOUND_DRAIN__INIT;
	Ob__SoundClose close = OB__SOUND_CLOSE__INIT;

	obz_seed_hello(s);
	sound_open(s, 22050, 1);
	sound_write(s, pcm, sizeof(pcm));
	beep.freq_hz = 440, beep.ms = 20;
	obz_seed_call(s, true, OB__REQUEST__CALL_SOUND_BEEP, &beep);
	obz_seed_call(s, false, OB__REQUEST__CALL_SOUND_DRAIN, &drain);
	obz_seed_call(s, false, OB__REQUEST__CALL_SOUND_CLOSE, &close);
	sound_open(s, 44100, 2);
	sound_write(s, pcm, 6); /* not whole stereo frames */
	sound_write(s, pcm, 8);
	sound_open(s, 8000, 1); /* busy: another format */
	obz_seed_call(s, false, OB__REQUEST__CALL_SOUND_CLOSE, &close);
	obz_seed_call(s, false, OB__REQUEST__CALL_SOUND_CLOSE, &close);
	obz_seed_stats_query(s);
}

/* Sound buffers in the shared region. */
static void sound_shm(struct obz_seed *s)
{
	Ob__SoundWrite m = OB__SOUND_WRITE__INIT;
	Ob__SoundDrain drain = OB__SOUND_DRAIN__INIT;
	Ob__ShmSpan buf = span(1024, 4096), odd = span(7, 6), past = span(OBZ_SHM_SIZE, 2);

	/* No Hello: one without an offer would drop the harness's region. */
	sound_open(s, 22050, 1);
	m.len = 4096;
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_SOUND_WRITE, &m, &buf, NULL);
	m.len = 6;
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_SOUND_WRITE, &m, &odd, NULL);
	obz_seed_call_shm(s, false, OB__REQUEST__CALL_SOUND_WRITE, &m, &past, NULL);
	obz_seed_call(s, false, OB__REQUEST__CALL_SOUND_DRAIN, &drain);
	obz_seed_stats_query(s);
}

/* --------------------------------------------------------------- input */

static void input_session(struct obz_seed *s)
{
	Ob__InputConfigure cfg = OB__INPUT_CONFIGURE__INIT;

	obz_seed_hello(s);
	cfg.flags = 1;
	obz_seed_call(s, true, OB__REQUEST__CALL_INPUT_CONFIGURE, &cfg);
	obz_seed_ping(s, 1);
	obz_seed_call(s, true, OB__REQUEST__CALL_INPUT_CONFIGURE, &cfg);
	cfg.flags = 0xfffffffe;
	obz_seed_call(s, false, OB__REQUEST__CALL_INPUT_CONFIGURE, &cfg);
	obz_seed_stats_query(s);
}

/* ---------------------------------------------------------------- all */

static void write_session(const char *dir, uint8_t first, const char *name,
			  void (*session)(struct obz_seed *))
{
	struct obz_seed s;

	obz_seed_start(&s, first);
	session(&s);
	obz_seed_write(&s, dir, TARGET, name);
}

void obz_seeds_plugins(const char *dir)
{
	static const struct {
		const char *name;
		void (*session)(struct obz_seed *);
	} fs[] = {
		{ "session", fs_session },
		{ "planted", fs_planted },
		{ "escape", fs_escape },
		{ "edges", fs_edges },
		{ "shm", fs_shm },
	};
	static const struct {
		uint8_t first;
		const char *name;
	} fs_backends[] = {
		{ OBZ_FS_HOSTDIR, "fs-hostdir" },
		{ OBZ_FS_HOSTDIR | OBZ_VARIANT, "fs-hostdir-ro" },
		{ OBZ_FS_MEM, "fs-mem" },
		{ OBZ_FS_MEM | OBZ_VARIANT, "fs-mem-4k" },
	};
	char name[64];

	for (size_t b = 0; b < sizeof(fs_backends) / sizeof(fs_backends[0]); b++)
		for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
			snprintf(name, sizeof(name), "%s-%s", fs_backends[b].name, fs[i].name);
			write_session(dir, fs_backends[b].first, name, fs[i].session);
		}
	write_session(dir, OBZ_DISPLAY_PNG, "display-png", display_session);
	write_session(dir, OBZ_DISPLAY_PNG | OBZ_VARIANT, "display-png-interval", display_session);
	write_session(dir, OBZ_DISPLAY_NULL, "display-null", display_session);
	write_session(dir, OBZ_DISPLAY_PNG, "display-png-shm", display_shm);
	write_session(dir, OBZ_DISPLAY_NULL, "display-null-shm", display_shm);
	write_session(dir, OBZ_DISPLAY_NULL | OBZ_VARIANT, "display-null-wide", display_session);
	write_session(dir, OBZ_SOUND_WAV, "sound-wav", sound_session);
	write_session(dir, OBZ_SOUND_WAV | OBZ_VARIANT, "sound-wav-realtime", sound_session);
	write_session(dir, OBZ_SOUND_NULL, "sound-null", sound_session);
	write_session(dir, OBZ_SOUND_WAV, "sound-wav-shm", sound_shm);
	write_session(dir, OBZ_INPUT_SCRIPT, "input-script", input_session);
}
