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
#include <dirent.h>
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

/* What the stand-in for --describe answers: executables whose file name
 * ends in a key serve its domains; others cannot describe themselves. */
static const struct {
	const char *suffix;
	unsigned mask;
} described[] = {
	{ "-twin", OBL_DOMAIN_BIT(OBL_DISPLAY) | OBL_DOMAIN_BIT(OBL_INPUT) },
	{ "-fsin", OBL_DOMAIN_BIT(OBL_FS) | OBL_DOMAIN_BIT(OBL_INPUT) },
	{ "-hostdir", OBL_DOMAIN_BIT(OBL_FS) },
	{ "-mem", OBL_DOMAIN_BIT(OBL_FS) },
	{ "-script", OBL_DOMAIN_BIT(OBL_INPUT) },
	{ "-png", OBL_DOMAIN_BIT(OBL_DISPLAY) },
	{ "-wav", OBL_DOMAIN_BIT(OBL_SOUND) },
};
static int describe_calls;

static int fake_describe(void *arg, const char *exe, unsigned *mask, char *why, size_t whylen)
{
	(void)arg;
	describe_calls++;
	size_t len = strlen(exe);
	for (size_t i = 0; i < sizeof(described) / sizeof(described[0]); i++) {
		size_t sl = strlen(described[i].suffix);
		if (len >= sl && strcmp(exe + len - sl, described[i].suffix) == 0) {
			*mask = described[i].mask;
			return 0;
		}
	}
	snprintf(why, whylen, "--describe exited with status 1");
	return -EPROTO;
}

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
	/* No display-png and no input-null: those defaults are missing. */
	touch_exe(f->dir, "outboard-fs-hostdir", 0755);
	touch_exe(f->dir, "outboard-fs-mem", 0755);
	touch_exe(f->dir, "outboard-input-script", 0755);
	touch_exe(f->dir, "outboard-sound-wav", 0755);
	touch_exe(f->dir, "outboard-display-noexec", 0644);
	touch_exe(f->dir, "outboard-display-twin", 0755);
	touch_exe(f->dir, "outboard-fs-fsin", 0755);
	touch_exe(f->dir, "outboard-cpu", 0755);
	obl_options_init(&f->o);
	describe_calls = 0;
	/* Nothing may come from the real PATH. */
	setenv("PATH", "/nonexistent", 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	DIR *dir = opendir(f->dir);
	struct dirent *e;
	while (dir && (e = readdir(dir))) {
		char path[320];
		snprintf(path, sizeof(path), "%s/%s", f->dir, e->d_name);
		if (e->d_name[0] != '.')
			unlink(path);
	}
	if (dir)
		closedir(dir);
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
	struct obl_plan_env env = {
		.self_dir = f->dir, .rundir = "/run/x", .cwd = "/home/me",
		.describe = fake_describe,
	};
	return obl_plan_build(&f->o, &env, &f->plan, f->err, sizeof(f->err));
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
	assert_false(fs->chosen);
	assert_string_equal(fs->label, "fs-hostdir");
	assert_string_equal(fs->url, "ipc:///run/x/fs.sock");
	/* fs-hostdir is rooted at the current directory */
	assert_string_equal(joined(fs->argv, 1), "--listen ipc:///run/x/fs.sock --root /home/me");
	assert_null(fs->output);
	assert_null(fs->mkdir);
	/* The defaults png and null are not installed: skipped. */
	assert_int_equal(f->plan.plugins[OBL_DISPLAY].kind, OBL_PLUGIN_NONE);
	assert_int_equal(f->plan.plugins[OBL_INPUT].kind, OBL_PLUGIN_NONE);
	/* wav is: it writes into the output directory, which is to be made. */
	const struct obl_plugin_plan *snd = &f->plan.plugins[OBL_SOUND];
	assert_int_equal(snd->kind, OBL_PLUGIN_LOCAL);
	assert_string_equal(joined(snd->argv, 1),
			    "--listen ipc:///run/x/sound.sock --out outboard-out/sound.wav");
	assert_string_equal(snd->output, "outboard-out/sound.wav");
	assert_string_equal(snd->mkdir, "outboard-out");
	assert_string_equal(f->plan.control_url, "ipc:///run/x/control.sock");
	assert_int_equal(f->plan.plugin_timeout_ms, OBL_PLUGIN_TIMEOUT_MS);
	/* The restart policy's defaults. */
	assert_int_equal(f->plan.restart.max, OBL_RESTART_MAX_DEFAULT);
	assert_int_equal(f->plan.restart.window_ms, OBL_RESTART_WINDOW_DEFAULT_S * 1000);
	assert_int_equal(f->plan.restart.first_ms, OBL_RESTART_FIRST_MS);
	assert_int_equal(f->plan.restart.cap_ms, OBL_RESTART_CAP_MS);
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--wait-ready --plugin fs=ipc:///run/x/fs.sock --plugin sound=ipc:///run/x/sound.sock --on-demand sound=sound-wav "
			    "--mount /tmp=ipc:///run/x/mount-4.sock --on-demand /tmp=fs-mem --control ipc:///run/x/control.sock -- prog a1");
	char cpu[128];
	snprintf(cpu, sizeof(cpu), "%s/outboard-cpu", f->dir);
	assert_string_equal(f->plan.cpu_exe, cpu);
	assert_string_equal(f->plan.cpu_argv[0], cpu);
	/* Nothing was chosen, so nothing could serve another domain. */
	assert_int_equal(describe_calls, 0);
}

