/*
 * outboard, the launcher: `outboard run` starts the device plugins and the
 * CPU host and supervises them; `outboard plugins` lists the backends.
 * docs/launcher.md is the user's reference.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "outboard/ipc.h"
#include "outboard/log.h"

void obl_usage(FILE *f)
{
	fprintf(f,
		"Usage: outboard run [options] PROGRAM [ARGS...]\n"
		"       outboard plugins\n"
		"       outboard trace [--trace LIST] FILE\n"
		"       outboard replay --against BACKEND [--route NAME] FILE\n"
		"       outboard --help | --version\n"
		"\n"
		"  run      run the ARM guest PROGRAM (see 'outboard run --help')\n"
		"  plugins  list the installed device backends\n"
		"  trace    print a recording (run --record FILE) as --trace does\n"
		"  replay   send a recording's requests of one route (fs by default) to\n"
		"           a live BACKEND (NAME[:ARG], as --fs takes) and compare its\n"
		"           replies with the recorded ones; exit status 1 if any differ\n"
		"           (docs/debugging.md)\n");
}

void obl_usage_run(FILE *f)
{
	fprintf(f,
		"Usage: outboard run [options] PROGRAM [ARGS...]\n"
		"\n"
		"Options stop at PROGRAM; everything after it goes to the guest.\n"
		"\n"
		"  --config FILE          read settings from an INI file (docs/launcher.md);\n"
		"                         the command line overrides it\n"
		"  --fs DIR               serve files from DIR (fs backend hostdir);\n"
		"                         the default is the current directory;\n"
		"                         --fs NAME:ARG[:ro] another backend (mem:SEEDDIR)\n"
		"  --display NAME[:ARG]   display backend (default: png); png:DIR\n"
		"  --sound NAME[:ARG]     sound backend (default: wav); wav:FILE\n"
		"  --input NAME[:ARG]     input backend (default: null); script:FILE\n"
		"  --out DIR              where the default png and wav backends write\n"
		"                         (DIR/frames, DIR/sound.wav; default outboard-out)\n"
		"  --screen WxH           screen size for the display plugin (16-2048 each)\n"
		"  --plugin DOMAIN=EXEC|URL\n"
		"                         serve DOMAIN (fs, display, sound, input) with a\n"
		"                         backend name, an executable, a tcp:// or ipc://\n"
		"                         endpoint to dial, or none\n"
		"  --plugin-timeout MS    how long a plugin has to answer Hello (10000)\n"
		"  --restart-max N        a plugin that dies is restarted; after N crashes\n"
		"                         within the restart window it is given up (5;\n"
		"                         0: never restart)\n"
		"  --restart-window SEC   that window, in seconds (30)\n"
		"  -v, --verbose          more logging; repeat for more\n"
		"  --log-level LEVEL      error, guest, stub, warn, info, debug (all processes)\n"
		"  --trace LIST           trace guest calls: domains and call names (CPU host)\n"
		"  --trace-file FILE      write the trace to FILE (created before anything starts)\n"
		"  --trace-time           prefix trace lines with seconds since the start\n"
		"  --trace-durations      end trace lines with the call's time in ms\n"
		"  --stats                print IPC statistics at exit (CPU host)\n"
		"  -g, --gdb [HOST:]PORT  start the program stopped and wait for gdb on\n"
		"                         localhost:PORT (or HOST:PORT); docs/debugging.md\n"
		"  --heap-max SIZE        guest heap limit, like 64M (CPU host)\n"
		"  --stack SIZE           guest main stack size, like 16M (CPU host; default 8M)\n"
		"  --key FILE             shared key for tcp:// plugins (outboard-keygen)\n"
		"  --mount PATH=SPEC      serve the guest's paths under PATH with an fs\n"
		"                         backend of its own: SPEC is NAME[:ARG], an\n"
		"                         executable, a URL or none, :ro at the end for\n"
		"                         read-only (EROFS); e.g. /rom=hostdir:DIR:ro.\n"
		"                         /tmp is a fresh mem by default, started at its\n"
		"                         first use (/tmp=none: off)\n"
		"  --call-timeout MS      deadline of each blocking device call (CPU host;\n"
		"                         0, the default: none)\n"
		"  --time-limit MS        stop the program after MS milliseconds, exit\n"
		"                         status 142 (CPU host; 0, the default: none)\n"
		"  --env NAME=VALUE       set a variable of the guest's environment\n"
		"                         (repeatable); it starts empty: nothing of\n"
		"                         outboard's own environment reaches the guest\n"
		"  --unset-env NAME       drop a variable set by [env] or an earlier --env\n"
		"  --fs-cache SIZE        file cache of the CPU host (64M; 0: off)\n"
		"  --record FILE          record the device traffic to FILE (docs/debugging.md);\n"
		"                         the file cache is off unless --fs-cache is given\n"
		"  --replay FILE          run with no plugins, answered from a recording;\n"
		"                         exit status 123 when the program diverges from it\n"
		"  -h, --help             this text\n"
		"  --version              the version\n"
		"\n"
		"A backend NAME for domain D runs outboard-D-NAME, found beside outboard or\n"
		"in PATH; a default backend that is not installed is skipped with a warning.\n"
		"A backend serving several domains (display-sdl: display,input) also serves\n"
		"those nothing else was chosen for. Exit status: the guest's; 128+N when\n"
		"the CPU host was killed by signal N; 125 when outboard itself failed.\n");
}

/* Children get these three descriptors as they are, so each must be open:
 * otherwise a pipe of ours could land on 1 or 2 by chance. */
static void open_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
}

int main(int argc, char **argv)
{
	ob_log_set_program("outboard");
	open_std_fds();
	const char *cmd = argc > 1 ? argv[1] : NULL;
	if (!cmd) {
		obl_usage(stderr);
		return OBL_EXIT_FAILURE;
	}
	if (strcmp(cmd, "run") == 0)
		return obl_cmd_run(argc - 1, argv + 1);
	if (strcmp(cmd, "plugins") == 0)
		return obl_cmd_plugins(argc - 1, argv + 1);
	if (strcmp(cmd, "trace") == 0)
		return obl_cmd_trace(argc - 1, argv + 1);
	if (strcmp(cmd, "replay") == 0)
		return obl_cmd_replay(argc - 1, argv + 1);
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		obl_usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("outboard %s (protocol %u)\n", OB_VERSION, OB_PROTOCOL_VERSION);
		return 0;
	}
	fprintf(stderr, "outboard: unknown command '%s'\n", cmd);
	obl_usage(stderr);
	return OBL_EXIT_FAILURE;
}
