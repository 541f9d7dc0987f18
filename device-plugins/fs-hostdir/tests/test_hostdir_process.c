/* outboard-fs-hostdir as a process, over ipc:// (fs_proc.h). */
#include <stddef.h>
#include <sys/stat.h>

#include "fs_proc.h"

#ifndef OBHD_BINARY
#error "OBHD_BINARY must name the outboard-fs-hostdir executable"
#endif

int main(void)
{
	static const char *const extra[] = { "--root", "{dir}", NULL };

	umask(022);
	return obf_process_suite_run("outboard-fs-hostdir", OBHD_BINARY, extra);
}
