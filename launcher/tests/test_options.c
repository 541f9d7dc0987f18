/*
 * Unit tests: the `outboard run` command line, the config file, and how
 * the two merge (the command line wins).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "test_argv.h"
#include "outboard/log.h"


static char err[512];

static int parse(const char *const *args, struct obl_options *o)
{
	char **argv = argv_copy(args);
	obl_options_init(o);
	err[0] = '\0';
	return obl_parse_run_args(held_argc, argv, o, err, sizeof(err));
}

/* Write text to a fresh temporary file; returns its path (static). */
static const char *write_config(const char *text)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/obl-test-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static int load(const char *text, struct obl_options *o)
{
	const char *path = write_config(text);
	obl_options_init(o);
	err[0] = '\0';
	int rc = obl_config_load(path, o, err, sizeof(err));
	unlink(path);
	return rc;
}

/* ---- command line ---- */

static void test_options_stop_at_program(void **state)
{
	(void)state;
	struct obl_options o;
	assert_int_equal(parse(ARGV("run", "--trace", "fs", "prog.elf", "--fs", "x", "-v"), &o),
			 0);
	assert_string_equal(o.run.trace, "fs");
	assert_int_equal(o.guest_argc, 4);
	assert_ptr_equal(o.guest_argv, held_argv + 3);
	assert_string_equal(o.guest_argv[1], "--fs");
	assert_null(o.dom[OBL_FS].backend); /* --fs after PROGRAM is the guest's */
	assert_int_equal(o.run.verbose, 0);
	obl_options_free(&o);
}

static void test_options_all(void **state)
{
	(void)state;
	const char *const *argv = ARGV("run", "--config", "c.ini", "--fs", "/data", "--display", "png:out",
			   "--sound", "wav", "--input", "script:keys.txt", "--plugin",
			   "display=tcp://host:5555", "-vv", "--log-level", "info", "--stats",
			   "--heap-max", "8M", "--stack", "64K", "--cpu", "/bin/fake",
			   "--plugin-timeout", "500", "p");
	struct obl_options o;
	assert_int_equal(parse(argv, &o), 0);
	assert_string_equal(o.config_path, "c.ini");
	assert_string_equal(o.dom[OBL_FS].backend, "hostdir");
	assert_string_equal(o.dom[OBL_FS].arg, "/data");
	/* --plugin came later and replaced --display png:out, URL whole. */
	assert_string_equal(o.dom[OBL_DISPLAY].backend, "tcp://host:5555");
	assert_null(o.dom[OBL_DISPLAY].arg);
	assert_string_equal(o.dom[OBL_SOUND].backend, "wav");
	assert_null(o.dom[OBL_SOUND].arg);
	assert_string_equal(o.dom[OBL_INPUT].backend, "script");
	assert_string_equal(o.dom[OBL_INPUT].arg, "keys.txt");
	assert_int_equal(o.run.verbose, 2);
	assert_int_equal(o.run.log_level, OB_LOG_INFO);
	assert_int_equal(o.run.stats, 1);
	assert_string_equal(o.run.heap_max, "8M");
	assert_string_equal(o.run.stack, "64K");
	assert_string_equal(o.cpu, "/bin/fake");
	assert_int_equal(o.plugin_timeout_ms, 500);
	assert_int_equal(o.guest_argc, 1);
	assert_string_equal(o.guest_argv[0], "p");
	obl_options_free(&o);
}

static void test_options_help_version(void **state)
{
	(void)state;
	struct obl_options o;
	assert_int_equal(parse(ARGV("run", "--help"), &o), 0);
	assert_true(o.help);
	obl_options_free(&o);
	assert_int_equal(parse(ARGV("run", "--version"), &o), 0);
	assert_true(o.version);
	obl_options_free(&o);
}

