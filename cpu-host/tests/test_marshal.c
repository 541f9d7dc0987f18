/*
 * Unit tests of the generic marshaller (src/marshal.c) over a real Unicorn
 * engine and guest address space: requests built from guest registers and
 * memory (checked after a pack/unpack round trip, as the plugin sees them),
 * replies written back into guest memory with the ABI's layout, and the
 * error paths a broken plugin or a bad guest pointer take.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "marshal.h"
#include "mem.h"
#include "outboard/errno.h"

/* Guest memory: two adjacent but separate read+write regions (a buffer
 * across their boundary cannot be used in place), a read-only page, a
 * write-only page; 0x50000 is unmapped. */
#define RW_A 0x20000u     /* 2 pages */
#define RW_B 0x22000u     /* 1 page, right after RW_A */
#define RO 0x30000u
#define WO 0x40000u
#define UNMAPPED 0x50000u

struct fx {
	uc_engine *uc;
	struct obh_mem *m;
};

static int setup(void **state)
{
	static struct fx f;
	assert_int_equal(obh_marshal_init(), 0);
	assert_int_equal(uc_open(UC_ARCH_ARM, UC_MODE_ARM, &f.uc), UC_ERR_OK);
	assert_int_equal(obh_mem_create(f.uc, &f.m), 0);
	assert_int_equal(obh_mem_map(f.m, RW_A, 0x2000, OBH_PROT_R | OBH_PROT_W, "a"), 0);
	assert_int_equal(obh_mem_map(f.m, RW_B, 0x1000, OBH_PROT_R | OBH_PROT_W, "b"), 0);
	assert_int_equal(obh_mem_map(f.m, RO, 0x1000, OBH_PROT_R, "ro"), 0);
	assert_int_equal(obh_mem_map(f.m, WO, 0x1000, OBH_PROT_W, "wo"), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	obh_mem_destroy(f->m);
	uc_close(f->uc);
	return 0;
}

static struct obh_mem *M(void **state)
{
	return ((struct fx *)*state)->m;
}

static const struct obh_call *call(const char *name)
{
	const struct obh_call *c = obh_call_by_name(name);
	if (!c)
		fail_msg("no call %s", name);
	return c;
}

/* The request as the plugin receives it: packed and unpacked. The caller
 * frees it with ob__request__free_unpacked. */
static Ob__Request *round_trip(const struct obh_marshalled *m)
{
	size_t len = protobuf_c_message_get_packed_size(&m->req.base);
	uint8_t *buf = malloc(len ? len : 1);
	assert_non_null(buf);
	assert_int_equal(protobuf_c_message_pack(&m->req.base, buf), len);
	Ob__Request *r = ob__request__unpack(NULL, len, buf);
	free(buf);
	assert_non_null(r);
	return r;
}

static void fill(struct obh_mem *m, uint32_t addr, uint8_t byte, uint32_t len)
{
	uint8_t buf[256];
	assert_true(len <= sizeof(buf));
	memset(buf, byte, len);
	assert_int_equal(obh_mem_poke(m, addr, buf, len), 0);
}

/* ---- requests ---- */

static void test_init_idempotent(void **state)
{
	(void)state;
	assert_int_equal(obh_marshal_init(), 0);
	assert_int_equal(obh_marshal_init(), 0);
}

static void test_request_open(void **state)
{
	struct obh_mem *mem = M(state);
	static const char path[] = "dir/file.txt";
	assert_int_equal(obh_mem_write(mem, RW_A, path, sizeof(path)), 0);
	/* As the dispatcher does: the string is copied out of the guest. */
	char *str[OBH_MAX_ARGS] = { 0 };
	str[0] = malloc(OBH_STR_MAX);
	assert_non_null(str[0]);
	assert_int_equal(obh_mem_read_str(mem, RW_A, str[0], OBH_STR_MAX), (int)strlen(path));
	uint32_t v[OBH_MAX_ARGS] = { RW_A, 0x601, 0644 };

	struct obh_marshalled m;
	assert_int_equal(obh_marshal_request(mem, call("open"), v, str, &m), 0);
	assert_int_equal(m.req.call_case, OB__REQUEST__CALL_FS_OPEN);
	Ob__Request *r = round_trip(&m);
	assert_int_equal(r->call_case, OB__REQUEST__CALL_FS_OPEN);
	assert_non_null(r->fs_open);
	assert_string_equal(r->fs_open->path, path);
	assert_int_equal(r->fs_open->flags, 0x601);
	assert_int_equal(r->fs_open->mode, 0644);
	ob__request__free_unpacked(r, NULL);
	obh_marshal_done(&m);
	/* The string stays the caller's. */
	assert_string_equal(str[0], path);
	free(str[0]);
}

static void test_request_write_in_place(void **state)
{
	struct obh_mem *mem = M(state);
	static const char text[] = "hello world";
	assert_int_equal(obh_mem_write(mem, RW_A + 0x100, text, 11), 0);
	char *str[OBH_MAX_ARGS] = { 0 };
	uint32_t v[OBH_MAX_ARGS] = { 7 /* the plugin's fd */, RW_A + 0x100, 11 };

	struct obh_marshalled m;
	assert_int_equal(obh_marshal_request(mem, call("write"), v, str, &m), 0);
	/* One region: the bytes are sent straight from guest memory. */
	assert_ptr_equal(m.req.fs_write->buf.data,
			 obh_mem_host_ptr(mem, RW_A + 0x100, 11, OBH_PROT_R));
	assert_null(m.copies[1]);
	Ob__Request *r = round_trip(&m);
	assert_int_equal(r->call_case, OB__REQUEST__CALL_FS_WRITE);
	assert_int_equal(r->fs_write->fd, 7);
	assert_int_equal(r->fs_write->count, 11);
	assert_int_equal(r->fs_write->buf.len, 11);
	assert_memory_equal(r->fs_write->buf.data, text, 11);
	ob__request__free_unpacked(r, NULL);
	obh_marshal_done(&m);
}

static void test_request_buffer_across_regions(void **state)
{
	struct obh_mem *mem = M(state);
	uint8_t bytes[16];
	for (int i = 0; i < 16; i++)
		bytes[i] = (uint8_t)(0xa0 + i);
	uint32_t at = RW_B - 8; /* 8 bytes in region a, 8 in region b */
	assert_int_equal(obh_mem_write(mem, at, bytes, 16), 0);
	char *str[OBH_MAX_ARGS] = { 0 };
	uint32_t v[OBH_MAX_ARGS] = { 3, at, 16, (uint32_t)-5 };

	struct obh_marshalled m;
	assert_int_equal(obh_marshal_request(mem, call("pwrite"), v, str, &m), 0);
	assert_non_null(m.copies[1]); /* copied out, not in place */
	Ob__Request *r = round_trip(&m);
	assert_int_equal(r->call_case, OB__REQUEST__CALL_FS_PWRITE);
	assert_int_equal(r->fs_pwrite->buf.len, 16);
	assert_memory_equal(r->fs_pwrite->buf.data, bytes, 16);
	/* An int32 argument in an int64 field keeps its sign. */
	assert_true(r->fs_pwrite->offset == -5);
	ob__request__free_unpacked(r, NULL);
	obh_marshal_done(&m);
	assert_null(m.copies[1]); /* done frees and clears */
}

static void test_request_numbers(void **state)
{
	struct obh_mem *mem = M(state);
	char *str[OBH_MAX_ARGS] = { 0 };
	struct obh_marshalled m;

	uint32_t seek[OBH_MAX_ARGS] = { 4, 0x80000000u, 2 };
	assert_int_equal(obh_marshal_request(mem, call("lseek"), seek, str, &m), 0);
	Ob__Request *r = round_trip(&m);
	assert_true(r->fs_lseek->offset == INT32_MIN);
	assert_int_equal(r->fs_lseek->whence, 2);
	assert_int_equal(r->fs_lseek->fd, 4);
	ob__request__free_unpacked(r, NULL);
	obh_marshal_done(&m);

	/* uint32 arguments stay unsigned. */
	uint32_t rd[OBH_MAX_ARGS] = { 0xfffffff0u, RW_A, 0x80000000u };
	assert_int_equal(obh_marshal_request(mem, call("read"), rd, str, &m), 0);
	r = round_trip(&m);
	assert_int_equal(r->fs_read->fd, 0xfffffff0u);
	assert_int_equal(r->fs_read->count, 0x80000000u);
	ob__request__free_unpacked(r, NULL);
	obh_marshal_done(&m);

	/* Posted drawing: signed coordinates. */
	uint32_t fr[OBH_MAX_ARGS] = { (uint32_t)-3, 4, 100, 50, 0x00ff8000 };
	assert_int_equal(obh_marshal_request(mem, call("display_fill_rect"), fr, str, &m), 0);
	r = round_trip(&m);
	assert_int_equal(r->call_case, OB__REQUEST__CALL_DISPLAY_FILL_RECT);
	assert_int_equal(r->display_fill_rect->x, -3);
	assert_int_equal(r->display_fill_rect->y, 4);
	assert_int_equal(r->display_fill_rect->w, 100);
	assert_int_equal(r->display_fill_rect->h, 50);
	assert_int_equal(r->display_fill_rect->color, 0x00ff8000);
	ob__request__free_unpacked(r, NULL);
	obh_marshal_done(&m);
}

static void test_request_rows(void **state)
{
	struct obh_mem *mem = M(state);
	uint8_t px[3 * 8];
	for (unsigned i = 0; i < sizeof(px); i++)
		px[i] = (uint8_t)i;
	assert_int_equal(obh_mem_write(mem, RW_A + 0x200, px, sizeof(px)), 0);
	char *str[OBH_MAX_ARGS] = { 0 };
	/* x, y, w, h, format, stride, pixels: 3 rows of 8 bytes. */
	uint32_t v[OBH_MAX_ARGS] = { 1, 2, 2, 3, 1, 8, RW_A + 0x200 };

	struct obh_marshalled m;
	assert_int_equal(obh_marshal_request(mem, call("display_blit"), v, str, &m), 0);
	Ob__Request *r = round_trip(&m);
	assert_int_equal(r->call_case, OB__REQUEST__CALL_DISPLAY_BLIT);
	assert_int_equal(r->display_blit->h, 3);
	assert_int_equal(r->display_blit->stride, 8);
	assert_int_equal(r->display_blit->pixels.len, sizeof(px));
	assert_memory_equal(r->display_blit->pixels.data, px, sizeof(px));
	ob__request__free_unpacked(r, NULL);
	obh_marshal_done(&m);
}

static void test_request_empty_buffer(void **state)
{
	struct obh_mem *mem = M(state);
	char *str[OBH_MAX_ARGS] = { 0 };
	/* A zero-length buffer needs no memory at all, even at 0. */
	uint32_t v[OBH_MAX_ARGS] = { 0, 0 };
	struct obh_marshalled m;
	assert_int_equal(obh_marshal_request(mem, call("sound_write"), v, str, &m), 0);
	Ob__Request *r = round_trip(&m);
	assert_int_equal(r->call_case, OB__REQUEST__CALL_SOUND_WRITE);
	assert_int_equal(r->sound_write->buf.len, 0);
	assert_int_equal(r->sound_write->len, 0);
	ob__request__free_unpacked(r, NULL);
	obh_marshal_done(&m);
}

static void test_request_bad_buffer(void **state)
{
	struct obh_mem *mem = M(state);
	char *str[OBH_MAX_ARGS] = { 0 };
	struct obh_marshalled m;
	static const uint32_t bad[] = {
		UNMAPPED,    /* nothing there */
		WO,          /* not readable */
		RW_B + 0xffc, /* runs off the end of the last region */
		0xfffffffcu, /* wraps past 4 GiB */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t v[OBH_MAX_ARGS] = { 3, bad[i], 8 };
		assert_int_equal(obh_marshal_request(mem, call("write"), v, str, &m), -EFAULT);
		obh_marshal_done(&m); /* the dispatcher's cleanup after a failure */
	}
}

static void test_request_kernel_call_has_no_plan(void **state)
{
	struct obh_mem *mem = M(state);
	char *str[OBH_MAX_ARGS] = { 0 };
	uint32_t v[OBH_MAX_ARGS] = { 1, (uint32_t)-1 };
	struct obh_marshalled m;
	assert_int_equal(obh_marshal_request(mem, call("mutex_lock"), v, str, &m), -ENOSYS);
	obh_marshal_done(&m);
}

/* ---- replies ---- */

static void test_reply_out_buf(void **state)
{
	struct obh_mem *mem = M(state);
	uint32_t buf = RW_A + 0x400;
	fill(mem, buf, 0xaa, 32);
	Ob__FsReadResult res = OB__FS_READ_RESULT__INIT;
	static uint8_t hello[] = "hello", sixteen[] = "0123456789abcdef";
	res.buf.data = hello;
	res.buf.len = 5;
	Ob__Reply rep = OB__REPLY__INIT;
	rep.result_case = OB__REPLY__RESULT_FS_READ;
	rep.fs_read = &res;
	uint32_t v[OBH_MAX_ARGS] = { 3, buf, 16 };
	int64_t ret = -1;

	assert_int_equal(obh_marshal_reply(mem, call("read"), v, &rep, &ret), 5);
	assert_int_equal(ret, 0); /* FsReadResult has no ret field */
	uint8_t got[16];
	assert_int_equal(obh_mem_read(mem, buf, got, sizeof(got)), 0);
	assert_memory_equal(got, "hello", 5);
	assert_int_equal(got[5], 0xaa); /* nothing past what was read */

	/* Exactly the capacity is fine; an empty result reads 0. */
	res.buf.data = sixteen;
	res.buf.len = 16;
	assert_int_equal(obh_marshal_reply(mem, call("read"), v, &rep, &ret), 16);
	res.buf.data = NULL;
	res.buf.len = 0;
	assert_int_equal(obh_marshal_reply(mem, call("read"), v, &rep, &ret), 0);
}

static void test_reply_bigger_than_buffer(void **state)
{
	struct obh_mem *mem = M(state);
	uint32_t buf = RW_A + 0x400;
	fill(mem, buf, 0xaa, 32);
	Ob__FsPreadResult res = OB__FS_PREAD_RESULT__INIT;
	static uint8_t seventeen[] = "0123456789abcdefX";
	res.buf.data = seventeen;
	res.buf.len = 17;
	Ob__Reply rep = OB__REPLY__INIT;
	rep.result_case = OB__REPLY__RESULT_FS_PREAD;
	rep.fs_pread = &res;
	uint32_t v[OBH_MAX_ARGS] = { 3, buf, 16, 0 };
	int64_t ret;

	assert_int_equal(obh_marshal_reply(mem, call("pread"), v, &rep, &ret), -OB_ABI_EIO);
	/* Not even the first 16 bytes were written. */
	uint8_t got[32];
	assert_int_equal(obh_mem_read(mem, buf, got, sizeof(got)), 0);
	for (int i = 0; i < 32; i++)
		assert_int_equal(got[i], 0xaa);
}

static void test_reply_out_str(void **state)
{
	struct obh_mem *mem = M(state);
	uint32_t name = RW_A + 0x500;
	fill(mem, name, 0xaa, 32);
	Ob__FsReaddirResult res = OB__FS_READDIR_RESULT__INIT;
	res.ret = 1;
	static char entry[] = "entry.txt", empty[] = "";
	res.name = entry;
	Ob__Reply rep = OB__REPLY__INIT;
	rep.result_case = OB__REPLY__RESULT_FS_READDIR;
	rep.fs_readdir = &res;
	int64_t ret;

	uint32_t v[OBH_MAX_ARGS] = { 2, name, 32 };
	assert_int_equal(obh_marshal_reply(mem, call("readdir"), v, &rep, &ret), 1);
	assert_int_equal(ret, 1);
	char got[12];
	assert_int_equal(obh_mem_read(mem, name, got, sizeof(got)), 0);
	assert_string_equal(got, "entry.txt"); /* NUL-terminated */
	assert_int_equal((uint8_t)got[10], 0xaa);

	v[2] = 10; /* exactly name + NUL */
	assert_int_equal(obh_marshal_reply(mem, call("readdir"), v, &rep, &ret), 1);
	v[2] = 9; /* no room for the NUL */
	assert_int_equal(obh_marshal_reply(mem, call("readdir"), v, &rep, &ret),
			 -OB_ABI_ENAMETOOLONG);

	/* The end of the directory: ret 0 and an empty name. */
	res.ret = 0;
	res.name = empty;
	v[2] = 32;
	assert_int_equal(obh_marshal_reply(mem, call("readdir"), v, &rep, &ret), 0);
	assert_int_equal(obh_mem_read(mem, name, got, 1), 0);
	assert_int_equal(got[0], '\0');
}

static uint64_t guest_le(struct obh_mem *mem, uint32_t addr, unsigned size)
{
	uint8_t b[8];
	assert_int_equal(obh_mem_read(mem, addr, b, size), 0);
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static void test_reply_out_struct_file_stat(void **state)
{
	struct obh_mem *mem = M(state);
	uint32_t st = RW_A + 0x600;
	fill(mem, st, 0xaa, 64);
	Ob__FileStat fs = OB__FILE_STAT__INIT;
	fs.type = 1;
	fs.mode = 0644;
	fs.size = 0x123456789ull;
	fs.mtime_ns = 0x1111111122222222ull;
	fs.atime_ns = 0x3333333344444444ull;
	fs.ctime_ns = 0x5555555566666666ull;
	fs.nlink = 2;
	fs.blksize = 4096;
	fs.ino = 0xfedcba9876543210ull;
	Ob__FsFstatResult res = OB__FS_FSTAT_RESULT__INIT;
	res.st = &fs;
	Ob__Reply rep = OB__REPLY__INIT;
	rep.result_case = OB__REPLY__RESULT_FS_FSTAT;
	rep.fs_fstat = &res;
	uint32_t v[OBH_MAX_ARGS] = { 3, st };
	int64_t ret;

	assert_int_equal(obh_marshal_reply(mem, call("fstat"), v, &rep, &ret), 0);
	/* struct ob_file_stat (docs/abi.md, outboard_calls.h). */
	assert_int_equal(guest_le(mem, st + 0, 4), 1);
	assert_int_equal(guest_le(mem, st + 4, 4), 0644);
	assert_true(guest_le(mem, st + 8, 8) == 0x123456789ull);
	assert_true(guest_le(mem, st + 16, 8) == 0x1111111122222222ull);
	assert_true(guest_le(mem, st + 24, 8) == 0x3333333344444444ull);
	assert_true(guest_le(mem, st + 32, 8) == 0x5555555566666666ull);
	assert_int_equal(guest_le(mem, st + 40, 4), 2);
	assert_int_equal(guest_le(mem, st + 44, 4), 4096);
	assert_true(guest_le(mem, st + 48, 8) == 0xfedcba9876543210ull);
	assert_int_equal(guest_le(mem, st + 56, 1), 0xaa); /* 56 bytes, no more */

	/* A result without its struct is a broken plugin. */
	res.st = NULL;
	assert_int_equal(obh_marshal_reply(mem, call("fstat"), v, &rep, &ret), -OB_ABI_EIO);
}

static void test_reply_out_struct_others(void **state)
{
	struct obh_mem *mem = M(state);
	uint32_t at = RW_A + 0x700;
	int64_t ret;

	fill(mem, at, 0xaa, 64);
	Ob__FsSpace sp = OB__FS_SPACE__INIT;
	sp.block_size = 4096;
	sp.name_max = 255;
	sp.total_blocks = 1000;
	sp.free_blocks = 600;
	sp.avail_blocks = 500;
	sp.files = 77;
	sp.free_files = 0x100000000ull;
	Ob__FsStatvfsResult svr = OB__FS_STATVFS_RESULT__INIT;
	svr.st = &sp;
	Ob__Reply rep = OB__REPLY__INIT;
	rep.result_case = OB__REPLY__RESULT_FS_STATVFS;
	rep.fs_statvfs = &svr;
	uint32_t v[OBH_MAX_ARGS] = { RW_A, at };
	assert_int_equal(obh_marshal_reply(mem, call("statvfs"), v, &rep, &ret), 0);
	assert_int_equal(guest_le(mem, at + 0, 4), 4096);
	assert_int_equal(guest_le(mem, at + 4, 4), 255);
	assert_int_equal(guest_le(mem, at + 8, 8), 1000);
	assert_int_equal(guest_le(mem, at + 16, 8), 600);
	assert_int_equal(guest_le(mem, at + 24, 8), 500);
	assert_int_equal(guest_le(mem, at + 32, 8), 77);
	assert_true(guest_le(mem, at + 40, 8) == 0x100000000ull);
	assert_int_equal(guest_le(mem, at + 48, 1), 0xaa);

	fill(mem, at, 0xaa, 64);
	Ob__DisplayMode dm = OB__DISPLAY_MODE__INIT;
	dm.width = 320;
	dm.height = 240;
	dm.format = 1;
	dm.font_width = 8;
	dm.font_height = 16;
	Ob__DisplayInfoResult dir = OB__DISPLAY_INFO_RESULT__INIT;
	dir.info = &dm;
	Ob__Reply rep2 = OB__REPLY__INIT;
	rep2.result_case = OB__REPLY__RESULT_DISPLAY_INFO;
	rep2.display_info = &dir;
	uint32_t v2[OBH_MAX_ARGS] = { at };
	assert_int_equal(obh_marshal_reply(mem, call("display_info"), v2, &rep2, &ret), 0);
	assert_int_equal(guest_le(mem, at + 0, 4), 320);
	assert_int_equal(guest_le(mem, at + 4, 4), 240);
	assert_int_equal(guest_le(mem, at + 8, 4), 1);
	assert_int_equal(guest_le(mem, at + 12, 4), 8);
	assert_int_equal(guest_le(mem, at + 16, 4), 16);
	assert_int_equal(guest_le(mem, at + 20, 1), 0xaa);
}

static void test_reply_unwritable(void **state)
{
	struct obh_mem *mem = M(state);
	int64_t ret;
	Ob__FsReadResult res = OB__FS_READ_RESULT__INIT;
	static uint8_t abc[] = "abc";
	res.buf.data = abc;
	res.buf.len = 3;
	Ob__Reply rep = OB__REPLY__INIT;
	rep.result_case = OB__REPLY__RESULT_FS_READ;
	rep.fs_read = &res;
	static const uint32_t bad[] = { RO, UNMAPPED, RW_B + 0xffe };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t v[OBH_MAX_ARGS] = { 3, bad[i], 16 };
		assert_int_equal(obh_marshal_reply(mem, call("read"), v, &rep, &ret),
				 -OB_ABI_EFAULT);
	}

	Ob__FileStat fs = OB__FILE_STAT__INIT;
	Ob__FsStatResult sr = OB__FS_STAT_RESULT__INIT;
	sr.st = &fs;
	Ob__Reply rep2 = OB__REPLY__INIT;
	rep2.result_case = OB__REPLY__RESULT_FS_STAT;
	rep2.fs_stat = &sr;
	uint32_t v2[OBH_MAX_ARGS] = { RW_A, RO };
	assert_int_equal(obh_marshal_reply(mem, call("stat"), v2, &rep2, &ret), -OB_ABI_EFAULT);
	v2[1] = RW_B + 0x1000 - 8; /* the struct's tail would be past the end */
	assert_int_equal(obh_marshal_reply(mem, call("stat"), v2, &rep2, &ret), -OB_ABI_EFAULT);
}

static void test_reply_ret(void **state)
{
	struct obh_mem *mem = M(state);
	int64_t ret = 0;
	Ob__FsOpenResult res = OB__FS_OPEN_RESULT__INIT;
	Ob__Reply rep = OB__REPLY__INIT;
	rep.result_case = OB__REPLY__RESULT_FS_OPEN;
	rep.fs_open = &res;
	uint32_t v[OBH_MAX_ARGS] = { RW_A, 0, 0 };

	res.ret = 5;
	assert_int_equal(obh_marshal_reply(mem, call("open"), v, &rep, &ret), 5);
	assert_int_equal(ret, 5);
	res.ret = INT32_MAX;
	assert_int_equal(obh_marshal_reply(mem, call("open"), v, &rep, &ret), INT32_MAX);

	/* Failure is status, never a negative ret. */
	res.ret = -3;
	assert_int_equal(obh_marshal_reply(mem, call("open"), v, &rep, &ret), -OB_ABI_EIO);
	/* r0 is 32 bits. */
	res.ret = (int64_t)INT32_MAX + 1;
	assert_int_equal(obh_marshal_reply(mem, call("open"), v, &rep, &ret), -OB_ABI_EOVERFLOW);

	/* A result without fields: r0 is 0. */
	Ob__FsCloseResult cr = OB__FS_CLOSE_RESULT__INIT;
	Ob__Reply rep2 = OB__REPLY__INIT;
	rep2.result_case = OB__REPLY__RESULT_FS_CLOSE;
	rep2.fs_close = &cr;
	uint32_t v2[OBH_MAX_ARGS] = { 3 };
	assert_int_equal(obh_marshal_reply(mem, call("close"), v2, &rep2, &ret), 0);
	assert_int_equal(ret, 0);
}

static void test_reply_wrong_or_missing_result(void **state)
{
	struct obh_mem *mem = M(state);
	int64_t ret;
	uint32_t buf = RW_A + 0x400;
	fill(mem, buf, 0xaa, 16);
	uint32_t v[OBH_MAX_ARGS] = { 3, buf, 16 };

	/* read answered with a write's result */
	Ob__FsWriteResult wr = OB__FS_WRITE_RESULT__INIT;
	wr.ret = 4;
	Ob__Reply rep = OB__REPLY__INIT;
	rep.result_case = OB__REPLY__RESULT_FS_WRITE;
	rep.fs_write = &wr;
	assert_int_equal(obh_marshal_reply(mem, call("read"), v, &rep, &ret), -OB_ABI_EIO);

	/* no result at all */
	Ob__Reply none = OB__REPLY__INIT;
	assert_int_equal(obh_marshal_reply(mem, call("read"), v, &none, &ret), -OB_ABI_EIO);

	/* the right case with a NULL message */
	Ob__Reply null_res = OB__REPLY__INIT;
	null_res.result_case = OB__REPLY__RESULT_FS_READ;
	null_res.fs_read = NULL;
	assert_int_equal(obh_marshal_reply(mem, call("read"), v, &null_res, &ret), -OB_ABI_EIO);

	/* The guest's buffer is untouched by all of them. */
	assert_int_equal(guest_le(mem, buf, 4), 0xaaaaaaaa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_idempotent),
		cmocka_unit_test(test_request_open),
		cmocka_unit_test(test_request_write_in_place),
		cmocka_unit_test(test_request_buffer_across_regions),
		cmocka_unit_test(test_request_numbers),
		cmocka_unit_test(test_request_rows),
		cmocka_unit_test(test_request_empty_buffer),
		cmocka_unit_test(test_request_bad_buffer),
		cmocka_unit_test(test_request_kernel_call_has_no_plan),
		cmocka_unit_test(test_reply_out_buf),
		cmocka_unit_test(test_reply_bigger_than_buffer),
		cmocka_unit_test(test_reply_out_str),
		cmocka_unit_test(test_reply_out_struct_file_stat),
		cmocka_unit_test(test_reply_out_struct_others),
		cmocka_unit_test(test_reply_unwritable),
		cmocka_unit_test(test_reply_ret),
		cmocka_unit_test(test_reply_wrong_or_missing_result),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
