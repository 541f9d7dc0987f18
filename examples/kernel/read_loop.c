/*
 * read_loop FILE: reads FILE over and over, 16 bytes at a time, printing
 * each result, until a call fails. For the test that kills the fs plugin
 * mid-run.
 *
 * Only calls that are not idempotent (read, lseek) go to the plugin: one
 * in flight when the plugin dies may have run there, so the host must
 * fail it with EIO rather than send it again to a restarted plugin.
 *
 * Each read prints `read <i>: <n>`; at the end of the file it seeks back
 * to the start. The first failure prints `read <i>: <r> <ERRNO>` (or
 * `lseek <i>: ...`) and the program exits with 3 when it was EIO, 4 for
 * any other error. It gives up with 2 after MAX_READS reads that all
 * worked, and exits with 1 when FILE cannot be opened.
 */
#include <outboard.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "kcheck.h"

#define MAX_READS 20000
#define PAUSE_MS 2

static int failed(const char *what, int i, int r)
{
	printf("%s %d: %d %s\n", what, i, r, errname(r));
	return r == -EIO ? 3 : 4;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		printf("usage: read_loop FILE\n");
		return 1;
	}
	int fd = ob_open(argv[1], O_RDONLY, 0);
	if (fd < 0) {
		printf("open %s: %d %s\n", argv[1], fd, errname(fd));
		return 1;
	}
	char buf[16];
	for (int i = 1; i <= MAX_READS; i++) {
		int n = ob_read(fd, buf, sizeof(buf));
		if (n < 0)
			return failed("read", i, n);
		printf("read %d: %d\n", i, n);
		if (n == 0) {
			int r = ob_lseek(fd, 0, SEEK_SET);
			if (r < 0)
				return failed("lseek", i, r);
		}
		ob_thread_sleep(PAUSE_MS);
	}
	printf("read_loop: %d reads, none failed\n", MAX_READS);
	return 2;
}
