/*
 * The input script parser: every construct of the grammar (docs/input.md),
 * and every syntax error with the line and column it names.
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
#include <unistd.h>

#include <cmocka.h>

#include "input.pb-c.h"
#include "script.h"

#define KEY_DOWN OB__INPUT_EVENT__KIND__KIND_KEY_DOWN
#define KEY_UP OB__INPUT_EVENT__KIND__KIND_KEY_UP
#define PTR_DOWN OB__INPUT_EVENT__KIND__KIND_POINTER_DOWN
#define PTR_MOVE OB__INPUT_EVENT__KIND__KIND_POINTER_MOVE
#define PTR_UP OB__INPUT_EVENT__KIND__KIND_POINTER_UP
#define QUIT OB__INPUT_EVENT__KIND__KIND_QUIT

static char err[OBIS_ERR_MAX];

static struct obis_script parse_ok(const char *text)
{
	struct obis_script s;
	int rc = obis_parse("t.txt", text, strlen(text), &s, err, sizeof(err));
	if (rc)
		fail_msg("parse failed (%d): %s", rc, err);
	return s;
}

/* The text must fail with exactly the message want ("t.txt:L:C: ..."). */
static void parse_bad(const char *text, const char *want)
{
	struct obis_script s = { .n = 99 };
	int rc = obis_parse("t.txt", text, strlen(text), &s, err, sizeof(err));
	assert_int_equal(rc, -EINVAL);
	assert_string_equal(err, want);
	assert_null(s.events);
	assert_int_equal(s.n, 0);
}

static void check_event(const struct obis_event *ev, uint32_t kind, uint32_t key, int32_t x,
			int32_t y, uint64_t time_ms, unsigned line)
{
	assert_int_equal(ev->kind, kind);
	assert_int_equal(ev->key, key);
	assert_int_equal(ev->x, x);
	assert_int_equal(ev->y, y);
	assert_int_equal(ev->time_ms, time_ms);
	assert_int_equal(ev->line, line);
}

/* ---- constructs ---- */

static void test_empty_and_comments(void **state)
{
	(void)state;
	const char *texts[] = { "", "\n\n", "# only a comment", "  # indented\n\t\n# two\n",
				"\r\n  \r\n" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct obis_script s = parse_ok(texts[i]);
		assert_int_equal(s.n, 0);
		obis_script_free(&s);
	}
}

/* The example from docs/input.md, event by event. */
static void test_example(void **state)
{
	(void)state;
	struct obis_script s = parse_ok("# comment\n"
					"+120ms key down LEFT\n"
					"+0ms key up LEFT\n"
					"@1500ms pointer down 10 20\n"
					"+16ms pointer move 12 22\n"
					"+16ms pointer up 12 22\n"
					"+2s quit\n");
	assert_int_equal(s.n, 6);
	check_event(&s.events[0], KEY_DOWN, OB__KEY_CODE__KEY_LEFT, 0, 0, 120, 2);
	check_event(&s.events[1], KEY_UP, OB__KEY_CODE__KEY_LEFT, 0, 0, 120, 3);
	check_event(&s.events[2], PTR_DOWN, 0, 10, 20, 1500, 4);
	check_event(&s.events[3], PTR_MOVE, 0, 12, 22, 1516, 5);
	check_event(&s.events[4], PTR_UP, 0, 12, 22, 1532, 6);
	check_event(&s.events[5], QUIT, 0, 0, 0, 3532, 7);
	obis_script_free(&s);
}

static void test_times(void **state)
{
	(void)state;
	/* The first relative time counts from the start; equal absolute times
	 * are fine; units in any case; leading zeros. */
	struct obis_script s = parse_ok("+5ms quit\n@5ms quit\n+1S quit\n@01005MS quit\n"
					"+0s quit\n@1000000000000ms quit\n");
	uint64_t want[] = { 5, 5, 1005, 1005, 1005, 1000000000000ull };
	assert_int_equal(s.n, 6);
	for (size_t i = 0; i < s.n; i++)
		assert_int_equal(s.events[i].time_ms, want[i]);
	obis_script_free(&s);

	s = parse_ok("@1000000000s quit");
	assert_int_equal(s.events[0].time_ms, OBIS_TIME_MAX_MS);
	obis_script_free(&s);
}

static void test_keys(void **state)
{
	(void)state;
	struct obis_script s = parse_ok("+0ms key down a\n+0ms key down Z\n+0ms key up 0\n"
					"+0ms key up 9\n+0ms key down page_up\n+0ms key down F12\n"
					"+0ms key down f1\n+0ms key down Escape\n");
	uint32_t want[] = { 'A', 'Z', '0', '9', OB__KEY_CODE__KEY_PAGE_UP, OB__KEY_CODE__KEY_F12,
			    OB__KEY_CODE__KEY_F1, OB__KEY_CODE__KEY_ESCAPE };
	assert_int_equal(s.n, 8);
	for (size_t i = 0; i < s.n; i++)
		assert_int_equal(s.events[i].key, want[i]);
	obis_script_free(&s);
}

