/*
 * Unit tests: a child's output is relayed line by line with its prefix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "relay.h"

struct pipes {
	int in[2];   /* the child's end writes in[1]; the relay reads in[0] */
	int out[2];  /* the relay writes out[1]; the test reads out[0] */
	struct obl_relay r;
};

static int setup(void **state)
{
	struct pipes *p = calloc(1, sizeof(*p));
	if (!p || pipe(p->in) < 0 || pipe(p->out) < 0)
		return -1;
	fcntl(p->out[0], F_SETFL, O_NONBLOCK);
	obl_relay_init(&p->r, p->in[0], p->out[1], "test-echo");
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pipes *p = *state;
	obl_relay_close(&p->r);
	if (p->in[1] >= 0)
		close(p->in[1]);
	close(p->out[0]);
	close(p->out[1]);
	free(p);
	return 0;
}

static void put(struct pipes *p, const char *s)
{
	assert_int_equal(write(p->in[1], s, strlen(s)), (ssize_t)strlen(s));
}

/* Everything relayed so far (static buffer). */
static const char *got(struct pipes *p)
{
	static char buf[3 * OBL_RELAY_LINE];
	ssize_t n = read(p->out[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_relay_prefixes_whole_lines(void **state)
{
	struct pipes *p = *state;
	put(p, "hello\nwor");
	assert_int_equal(obl_relay_pump(&p->r), 1);
	assert_string_equal(got(p), "[test-echo] hello\n");
	put(p, "ld\n\nlast");
	assert_int_equal(obl_relay_pump(&p->r), 1);
	assert_string_equal(got(p), "[test-echo] world\n[test-echo] \n");
	/* end of file finishes the partial line and closes */
	close(p->in[1]);
	p->in[1] = -1;
	assert_int_equal(obl_relay_pump(&p->r), 0);
	assert_int_equal(p->r.fd, -1);
	assert_string_equal(got(p), "[test-echo] last\n");
	assert_int_equal(obl_relay_pump(&p->r), 0);
}

static void test_relay_cuts_long_lines(void **state)
{
	struct pipes *p = *state;
	char line[OBL_RELAY_LINE + 11];
	memset(line, 'x', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	put(p, line);
	assert_int_equal(obl_relay_pump(&p->r), 1);
	const char *out = got(p);
	const char *second = strchr(out, '\n');
	assert_non_null(second);
	assert_int_equal(second - out, (ptrdiff_t)(strlen("[test-echo] ") + OBL_RELAY_LINE));
	assert_string_equal(second + 1, "[test-echo] xxxxxxxxx\n");
}

static void test_relay_close_flushes(void **state)
{
	struct pipes *p = *state;
	put(p, "partial");
	assert_int_equal(obl_relay_pump(&p->r), 1);
	assert_string_equal(got(p), "");
	obl_relay_close(&p->r);
	assert_string_equal(got(p), "[test-echo] partial\n");
	obl_relay_close(&p->r); /* twice is fine */
}

/* outboard's log format loses what the prefix already says; other lines
 * that merely look alike pass untouched. */
static void test_relay_shortens_log_lines(void **state)
{
	struct pipes *p = *state;
	put(p, "outboard-test-echo: [error] test-echo: cannot open /x: No such file\n");
	assert_int_equal(obl_relay_pump(&p->r), 1);
	assert_string_equal(got(p), "[test-echo] error: cannot open /x: No such file\n");
	put(p, "outboard-test-echo: [warn] plugin-sdk: init failed\n");
	assert_int_equal(obl_relay_pump(&p->r), 1);
	assert_string_equal(got(p), "[test-echo] warn: plugin-sdk: init failed\n");
	put(p, "outboard-test-echo: [info] test-echo:\n"); /* nothing after the category */
	assert_int_equal(obl_relay_pump(&p->r), 1);
	assert_string_equal(got(p), "[test-echo] info: test-echo:\n");
	put(p, "score: [7] test-echo: x\nsome program: [error] y\noutboard-x: no level\n");
	assert_int_equal(obl_relay_pump(&p->r), 1);
	assert_string_equal(got(p), "[test-echo] score: [7] test-echo: x\n"
				    "[test-echo] some program: [error] y\n"
				    "[test-echo] outboard-x: no level\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_relay_prefixes_whole_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relay_cuts_long_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relay_close_flushes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relay_shortens_log_lines, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
