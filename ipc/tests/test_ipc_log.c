/* Log levels, their parsing, and the line format on stderr. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "outboard/log.h"

static void test_parse_level(void **state)
{
	static const struct {
		const char *name;
		enum ob_log_level level;
	} good[] = {
		{"error", OB_LOG_ERROR}, {"guest", OB_LOG_GUEST}, {"stub", OB_LOG_STUB},
		{"warn", OB_LOG_WARN},   {"info", OB_LOG_INFO},   {"debug", OB_LOG_DEBUG},
		{"DEBUG", OB_LOG_DEBUG}, {"Warn", OB_LOG_WARN},
		{"0", OB_LOG_ERROR},     {"3", OB_LOG_WARN},      {"5", OB_LOG_DEBUG},
	};
	static const char *const bad[] = {
		"", "6", "-1", "warning", "verbose", "00", "3x", " warn", "none",
	};
	enum ob_log_level level;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		level = (enum ob_log_level)99;
		assert_int_equal(ob_log_parse_level(good[i].name, &level), 0);
		assert_int_equal(level, good[i].level);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		level = OB_LOG_INFO;
		assert_int_equal(ob_log_parse_level(bad[i], &level), -EINVAL);
		assert_int_equal(level, OB_LOG_INFO); /* untouched */
	}
	assert_int_equal(ob_log_parse_level(NULL, &level), -EINVAL);
	assert_int_equal(ob_log_parse_level("warn", NULL), -EINVAL);
}

static void test_level_names_round_trip(void **state)
{
	(void)state;
	for (int l = OB_LOG_ERROR; l <= OB_LOG_DEBUG; l++) {
		enum ob_log_level back;

		assert_int_equal(ob_log_parse_level(ob_log_level_name((enum ob_log_level)l), &back), 0);
		assert_int_equal(back, l);
	}
	assert_string_equal(ob_log_level_name(OB_LOG_GUEST), "guest");
	assert_string_equal(ob_log_level_name(OB_LOG_NONE), "none");
	assert_string_equal(ob_log_level_name((enum ob_log_level)42), "?");
}

static void test_threshold(void **state)
{
	(void)state;
	assert_int_equal(ob_log_get_level(), OB_LOG_WARN); /* the default */
	assert_true(ob_log_enabled(OB_LOG_ERROR));
	assert_true(ob_log_enabled(OB_LOG_STUB));
	assert_true(ob_log_enabled(OB_LOG_WARN));
	assert_false(ob_log_enabled(OB_LOG_INFO));
	ob_log_set_level(OB_LOG_DEBUG);
	assert_true(ob_log_enabled(OB_LOG_DEBUG));
	ob_log_set_level(OB_LOG_NONE);
	assert_false(ob_log_enabled(OB_LOG_ERROR));
	assert_false(ob_log_enabled(OB_LOG_NONE));
	ob_log_set_level((enum ob_log_level)17);
	assert_int_equal(ob_log_get_level(), OB_LOG_DEBUG);
	ob_log_set_level(OB_LOG_WARN);
}

/* Run fn with stderr redirected into a pipe; return what it wrote. */
static size_t capture(void (*fn)(void), char *buf, size_t size)
{
	int fds[2], saved;
	ssize_t n;
	size_t len = 0;

	assert_int_equal(pipe(fds), 0);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fds[1], STDERR_FILENO) >= 0);
	close(fds[1]);
	fn();
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	while (len < size - 1 && (n = read(fds[0], buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fds[0]);
	buf[len] = '\0';
	return len;
}

static void log_some(void)
{
	ob_log_set_program("outboard-cpu");
	errno = EBADF;
	OB_WARN("ipc", "hello %d", 42);
	assert_int_equal(errno, EBADF); /* logging keeps errno */
	OB_DEBUG("ipc", "not shown at warn");
	OB_GUEST_ERROR("loader", "bad pointer 0x%x\n", 0x10u);
	ob_log_set_program(NULL);
	OB_STUB(NULL, "no category");
}

static void test_line_format(void **state)
{
	char out[1024];

	(void)state;
	capture(log_some, out, sizeof(out));
	assert_string_equal(out, "outboard-cpu: [warn] ipc: hello 42\n"
				 "outboard-cpu: [guest] loader: bad pointer 0x10\n"
				 "[stub] no category\n");
}

static void log_long(void)
{
	char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	OB_ERROR("ipc", "%s", big);
}

static void test_long_line_cut(void **state)
{
	char out[8192];
	size_t len;

	(void)state;
	len = capture(log_long, out, sizeof(out));
	assert_true(len <= 2048);
	assert_true(len > 1000);
	assert_memory_equal(out, "[error] ipc: xxx", 16);
	assert_memory_equal(out + len - 5, "x...\n", 5);
	assert_null(memchr(out, '\n', len - 1)); /* still one line */
}

static void log_errors(void)
{
	OB_ERROR("ipc", "one");
	OB_WARN("ipc", "not an error");
	ob_log_set_level(OB_LOG_NONE);
	OB_ERROR("ipc", "not written, not counted");
	ob_log_set_level(OB_LOG_WARN);
	OB_ERROR("ipc", "two");
}

/* Only the error lines that were written count. */
static void test_error_count(void **state)
{
	char out[1024];
	unsigned before = ob_log_error_count();

	(void)state;
	capture(log_errors, out, sizeof(out));
	assert_int_equal(ob_log_error_count() - before, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold), /* first: checks the default */
		cmocka_unit_test(test_parse_level),
		cmocka_unit_test(test_level_names_round_trip),
		cmocka_unit_test(test_line_format),
		cmocka_unit_test(test_long_line_cut),
		cmocka_unit_test(test_error_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
