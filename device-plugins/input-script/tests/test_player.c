/*
 * The player against a clock the test sets, with a send function that
 * records what goes out and can fail on demand; and the input_configure
 * handler that starts the clock.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "input.h"
#include "player.h"
#include "script.h"

#define MS 1000000ll
#define T0 (1000 * MS) /* an arbitrary start on the test's clock */

struct sink {
	size_t n;
	unsigned lines[64];     /* the line of each event sent, in order */
	unsigned fail_line;     /* fail the send of the event on this line ... */
	int fail_err;           /* ... with this error ... */
	int fail_times;         /* ... this many times */
	unsigned calls;
};

static int sink_send(void *arg, const struct obis_event *ev)
{
	struct sink *s = arg;
	s->calls++;
	if (ev->line == s->fail_line && s->fail_times > 0) {
		s->fail_times--;
		return s->fail_err;
	}
	assert_true(s->n < 64);
	s->lines[s->n++] = ev->line;
	return 0;
}

static struct obis_script load(const char *text)
{
	struct obis_script s;
	char err[OBIS_ERR_MAX];
	if (obis_parse("t.txt", text, strlen(text), &s, err, sizeof(err)))
		fail_msg("%s", err);
	return s;
}

/* Lines 1-5: at 0, 0, 10, 10 and 25 ms. */
static const char five[] = "@0ms key down A\n+0ms key up A\n+10ms pointer down 1 2\n"
			   "+0ms pointer up 1 2\n+15ms quit\n";

