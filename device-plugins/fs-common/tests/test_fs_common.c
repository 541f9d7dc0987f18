/* Unit tests of fs-common's pieces: open flags, path checks and splitting,
 * handle tables, stat conversion, and the handler table. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "obf/flags.h"
#include "obf/fs.h"
#include "obf/handles.h"
#include "obf/path.h"
#include "obf/stat.h"

static void flags_parse(void **state)
{
	struct obf_open_flags f;

	(void)state;
	assert_int_equal(obf_open_flags_parse(0, &f), 0);
	assert_true(f.read && !f.write && !f.create && !f.append);
	assert_false(obf_open_flags_mutate(&f));
	assert_int_equal(obf_open_flags_to_host(&f), O_RDONLY);

	assert_int_equal(obf_open_flags_parse(1 | 0x0200 | 0x0400 | 0x0008, &f), 0);
	assert_true(!f.read && f.write && f.create && f.trunc && f.append && !f.excl);
	assert_true(obf_open_flags_mutate(&f));
	/* O_APPEND stays with the common layer. */
	assert_int_equal(obf_open_flags_to_host(&f), O_WRONLY | O_CREAT | O_TRUNC);

	assert_int_equal(obf_open_flags_parse(2 | 0x0200 | 0x0800 | 0x2000, &f), 0);
	assert_true(f.read && f.write && f.excl && f.sync);
	assert_int_equal(obf_open_flags_to_host(&f), O_RDWR | O_CREAT | O_EXCL | O_SYNC);

	/* O_EXCL without O_CREAT means nothing, as in POSIX. */
	assert_int_equal(obf_open_flags_parse(0x0800, &f), 0);
	assert_int_equal(obf_open_flags_to_host(&f), O_RDONLY);
	/* O_TRUNC alone mutates. */
	assert_int_equal(obf_open_flags_parse(0x0400, &f), 0);
	assert_true(obf_open_flags_mutate(&f));
	/* Ignored flags. */
	assert_int_equal(obf_open_flags_parse(0x1000 | 0x4000 | 0x8000 | 0x40000, &f), 0);
	assert_true(f.read && !f.write);
	/* O_BINARY (fopen "rb" in arm-none-eabi newlib) and O_TEXT. */
	assert_int_equal(obf_open_flags_parse(0x10000, &f), 0);
	assert_true(f.read && !f.write && !f.create);
	assert_int_equal(obf_open_flags_parse(2 | 0x0200 | 0x0008 | 0x10000, &f), 0);
	assert_true(f.read && f.write && f.create && f.append && !f.trunc);
	assert_int_equal(obf_open_flags_to_host(&f), O_RDWR | O_CREAT);
	assert_int_equal(obf_open_flags_parse(1 | 0x20000, &f), 0);
	assert_true(!f.read && f.write);
	assert_int_equal(obf_open_flags_unsupported(0x10000 | 0x20000 | 0x40000 | 2), 0);
	/* Refused. */
	assert_int_equal(obf_open_flags_parse(3, &f), -EINVAL);
	assert_int_equal(obf_open_flags_parse(0x200000, &f), -EINVAL); /* O_DIRECTORY */
	assert_int_equal(obf_open_flags_parse(0x100000, &f), -EINVAL); /* O_NOFOLLOW */
	assert_int_equal(obf_open_flags_parse(0x0010, &f), -EINVAL);
	assert_int_equal(obf_open_flags_parse(0x80000000u, &f), -EINVAL);
	assert_int_equal(obf_open_flags_unsupported(0x10000 | 0x200000 | 0x0010), 0x200010);
}

