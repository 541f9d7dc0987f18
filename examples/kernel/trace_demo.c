/*
 * trace_demo: a few fs and kernel calls with known arguments and results,
 * for the call trace test (`outboard run --trace=fs,kernel`). Made with the
 * ob_* calls directly, so the C library adds nothing in between:
 *
 *   open("trace_demo.txt", 0x601, 0644) = 3       create, write, close
 *   write(3, "hello trace\n", 12) = 12
 *   open("trace_demo.txt", 0, 00) = 3             read it back
 *   read(3, "hello trace\n", 64) = 12
 *   open("missing.txt", 0, 00) = -2 ENOENT
 *   sem_wait(<sem>, 0) = -11 EAGAIN
 *
 * then removes the file, prints `trace_demo: done` and exits with 0 (1 if
 * a call did not return what is written above, with a `FAIL` line).
 */
#include <outboard.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#define PATH "trace_demo.txt"

int main(void)
{
	static const char text[] = "hello trace\n";
	char buf[64];
	memset(buf, 0, sizeof(buf));
	int wfd = ob_open(PATH, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int wr = ob_write(wfd, text, 12);
	int wc = ob_close(wfd);
	int rfd = ob_open(PATH, O_RDONLY, 0);
	int rd = ob_read(rfd, buf, sizeof(buf));
	int rc = ob_close(rfd);
	int missing = ob_open("missing.txt", O_RDONLY, 0);
	int sem = ob_sem_create(0, 1);
	int polled = ob_sem_wait(sem, 0);
	ob_handle_close(sem);
	int gone = ob_unlink(PATH);
	if (wfd != 3 || wr != 12 || wc != 0 || rfd != 3 || rd != 12 || rc != 0 ||
	    memcmp(buf, text, 12) != 0 || missing != -ENOENT || polled != -EAGAIN || gone != 0) {
		printf("FAIL: open %d write %d close %d, open %d read %d close %d, missing %d, "
		       "sem_wait %d, unlink %d\n",
		       wfd, wr, wc, rfd, rd, rc, missing, polled, gone);
		return 1;
	}
	printf("trace_demo: done\n");
	return 0;
}