/* --record goes to the CPU host with the plugins as usual; --replay starts
 * no plugin, not even the default /tmp, and the host gets only the file. */
static void test_plan_record_replay(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(build(f, ARGV("run", "--record", "/r/run.obr", "prog")), 0);
	assert_int_equal(f->plan.plugins[OBL_FS].kind, OBL_PLUGIN_LOCAL);
	/* No --on-demand: a recording's header names every route's plugin
	 * and its calls at the start, so /tmp starts with the run. */
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--wait-ready --plugin fs=ipc:///run/x/fs.sock --plugin sound=ipc:///run/x/sound.sock "
			    "--mount /tmp=ipc:///run/x/mount-4.sock --control ipc:///run/x/control.sock "
			    "--record /r/run.obr -- prog");
	obl_plan_free(&f->plan);
	obl_options_free(&f->o);
	obl_options_init(&f->o);
	assert_int_equal(build(f, ARGV("run", "--replay", "/r/run.obr", "--fs", "/data", "prog")), 0);
	for (int d = 0; d < OBL_PLAN_SLOTS; d++)
		assert_int_equal(f->plan.plugins[d].kind, OBL_PLUGIN_NONE);
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--control ipc:///run/x/control.sock --replay /r/run.obr -- prog");

	/* An empty file name is refused by the parser. */
	obl_plan_free(&f->plan);
	obl_options_free(&f->o);
	obl_options_init(&f->o);
	char **argv = argv_copy(ARGV("run", "--record", "", "prog"));
	assert_int_equal(obl_parse_run_args(held_argc, argv, &f->o, f->err, sizeof(f->err)),
			 -EINVAL);
	assert_string_equal(f->err, "--record wants a file, got ''");
}

/* --restart-max and --restart-window reach the plan; 0 is kept. */
static void test_plan_restart_policy(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(build(f, ARGV("run", "--restart-max", "0", "--restart-window", "7",
				       "prog")), 0);
	assert_int_equal(f->plan.restart.max, 0);
	assert_int_equal(f->plan.restart.window_ms, 7000);
	assert_int_equal(f->plan.restart.first_ms, OBL_RESTART_FIRST_MS);
}

