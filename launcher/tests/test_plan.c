/*
 * Unit tests: options (command line and config merged) become the plugins'
 * and the CPU host's command lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "test_argv.h"
#include "plan.h"


struct fixture {
	char dir[64];       /* plays the launcher's own directory */
	struct obl_options o;
	struct obl_plan plan;
	char err[512];
};

static void touch_exe(const char *dir, const char *name, mode_t mode)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	close(fd);
	chmod(path, mode);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/obl-plan-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	touch_exe(f->dir, "outboard-fs-hostdir", 0755);
	touch_exe(f->dir, "outboard-fs-mem", 0755);
	touch_exe(f->dir, "outboard-input-script", 0755);
	touch_exe(f->dir, "outboard-sound-wav", 0755);
	touch_exe(f->dir, "outboard-display-noexec", 0644);
	touch_exe(f->dir, "outboard-cpu", 0755);
	obl_options_init(&f->o);
	/* Nothing may come from the real PATH. */
	setenv("PATH", "/nonexistent", 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	const char *names[] = { "outboard-fs-hostdir", "outboard-fs-mem", "outboard-input-script",
				"outboard-sound-wav", "outboard-display-noexec", "outboard-cpu" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", f->dir, names[i]);
		unlink(path);
	}
	rmdir(f->dir);
	obl_plan_free(&f->plan);
	obl_options_free(&f->o);
	argv_release();
	free(f);
	return 0;
}

static int build(struct fixture *f, const char *const *args)
{
	char **argv = argv_copy(args);
	assert_int_equal(obl_parse_run_args(held_argc, argv, &f->o, f->err, sizeof(f->err)), 0);
	return obl_plan_build(&f->o, f->dir, "/run/x", "/home/me", &f->plan, f->err,
			      sizeof(f->err));
}

/* argv joined with spaces, from index from. */
static const char *joined(char **argv, int from)
{
	static char buf[2048];
	size_t len = 0;
	buf[0] = '\0';
	for (int i = from; argv[i]; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i > from ? " " : "",
					argv[i]);
	return buf;
}

static void test_plan_defaults(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(build(f, ARGV("run", "prog", "a1")), 0);
	const struct obl_plugin_plan *fs = &f->plan.plugins[OBL_FS];
	assert_int_equal(fs->kind, OBL_PLUGIN_LOCAL);
	assert_string_equal(fs->label, "fs-hostdir");
	assert_string_equal(fs->url, "ipc:///run/x/fs.sock");
	/* fs-hostdir is rooted at the current directory */
	assert_string_equal(joined(fs->argv, 1), "--listen ipc:///run/x/fs.sock --root /home/me");
	for (int d = OBL_DISPLAY; d < OBL_DOMAIN_COUNT; d++)
		assert_int_equal(f->plan.plugins[d].kind, OBL_PLUGIN_NONE);
	assert_string_equal(f->plan.control_url, "ipc:///run/x/control.sock");
	assert_int_equal(f->plan.plugin_timeout_ms, OBL_PLUGIN_TIMEOUT_MS);
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--plugin fs=ipc:///run/x/fs.sock --control ipc:///run/x/control.sock "
			    "-- prog a1");
	char cpu[128];
	snprintf(cpu, sizeof(cpu), "%s/outboard-cpu", f->dir);
	assert_string_equal(f->plan.cpu_exe, cpu);
	assert_string_equal(f->plan.cpu_argv[0], cpu);
}

static void test_plan_primary_options(void **state)
{
	struct fixture *f = *state;
	const char *const *argv = ARGV("run", "--fs", "/data", "--input", "script:keys.txt", "--sound",
			   "wav:out.wav", "-v", "prog");
	assert_int_equal(build(f, argv), 0);
	assert_string_equal(joined(f->plan.plugins[OBL_FS].argv, 1),
			    "--listen ipc:///run/x/fs.sock --log-level info --root /data");
	assert_string_equal(joined(f->plan.plugins[OBL_INPUT].argv, 1),
			    "--listen ipc:///run/x/input.sock --log-level info --script keys.txt");
	/* no known primary option: --arg */
	assert_string_equal(joined(f->plan.plugins[OBL_SOUND].argv, 1),
			    "--listen ipc:///run/x/sound.sock --log-level info --arg out.wav");
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--plugin fs=ipc:///run/x/fs.sock --plugin sound=ipc:///run/x/sound.sock "
			    "--plugin input=ipc:///run/x/input.sock "
			    "--control ipc:///run/x/control.sock --log-level info -- prog");
}

static void test_plan_config_options(void **state)
{
	struct fixture *f = *state;
	/* As a config [fs] section with backend = mem would leave them. */
	f->o.dom[OBL_FS].backend = strdup("mem");
	obl_domain_set_opt(&f->o.dom[OBL_FS], "seed", "/file-seed");
	obl_domain_set_opt(&f->o.dom[OBL_FS], "read-only", "true");
	obl_domain_set_opt(&f->o.dom[OBL_FS], "sync", "false");
	obl_domain_set_opt(&f->o.dom[OBL_FS], "cache-size", "4M");
	assert_int_equal(build(f, ARGV("run", "prog")), 0);
	assert_string_equal(joined(f->plan.plugins[OBL_FS].argv, 1),
			    "--listen ipc:///run/x/fs.sock --seed /file-seed --read-only "
			    "--cache-size 4M");
}

