/*
 * write_loop FILE: writes FILE over and over, 16 bytes at a time, printing
 * each result, until a call fails. For the test that kills the fs plugin
 * mid-run.
 *
 * Only calls that are not idempotent (write, lseek) go to the plugin: one
 * in flight when the plugin dies may have run there, so the host must
 * fail it with EIO rather than send it again to a restarted plugin
 * (docs/faults.md, the at-most-once rule).
 *
 * Each write prints `write <i>: <n>`; every 64 KiB it seeks back to the
 * start. The first failure prints `write <i>: <r> <ERRNO>` (or
 * `lseek <i>: ...`) and the program exits with 3 when it was EIO, 4 for
 * any other error. It gives up with 2 after MAX_WRITES writes that all
 * worked, and exits with 1 when FILE cannot be opened.
 */
#include <outboard.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "kcheck.h"

#define MAX_WRITES 20000
#define WRAP 65536
#define PAUSE_MS 2

static int failed(const char *what, int i, int r)
{
	printf("%s %d: %d %s\n", what, i, r, errname(r));
	return r == -EIO ? 3 : 4;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		printf("usage: write_loop FILE\n");
		return 1;
	}
	int fd = ob_open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		printf("open %s: %d %s\n", argv[1], fd, errname(fd));
		return 1;
	}
	static const char buf[16] = "xxxxxxxxxxxxxxxx";
	for (int i = 1; i <= MAX_WRITES; i++) {
		int n = ob_write(fd, buf, sizeof(buf));
		if (n < 0)
			return failed("write", i, n);
		printf("write %d: %d\n", i, n);
		if (i % (WRAP / (int)sizeof(buf)) == 0) {
			int r = ob_lseek(fd, 0, SEEK_SET);
			if (r < 0)
				return failed("lseek", i, r);
		}
		ob_thread_sleep(PAUSE_MS);
	}
	printf("write_loop: %d writes, none failed\n", MAX_WRITES);
	return 2;
}