static void test_plan_default_outputs(void **state)
{
	struct fixture *f = *state;
	touch_exe(f->dir, "outboard-display-png", 0755);
	touch_exe(f->dir, "outboard-input-null", 0755);
	assert_int_equal(build(f, ARGV("run", "--out", "/o/", "--screen", "320x240", "p")), 0);
	const struct obl_plugin_plan *disp = &f->plan.plugins[OBL_DISPLAY];
	assert_string_equal(disp->label, "display-png");
	assert_string_equal(joined(disp->argv, 1),
			    "--listen ipc:///run/x/display.sock --out /o/frames --screen 320x240");
	assert_string_equal(disp->output, "/o/frames");
	assert_string_equal(disp->mkdir, "/o/frames"); /* png writes into a directory */
	const struct obl_plugin_plan *snd = &f->plan.plugins[OBL_SOUND];
	assert_string_equal(joined(snd->argv, 1),
			    "--listen ipc:///run/x/sound.sock --out /o/sound.wav");
	assert_string_equal(snd->mkdir, "/o");
	const struct obl_plugin_plan *in = &f->plan.plugins[OBL_INPUT];
	assert_string_equal(in->label, "input-null");
	assert_string_equal(joined(in->argv, 1), "--listen ipc:///run/x/input.sock");
	assert_null(in->output);
	assert_null(in->mkdir);
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--wait-ready --plugin fs=ipc:///run/x/fs.sock --plugin display=ipc:///run/x/display.sock "
			    "--on-demand display=display-png "
			    "--plugin sound=ipc:///run/x/sound.sock --on-demand sound=sound-wav --plugin input=ipc:///run/x/input.sock "
			    "--on-demand input=input-null --mount /tmp=ipc:///run/x/mount-4.sock --on-demand /tmp=fs-mem --control ipc:///run/x/control.sock -- p");
}

/* A value from the config file replaces the default output, and --screen
 * replaces the file's [display] screen. */
static void test_plan_file_out_and_screen(void **state)
{
	struct fixture *f = *state;
	touch_exe(f->dir, "outboard-display-png", 0755);
	obl_domain_set_opt(&f->o.dom[OBL_DISPLAY], "screen", "16x16");
	obl_domain_set_opt(&f->o.dom[OBL_DISPLAY], "out", "/file/frames");
	obl_domain_set_opt(&f->o.dom[OBL_SOUND], "out", "/file/s.wav");
	f->o.run.screen = strdup("640x480");
	assert_int_equal(build(f, ARGV("run", "p")), 0);
	const struct obl_plugin_plan *disp = &f->plan.plugins[OBL_DISPLAY];
	assert_string_equal(joined(disp->argv, 1),
			    "--listen ipc:///run/x/display.sock --screen 640x480 --out /file/frames");
	assert_string_equal(disp->output, "/file/frames");
	assert_null(disp->mkdir); /* not a default: the plugin's business */
	assert_string_equal(joined(f->plan.plugins[OBL_SOUND].argv, 1),
			    "--listen ipc:///run/x/sound.sock --out /file/s.wav");
	assert_null(f->plan.plugins[OBL_SOUND].mkdir);
}

static void test_plan_primary_options(void **state)
{
	struct fixture *f = *state;
	touch_exe(f->dir, "outboard-display-png", 0755);
	touch_exe(f->dir, "outboard-display-other", 0755);
	const char *const *argv = ARGV("run", "--fs", "/data", "--input", "script:keys.txt", "--sound",
			   "wav:out.wav", "--display", "png:shots", "-v", "prog");
	assert_int_equal(build(f, argv), 0);
	assert_string_equal(joined(f->plan.plugins[OBL_FS].argv, 1),
			    "--listen ipc:///run/x/fs.sock --log-level info --root /data");
	assert_string_equal(joined(f->plan.plugins[OBL_INPUT].argv, 1),
			    "--listen ipc:///run/x/input.sock --log-level info --script keys.txt");
	assert_string_equal(joined(f->plan.plugins[OBL_SOUND].argv, 1),
			    "--listen ipc:///run/x/sound.sock --log-level info --out out.wav");
	assert_string_equal(joined(f->plan.plugins[OBL_DISPLAY].argv, 1),
			    "--listen ipc:///run/x/display.sock --log-level info --out shots");
	/* Outputs the user named are not made by the launcher. */
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++)
		assert_null(f->plan.plugins[d].mkdir);
	assert_string_equal(f->plan.plugins[OBL_SOUND].output, "out.wav");
	assert_string_equal(f->plan.plugins[OBL_DISPLAY].output, "shots");
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--wait-ready --plugin fs=ipc:///run/x/fs.sock --plugin display=ipc:///run/x/display.sock "
			    "--plugin sound=ipc:///run/x/sound.sock "
			    "--plugin input=ipc:///run/x/input.sock "
			    "--mount /tmp=ipc:///run/x/mount-4.sock --on-demand /tmp=fs-mem --control ipc:///run/x/control.sock --log-level info -- prog");
	obl_plan_free(&f->plan);
	obl_options_free(&f->o);
	/* no known primary option: --arg; and no --screen when not asked */
	assert_int_equal(build(f, ARGV("run", "--display", "other:x", "p")), 0);
	assert_string_equal(joined(f->plan.plugins[OBL_DISPLAY].argv, 1),
			    "--listen ipc:///run/x/display.sock --arg x");
	assert_null(f->plan.plugins[OBL_DISPLAY].output);
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
			    "--wait-ready --plugin fs=ipc:///run/x/fs.sock --plugin display=tcp://10.0.0.2:7000 "
			    "--plugin sound=ipc:///run/x/sound.sock --on-demand sound=sound-wav "
			    "--mount /tmp=ipc:///run/x/mount-4.sock --on-demand /tmp=fs-mem --control ipc:///run/x/control.sock "
			    "--trace all --stats --heap-max 1M --stack 2M -- prog --x");
}

