/*
 * Unit tests of the console's stdin (src/console.c) without running guest
 * code: fd 0 is replaced by a pipe the test writes into, threads exist only
 * as saved contexts, and the test plays the run loop (obh_console_process
 * between slices). This pins down what the guest tests cannot: that a read
 * takes no more than asked, that readers wait in arrival order, and that a
 * waiter whose thread is gone consumes nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calls.h"
#include "console.h"
#include "engine.h"
#include "mem.h"
#include "outboard.pb-c.h"
#include "outboard/errno.h"
#include "scheduler_priv.h"

#define DATA 0x20000u /* a read+write page for the read buffers */

struct fixture {
	struct obh_host h;
	int saved_stdin;  /* the real fd 0, put back at teardown */
	int feed;         /* the write end of the pipe that is now fd 0 */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	struct obh_host *h = &f->h;
	assert_int_equal(obh_engine_open(h), 0);
	assert_int_equal(obh_mem_create(h->uc, &h->mem), 0);
	assert_int_equal(obh_mem_map(h->mem, DATA, 0x1000, OBH_PROT_R | OBH_PROT_W, "data"), 0);
	assert_int_equal(obh_sched_create(h, &h->sched), 0);
	int p[2];
	assert_int_equal(pipe(p), 0);
	f->saved_stdin = dup(0);
	assert_true(f->saved_stdin >= 0);
	assert_int_equal(dup2(p[0], 0), 0);
	close(p[0]);
	f->feed = p[1];
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	struct obh_host *h = &f->h;
	obh_console_fini(h);
	if (f->feed >= 0)
		close(f->feed);
	dup2(f->saved_stdin, 0);
	close(f->saved_stdin);
	obh_sched_destroy(h->sched);
	obh_mem_destroy(h->mem);
	obh_engine_close(h);
	free(f);
	return 0;
}

static struct obh_thread *running_thread(struct obh_host *h)
{
	int err = 0;
	struct obh_thread *t = obh_thread_new(h, 0x10000, 0, DATA + 0x800, OBH_PRIO_DEFAULT, &err);
	assert_non_null(t);
	assert_ptr_equal(obhs_ready_pop(h->sched), t);
	t->state = OBH_T_RUNNING;
	return t;
}

/* The same with `ready` threads already on the ready queue ahead of it
 * (woken readers): they stay there. */
static struct obh_thread *running_thread_behind(struct obh_host *h, int ready)
{
	int err = 0;
	struct obh_thread *t = obh_thread_new(h, 0x10000, 0, DATA + 0x800, OBH_PRIO_DEFAULT, &err);
	assert_non_null(t);
	/* Take t off the tail of its queue, as if the run loop had picked it. */
	struct obhs_runq *q = &h->sched->ready[t->prio];
	struct obh_thread *prev = q->head;
	for (int i = 1; i < ready; i++)
		prev = prev->next_q;
	assert_ptr_equal(prev->next_q, t);
	prev->next_q = NULL;
	q->tail = prev;
	t->state = OBH_T_RUNNING;
	return t;
}

/* read(0, DATA + off, len) for thread t, as the dispatcher would call it. */
static int64_t console_read(struct obh_host *h, struct obh_thread *t, uint32_t off,
			    uint32_t len)
{
	static const struct obh_fd in = { .kind = OBH_FD_CONSOLE, .host_fd = 0 };
	uint32_t v[OBH_MAX_ARGS] = { 0, DATA + off, len };
	struct obh_console_done done = { 0 };
	return obh_console_call(h, t, obh_call_by_num(OB__REQUEST__CALL_FS_READ), &in, v, &done);
}

static void feed(struct fixture *f, const char *s)
{
	assert_int_equal(write(f->feed, s, strlen(s)), (ssize_t)strlen(s));
}

static void assert_guest(struct obh_host *h, uint32_t off, const char *want)
{
	char got[64] = { 0 };
	assert_int_equal(obh_mem_read(h->mem, DATA + off, got, (uint32_t)strlen(want)), 0);
	assert_string_equal(got, want);
}