static void test_options_errors(void **state)
{
	(void)state;
	struct obl_options o;
	static const struct {
		const char *argv[6];
		const char *message;
	} cases[] = {
		{ { "run" }, "no PROGRAM" },
		{ { "run", "--bogus", "p" }, "unknown option '--bogus'" },
		{ { "run", "-x", "p" }, "unknown option '-x'" },
		{ { "run", "--trace" }, "needs an argument" },
		{ { "run", "--plugin", "net=x", "p" }, "unknown domain 'net'" },
		{ { "run", "--plugin", "fs", "p" }, "DOMAIN=EXEC|URL" },
		{ { "run", "--plugin", "fs=", "p" }, "DOMAIN=EXEC|URL" },
		{ { "run", "--log-level", "loud", "p" }, "unknown level 'loud'" },
		{ { "run", "--plugin-timeout", "0", "p" }, "--plugin-timeout" },
		{ { "run", "--plugin-timeout", "5x", "p" }, "--plugin-timeout" },
		{ { "run", "--out", "", "p" }, "--out wants a directory" },
		{ { "run", "--screen", "15x100", "p" }, "--screen wants WxH, each side 16 to 2048" },
		{ { "run", "--screen", "100x2049", "p" }, "got '100x2049'" },
		{ { "run", "--screen", "320X240", "p" }, "--screen wants WxH" },
		{ { "run", "--screen", "320x", "p" }, "--screen wants WxH" },
		{ { "run", "--screen", "x240", "p" }, "--screen wants WxH" },
		{ { "run", "--screen", "-320x240", "p" }, "--screen wants WxH" },
		{ { "run", "--screen", "+320x240", "p" }, "--screen wants WxH" },
		{ { "run", "--screen", "320x240x2", "p" }, "--screen wants WxH" },
		{ { "run", "--screen", "32 0x240", "p" }, "--screen wants WxH" },
		{ { "run", "--screen", "00320x240", "p" }, "--screen wants WxH" },
		{ { "run", "--screen", "", "p" }, "--screen wants WxH" },
		{ { "run", "--restart-max", "101", "p" },
		  "--restart-max wants a number from 0 to 100, got '101'" },
		{ { "run", "--restart-max", "-1", "p" }, "--restart-max wants a number" },
		{ { "run", "--restart-max", "2x", "p" }, "--restart-max wants a number" },
		{ { "run", "--restart-max", "", "p" }, "--restart-max wants a number" },
		{ { "run", "--restart-window", "0", "p" },
		  "--restart-window wants seconds (1 to 86400), got '0'" },
		{ { "run", "--restart-window", "86401", "p" }, "--restart-window wants seconds" },
		{ { "run", "--restart-window", "1.5", "p" }, "--restart-window wants seconds" },
		{ { "run", "--restart-window", "99999999999999999999", "p" },
		  "--restart-window wants seconds" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].argv, &o), -EINVAL);
		if (!strstr(err, cases[i].message))
			fail_msg("case %zu: '%s' does not say '%s'", i, err, cases[i].message);
		obl_options_free(&o);
	}
}

static void test_options_log_level(void **state)
{
	(void)state;
	struct obl_options o;
	assert_int_equal(parse(ARGV("run", "p"), &o), 0);
	assert_int_equal(obl_options_log_level(&o), -1); /* children keep theirs */
	obl_options_free(&o);
	assert_int_equal(parse(ARGV("run", "-v", "p"), &o), 0);
	assert_int_equal(obl_options_log_level(&o), OB_LOG_INFO); /* warn + 1 */
	obl_options_free(&o);
	assert_int_equal(parse(ARGV("run", "--log-level", "error", "-v", "p"), &o), 0);
	assert_int_equal(obl_options_log_level(&o), OB_LOG_GUEST);
	obl_options_free(&o);
	assert_int_equal(parse(ARGV("run", "-vvvvv", "p"), &o), 0);
	assert_int_equal(obl_options_log_level(&o), OB_LOG_DEBUG); /* capped */
	obl_options_free(&o);
}