/* ---- one process, several domains ---- */

static void test_plan_two_domains(void **state)
{
	struct fixture *f = *state;
	touch_exe(f->dir, "outboard-input-null", 0755);
	assert_int_equal(build(f, ARGV("run", "--display", "twin", "--screen", "64x32", "p")), 0);
	const struct obl_plugin_plan *disp = &f->plan.plugins[OBL_DISPLAY];
	const struct obl_plugin_plan *in = &f->plan.plugins[OBL_INPUT];
	assert_int_equal(disp->kind, OBL_PLUGIN_LOCAL);
	assert_int_equal(disp->domains, OBL_DOMAIN_BIT(OBL_DISPLAY) | OBL_DOMAIN_BIT(OBL_INPUT));
	assert_string_equal(joined(disp->argv, 1),
			    "--listen ipc:///run/x/display.sock --screen 64x32");
	/* input goes to the same process, not to the default input-null */
	assert_int_equal(in->kind, OBL_PLUGIN_SHARED);
	assert_int_equal(in->owner, OBL_DISPLAY);
	assert_false(in->chosen);
	assert_null(in->exe);
	assert_null(in->argv);
	assert_string_equal(in->label, "display-twin");
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--wait-ready --plugin fs=ipc:///run/x/fs.sock --plugin display=ipc:///run/x/display.sock "
			    "--plugin sound=ipc:///run/x/sound.sock --on-demand sound=sound-wav "
			    "--plugin input=ipc:///run/x/display.sock "
			    "--mount /tmp=ipc:///run/x/mount-4.sock --on-demand /tmp=fs-mem --control ipc:///run/x/control.sock -- p");
	assert_int_equal(describe_calls, 1);
}

static void test_plan_two_domains_other_input(void **state)
{
	struct fixture *f = *state;
	/* Another input backend named: started apart, the twin serves display. */
	assert_int_equal(build(f, ARGV("run", "--display", "twin", "--input", "script:k", "p")), 0);
	assert_int_equal(f->plan.plugins[OBL_DISPLAY].domains, OBL_DOMAIN_BIT(OBL_DISPLAY));
	assert_int_equal(f->plan.plugins[OBL_INPUT].kind, OBL_PLUGIN_LOCAL);
	assert_string_equal(f->plan.plugins[OBL_INPUT].url, "ipc:///run/x/input.sock");
	obl_plan_free(&f->plan);
	obl_options_free(&f->o);
	/* Input disabled: stays disabled. */
	assert_int_equal(build(f, ARGV("run", "--display", "twin", "--input", "none", "p")), 0);
	assert_int_equal(f->plan.plugins[OBL_DISPLAY].domains, OBL_DOMAIN_BIT(OBL_DISPLAY));
	assert_int_equal(f->plan.plugins[OBL_INPUT].kind, OBL_PLUGIN_NONE);
}

