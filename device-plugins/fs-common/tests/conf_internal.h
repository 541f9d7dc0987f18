/* Private to the conformance suite: the fixture every test gets. */
#ifndef OBF_CONF_INTERNAL_H
#define OBF_CONF_INTERNAL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fs_client.h"
#include "fs_conformance.h"

struct conf_fx {
	struct obf_fs *fs;
	void *state;
	char *seed; /* host seed directory, or NULL */
};

extern const struct obf_conf_backend *conf_backend;

/* Fixtures: an empty writable fs; the standard seed tree, writable or
 * read-only. The seed tree:
 *   hello.txt      "hello, world\n"
 *   sub/inner.txt  "inner"
 *   sub/deeper/    (empty)
 *   empty/         (empty)
 */
int conf_setup_empty(void **state);
int conf_setup_seeded(void **state);
int conf_setup_seeded_ro(void **state);
int conf_teardown(void **state);

#define CONF_SEED_HELLO "hello, world\n"

/* The fs of a test's fixture. */
#define FS(state) (((struct conf_fx *)*(state))->fs)

#define CONF_TEST(fn) cmocka_unit_test_setup_teardown(fn, conf_setup_empty, conf_teardown)
#define CONF_TEST_SEEDED(fn) \
	cmocka_unit_test_setup_teardown(fn, conf_setup_seeded, conf_teardown)
#define CONF_TEST_RO(fn) \
	cmocka_unit_test_setup_teardown(fn, conf_setup_seeded_ro, conf_teardown)

int conf_run_file_tests(const char *name);
int conf_run_name_tests(const char *name);
int conf_run_dir_tests(const char *name);

#endif /* OBF_CONF_INTERNAL_H */
