/*
 * Unit tests of the guest struct layout (src/layout.c). The expected sizes
 * and offsets below are the ABI: the generated SDK header asserts the same
 * numbers (OB_STATIC_ASSERT in outboard_calls.h) and guest programs are
 * compiled against them, so a change in layout.c or in proto/ that moves a
 * field breaks this test before it breaks a guest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "display.pb-c.h"
#include "fs.pb-c.h"
#include "input.pb-c.h"
#include "layout.h"

struct field_want {
	const char *name;
	uint32_t offset;
	uint32_t size;
};

struct layout_want {
	const ProtobufCMessageDescriptor *d;
	const char *c_struct; /* the SDK header's name, for messages */
	uint32_t size;
	unsigned n;
	struct field_want f[10];
};

static const struct layout_want wants[] = {
	{ &ob__file_stat__descriptor, "struct ob_file_stat", 56, 9,
	  { { "type", 0, 4 }, { "mode", 4, 4 }, { "size", 8, 8 }, { "mtime_ns", 16, 8 },
	    { "atime_ns", 24, 8 }, { "ctime_ns", 32, 8 }, { "nlink", 40, 4 },
	    { "blksize", 44, 4 }, { "ino", 48, 8 } } },
	{ &ob__fs_space__descriptor, "struct ob_fs_space", 48, 7,
	  { { "block_size", 0, 4 }, { "name_max", 4, 4 }, { "total_blocks", 8, 8 },
	    { "free_blocks", 16, 8 }, { "avail_blocks", 24, 8 }, { "files", 32, 8 },
	    { "free_files", 40, 8 } } },
	{ &ob__input_event__descriptor, "struct ob_input_event", 24, 5,
	  { { "kind", 0, 4 }, { "key", 4, 4 }, { "x", 8, 4 }, { "y", 12, 4 },
	    { "time_ms", 16, 8 } } },
	{ &ob__display_mode__descriptor, "struct ob_display_mode", 20, 5,
	  { { "width", 0, 4 }, { "height", 4, 4 }, { "format", 8, 4 }, { "font_width", 12, 4 },
	    { "font_height", 16, 4 } } },
	{ &ob__input_stats__descriptor, "struct ob_input_stats", 24, 4,
	  { { "queued", 0, 4 }, { "capacity", 4, 4 }, { "delivered", 8, 8 },
	    { "dropped", 16, 8 } } },
};

static void check_layout(const struct layout_want *w)
{
	const ProtobufCMessageDescriptor *d = w->d;
	if (d->n_fields != w->n)
		fail_msg("%s: %u fields, the ABI has %u", w->c_struct, d->n_fields, w->n);
	if (obh_layout_size(d) != w->size)
		fail_msg("%s: size %u, the ABI says %u", w->c_struct, obh_layout_size(d), w->size);
	for (unsigned i = 0; i < w->n; i++) {
		const struct field_want *f = &w->f[i];
		if (strcmp(d->fields[i].name, f->name) != 0)
			fail_msg("%s: field %u is %s, the ABI has %s", w->c_struct, i,
				 d->fields[i].name, f->name);
		if (obh_layout_offset(d, i) != f->offset)
			fail_msg("%s.%s: offset %u, the ABI says %u", w->c_struct, f->name,
				 obh_layout_offset(d, i), f->offset);
		if (obh_layout_field_size(&d->fields[i]) != f->size)
			fail_msg("%s.%s: size %u, the ABI says %u", w->c_struct, f->name,
				 obh_layout_field_size(&d->fields[i]), f->size);
	}
}

static void test_abi_layouts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++)
		check_layout(&wants[i]);
}

static uint64_t get_le(const uint8_t *p, uint32_t size)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Fill every field of m with a distinct value that uses all its bytes,
 * encode it, and read each field back from its ABI offset. */
static void check_encode(const struct layout_want *w)
{
	const ProtobufCMessageDescriptor *d = w->d;
	uint8_t msg_mem[512] __attribute__((aligned(16)));
	uint8_t out[256];
	assert_true(d->sizeof_message <= sizeof(msg_mem));
	ProtobufCMessage *m = (ProtobufCMessage *)msg_mem;
	d->message_init(m);
	for (unsigned i = 0; i < d->n_fields; i++) {
		uint8_t *at = msg_mem + d->fields[i].offset;
		uint64_t v64 = 0x0102030405060708ull * (i + 1) + 0x8000000000000000ull;
		uint32_t v32 = 0x81020304u + 0x01010101u * i;
		if (obh_layout_field_size(&d->fields[i]) == 8)
			memcpy(at, &v64, 8);
		else
			memcpy(at, &v32, 4);
	}
	memset(out, 0xee, sizeof(out));
	assert_int_equal(obh_layout_encode(d, m, out), 0);
	for (unsigned i = 0; i < w->n; i++) {
		const struct field_want *f = &w->f[i];
		uint64_t want = f->size == 8 ? 0x0102030405060708ull * (i + 1) + 0x8000000000000000ull
					     : 0x81020304u + 0x01010101u * i;
		if (get_le(out + f->offset, f->size) != want)
			fail_msg("%s.%s encoded wrong", w->c_struct, f->name);
	}
	/* Nothing past the size is written. */
	assert_int_equal(out[w->size], 0xee);
}

static void test_encode(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++)
		check_encode(&wants[i]);
}

static void test_not_laid_out(void **state)
{
	(void)state;
	/* Messages with strings, bytes or sub-messages have no guest struct. */
	const ProtobufCMessageDescriptor *no[] = {
		&ob__fs_open__descriptor,        /* string */
		&ob__fs_read_result__descriptor, /* bytes */
		&ob__fs_stat_result__descriptor, /* message */
	};
	uint8_t out[64];
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_int_equal(obh_layout_size(no[i]), 0);
		assert_int_equal(obh_layout_offset(no[i], 0), 0);
		assert_int_equal(obh_layout_encode(no[i], NULL, out), -EINVAL);
	}
	/* A field index past the end has no offset. */
	assert_int_equal(obh_layout_offset(&ob__file_stat__descriptor, 9), 0);
	assert_int_equal(obh_layout_offset(&ob__file_stat__descriptor, 1000), 0);
	/* Field sizes by type. */
	assert_int_equal(obh_layout_field_size(&ob__fs_open__descriptor.fields[0]), 0); /* path */
	assert_int_equal(obh_layout_field_size(&ob__fs_open__descriptor.fields[1]), 4); /* flags */
	assert_int_equal(obh_layout_field_size(&ob__fs_lseek__descriptor.fields[1]), 8); /* int64 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abi_layouts),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_not_laid_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