static void test_plan_two_domains_same_choice(void **state)
{
	struct fixture *f = *state;
	/* Chosen for both: one process, with the options of both sections. */
	obl_domain_set_opt(&f->o.dom[OBL_DISPLAY], "scale", "2");
	obl_domain_set_opt(&f->o.dom[OBL_INPUT], "keymap", "us");
	obl_domain_set_opt(&f->o.dom[OBL_INPUT], "scale", "3"); /* display's wins */
	char link[128], spec[160];
	snprintf(link, sizeof(link), "%s/outboard-input-twin", f->dir);
	snprintf(spec, sizeof(spec), "%s/outboard-display-twin", f->dir);
	assert_int_equal(symlink(spec, link), 0); /* another name, the same file */
	snprintf(spec, sizeof(spec), "input=%s/outboard-display-twin", f->dir);
	assert_int_equal(build(f, ARGV("run", "--display", "twin", "--plugin", spec, "p")), 0);
	const struct obl_plugin_plan *disp = &f->plan.plugins[OBL_DISPLAY];
	assert_int_equal(disp->domains, OBL_DOMAIN_BIT(OBL_DISPLAY) | OBL_DOMAIN_BIT(OBL_INPUT));
	assert_string_equal(joined(disp->argv, 1),
			    "--listen ipc:///run/x/display.sock --scale 2 --keymap us");
	assert_int_equal(f->plan.plugins[OBL_INPUT].kind, OBL_PLUGIN_SHARED);
	assert_true(f->plan.plugins[OBL_INPUT].chosen);
	assert_string_equal(f->plan.plugins[OBL_INPUT].url, "ipc:///run/x/display.sock");
	obl_plan_free(&f->plan);
	obl_options_free(&f->o);
	assert_int_equal(build(f, ARGV("run", "--display", "twin", "--input", "twin", "p")), 0);
	assert_int_equal(f->plan.plugins[OBL_INPUT].kind, OBL_PLUGIN_SHARED);
}

static void test_plan_two_domains_order(void **state)
{
	struct fixture *f = *state;
	/* fs-fsin (fs,input) and display-twin (display,input) both could take
	 * input: the one chosen for the earlier domain does. */
	assert_int_equal(build(f, ARGV("run", "--plugin", "fs=fsin", "--display", "twin", "p")), 0);
	assert_int_equal(f->plan.plugins[OBL_FS].domains,
			 OBL_DOMAIN_BIT(OBL_FS) | OBL_DOMAIN_BIT(OBL_INPUT));
	assert_int_equal(f->plan.plugins[OBL_DISPLAY].domains, OBL_DOMAIN_BIT(OBL_DISPLAY));
	assert_int_equal(f->plan.plugins[OBL_INPUT].owner, OBL_FS);
	assert_string_equal(f->plan.plugins[OBL_INPUT].url, "ipc:///run/x/fs.sock");
}

static void test_plan_describe_not_needed_or_failing(void **state)
{
	struct fixture *f = *state;
	char exe[128], spec[160];
	snprintf(exe, sizeof(exe), "%s/outboard-display-noexec", f->dir);
	chmod(exe, 0755);
	/* Every other domain chosen: no --describe at all. */
	assert_int_equal(build(f, ARGV("run", "--display", "twin", "--fs", "/r", "--sound", "none",
				       "--input", "none", "p")), 0);
	assert_int_equal(describe_calls, 0);
	assert_int_equal(f->plan.plugins[OBL_DISPLAY].domains, OBL_DOMAIN_BIT(OBL_DISPLAY));
	obl_plan_free(&f->plan);
	obl_options_free(&f->o);
	/* One that cannot describe itself serves what it was chosen for. */
	assert_int_equal(build(f, ARGV("run", "--display", "noexec", "p")), 0);
	assert_int_equal(describe_calls, 1);
	assert_int_equal(f->plan.plugins[OBL_DISPLAY].domains, OBL_DOMAIN_BIT(OBL_DISPLAY));
	assert_int_equal(f->plan.plugins[OBL_SOUND].kind, OBL_PLUGIN_LOCAL);
	obl_plan_free(&f->plan);
	obl_options_free(&f->o);
	/* One that does not serve its own domain takes no other (its Hello
	 * check will fail): fs-mem given for display leaves fs to hostdir. */
	snprintf(exe, sizeof(exe), "%s/outboard-fs-mem", f->dir);
	snprintf(spec, sizeof(spec), "display=%s", exe);
	assert_int_equal(build(f, ARGV("run", "--plugin", spec, "p")), 0);
	assert_int_equal(f->plan.plugins[OBL_DISPLAY].domains, OBL_DOMAIN_BIT(OBL_DISPLAY));
	assert_string_equal(f->plan.plugins[OBL_FS].label, "fs-hostdir");
}

