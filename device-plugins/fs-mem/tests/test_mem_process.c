/* outboard-fs-mem as a process, over ipc:// (fs_proc.h). */
#include <stddef.h>
#include <sys/stat.h>

#include "fs_proc.h"

#ifndef OBM_BINARY
#error "OBM_BINARY must name the outboard-fs-mem executable"
#endif

int main(void)
{
	/* Seeded from the test's empty directory: starts empty, and the
	 * read-only test checks that nothing is written back to it. */
	static const char *const extra[] = { "--seed", "{dir}", "--max-bytes", "64M", NULL };

	umask(022);
	return obf_process_suite_run("outboard-fs-mem", OBM_BINARY, extra);
}