static void path_check(void **state)
{
	char p[5000];

	(void)state;
	assert_int_equal(obf_path_check(NULL), -ENOENT);
	assert_int_equal(obf_path_check(""), -ENOENT);
	assert_int_equal(obf_path_check("/"), 0);
	assert_int_equal(obf_path_check("a/b/../c"), 0);
	memset(p, 'x', sizeof(p));
	p[255] = '\0';
	assert_int_equal(obf_path_check(p), 0);
	p[255] = 'x';
	p[256] = '\0';
	assert_int_equal(obf_path_check(p), -ENAMETOOLONG);
	p[256] = 'x';
	for (size_t i = 0; i < sizeof(p); i += 200)
		p[i] = '/';
	p[4095] = '\0'; /* 4095 bytes + NUL = PATH_MAX: fine */
	assert_int_equal(obf_path_check(p), 0);
	p[4095] = 'x';
	p[4096] = '\0';
	assert_int_equal(obf_path_check(p), -ENAMETOOLONG);
	p[4096] = 'x';
	p[4999] = '\0';
	assert_int_equal(obf_path_check(p), -ENAMETOOLONG);
}

static void split(const char *path, const char *parent, const char *last, enum obf_last kind,
		  bool dir_only)
{
	struct obf_path p;

	assert_int_equal(obf_path_split(path, &p), 0);
	assert_string_equal(p.parent, parent);
	assert_string_equal(p.last, last);
	assert_int_equal(p.kind, kind);
	assert_int_equal(p.dir_only, dir_only);
}

static void path_split(void **state)
{
	struct obf_path p;

	(void)state;
	split("a", ".", "a", OBF_LAST_NAME, false);
	split("/a", "/", "a", OBF_LAST_NAME, false);
	split("//a", "/", "a", OBF_LAST_NAME, false);
	split("a/b/c", "a/b", "c", OBF_LAST_NAME, false);
	split("a//b", "a", "b", OBF_LAST_NAME, false);
	split("a/b/", "a", "b", OBF_LAST_NAME, true);
	split("a/b//", "a", "b", OBF_LAST_NAME, true);
	split(".", ".", ".", OBF_LAST_DOT, false);
	split("a/.", "a", ".", OBF_LAST_DOT, false);
	split("..", ".", "..", OBF_LAST_DOTDOT, false);
	split("a/../", "a", "..", OBF_LAST_DOTDOT, true);
	split("/", "/", "", OBF_LAST_ROOT, false);
	split("///", "/", "", OBF_LAST_ROOT, false);
	split("..a", ".", "..a", OBF_LAST_NAME, false);
	assert_int_equal(obf_path_split("", &p), -ENOENT);
	assert_true(obf_name_is_dots("."));
	assert_true(obf_name_is_dots(".."));
	assert_false(obf_name_is_dots("..."));
	assert_false(obf_name_is_dots(".x"));
}

static void handles_table(void **state)
{
	struct obf_handles t;
	int a, b, c;

	(void)state;
	obf_handles_init(&t, 3);
	assert_int_equal(obf_handles_add(&t, OBF_HANDLE_FILE, &a), 1);
	assert_int_equal(obf_handles_add(&t, OBF_HANDLE_DIR, &b), 2);
	assert_int_equal(obf_handles_add(&t, OBF_HANDLE_FILE, &c), 3);
	assert_int_equal(obf_handles_add(&t, OBF_HANDLE_FILE, &c), -EMFILE);
	assert_int_equal(obf_handles_add(&t, OBF_HANDLE_FILE, NULL), -EINVAL);
	assert_int_equal(obf_handles_add(&t, OBF_HANDLE_FREE, &a), -EINVAL);
	assert_ptr_equal(obf_handles_get(&t, 1, OBF_HANDLE_FILE), &a);
	assert_null(obf_handles_get(&t, 1, OBF_HANDLE_DIR));
	assert_null(obf_handles_get(&t, 2, OBF_HANDLE_FILE));
	assert_null(obf_handles_get(&t, 0, OBF_HANDLE_FILE));
	assert_null(obf_handles_get(&t, 4, OBF_HANDLE_FILE));
	assert_null(obf_handles_get(&t, UINT32_MAX, OBF_HANDLE_FILE));
	assert_null(obf_handles_get(&t, 1, OBF_HANDLE_FREE));
	/* Removing with the wrong kind changes nothing. */
	assert_null(obf_handles_remove(&t, 2, OBF_HANDLE_FILE));
	assert_ptr_equal(obf_handles_remove(&t, 2, OBF_HANDLE_DIR), &b);
	assert_null(obf_handles_remove(&t, 2, OBF_HANDLE_DIR));
	/* The lowest free number comes back. */
	assert_int_equal(obf_handles_add(&t, OBF_HANDLE_DIR, &b), 2);
	obf_handles_fini(&t, NULL, NULL);
	obf_handles_fini(&t, NULL, NULL); /* twice is fine */
}