static void test_ready_input_is_read_at_once_and_no_more(void **state)
{
	struct fixture *f = *state;
	struct obh_host *h = &f->h;
	struct obh_thread *t = running_thread(h);
	feed(f, "hello");
	assert_int_equal(console_read(h, t, 0, 2), 2);
	assert_guest(h, 0, "he");
	/* The rest stayed in the pipe for the next read. */
	assert_int_equal(console_read(h, t, 0x100, 64), 3);
	assert_guest(h, 0x100, "llo");
	assert_false(obh_console_waiting(h));
	assert_int_equal(console_read(h, t, 0, 0), 0); /* nothing asked, nothing waited for */
}

static void test_empty_stdin_parks_the_reader(void **state)
{
	struct fixture *f = *state;
	struct obh_host *h = &f->h;
	struct obh_thread *t = running_thread(h);
	assert_int_equal(console_read(h, t, 0, 16), OBH_BLOCKED);
	assert_int_equal(t->state, OBH_T_WAITING);
	assert_int_equal(t->wait, OBH_W_STDIN);
	assert_true(obh_console_waiting(h));
	struct pollfd p[2];
	assert_int_equal(obh_console_pollfds(h, p, 2), 1);
	assert_int_equal(p[0].fd, 0);

	obh_console_process(h); /* nothing yet: still waiting */
	assert_int_equal(t->state, OBH_T_WAITING);

	feed(f, "abc");
	obh_console_process(h);
	assert_int_equal(t->state, OBH_T_READY);
	assert_int_equal((int32_t)obh_thread_reg(h, t, UC_ARM_REG_R0), 3);
	assert_guest(h, 0, "abc");
	assert_false(obh_console_waiting(h));
	assert_int_equal(obh_console_pollfds(h, p, 2), 0);
}

static void test_readers_are_served_in_order_then_eof(void **state)
{
	struct fixture *f = *state;
	struct obh_host *h = &f->h;
	struct obh_thread *a = running_thread(h), *b = running_thread(h);
	assert_int_equal(console_read(h, a, 0, 1), OBH_BLOCKED);
	/* b comes later: it waits behind a even once input is there. */
	feed(f, "xy");
	assert_int_equal(console_read(h, b, 0x100, 8), OBH_BLOCKED);
	obh_console_process(h);
	assert_int_equal((int32_t)obh_thread_reg(h, a, UC_ARM_REG_R0), 1);
	assert_guest(h, 0, "x");
	assert_int_equal((int32_t)obh_thread_reg(h, b, UC_ARM_REG_R0), 1);
	assert_guest(h, 0x100, "y");

	/* End of file: every waiting reader gets 0. */
	struct obh_thread *c = running_thread_behind(h, 2), *d = running_thread_behind(h, 2);
	assert_int_equal(console_read(h, c, 0x200, 8), OBH_BLOCKED);
	assert_int_equal(console_read(h, d, 0x300, 8), OBH_BLOCKED);
	close(f->feed);
	f->feed = -1;
	obh_console_process(h);
	assert_int_equal(c->state, OBH_T_READY);
	assert_int_equal((int32_t)obh_thread_reg(h, c, UC_ARM_REG_R0), 0);
	assert_int_equal(d->state, OBH_T_READY);
	assert_int_equal((int32_t)obh_thread_reg(h, d, UC_ARM_REG_R0), 0);
}

static void test_gone_reader_consumes_nothing(void **state)
{
	struct fixture *f = *state;
	struct obh_host *h = &f->h;
	struct obh_thread *a = running_thread(h), *b = running_thread(h);
	assert_int_equal(console_read(h, a, 0, 8), OBH_BLOCKED);
	assert_int_equal(console_read(h, b, 0x100, 8), OBH_BLOCKED);
	obh_sched_exit_thread(h, a, 0);
	feed(f, "data");
	obh_console_process(h);
	assert_int_equal((int32_t)obh_thread_reg(h, b, UC_ARM_REG_R0), 4);
	assert_guest(h, 0x100, "data");
}

static void test_bad_buffer_is_efault(void **state)
{
	struct fixture *f = *state;
	struct obh_host *h = &f->h;
	struct obh_thread *t = running_thread(h);
	feed(f, "z");
	assert_int_equal(console_read(h, t, 0x2000, 4), -OB_ABI_EFAULT); /* past the page */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ready_input_is_read_at_once_and_no_more, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty_stdin_parks_the_reader, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readers_are_served_in_order_then_eof, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gone_reader_consumes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_buffer_is_efault, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