static void test_options_out_and_screen(void **state)
{
	(void)state;
	struct obl_options o;
	assert_int_equal(parse(ARGV("run", "--out", "/tmp/o", "--screen", "0320x240", "p"), &o), 0);
	assert_string_equal(o.run.out, "/tmp/o");
	assert_string_equal(o.run.screen, "320x240"); /* normalised */
	obl_options_free(&o);
	/* the bounds are allowed */
	assert_int_equal(parse(ARGV("run", "--screen", "16x2048", "--screen", "2048x16", "p"), &o),
			 0);
	assert_string_equal(o.run.screen, "2048x16"); /* the last wins */
	obl_options_free(&o);
	char buf[16];
	assert_int_equal(obl_screen_parse("640x480", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "640x480");
	assert_int_equal(obl_screen_parse("9999x480", buf, sizeof(buf)), -EINVAL);
}

static void test_options_restart(void **state)
{
	(void)state;
	struct obl_options o;
	assert_int_equal(parse(ARGV("run", "p"), &o), 0);
	assert_int_equal(o.run.restart_max, -1); /* not given */
	assert_int_equal(o.run.restart_window_s, -1);
	obl_options_free(&o);
	assert_int_equal(parse(ARGV("run", "--restart-max", "0", "--restart-window", "86400", "p"),
			       &o), 0);
	assert_int_equal(o.run.restart_max, 0);
	assert_int_equal(o.run.restart_window_s, 86400);
	obl_options_free(&o);
	assert_int_equal(parse(ARGV("run", "--restart-max", "100", "--restart-window", "1",
				    "--restart-max", "7", "p"), &o), 0);
	assert_int_equal(o.run.restart_max, 7); /* the last wins */
	assert_int_equal(o.run.restart_window_s, 1);
	obl_options_free(&o);
	int v = 42;
	assert_int_equal(obl_restart_max_parse(" 5", &v), -EINVAL);
	assert_int_equal(obl_restart_max_parse("+5", &v), -EINVAL);
	assert_int_equal(obl_restart_window_parse("30 ", &v), -EINVAL);
	assert_int_equal(v, 42); /* untouched by failures */
	assert_int_equal(obl_restart_window_parse("030", &v), 0);
	assert_int_equal(v, 30);
}

static void test_options_shorthands(void **state)
{
	(void)state;
	struct obl_options o;
	assert_int_equal(parse(ARGV("run", "--display", "png:/f", "--sound", "wav:s.wav",
				    "--input", "script:k:1.txt", "p"), &o), 0);
	assert_string_equal(o.dom[OBL_DISPLAY].backend, "png");
	assert_string_equal(o.dom[OBL_DISPLAY].arg, "/f");
	assert_string_equal(o.dom[OBL_SOUND].backend, "wav");
	assert_string_equal(o.dom[OBL_SOUND].arg, "s.wav");
	assert_string_equal(o.dom[OBL_INPUT].backend, "script");
	assert_string_equal(o.dom[OBL_INPUT].arg, "k:1.txt"); /* split at the first ':' */
	obl_options_free(&o);
}

static void test_domain_lists(void **state)
{
	(void)state;
	unsigned mask = 0;
	char buf[64];
	assert_int_equal(obl_domain_mask("input,display", &mask), 0);
	assert_int_equal(mask, OBL_DOMAIN_BIT(OBL_DISPLAY) | OBL_DOMAIN_BIT(OBL_INPUT));
	assert_string_equal(obl_domain_list(mask, buf, sizeof(buf)), "display,input");
	assert_int_equal(obl_domain_mask("fs", &mask), 0);
	assert_string_equal(obl_domain_list(mask, buf, sizeof(buf)), "fs");
	assert_string_equal(obl_domain_list(0, buf, sizeof(buf)), "");
	const char *bad[] = { "", ",", "fs,", ",fs", "fs,,input", "net", "fs,teleport",
			      "displayinputsoundfs" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (obl_domain_mask(bad[i], &mask) != -EINVAL)
			fail_msg("'%s' was taken as a domain list", bad[i]);
}

/* ---- config file ---- */

static void test_config_full(void **state)
{
	(void)state;
	struct obl_options o;
	int rc = load("# a comment\n"
		      "[run]\n"
		      "log_level = debug\n"
		      "trace = fs,display ; inline comment\n"
		      "stats = true\n"
		      "heap_max = 16M\n"
		      "stack = 128K\n"
		      "out = /tmp/run-out\n"
		      "screen = 640x0480\n"
		      "restart_max = 3\n"
		      "restart_window = 12\n"
		      "\n"
		      "[fs]\n"
		      "backend = mem\n"
		      "seed = /seed\n"
		      "read_only = true\n"
		      "sync = false\n"
		      "[input]\n"
		      "backend = none\n", &o);
	assert_int_equal(rc, 0);
	assert_int_equal(o.run.log_level, OB_LOG_DEBUG);
	assert_string_equal(o.run.trace, "fs,display");
	assert_int_equal(o.run.stats, 1);
	assert_string_equal(o.run.heap_max, "16M");
	assert_string_equal(o.run.stack, "128K");
	assert_string_equal(o.run.out, "/tmp/run-out");
	assert_string_equal(o.run.screen, "640x480");
	assert_int_equal(o.run.restart_max, 3);
	assert_int_equal(o.run.restart_window_s, 12);
	assert_string_equal(o.dom[OBL_FS].backend, "mem");
	assert_int_equal(o.dom[OBL_FS].n_opts, 3);
	assert_string_equal(obl_domain_get_opt(&o.dom[OBL_FS], "seed"), "/seed");
	/* underscores become dashes */
	assert_string_equal(obl_domain_get_opt(&o.dom[OBL_FS], "read-only"), "true");
	assert_string_equal(obl_domain_get_opt(&o.dom[OBL_FS], "sync"), "false");
	assert_string_equal(o.dom[OBL_INPUT].backend, "none");
	assert_null(o.dom[OBL_DISPLAY].backend);
	obl_options_free(&o);
}

static void test_config_errors_name_line(void **state)
{
	(void)state;
	struct obl_options o;
	static const struct {
		const char *text;
		const char *message; /* after "FILE:" */
	} cases[] = {
		{ "[run]\nstats = true\n[network]\nport = 5\n", ":3: unknown section [network]" },
		{ "[run]\n\ncolour = red\n", ":3: unknown key 'colour' in [run]" },
		{ "[run]\nthis line is not ini\n", ":2: syntax error" },
		{ "[run\n", ":1: syntax error" },
		{ "[run]\nstats = maybe\n", ":2: stats wants true or false" },
		{ "[run]\nlog_level = loud\n", ":2: log_level: unknown level 'loud'" },
		{ "[run]\nscreen = 10x10\n", ":2: screen wants WxH, each side 16 to 2048" },
		{ "[run]\nscreen = big\n", ":2: screen wants WxH" },
		{ "[run]\n\nout =\n", ":3: out is empty" },
		{ "[run]\nrestart_max = 101\n",
		  ":2: restart_max wants a number from 0 to 100, got '101'" },
		{ "[run]\nrestart_max =\n", ":2: restart_max wants a number" },
		{ "[run]\nrestart_window = 0\n",
		  ":2: restart_window wants seconds (1 to 86400), got '0'" },
		{ "[run]\nrestart_window = 30s\n", ":2: restart_window wants seconds" },
		{ "stats = true\n", ":1: 'stats' outside a section" },
		{ "[fs]\nbackend = test\nlisten = tcp://x\n", ":3: 'listen' is set by the launcher" },
		{ "[fs]\nroot = /a\n  /b\n", ":3: indented line" },
		{ "[fs]\nbad key! = 1\n", ":2: bad option name" },
		/* the first error wins, whoever found it */
		{ "[run]\n!!!\n[bogus]\nx = 1\n", ":2: syntax error" },
		{ "[bogus]\nx = 1\n!!!\n", ":1: unknown section [bogus]" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(load(cases[i].text, &o), -EINVAL);
		if (strncmp(err, "/tmp/obl-test-", 14) != 0 || !strstr(err, cases[i].message))
			fail_msg("case %zu: '%s' does not say '%s'", i, err, cases[i].message);
		obl_options_free(&o);
	}
}

static void test_config_long_line(void **state)
{
	(void)state;
	char text[1024];
	char value[600];
	memset(value, 'a', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	snprintf(text, sizeof(text), "[fs]\nroot = /x\ngreeting = %s\nother = 1\n", value);
	struct obl_options o;
	assert_int_equal(load(text, &o), -EINVAL);
	assert_non_null(strstr(err, ":3: line longer than"));
	obl_options_free(&o);
}

static void test_config_missing_file(void **state)
{
	(void)state;
	struct obl_options o;
	obl_options_init(&o);
	assert_int_equal(obl_config_load("/nonexistent/x.ini", &o, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/x.ini"));
	obl_options_free(&o);
}

/* A directory named as the config file is refused, not read as empty. */
static void test_config_directory(void **state)
{
	(void)state;
	struct obl_options o;
	obl_options_init(&o);
	assert_int_equal(obl_config_load("/tmp", &o, err, sizeof(err)), -EISDIR);
	assert_string_equal(err, "/tmp: is a directory, not a config file");
	obl_options_free(&o);
}

/* A NUL byte is an error on the line that holds it, line 1 included, and
 * the lines after it are not taken for new ones. */
static void test_config_nul_byte(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t len;
		const char *message;
	} cases[] = {
		{ "[run]\0x\nstats = true\n", 16, ":1: NUL byte" },
		{ "\0", 1, ":1: NUL byte" },
		{ "[run]\nstats = tr\0ue\n[fs]\n", 24, ":2: NUL byte" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[] = "/tmp/obl-test-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, cases[i].text, cases[i].len), (ssize_t)cases[i].len);
		close(fd);
		struct obl_options o;
		obl_options_init(&o);
		assert_int_equal(obl_config_load(path, &o, err, sizeof(err)), -EINVAL);
		unlink(path);
		if (!strstr(err, cases[i].message))
			fail_msg("case %zu: '%s' does not say '%s'", i, err, cases[i].message);
		obl_options_free(&o);
	}
}

/* ---- merging ---- */

static void test_merge_cli_wins(void **state)
{
	(void)state;
	struct obl_options cli, file;
	assert_int_equal(load("[run]\nlog_level = error\ntrace = all\nstats = true\n"
			      "heap_max = 1M\nstack = 2K\nout = /file-out\nscreen = 32x32\n",
			      &file), 0);
	const char *const *argv = ARGV("run", "--trace", "fs", "--stack", "9K", "--screen",
				       "64x64", "p");
	assert_int_equal(parse(argv, &cli), 0);
	obl_options_merge(&cli, &file);
	assert_string_equal(cli.run.trace, "fs");      /* command line */
	assert_string_equal(cli.run.stack, "9K");      /* command line */
	assert_string_equal(cli.run.heap_max, "1M");   /* file */
	assert_int_equal(cli.run.stats, 1);            /* file */
	assert_int_equal(cli.run.log_level, OB_LOG_ERROR);
	assert_string_equal(cli.run.screen, "64x64");  /* command line */
	assert_string_equal(cli.run.out, "/file-out"); /* file */
	obl_options_free(&cli);
	obl_options_free(&file);
}

static void test_merge_restart(void **state)
{
	(void)state;
	struct obl_options cli, file;
	assert_int_equal(load("[run]\nrestart_max = 0\nrestart_window = 9\n", &file), 0);
	assert_int_equal(parse(ARGV("run", "--restart-max", "4", "p"), &cli), 0);
	obl_options_merge(&cli, &file);
	assert_int_equal(cli.run.restart_max, 4);      /* command line */
	assert_int_equal(cli.run.restart_window_s, 9); /* file */
	obl_options_free(&cli);
	obl_options_free(&file);
	/* The file's 0 is a value, not "not given". */
	assert_int_equal(load("[run]\nrestart_max = 0\n", &file), 0);
	assert_int_equal(parse(ARGV("run", "p"), &cli), 0);
	obl_options_merge(&cli, &file);
	assert_int_equal(cli.run.restart_max, 0);
	assert_int_equal(cli.run.restart_window_s, -1);
	obl_options_free(&cli);
	obl_options_free(&file);
}

static void test_merge_log_level(void **state)
{
	(void)state;
	struct obl_options cli, file;
	assert_int_equal(load("[run]\nlog_level = error\n", &file), 0);
	assert_int_equal(parse(ARGV("run", "--log-level", "info", "p"), &cli), 0);
	obl_options_merge(&cli, &file);
	assert_int_equal(obl_options_log_level(&cli), OB_LOG_INFO);
	obl_options_free(&cli);
	obl_options_free(&file);

	/* -v raises the file's level */
	assert_int_equal(load("[run]\nlog_level = error\n", &file), 0);
	assert_int_equal(parse(ARGV("run", "-v", "p"), &cli), 0);
	obl_options_merge(&cli, &file);
	assert_int_equal(obl_options_log_level(&cli), OB_LOG_GUEST);
	obl_options_free(&cli);
	obl_options_free(&file);
}

static void test_merge_domain_same_backend(void **state)
{
	(void)state;
	struct obl_options cli, file;
	assert_int_equal(load("[fs]\nbackend = hostdir\nroot = /file\nread_only = true\n", &file),
			 0);
	assert_int_equal(parse(ARGV("run", "--fs", "/cli", "p"), &cli), 0);
	obl_options_merge(&cli, &file);
	assert_string_equal(cli.dom[OBL_FS].backend, "hostdir");
	assert_string_equal(cli.dom[OBL_FS].arg, "/cli"); /* replaces root when argv is built */
	assert_string_equal(obl_domain_get_opt(&cli.dom[OBL_FS], "read-only"), "true");
	obl_options_free(&cli);
	obl_options_free(&file);
}

static void test_merge_domain_other_backend(void **state)
{
	(void)state;
	struct obl_options cli, file;
	assert_int_equal(load("[fs]\nbackend = mem\nseed = /s\n[sound]\nbackend = wav\n"
			      "out = a.wav\n", &file), 0);
	assert_int_equal(parse(ARGV("run", "--fs", "/cli", "p"), &cli), 0);
	obl_options_merge(&cli, &file);
	/* the file's [fs] options were for mem: dropped */
	assert_string_equal(cli.dom[OBL_FS].backend, "hostdir");
	assert_int_equal(cli.dom[OBL_FS].n_opts, 0);
	/* untouched domains come from the file */
	assert_string_equal(cli.dom[OBL_SOUND].backend, "wav");
	assert_string_equal(obl_domain_get_opt(&cli.dom[OBL_SOUND], "out"), "a.wav");
	obl_options_free(&cli);
	obl_options_free(&file);
}

static void test_merge_options_without_backend(void **state)
{
	(void)state;
	struct obl_options cli, file;
	/* options with no backend key apply to whatever backend is default */
	assert_int_equal(load("[fs]\nroot = /r\n", &file), 0);
	assert_int_equal(parse(ARGV("run", "p"), &cli), 0);
	obl_options_merge(&cli, &file);
	assert_null(cli.dom[OBL_FS].backend);
	assert_string_equal(obl_domain_get_opt(&cli.dom[OBL_FS], "root"), "/r");
	obl_options_free(&cli);
	obl_options_free(&file);
}

/* ---- CPU host options and the guest environment ---- */

/* Every CPU host option's bad value is refused while parsing, before any
 * process starts, naming the option and the valid values. */
static void test_host_option_rejections(void **state)
{
	(void)state;
	struct obl_options o;
	static const struct {
		const char *argv[6];
		const char *message;
	} cases[] = {
		{ { "run", "--trace", "bogus", "p" },
		  "--trace: 'bogus' is neither a domain (kernel, fs, display, sound, input, all)" },
		{ { "run", "--trace", "fs,", "p" }, "got 'fs,'" },
		{ { "run", "--trace=", "p" }, "--trace: the list is empty" },
		{ { "run", "--heap-max", "lots", "p" },
		  "--heap-max wants a size like 4096, 512k, 64M or 1G (at most 2G - 1); got 'lots'" },
		{ { "run", "--heap-max", "0", "p" }, "--heap-max wants a size" },
		{ { "run", "--heap-max", "4G", "p" }, "--heap-max wants a size" },
		{ { "run", "--heap-max", "-1M", "p" }, "--heap-max wants a size" },
		{ { "run", "--stack", "64MB", "p" }, "--stack wants a size" },
		{ { "run", "--call-timeout", "-1", "p" },
		  "--call-timeout wants milliseconds from 0 (none) to 3600000; got '-1'" },
		{ { "run", "--call-timeout", "1s", "p" }, "--call-timeout wants milliseconds" },
		{ { "run", "--time-limit", "3600001", "p" }, "--time-limit wants milliseconds" },
		{ { "run", "--time-limit", "", "p" }, "--time-limit wants milliseconds" },
		{ { "run", "--time-limit" }, "needs an argument" },
		{ { "run", "--env", "NOVALUE", "p" }, "--env wants NAME=VALUE, got 'NOVALUE'" },
		{ { "run", "--env", "=x", "p" }, "--env: bad variable name ''" },
		{ { "run", "--unset-env", "A=B", "p" }, "--unset-env: bad variable name 'A=B'" },
		{ { "run", "--unset-env", "", "p" }, "--unset-env: bad variable name ''" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].argv, &o), -EINVAL);
		if (!strstr(err, cases[i].message))
			fail_msg("case %zu: '%s' does not say '%s'", i, err, cases[i].message);
		obl_options_free(&o);
	}
}

static void test_host_options_accepted(void **state)
{
	(void)state;
	struct obl_options o;
	assert_int_equal(parse(ARGV("run", "p"), &o), 0);
	assert_int_equal(o.run.call_timeout_ms, -1);
	assert_int_equal(o.run.time_limit_ms, -1);
	assert_int_equal(o.run.n_env, 0);
	obl_options_free(&o);
	assert_int_equal(parse(ARGV("run", "--call-timeout", "0", "--time-limit", "3600000",
				    "--trace", "all", "--heap-max", "0x1000", "p"), &o), 0);
	assert_int_equal(o.run.call_timeout_ms, 0);
	assert_int_equal(o.run.time_limit_ms, 3600000);
	obl_options_free(&o);
}

static void assert_env(const struct obl_run_conf *run, const char *const *want)
{
	char **env;
	assert_int_equal(obl_env_resolve(run, &env), 0);
	size_t i = 0;
	for (; want[i]; i++) {
		assert_non_null(env[i]);
		assert_string_equal(env[i], want[i]);
	}
	assert_null(env[i]);
	obl_env_free(env);
}

/* [env] first, the command line over it, each in order; a name keeps the
 * place it was first set at. */
static void test_env_order(void **state)
{
	(void)state;
	struct obl_options cli, file;
	assert_int_equal(load("[env]\nA = file\nB = b\nGONE = x\nEMPTY =\n", &file), 0);
	assert_int_equal(parse(ARGV("run", "--env", "C=1", "--env", "A=x=y", "--unset-env", "GONE",
				    "--unset-env", "NEVER", "--env", "C=2", "p"), &cli), 0);
	obl_options_merge(&cli, &file);
	assert_env(&cli.run, (const char *const[]){ "A=x=y", "B=b", "EMPTY=", "C=2", NULL });
	obl_options_free(&cli);
	obl_options_free(&file);

	/* A later set after an unset comes back at the end. */
	assert_int_equal(parse(ARGV("run", "--env", "A=1", "--env", "B=2", "--unset-env", "A",
				    "--env", "A=3", "p"), &cli), 0);
	assert_env(&cli.run, (const char *const[]){ "B=2", "A=3", NULL });
	obl_options_free(&cli);
}

static void test_config_host_options(void **state)
{
	(void)state;
	struct obl_options o;
	assert_int_equal(load("[run]\ncall_timeout = 2500\ntime_limit = 0\n", &o), 0);
	assert_int_equal(o.run.call_timeout_ms, 2500);
	assert_int_equal(o.run.time_limit_ms, 0);
	obl_options_free(&o);

	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "[run]\ntrace = files\n", ":2: trace: 'files' is neither a domain" },
		{ "[run]\nheap_max = lots\n", ":2: heap_max wants a size like" },
		{ "[run]\n\nstack = 0\n", ":3: stack wants a size" },
		{ "[run]\ncall_timeout = -5\n", ":2: call_timeout wants milliseconds" },
		{ "[run]\ntime_limit = 1h\n", ":2: time_limit wants milliseconds from 0" },
		{ "[env]\nA = 1\n= x\n", ":3: [env]: bad variable name ''" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(load(cases[i].text, &o), -EINVAL);
		if (!strstr(err, cases[i].message))
			fail_msg("case %zu: '%s' does not say '%s'", i, err, cases[i].message);
		obl_options_free(&o);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_stop_at_program),
		cmocka_unit_test(test_options_all),
		cmocka_unit_test(test_options_help_version),
		cmocka_unit_test(test_options_errors),
		cmocka_unit_test(test_options_log_level),
		cmocka_unit_test(test_options_out_and_screen),
		cmocka_unit_test(test_options_restart),
		cmocka_unit_test(test_options_shorthands),
		cmocka_unit_test(test_domain_lists),
		cmocka_unit_test(test_config_full),
		cmocka_unit_test(test_config_errors_name_line),
		cmocka_unit_test(test_config_long_line),
		cmocka_unit_test(test_config_missing_file),
		cmocka_unit_test(test_config_directory),
		cmocka_unit_test(test_config_nul_byte),
		cmocka_unit_test(test_merge_cli_wins),
		cmocka_unit_test(test_merge_restart),
		cmocka_unit_test(test_merge_log_level),
		cmocka_unit_test(test_merge_domain_same_backend),
		cmocka_unit_test(test_merge_domain_other_backend),
		cmocka_unit_test(test_merge_options_without_backend),
		cmocka_unit_test(test_host_option_rejections),
		cmocka_unit_test(test_host_options_accepted),
		cmocka_unit_test(test_env_order),
		cmocka_unit_test(test_config_host_options),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	argv_release();
	return failed;
}