static int dropped;

static void count_drop(void *arg, enum obf_handle_kind kind, void *obj)
{
	assert_ptr_equal(arg, &dropped);
	assert_true(kind == OBF_HANDLE_FILE || kind == OBF_HANDLE_DIR);
	assert_non_null(obj);
	dropped++;
}

static void handles_grow_and_fini(void **state)
{
	struct obf_handles t;
	int objs[100];

	(void)state;
	obf_handles_init(&t, 0);
	assert_int_equal(t.max, OBF_HANDLES_MAX);
	for (int i = 0; i < 100; i++)
		assert_int_equal(obf_handles_add(&t, OBF_HANDLE_FILE, &objs[i]), i + 1);
	for (int i = 0; i < 100; i += 2)
		assert_ptr_equal(obf_handles_remove(&t, (uint32_t)i + 1, OBF_HANDLE_FILE),
				 &objs[i]);
	dropped = 0;
	obf_handles_fini(&t, count_drop, &dropped);
	assert_int_equal(dropped, 50);
}

static void stat_conversion(void **state)
{
	struct stat st = { 0 };
	Ob__FileStat out = OB__FILE_STAT__INIT;
	struct timespec before = { .tv_sec = -5, .tv_nsec = 0 };

	(void)state;
	st.st_mode = S_IFREG | 04755;
	st.st_size = 1234;
	st.st_mtim.tv_sec = 10;
	st.st_mtim.tv_nsec = 5;
	st.st_nlink = 3;
	st.st_blksize = 512;
	st.st_ino = 99;
	obf_stat_from_host(&st, &out);
	assert_int_equal(out.type, OB__FILE_TYPE__FILE_TYPE_REGULAR);
	assert_int_equal(out.mode, 0755); /* setuid bits are not shown */
	assert_int_equal(out.size, 1234);
	assert_int_equal(out.mtime_ns, 10000000005ull);
	assert_int_equal(out.nlink, 3);
	assert_int_equal(out.blksize, 512);
	assert_int_equal(out.ino, 99);
	assert_int_equal(obf_type_from_mode(S_IFDIR), OB__FILE_TYPE__FILE_TYPE_DIRECTORY);
	assert_int_equal(obf_type_from_mode(S_IFIFO), OB__FILE_TYPE__FILE_TYPE_OTHER);
	assert_int_equal(obf_type_from_mode(S_IFLNK), OB__FILE_TYPE__FILE_TYPE_OTHER);
	assert_int_equal(obf_timespec_ns(&before), 0);
	assert_true(obf_now_ns() > 1500000000ull * 1000000000ull);
}

static void handler_table(void **state)
{
	struct obf_fs *fs;
	struct obf_ops empty = { .size = sizeof(struct obf_ops) };

	(void)state;
	for (uint32_t call = 64; call <= 82; call++)
		assert_non_null(obf_handler_for(call));
	assert_null(obf_handler_for(63));
	assert_null(obf_handler_for(83));
	assert_null(obf_handler_for(128));
	/* An incomplete backend is refused. */
	assert_int_equal(obf_fs_create(&empty, NULL, false, &fs), -EINVAL);
	assert_null(fs);
	assert_int_equal(obf_fs_create(NULL, NULL, false, &fs), -EINVAL);
	obf_fs_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flags_parse),
		cmocka_unit_test(path_check),
		cmocka_unit_test(path_split),
		cmocka_unit_test(handles_table),
		cmocka_unit_test(handles_grow_and_fini),
		cmocka_unit_test(stat_conversion),
		cmocka_unit_test(handler_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
