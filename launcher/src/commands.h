/*
 * The launcher's subcommands. Each takes its own argv (argv[0] is the
 * subcommand's name) and returns the process exit status.
 */
#ifndef OBL_COMMANDS_H
#define OBL_COMMANDS_H

#include <stdio.h>

/* outboard itself failed (docs/abi.md): bad command line or config, a
 * plugin or the CPU host that could not start. */
#define OBL_EXIT_FAILURE 125

/* How long plugins get to stop after SIGTERM before SIGKILL. */
#define OBL_STOP_GRACE_MS 2000

int obl_cmd_run(int argc, char **argv);
int obl_cmd_plugins(int argc, char **argv);
/* outboard trace FILE, outboard replay --against BACKEND FILE (recording.c). */
int obl_cmd_trace(int argc, char **argv);
int obl_cmd_replay(int argc, char **argv);

struct obl_options;
/* Plan, start and supervise what o asks for (o as `run` parsed it); frees
 * o. Returns the exit status. */
int obl_run_options(struct obl_options *o);

void obl_usage(FILE *f);
void obl_usage_run(FILE *f);

#endif /* OBL_COMMANDS_H */