static void assert_lines(const struct sink *s, const unsigned *want, size_t n)
{
	assert_int_equal(s->n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(s->lines[i], want[i]);
}

static void test_not_started(void **state)
{
	(void)state;
	struct obis_script sc = load(five);
	struct obis_player pl;
	struct sink sk = { 0 };
	obis_player_init(&pl, &sc);
	assert_int_equal(obis_player_timeout(&pl, T0), -1);
	assert_int_equal(obis_player_run(&pl, T0 + 100 * MS, sink_send, &sk), 0);
	assert_int_equal(sk.calls, 0);
	assert_false(obis_player_done(&pl));
	obis_script_free(&sc);
}

static void test_in_order_on_time(void **state)
{
	(void)state;
	struct obis_script sc = load(five);
	struct obis_player pl;
	struct sink sk = { 0 };
	obis_player_init(&pl, &sc);
	assert_true(obis_player_start(&pl, T0));
	/* Events at 0 ms are due at once. */
	assert_int_equal(obis_player_timeout(&pl, T0), 0);
	assert_int_equal(obis_player_run(&pl, T0, sink_send, &sk), 2);
	assert_lines(&sk, (unsigned[]){ 1, 2 }, 2);
	/* The next at 10 ms: 10 ms to go, rounded up from 9.5. */
	assert_int_equal(obis_player_timeout(&pl, T0), 10);
	assert_int_equal(obis_player_timeout(&pl, T0 + 500000), 10);
	assert_int_equal(obis_player_timeout(&pl, T0 + 9 * MS + 1), 1);
	/* Not a nanosecond early. */
	assert_int_equal(obis_player_run(&pl, T0 + 10 * MS - 1, sink_send, &sk), 0);
	assert_int_equal(obis_player_run(&pl, T0 + 10 * MS, sink_send, &sk), 2);
	assert_int_equal(obis_player_timeout(&pl, T0 + 10 * MS), 15);
	assert_int_equal(obis_player_run(&pl, T0 + 25 * MS, sink_send, &sk), 1);
	assert_lines(&sk, (unsigned[]){ 1, 2, 3, 4, 5 }, 5);
	assert_true(obis_player_done(&pl));
	assert_int_equal(obis_player_timeout(&pl, T0 + 25 * MS), -1);
	assert_int_equal(obis_player_run(&pl, T0 + 99 * MS, sink_send, &sk), 0);
	assert_int_equal(pl.sent, 5);
	assert_int_equal(pl.dropped, 0);
	obis_script_free(&sc);
}

/* A late run sends everything due, in order, in one go. */
static void test_late_all_at_once(void **state)
{
	(void)state;
	struct obis_script sc = load(five);
	struct obis_player pl;
	struct sink sk = { 0 };
	obis_player_init(&pl, &sc);
	obis_player_start(&pl, T0);
	assert_int_equal(obis_player_run(&pl, T0 + 12 * MS, sink_send, &sk), 4);
	assert_lines(&sk, (unsigned[]){ 1, 2, 3, 4 }, 4);
	assert_int_equal(obis_player_timeout(&pl, T0 + 12 * MS), 13);
	assert_int_equal(obis_player_run(&pl, T0 + 3600 * 1000 * MS, sink_send, &sk), 1);
	assert_true(obis_player_done(&pl));
	obis_script_free(&sc);
}

/* The clock starts once: a second start changes nothing. */
static void test_start_once(void **state)
{
	(void)state;
	struct obis_script sc = load(five);
	struct obis_player pl;
	struct sink sk = { 0 };
	obis_player_init(&pl, &sc);
	assert_true(obis_player_start(&pl, T0));
	assert_false(obis_player_start(&pl, T0 + 50 * MS));
	assert_int_equal(pl.start_ns, T0);
	assert_int_equal(obis_player_run(&pl, T0 + 25 * MS, sink_send, &sk), 5);
	obis_script_free(&sc);
}

/* A full queue or a missing host: the event and the rest wait for a retry
 * OBIS_RETRY_MS later; nothing is lost, doubled or reordered. */
static void check_transient(int err)
{
	struct obis_script sc = load(five);
	struct obis_player pl;
	struct sink sk = { .fail_line = 3, .fail_err = err, .fail_times = 2 };
	obis_player_init(&pl, &sc);
	obis_player_start(&pl, T0);
	assert_int_equal(obis_player_run(&pl, T0 + 20 * MS, sink_send, &sk), 2);
	assert_int_equal(pl.next, 2);
	assert_int_equal(obis_player_timeout(&pl, T0 + 20 * MS), OBIS_RETRY_MS);
	/* Before the retry time nothing is tried, though events are due. */
	unsigned calls = sk.calls;
	assert_int_equal(obis_player_run(&pl, T0 + 20 * MS + OBIS_RETRY_MS * MS - 1, sink_send,
					 &sk), 0);
	assert_int_equal(sk.calls, calls);
	/* Fails once more: a new retry time from then. */
	int64_t now = T0 + 20 * MS + OBIS_RETRY_MS * MS;
	assert_int_equal(obis_player_run(&pl, now, sink_send, &sk), 0);
	assert_int_equal(obis_player_timeout(&pl, now), OBIS_RETRY_MS);
	now += OBIS_RETRY_MS * MS;
	assert_int_equal(obis_player_run(&pl, now, sink_send, &sk), 3);
	assert_lines(&sk, (unsigned[]){ 1, 2, 3, 4, 5 }, 5);
	assert_int_equal(pl.sent, 5);
	assert_int_equal(pl.dropped, 0);
	assert_int_equal(pl.retry_ns, 0);
	obis_script_free(&sc);
}

static void test_transient_failures(void **state)
{
	(void)state;
	check_transient(-ENOBUFS);
	check_transient(-ENOTCONN);
	check_transient(-EAGAIN);
	check_transient(-ENOMEM);
}

/* A retry pending does not make a far event come earlier, and a far event
 * does not delay a retry. */
static void test_retry_vs_due(void **state)
{
	(void)state;
	struct obis_script sc = load("+1ms quit\n+1s quit\n");
	struct obis_player pl;
	struct sink sk = { .fail_line = 2, .fail_err = -ENOBUFS, .fail_times = 1 };
	obis_player_init(&pl, &sc);
	obis_player_start(&pl, T0);
	assert_int_equal(obis_player_run(&pl, T0 + 1 * MS, sink_send, &sk), 1);
	assert_int_equal(obis_player_timeout(&pl, T0 + 1 * MS), 1000);
	assert_int_equal(obis_player_run(&pl, T0 + 1001 * MS, sink_send, &sk), 0);
	assert_int_equal(obis_player_timeout(&pl, T0 + 1001 * MS), OBIS_RETRY_MS);
	assert_int_equal(obis_player_run(&pl, T0 + 1011 * MS, sink_send, &sk), 1);
	assert_true(obis_player_done(&pl));
	obis_script_free(&sc);
}

/* Any other failure drops that event only. */
static void test_permanent_failure(void **state)
{
	(void)state;
	struct obis_script sc = load(five);
	struct obis_player pl;
	struct sink sk = { .fail_line = 2, .fail_err = -EMSGSIZE, .fail_times = 1 };
	obis_player_init(&pl, &sc);
	obis_player_start(&pl, T0);
	assert_int_equal(obis_player_run(&pl, T0 + 25 * MS, sink_send, &sk), 4);
	assert_lines(&sk, (unsigned[]){ 1, 3, 4, 5 }, 4);
	assert_int_equal(pl.sent, 4);
	assert_int_equal(pl.dropped, 1);
	assert_true(obis_player_done(&pl));
	obis_script_free(&sc);
}

static void test_far_and_empty(void **state)
{
	(void)state;
	struct obis_script sc = load("@1000000000000ms quit\n");
	struct obis_player pl;
	struct sink sk = { 0 };
	obis_player_init(&pl, &sc);
	obis_player_start(&pl, T0);
	assert_int_equal(obis_player_timeout(&pl, T0), INT_MAX);
	assert_int_equal(obis_player_run(&pl, T0 + 1000 * MS, sink_send, &sk), 0);
	assert_int_equal(obis_player_run(&pl, T0 + (int64_t)OBIS_TIME_MAX_MS * MS, sink_send, &sk),
			 1);
	obis_script_free(&sc);

	sc = load("# nothing\n");
	obis_player_init(&pl, &sc);
	assert_true(obis_player_done(&pl));
	obis_player_start(&pl, T0);
	assert_int_equal(obis_player_timeout(&pl, T0), -1);
	assert_int_equal(obis_player_run(&pl, T0, sink_send, &sk), 0);
	obis_script_free(&sc);
}

/* ---- the backend: input_configure starts the clock ---- */

static int configure(struct obis_input *in, uint32_t flags)
{
	Ob__InputConfigure cfg = OB__INPUT_CONFIGURE__INIT;
	Ob__InputConfigureResult res = OB__INPUT_CONFIGURE_RESULT__INIT;
	cfg.flags = flags;
	assert_int_equal(obis_handlers[0].call, OB__REQUEST__CALL_INPUT_CONFIGURE);
	return obis_handlers[0].fn(in, NULL, &cfg.base, &res.base);
}

static void test_configure(void **state)
{
	(void)state;
	char dir[] = "/tmp/obis-player.XXXXXX", path[64], err[OBIS_ERR_MAX];
	struct obis_input *in;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/keys.txt", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("+60s key down A\n", f);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(obis_input_create(path, &in, err, sizeof(err)), 0);
	assert_int_equal(in->script.n, 1);
	assert_int_equal(obis_input_timeout(in), -1);
	/* Without bit 0 nothing starts. */
	assert_int_equal(configure(in, 0), 0);
	assert_false(in->player.started);
	assert_int_equal(obis_input_timeout(in), -1);

	int64_t before = obis_now_ns();
	assert_int_equal(configure(in, 1), 0);
	int64_t after = obis_now_ns();
	assert_true(in->player.started);
	assert_true(in->player.start_ns >= before && in->player.start_ns <= after);
	/* The event is 60 s after the start, and the start is behind us. */
	int t = obis_input_timeout(in);
	assert_true(t > 0 && t <= 60000);
	/* Started once: a second start keeps the clock. */
	int64_t start = in->player.start_ns;
	assert_int_equal(configure(in, 1 | 2), 0);
	assert_int_equal(in->player.start_ns, start);
	obis_input_destroy(in);
	obis_input_destroy(NULL);

	/* A bad script: the message names the file and line. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("+1ms quit\n+1ms key down NOPE\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(obis_input_create(path, &in, err, sizeof(err)), -EINVAL);
	assert_null(in);
	char want[256];
	snprintf(want, sizeof(want), "%s:2:15: unknown key 'NOPE'", path);
	assert_memory_equal(err, want, strlen(want));
	unlink(path);
	assert_int_equal(obis_input_create(path, &in, err, sizeof(err)), -ENOENT);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_started),
		cmocka_unit_test(test_in_order_on_time),
		cmocka_unit_test(test_late_all_at_once),
		cmocka_unit_test(test_start_once),
		cmocka_unit_test(test_transient_failures),
		cmocka_unit_test(test_retry_vs_due),
		cmocka_unit_test(test_permanent_failure),
		cmocka_unit_test(test_far_and_empty),
		cmocka_unit_test(test_configure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