static void test_plan_remote_same_url(void **state)
{
	struct fixture *f = *state;
	const char *const *argv = ARGV("run", "--plugin", "display=tcp://h:1", "--plugin",
				       "input=tcp://h:1", "--plugin", "fs=tcp://h:2", "p");
	assert_int_equal(build(f, argv), 0);
	assert_int_equal(f->plan.plugins[OBL_DISPLAY].kind, OBL_PLUGIN_REMOTE);
	assert_int_equal(f->plan.plugins[OBL_DISPLAY].domains,
			 OBL_DOMAIN_BIT(OBL_DISPLAY) | OBL_DOMAIN_BIT(OBL_INPUT));
	assert_int_equal(f->plan.plugins[OBL_INPUT].kind, OBL_PLUGIN_SHARED);
	/* A remote plugin never takes a domain nobody gave it. */
	assert_int_equal(f->plan.plugins[OBL_FS].domains, OBL_DOMAIN_BIT(OBL_FS));
	assert_int_equal(f->plan.plugins[OBL_SOUND].kind, OBL_PLUGIN_LOCAL);
	assert_int_equal(describe_calls, 0);
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--wait-ready --plugin fs=tcp://h:2 --plugin display=tcp://h:1 "
			    "--plugin sound=ipc:///run/x/sound.sock --on-demand sound=sound-wav --plugin input=tcp://h:1 "
			    "--mount /tmp=ipc:///run/x/mount-4.sock --on-demand /tmp=fs-mem --control ipc:///run/x/control.sock -- p");
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
		/* a default backend named explicitly is not skipped */
		{ { "run", "--display", "png", "p" }, -ENOENT,
		  "display backend 'png': no executable outboard-display-png" },
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

/* ---- fs mounts ---- */

static const struct obl_plugin_plan *find_mount(const struct obl_plan *plan, const char *point)
{
	for (int i = OBL_DOMAIN_COUNT; i < OBL_PLAN_SLOTS; i++)
		if (plan->plugins[i].mount && strcmp(plan->plugins[i].mount, point) == 0)
			return &plan->plugins[i];
	return NULL;
}

/* The plan of the mount at point; the test fails when there is none. */
static const struct obl_plugin_plan *mount_at(const struct obl_plan *plan, const char *point)
{
	static const struct obl_plugin_plan none;
	const struct obl_plugin_plan *pp = find_mount(plan, point);
	if (!pp)
		fail_msg("no mount at %s in the plan", point);
	return pp ? pp : &none;
}

/* Each mount is its own process on its own endpoint; :ro reaches the
 * plugin and the host; /tmp is a fresh fs-mem unless it is mounted. */
static void test_plan_mounts(void **state)
{
	struct fixture *f = *state;
	char rom[300], cli[400];
	snprintf(rom, sizeof(rom), "/rom/=hostdir:%s:ro", f->dir);
	assert_int_equal(build(f, ARGV("run", "--mount", rom, "--mount", "//data=mem", "p")), 0);
	const struct obl_plugin_plan *r = mount_at(&f->plan, "/rom");
	const struct obl_plugin_plan *d = mount_at(&f->plan, "/data");
	const struct obl_plugin_plan *t = mount_at(&f->plan, "/tmp");
	assert_non_null(r);
	assert_non_null(d);
	assert_non_null(t);
	assert_int_equal(r->kind, OBL_PLUGIN_LOCAL);
	assert_int_equal(r->domain, OBL_FS);
	assert_true(r->read_only);
	assert_string_equal(r->label, "fs-hostdir@/rom");
	snprintf(cli, sizeof(cli), "--listen ipc:///run/x/mount-4.sock --root %s --read-only", f->dir);
	assert_string_equal(joined(r->argv, 1), cli);
	assert_false(d->read_only);
	assert_string_equal(joined(d->argv, 1), "--listen ipc:///run/x/mount-5.sock");
	assert_false(t->chosen);
	assert_true(t->on_demand); /* the default /tmp; chosen mounts start with the run */
	assert_false(d->on_demand);
	assert_string_equal(t->label, "fs-mem@/tmp");
	assert_string_equal(joined(f->plan.cpu_argv, 1),
			    "--wait-ready --plugin fs=ipc:///run/x/fs.sock --plugin sound=ipc:///run/x/sound.sock --on-demand sound=sound-wav "
			    "--mount-ro /rom=ipc:///run/x/mount-4.sock "
			    "--mount /data=ipc:///run/x/mount-5.sock "
			    "--mount /tmp=ipc:///run/x/mount-6.sock --on-demand /tmp=fs-mem "
			    "--control ipc:///run/x/control.sock -- p");

	/* /tmp replaced, then turned off; no /tmp without a filesystem at all */
	obl_options_free(&f->o);
	obl_plan_free(&f->plan);
	assert_int_equal(build(f, ARGV("run", "--mount", "/tmp=tcp://h:9", "p")), 0);
	assert_int_equal(mount_at(&f->plan, "/tmp")->kind, OBL_PLUGIN_REMOTE);
	obl_options_free(&f->o);
	obl_plan_free(&f->plan);
	assert_int_equal(build(f, ARGV("run", "--mount", "/tmp=none", "p")), 0);
	assert_null(find_mount(&f->plan, "/tmp"));
	obl_options_free(&f->o);
	obl_plan_free(&f->plan);
	assert_int_equal(build(f, ARGV("run", "--plugin", "fs=none", "p")), 0);
	assert_null(find_mount(&f->plan, "/tmp"));
}