/* Every KeyCode name but KEY_NONE is a key, with its value. */
static void test_every_named_key(void **state)
{
	(void)state;
	const ProtobufCEnumDescriptor *d = &ob__key_code__descriptor;
	for (unsigned i = 0; i < d->n_values; i++) {
		const char *name = d->values[i].name + strlen("KEY_");
		char text[64];
		uint32_t code = 0;
		int rc = obis_key_code(name, strlen(name), &code);
		if (d->values[i].value == OB__KEY_CODE__KEY_NONE) {
			assert_int_equal(rc, -ENOENT);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(code, d->values[i].value);
		snprintf(text, sizeof(text), "@1ms key up %s", name);
		struct obis_script s = parse_ok(text);
		assert_int_equal(s.events[0].key, d->values[i].value);
		obis_script_free(&s);
	}
	uint32_t code = 0;
	assert_int_equal(obis_key_code("", 0, &code), -ENOENT);
	assert_int_equal(obis_key_code("A_NAME_FAR_LONGER_THAN_ANY_KEY_CODE_NAME", 40, &code),
			 -ENOENT);
}

static void test_words_any_case(void **state)
{
	(void)state;
	struct obis_script s = parse_ok("+1ms KEY DOWN left\n+1ms Pointer Move 1 2\n+1ms QUIT\n");
	assert_int_equal(s.n, 3);
	check_event(&s.events[0], KEY_DOWN, OB__KEY_CODE__KEY_LEFT, 0, 0, 1, 1);
	check_event(&s.events[1], PTR_MOVE, 0, 1, 2, 2, 2);
	check_event(&s.events[2], QUIT, 0, 0, 0, 3, 3);
	obis_script_free(&s);
}

static void test_coordinates(void **state)
{
	(void)state;
	struct obis_script s = parse_ok("+0ms pointer move -5 -0\n"
					"+0ms pointer move 2147483647 -2147483647\n");
	check_event(&s.events[0], PTR_MOVE, 0, -5, 0, 0, 1);
	check_event(&s.events[1], PTR_MOVE, 0, 2147483647, -2147483647, 0, 2);
	obis_script_free(&s);
}

/* CRLF, tabs, comments after an event, no newline at the end. */
static void test_layout(void **state)
{
	(void)state;
	struct obis_script s = parse_ok("\t+1ms\tkey\tdown\tA\t# tabs\r\n"
					"\r\n"
					"   +2ms   pointer   up   3   4   #spaces\n"
					"+3ms quit#tight");
	assert_int_equal(s.n, 3);
	check_event(&s.events[0], KEY_DOWN, 'A', 0, 0, 1, 1);
	check_event(&s.events[1], PTR_UP, 0, 3, 4, 3, 3);
	check_event(&s.events[2], QUIT, 0, 0, 0, 6, 4);
	obis_script_free(&s);
}

/* More events than the parser's first allocation. */
static void test_many_events(void **state)
{
	(void)state;
	size_t n = 1000, len = 0;
	char *text = malloc(n * 32);
	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "+1ms pointer move %zu %zu\n", i, 2 * i);
	struct obis_script s;
	assert_int_equal(obis_parse("t.txt", text, len, &s, err, sizeof(err)), 0);
	assert_int_equal(s.n, n);
	for (size_t i = 0; i < n; i++)
		check_event(&s.events[i], PTR_MOVE, 0, (int32_t)i, (int32_t)(2 * i), i + 1,
			    (unsigned)i + 1);
	obis_script_free(&s);
	free(text);
}

/* ---- errors: the exact message, with line and column ---- */

