/*
 * outboard-rundir-watch DIR: the runtime directory's watcher
 * (rundir_watch.h), started by the launcher with the read end of a pipe
 * as file descriptor 3. Not for users: it removes DIR's entries and DIR
 * once that pipe's writers are all gone, so it refuses anything but a
 * launcher's directory (an absolute path whose last component starts with
 * "outboard-") and a pipe on fd 3.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rundir_watch.h"

int main(int argc, char **argv)
{
	const char *base = argc == 2 ? strrchr(argv[1], '/') : NULL;
	struct stat st;
	if (!base || argv[1][0] != '/' || strncmp(base + 1, "outboard-", 9) != 0 ||
	    fstat(3, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		fprintf(stderr, "usage: %s DIR, a launcher's runtime directory "
				"(/PATH/outboard-*), with a pipe on fd 3 (started by outboard run)\n",
			argc > 0 ? argv[0] : OBL_RUNDIR_WATCHER);
		return 2;
	}
	obl_rundir_watch_run(argv[1], 3);
}