/* --fs NAME:ARG, --plugin fs=NAME:ARG and --mount /=SPEC all set "/". */
static void test_plan_fs_name_arg(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *argv[5];
		const char *fs_argv;
		const char *cpu_fs;
	} cases[] = {
		{ { "run", "--fs", "mem:/seed", "p" }, "--listen ipc:///run/x/fs.sock --seed /seed",
		  "--plugin fs=" },
		{ { "run", "--plugin", "fs=mem:/seed", "p" },
		  "--listen ipc:///run/x/fs.sock --seed /seed", "--plugin fs=" },
		{ { "run", "--fs", "/srv/a:b", "p" }, "--listen ipc:///run/x/fs.sock --root /srv/a:b",
		  "--plugin fs=" },
		{ { "run", "--fs", "data", "p" }, "--listen ipc:///run/x/fs.sock --root data",
		  "--plugin fs=" },
		{ { "run", "--mount", "/=hostdir:/srv:ro", "p" },
		  "--listen ipc:///run/x/fs.sock --root /srv --read-only", "--mount-ro /=" },
		{ { "run", "--fs", "hostdir:/srv:ro", "p" },
		  "--listen ipc:///run/x/fs.sock --root /srv --read-only", "--mount-ro /=" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		obl_options_free(&f->o);
		obl_plan_free(&f->plan);
		assert_int_equal(build(f, cases[i].argv), 0);
		const char *got = joined(f->plan.plugins[OBL_FS].argv, 1);
		if (strcmp(got, cases[i].fs_argv) != 0)
			fail_msg("case %zu: fs plugin gets '%s', not '%s'", i, got, cases[i].fs_argv);
		if (!strstr(joined(f->plan.cpu_argv, 1), cases[i].cpu_fs))
			fail_msg("case %zu: no '%s' for the CPU host", i, cases[i].cpu_fs);
	}	/* --plugin takes NAME:ARG for every domain, as --display does. */
	obl_options_free(&f->o);
	obl_plan_free(&f->plan);
	touch_exe(f->dir, "outboard-input-null", 0755);
	assert_int_equal(build(f, ARGV("run", "--plugin", "input=script:keys:1.txt", "p")), 0);
	assert_string_equal(joined(f->plan.plugins[OBL_INPUT].argv, 1),
			    "--listen ipc:///run/x/input.sock --script keys:1.txt");
}

