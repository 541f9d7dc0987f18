/*
 * Key files (outboard/key.h) and the outboard-keygen tool: permission
 * checks, format checks, generation with mode 0600 that never overwrites,
 * and key ids.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "ipc_test_util.h"
#include "outboard/key.h"
#include "outboard/log.h"

#ifndef OB_KEYGEN
#error "OB_KEYGEN must name the outboard-keygen binary"
#endif

static const char hex_key[] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void path_for(char *buf, size_t size, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", tu_dir(), name);

	assert_true(n > 0 && (size_t)n < size);
	unlink(buf);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* ob_key_load fails with err and leaves key untouched. */
static void load_fails(const char *path, int err)
{
	uint8_t key[OB_KEY_BYTES];

	memset(key, 0xa5, sizeof(key));
	assert_int_equal(ob_key_load(path, key), err);
	for (size_t i = 0; i < sizeof(key); i++)
		assert_int_equal(key[i], 0xa5);
}

static void test_load(void **state)
{
	char path[128];
	uint8_t key[OB_KEY_BYTES];

	(void)state;
	path_for(path, sizeof(path), "good.key");
	write_file(path, hex_key, 0600);
	assert_int_equal(ob_key_load(path, key), 0);
	for (size_t i = 0; i < sizeof(key); i++)
		assert_int_equal(key[i], i);

	/* Surrounding whitespace and upper case are fine; 0400 too. */
	write_file(path, "  000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F\r\n\n",
		   0400);
	memset(key, 0, sizeof(key));
	assert_int_equal(ob_key_load(path, key), 0);
	assert_int_equal(key[31], 31);
}

static void test_permissions(void **state)
{
	static const mode_t refused[] = { 0644, 0640, 0604, 0660, 0610, 0601, 0666 };
	char path[128];

	(void)state;
	path_for(path, sizeof(path), "perm.key");
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		write_file(path, hex_key, refused[i]);
		load_fails(path, -EPERM);
	}
	write_file(path, hex_key, 0700);
	assert_int_equal(ob_key_load(path, (uint8_t[OB_KEY_BYTES]){ 0 }), 0);

	/* A file someone else owns (only root can make one here). */
	if (geteuid() == 0) {
		write_file(path, hex_key, 0600);
		assert_int_equal(chown(path, 4242, 4242), 0);
		load_fails(path, -EPERM);
	}
}

static void test_bad_files(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1", /* 63 */
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0", /* 65 */
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g",
		"00 0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		"000102030405060708090a0b0c0d0e0f\n101112131415161718191a1b1c1d1e1f",
	};
	char path[128], big[600];

	(void)state;
	path_for(path, sizeof(path), "bad.key");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(path, bad[i], 0600);
		load_fails(path, -EINVAL);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	write_file(path, big, 0600);
	load_fails(path, -EINVAL);

	/* Not a file at all, or not there. */
	path_for(path, sizeof(path), "keydir");
	assert_int_equal(mkdir(path, 0700), 0);
	load_fails(path, -EINVAL);
	rmdir(path);
	load_fails(path, -ENOENT);
	assert_int_equal(ob_key_load(NULL, (uint8_t[OB_KEY_BYTES]){ 0 }), -EINVAL);
}

static void test_generate(void **state)
{
	char path[128], path2[128], text[80];
	uint8_t k1[OB_KEY_BYTES], k2[OB_KEY_BYTES], loaded[OB_KEY_BYTES];
	struct stat st;
	int fd;

	(void)state;
	path_for(path, sizeof(path), "gen.key");
	path_for(path2, sizeof(path2), "gen2.key");
	assert_int_equal(ob_key_generate(path, k1), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 65);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, text, sizeof(text)), 65);
	close(fd);
	assert_int_equal(text[64], '\n');
	for (int i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", text[i]));
	assert_int_equal(ob_key_load(path, loaded), 0);
	assert_memory_equal(loaded, k1, sizeof(k1));

	/* Never overwritten. */
	assert_int_equal(ob_key_generate(path, k2), -EEXIST);
	assert_int_equal(ob_key_load(path, loaded), 0);
	assert_memory_equal(loaded, k1, sizeof(k1));

	/* Each key is new. */
	assert_int_equal(ob_key_generate(path2, k2), 0);
	assert_memory_not_equal(k1, k2, sizeof(k1));
	assert_int_equal(ob_key_generate(NULL, NULL), -EINVAL);
}

static void test_key_id(void **state)
{
	uint8_t k1[OB_KEY_BYTES] = { 1 }, k2[OB_KEY_BYTES] = { 2 };
	char a[OB_KEY_ID_LEN], b[OB_KEY_ID_LEN], c[OB_KEY_ID_LEN];

	(void)state;
	ob_key_id(k1, a);
	ob_key_id(k1, b);
	ob_key_id(k2, c);
	assert_int_equal(strlen(a), OB_KEY_ID_LEN - 1);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	for (size_t i = 0; i < OB_KEY_ID_LEN - 1; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
}

/* Run outboard-keygen with args; returns its exit status, stdout in out. */
static int keygen(const char *arg1, const char *arg2, char *out, size_t size)
{
	int pfd[2], status;
	ssize_t n, len = 0;
	pid_t pid;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execl(OB_KEYGEN, "outboard-keygen", arg1, arg2, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], out + len, size - 1 - (size_t)len)) > 0)
		len += n;
	out[len] = '\0';
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_keygen_tool(void **state)
{
	char path[128], out[512], id[OB_KEY_ID_LEN], expect[256];
	uint8_t key[OB_KEY_BYTES], again[OB_KEY_BYTES];
	struct stat st;

	(void)state;
	path_for(path, sizeof(path), "tool.key");
	assert_int_equal(keygen(path, NULL, out, sizeof(out)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(ob_key_load(path, key), 0);
	ob_key_id(key, id);
	snprintf(expect, sizeof(expect), "wrote %s (key id %s)\n", path, id);
	assert_string_equal(out, expect);

	/* An existing key is kept. */
	assert_int_equal(keygen(path, NULL, out, sizeof(out)), 1);
	assert_int_equal(ob_key_load(path, again), 0);
	assert_memory_equal(key, again, sizeof(key));

	/* Command line. */
	assert_int_equal(keygen(NULL, NULL, out, sizeof(out)), 2);
	assert_int_equal(keygen(path, "extra", out, sizeof(out)), 2);
	assert_int_equal(keygen("--force", NULL, out, sizeof(out)), 2);
	assert_int_equal(keygen("--help", NULL, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "Usage: outboard-keygen FILE"));
}

static int group_setup(void **state)
{
	(void)state;
	if (!getenv("OB_TEST_VERBOSE"))
		ob_log_set_level(OB_LOG_NONE);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_key_id),
		cmocka_unit_test(test_keygen_tool),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