static void test_error_time(void **state)
{
	(void)state;
	parse_bad("key down LEFT\n", "t.txt:1:1: expected a time (+T or @T, as in +120ms) at "
				     "the start of the line, found 'key'");
	parse_bad("# c\n\n  42 quit\n", "t.txt:3:3: expected a time (+T or @T, as in +120ms) "
					"at the start of the line, found '42'");
	parse_bad("+12 quit", "t.txt:1:1: time '+12' needs a unit right after the number: ms or s");
	parse_bad("\n+1.5s quit", "t.txt:2:1: time '+1.': times are whole numbers (write 1500ms, "
				   "not 1.5s)");
	parse_bad("@3sec quit", "t.txt:1:1: unknown time unit 'sec' in '@3sec' (ms or s)");
	parse_bad("+5ms5 quit", "t.txt:1:1: unknown time unit 'ms5' in '+5ms5' (ms or s)");
	parse_bad("+ms quit", "t.txt:1:1: '+' must be followed by a time, as in +120ms or +2s");
	parse_bad("@ 5ms quit", "t.txt:1:1: '@' must be followed by a time, as in @120ms or @2s");
	parse_bad("+-5ms quit", "t.txt:1:1: '+' must be followed by a time, as in +120ms or +2s");
	parse_bad("@1000000000001ms quit",
		  "t.txt:1:1: time '@1000000000001ms' is too large (at most 1000000000000 ms)");
	parse_bad("@1000000001s quit",
		  "t.txt:1:1: time '@1000000001s' is too large (at most 1000000000000 ms)");
	parse_bad("@99999999999999999999999ms quit",
		  "t.txt:1:1: time '@99999999999999999999999ms' is too large "
		  "(at most 1000000000000 ms)");
	parse_bad("@1000000000000ms quit\n+1ms quit\n",
		  "t.txt:2:1: '+1ms' puts the event past the script's time limit "
		  "(1000000000000 ms)");
	parse_bad("@5ms quit\n# between\n@4ms key down A\n",
		  "t.txt:3:1: '@4ms' is earlier than the event before it (at 5 ms); events "
		  "must be in time order");
	parse_bad("+2s quit\n  @1999ms quit\n",
		  "t.txt:2:3: '@1999ms' is earlier than the event before it (at 2000 ms); events "
		  "must be in time order");
}

static void test_error_action(void **state)
{
	(void)state;
	parse_bad("+12ms\n", "t.txt:1:6: expected an action (key, pointer or quit) after the "
			     "time, found the end of the line");
	parse_bad("+12ms", "t.txt:1:6: expected an action (key, pointer or quit) after the "
			   "time, found the end of the file");
	parse_bad("+1ms 7", "t.txt:1:6: expected an action (key, pointer or quit) after the "
			    "time, found '7'");
	parse_bad("+1ms +2ms quit", "t.txt:1:6: expected an action (key, pointer or quit) after "
				    "the time, found '+2ms'");
	parse_bad("\n+1ms jump\n", "t.txt:2:6: unknown action 'jump' (key, pointer or quit)");
	parse_bad("+1ms quit now\n",
		  "t.txt:1:11: expected the end of the line (one event per line), found 'now'");
	parse_bad("+1ms quit +1ms quit\n",
		  "t.txt:1:11: expected the end of the line (one event per line), found '+1ms'");
}

static void test_error_key(void **state)
{
	(void)state;
	parse_bad("+1ms key\n", "t.txt:1:9: expected 'down' or 'up' after 'key', found the end "
				"of the line");
	parse_bad("+1ms key press A\n", "t.txt:1:10: expected 'down' or 'up' after 'key', found "
					"'press'");
	parse_bad("+1ms key down\n", "t.txt:1:14: expected a key name (LEFT, ENTER, A, 7, ...), "
				     "found the end of the line");
	parse_bad("+1ms key down LEFTT\n",
		  "t.txt:1:15: unknown key 'LEFTT' (a letter, a digit, or a name from "
		  "proto/input.proto's KeyCode without KEY_, as LEFT or F1)");
	parse_bad("+1ms key up NONE\n",
		  "t.txt:1:13: unknown key 'NONE' (a letter, a digit, or a name from "
		  "proto/input.proto's KeyCode without KEY_, as LEFT or F1)");
	parse_bad("+1ms key up 10\n",
		  "t.txt:1:13: unknown key '10' (a letter, a digit, or a name from "
		  "proto/input.proto's KeyCode without KEY_, as LEFT or F1)");
	parse_bad("+1ms key up -1\n",
		  "t.txt:1:13: unknown key '-1' (a letter, a digit, or a name from "
		  "proto/input.proto's KeyCode without KEY_, as LEFT or F1)");
	parse_bad("+1ms key up KEY_LEFT\n",
		  "t.txt:1:13: unknown key 'KEY_LEFT' (a letter, a digit, or a name from "
		  "proto/input.proto's KeyCode without KEY_, as LEFT or F1)");
	parse_bad("+1ms key down A B\n",
		  "t.txt:1:17: expected the end of the line (one event per line), found 'B'");
	parse_bad("+1ms key down +1ms\n", "t.txt:1:15: expected a key name (LEFT, ENTER, A, 7, "
					  "...), found '+1ms'");
}

