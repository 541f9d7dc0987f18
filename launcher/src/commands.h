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

void obl_usage(FILE *f);
void obl_usage_run(FILE *f);

#endif /* OBL_COMMANDS_H */
