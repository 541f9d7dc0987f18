/* The conformance suite's fixtures and runner (see fs_conformance.h). */
#include "conf_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "fs_tmp.h"

const struct obf_conf_backend *conf_backend;

static int setup(void **state, bool seeded, bool read_only)
{
	struct conf_fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	if (seeded) {
		fx->seed = tt_mkdtemp("seed");
		tt_write(fx->seed, "hello.txt", CONF_SEED_HELLO);
		tt_mkdir(fx->seed, "sub");
		tt_write(fx->seed, "sub/inner.txt", "inner");
		tt_mkdir(fx->seed, "sub/deeper");
		tt_mkdir(fx->seed, "empty");
	}
	fx->fs = conf_backend->make(fx->seed, read_only, &fx->state);
	assert_non_null(fx->fs);
	*state = fx;
	return 0;
}

int conf_setup_empty(void **state)
{
	return setup(state, false, false);
}

int conf_setup_seeded(void **state)
{
	return setup(state, true, false);
}

int conf_setup_seeded_ro(void **state)
{
	return setup(state, true, true);
}

int conf_teardown(void **state)
{
	struct conf_fx *fx = *state;

	conf_backend->destroy(fx->fs, fx->state);
	if (fx->seed) {
		tt_rm_rf(fx->seed);
		free(fx->seed);
	}
	free(fx);
	return 0;
}

int obf_conformance_run(const struct obf_conf_backend *b)
{
	char name[3][96];
	int failed = 0;

	conf_backend = b;
	snprintf(name[0], sizeof(name[0]), "%s: files", b->name);
	snprintf(name[1], sizeof(name[1]), "%s: names", b->name);
	snprintf(name[2], sizeof(name[2]), "%s: directories", b->name);
	failed += conf_run_file_tests(name[0]);
	failed += conf_run_name_tests(name[1]);
	failed += conf_run_dir_tests(name[2]);
	return failed;
}