/* Bad mounts fail before anything starts, with the reason. */
static void test_plan_mount_errors(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *spec;
		const char *message;
	} parse_cases[] = {
		{ "tmp=mem", "'tmp' is not an absolute path" },
		{ "/a/../b=mem", "'.' or '..'" },
		{ "/x=", "names no backend" },
		{ "/x=:ro", "names no backend" },
		{ "/x=mem:", "nothing after ':'" },
		{ "/x=none:ro", "none takes nothing more" },
		{ "/x", "--mount wants PATH=SPEC" },
	};
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		obl_options_free(&f->o);
		char **argv = argv_copy(ARGV("run", "--mount", parse_cases[i].spec, "p"));
		assert_int_equal(obl_parse_run_args(held_argc, argv, &f->o, f->err,
						    sizeof(f->err)), -EINVAL);
		if (!strstr(f->err, parse_cases[i].message))
			fail_msg("'%s': '%s' does not say '%s'", parse_cases[i].spec, f->err,
				 parse_cases[i].message);
	}
	obl_options_free(&f->o);
	char **argv = argv_copy(ARGV("run", "--mount", "/x=mem", "--mount", "/x/=hostdir:/", "p"));
	assert_int_equal(obl_parse_run_args(held_argc, argv, &f->o, f->err, sizeof(f->err)),
			 -EINVAL);
	assert_non_null(strstr(f->err, "mount point /x is given twice"));

	static const struct {
		const char *spec;
		int rc;
		const char *message;
	} plan_cases[] = {
		{ "/x=nosuch", -ENOENT, "mount /x: fs backend 'nosuch': no executable outboard-fs-nosuch" },
		{ "/x=hostdir", -EINVAL, "mount /x: hostdir needs a directory" },
		{ "/x=hostdir:/nonexistent/dir", -EINVAL, "/nonexistent/dir: No such file" },
		{ "/x=hostdir:/etc/passwd", -EINVAL, "/etc/passwd is not a directory" },
		{ "/x=mem:/nonexistent/seed", -EINVAL, "seed directory /nonexistent/seed" },
	};
	for (size_t i = 0; i < sizeof(plan_cases) / sizeof(plan_cases[0]); i++) {
		obl_options_free(&f->o);
		obl_plan_free(&f->plan);
		assert_int_equal(build(f, ARGV("run", "--mount", plan_cases[i].spec, "p")),
				 plan_cases[i].rc);
		if (!strstr(f->err, plan_cases[i].message))
			fail_msg("'%s': '%s' does not say '%s'", plan_cases[i].spec, f->err,
				 plan_cases[i].message);
	}
}

/* [mount] in the config file; the command line wins for the same point. */
static void test_plan_mount_config(void **state)
{
	struct fixture *f = *state;
	char path[300];
	snprintf(path, sizeof(path), "%s/run.ini", f->dir);
	FILE *ini = fopen(path, "w");
	assert_non_null(ini);
	fprintf(ini, "[mount]\n/tmp = none\n/data = mem\n/rom = hostdir:%s:ro\n", f->dir);
	fclose(ini);
	struct obl_options file;
	obl_options_init(&file);
	assert_int_equal(obl_config_load(path, &file, f->err, sizeof(f->err)), 0);
	char **argv = argv_copy(ARGV("run", "--mount", "/data=hostdir:/", "p"));
	assert_int_equal(obl_parse_run_args(held_argc, argv, &f->o, f->err, sizeof(f->err)), 0);
	obl_options_merge(&f->o, &file);
	obl_options_free(&file);
	struct obl_plan_env env = { .self_dir = f->dir, .rundir = "/run/x", .cwd = "/home/me" };
	assert_int_equal(obl_plan_build(&f->o, &env, &f->plan, f->err, sizeof(f->err)), 0);
	assert_null(find_mount(&f->plan, "/tmp"));
	assert_string_equal(mount_at(&f->plan, "/data")->label, "fs-hostdir@/data");
	assert_true(mount_at(&f->plan, "/rom")->read_only);

	/* A duplicate in the file names its line. */
	ini = fopen(path, "w");
	fprintf(ini, "[mount]\n/a = mem\n/a = none\n");
	fclose(ini);
	obl_options_init(&file);
	assert_int_equal(obl_config_load(path, &file, f->err, sizeof(f->err)), -EINVAL);
	assert_non_null(strstr(f->err, "run.ini:3: mount point /a is given twice"));
	obl_options_free(&file);
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
		cmocka_unit_test_setup_teardown(test_plan_default_outputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_restart_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_file_out_and_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_two_domains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_two_domains_other_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_two_domains_same_choice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_two_domains_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_describe_not_needed_or_failing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_plan_remote_same_url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_mounts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_fs_name_arg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_mount_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_mount_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_record_replay, setup, teardown),
		cmocka_unit_test(test_plan_exe_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