static void test_plan_cli_arg_replaces_file_value(void **state)
{
	struct fixture *f = *state;
	obl_domain_set_opt(&f->o.dom[OBL_FS], "root", "/from-file");
	obl_domain_set_opt(&f->o.dom[OBL_FS], "read-only", "true");
	/* --fs sets backend hostdir and the primary argument */
	assert_int_equal(build(f, ARGV("run", "--fs", "/from-cli", "prog")), 0);
	assert_string_equal(joined(f->plan.plugins[OBL_FS].argv, 1),
			    "--listen ipc:///run/x/fs.sock --root /from-cli --read-only");
}

static void test_plan_file_root_beats_cwd(void **state)
{
	struct fixture *f = *state;
	obl_domain_set_opt(&f->o.dom[OBL_FS], "root", "/from-file");
	assert_int_equal(build(f, ARGV("run", "prog")), 0);
	assert_string_equal(joined(f->plan.plugins[OBL_FS].argv, 1),
			    "--listen ipc:///run/x/fs.sock --root /from-file");
}

static void test_plan_path_and_url_and_none(void **state)
{
	struct fixture *f = *state;
	char exe[128], spec[160];
	snprintf(exe, sizeof(exe), "%s/outboard-fs-mem", f->dir);
	snprintf(spec, sizeof(spec), "fs=%s", exe);
	const char *const *argv = ARGV("run", "--plugin", spec, "--fs", "ignored", "--plugin", spec,
			   "--display", "tcp://10.0.0.2:7000", "--input", "none", "--stats",
			   "--trace", "all", "--heap-max", "1M", "--stack", "2M", "prog", "--x");
	assert_int_equal(build(f, argv), 0);
	const struct obl_plugin_plan *fs = &f->plan.plugins[OBL_FS];
	assert_string_equal(fs->exe, exe);
	assert_string_equal(fs->label, "fs-mem");
	/* the last --plugin replaced --fs ignored: no primary argument */
	assert_string_equal(joined(fs->argv, 1), "--listen ipc:///run/x/fs.sock");
	const struct obl_plugin_plan *disp = &f->plan.plugins[OBL_DISPLAY];
	assert_int_equal(disp->kind, OBL_PLUGIN_REMOTE);
	assert_string_equal(disp->url, "tcp://10.0.0.2:7000");
	assert_null(disp->argv);
	assert_int_equal(f->plan.plugins[OBL_INPUT].kind, OBL_PLUGIN_NONE);
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--plugin fs=ipc:///run/x/fs.sock --plugin display=tcp://10.0.0.2:7000 "
			    "--control ipc:///run/x/control.sock --trace all --stats --heap-max 1M "
			    "--stack 2M -- prog --x");
}

static void test_plan_errors(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *argv[5];
		int rc;
		const char *message;
	} cases[] = {
		{ { "run", "--display", "sdl", "p" }, -ENOENT,
		  "display backend 'sdl': no executable outboard-display-sdl" },
		{ { "run", "--display", "noexec", "p" }, -ENOENT,
		  "no executable outboard-display-noexec" },
		{ { "run", "--plugin", "fs=/nonexistent/outboard-x", "p" }, -ENOENT,
		  "fs plugin /nonexistent/outboard-x: no such file" },
		{ { "run", "--plugin", "fs=/etc/passwd", "p" }, -EACCES,
		  "fs plugin /etc/passwd: not an executable file" },
		{ { "run", "--plugin", "sound=udp://x:1", "p" }, -EINVAL,
		  "only tcp:// and ipc://" },
		{ { "run", "--cpu", "no-such-cpu", "p" }, -ENOENT,
		  "CPU host: no executable no-such-cpu" },
		{ { "run", "--cpu", "/nonexistent/cpu", "p" }, -ENOENT,
		  "CPU host /nonexistent/cpu" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		obl_options_free(&f->o);
		obl_plan_free(&f->plan);
		assert_int_equal(build(f, cases[i].argv), cases[i].rc);
		if (!strstr(f->err, cases[i].message))
			fail_msg("case %zu: '%s' does not say '%s'", i, f->err, cases[i].message);
	}
}

static void test_plan_exe_label(void **state)
{
	(void)state;
	assert_string_equal(obl_exe_label("/a/b/outboard-test-echo"), "test-echo");
	assert_string_equal(obl_exe_label("outboard-fs-hostdir"), "fs-hostdir");
	assert_string_equal(obl_exe_label("/bin/myplugin"), "myplugin");
	assert_string_equal(obl_exe_label("outboard-"), "outboard-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_primary_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_config_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_cli_arg_replaces_file_value, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_plan_file_root_beats_cwd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_path_and_url_and_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_errors, setup, teardown),
		cmocka_unit_test(test_plan_exe_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
