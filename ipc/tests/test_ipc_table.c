/*
 * The outstanding-call table (src/calls.c) against a plain reference model:
 * random adds, matches, cancels and expiries with thousands in flight.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ipc_impl.h"
#include "ipc_test_util.h"

#define N_IDS 5000

/* Reference: deadline per id, or -1 when the id is not in the table. */
struct model {
	int64_t deadline[N_IDS + 1];
	int count;
};

static int64_t model_min(const struct model *m)
{
	int64_t min = INT64_MAX;

	for (int id = 1; id <= N_IDS; id++) {
		if (m->deadline[id] >= 0 && m->deadline[id] < min)
			min = m->deadline[id];
	}
	return min;
}

static void dummy_reply(void *arg, int status, const Ob__Reply *reply)
{
	(void)arg;
	(void)status;
	(void)reply;
}

static void test_table_matches_model(void **state)
{
	static struct model m;
	struct obi_calls t;
	uint64_t seed = 42;
	int64_t now = 0;
	uint64_t next_id = 1;

	(void)state;
	for (int id = 0; id <= N_IDS; id++)
		m.deadline[id] = -1;
	obi_calls_init(&t);
	for (int step = 0; step < 40000; step++) {
		uint64_t r = tu_rand(&seed) % 100;

		if (r < 45 && next_id <= N_IDS) {
			/* Add; a third have no deadline. */
			int64_t dl = tu_rand(&seed) % 3 == 0 ? INT64_MAX
							     : now + (int64_t)(tu_rand(&seed) % 1000);
			uint64_t id = next_id++;

			assert_int_equal(obi_calls_add(&t, id, dl, dummy_reply, (void *)(uintptr_t)id), 0);
			m.deadline[id] = dl;
			m.count++;
		} else if (r < 90) {
			/* Match (or cancel) a random id, present or not. */
			uint64_t id = 1 + tu_rand(&seed) % N_IDS;
			struct obi_call *c = obi_calls_take(&t, id);

			if (m.deadline[id] >= 0) {
				assert_non_null(c);
				assert_int_equal(c->id, id);
				assert_int_equal(c->deadline, m.deadline[id]);
				assert_ptr_equal(c->arg, (void *)(uintptr_t)id);
				m.deadline[id] = -1;
				m.count--;
				free(c);
			} else {
				assert_null(c);
			}
		} else {
			/* Time passes; expire everything due, earliest first. */
			struct obi_call *c;
			int64_t last = INT64_MIN;

			now += (int64_t)(tu_rand(&seed) % 200);
			while ((c = obi_calls_take_expired(&t, now)) != NULL) {
				assert_true(c->deadline <= now);
				assert_true(c->deadline >= last);
				last = c->deadline;
				assert_int_equal(m.deadline[c->id], c->deadline);
				m.deadline[c->id] = -1;
				m.count--;
				free(c);
			}
		}
		assert_int_equal(t.count, (uint32_t)m.count);
		if (step % 97 == 0)
			assert_int_equal(obi_calls_next_deadline(&t), model_min(&m));
	}
	/* Drain hands back exactly what is left. */
	{
		struct obi_call *c = obi_calls_drain(&t);
		int n = 0;

		while (c) {
			struct obi_call *next = c->next;

			assert_true(m.deadline[c->id] >= 0);
			n++;
			free(c);
			c = next;
		}
		assert_int_equal(n, m.count);
		assert_int_equal(t.count, 0);
		assert_int_equal(obi_calls_next_deadline(&t), INT64_MAX);
	}
	obi_calls_fini(&t);
}

static void test_table_fini_frees_everything(void **state)
{
	struct obi_calls t;

	(void)state;
	obi_calls_init(&t);
	obi_calls_fini(&t); /* empty, never allocated */
	for (uint64_t id = 1; id <= 3000; id++)
		assert_int_equal(obi_calls_add(&t, id, (int64_t)id, dummy_reply, NULL), 0);
	assert_int_equal(t.count, 3000);
	assert_null(obi_calls_take(&t, 3001));
	assert_int_equal(obi_calls_next_deadline(&t), 1);
	obi_calls_fini(&t); /* leak checkers confirm the calls are freed */
	assert_int_equal(t.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_matches_model),
		cmocka_unit_test(test_table_fini_frees_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