static void test_error_pointer(void **state)
{
	(void)state;
	parse_bad("+1ms pointer drag 1 2\n", "t.txt:1:14: expected 'down', 'move' or 'up' after "
					     "'pointer', found 'drag'");
	parse_bad("+1ms pointer\n", "t.txt:1:13: expected 'down', 'move' or 'up' after "
				    "'pointer', found the end of the line");
	parse_bad("+1ms pointer down x 10\n",
		  "t.txt:1:19: expected the x coordinate (an integer), found 'x'");
	parse_bad("+1ms pointer down 10\n",
		  "t.txt:1:21: expected the y coordinate (an integer), found the end of the line");
	parse_bad("+1ms pointer up 1 2 3\n",
		  "t.txt:1:21: expected the end of the line (one event per line), found '3'");
	parse_bad("+1ms pointer move 2147483648 0\n",
		  "t.txt:1:19: number '2147483648' is out of range (-2147483647 to 2147483647)");
	parse_bad("+1ms pointer move 0 -2147483648\n",
		  "t.txt:1:21: number '-2147483648' is out of range (-2147483647 to 2147483647)");
	parse_bad("+1ms pointer move 0 99999999999999999999999\n",
		  "t.txt:1:21: number '99999999999999999999999' is out of range (-2147483647 to "
		  "2147483647)");
	parse_bad("+1ms pointer move 12ab 0\n", "t.txt:1:19: bad number '12ab'");
	parse_bad("+1ms pointer move 1.5 0\n", "t.txt:1:20: unexpected character '.'");
	parse_bad("+1ms pointer move - 0\n", "t.txt:1:19: unexpected character '-'");
}

static void test_error_characters(void **state)
{
	(void)state;
	parse_bad("+1ms key down A $\n", "t.txt:1:17: unexpected character '$'");
	parse_bad("+1ms quit\n\n\n; not a comment\n", "t.txt:4:1: unexpected character ';'");
	parse_bad("+1ms \"quit\"\n", "t.txt:1:6: unexpected character '\"'");
	static const char nul[] = "+1ms quit\n+2ms quit\0\n";
	struct obis_script s;
	assert_int_equal(obis_parse("t.txt", nul, sizeof(nul) - 1, &s, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.txt:2:10: unexpected byte 0x00");
	parse_bad("+1ms quit \xc3\xa9\n", "t.txt:1:11: unexpected byte 0xc3");
	/* A long token is quoted in part. */
	parse_bad("+1ms quit AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
		  "t.txt:1:11: expected the end of the line (one event per line), found "
		  "'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...'");
}

/* A short error buffer is cut, never overrun; none at all is allowed. */
static void test_error_buffer(void **state)
{
	(void)state;
	char small[12];
	struct obis_script s;
	memset(small, 'x', sizeof(small));
	assert_int_equal(obis_parse("t.txt", "+1ms jump", 9, &s, small, sizeof(small)), -EINVAL);
	assert_string_equal(small, "t.txt:1:6: ");
	assert_int_equal(obis_parse("t.txt", "+1ms jump", 9, &s, NULL, 0), -EINVAL);
	assert_int_equal(obis_parse("t.txt", "+1ms quit", 9, &s, NULL, 0), 0);
	obis_script_free(&s);
	obis_script_free(&s); /* twice is fine */
	obis_script_free(NULL);
}

/* ---- files ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void test_load(void **state)
{
	(void)state;
	char dir[] = "/tmp/obis-test.XXXXXX", path[64], big[80];
	struct obis_script s;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/keys.txt", dir);
	snprintf(big, sizeof(big), "%s/big.txt", dir);

	write_file(path, "+1ms key down A\n+1ms key up A\n");
	assert_int_equal(obis_load(path, &s, err, sizeof(err)), 0);
	assert_int_equal(s.n, 2);
	check_event(&s.events[1], KEY_UP, 'A', 0, 0, 2, 2);
	obis_script_free(&s);

	/* Syntax errors name the file as given. */
	write_file(path, "+1ms key down A\n+1ms key sideways A\n");
	assert_int_equal(obis_load(path, &s, err, sizeof(err)), -EINVAL);
	char want[200];
	snprintf(want, sizeof(want), "%s:2:10: expected 'down' or 'up' after 'key', found "
		 "'sideways'", path);
	assert_string_equal(err, want);

	assert_int_equal(obis_load(dir, &s, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s: not a regular file", dir);
	assert_string_equal(err, want);

	unlink(path);
	assert_int_equal(obis_load(path, &s, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	assert_string_equal(err, want);

	/* Larger than the limit: refused before reading. */
	int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)OBIS_FILE_MAX + 1), 0);
	close(fd);
	assert_int_equal(obis_load(big, &s, err, sizeof(err)), -EFBIG);
	assert_non_null(strstr(err, "larger than"));
	assert_null(s.events);
	unlink(big);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_comments),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_every_named_key),
		cmocka_unit_test(test_words_any_case),
		cmocka_unit_test(test_coordinates),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_many_events),
		cmocka_unit_test(test_error_time),
		cmocka_unit_test(test_error_action),
		cmocka_unit_test(test_error_key),
		cmocka_unit_test(test_error_pointer),
		cmocka_unit_test(test_error_characters),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
