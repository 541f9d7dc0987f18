/*
 * trace_demo: a few fs and kernel calls with known arguments and results,
 * for the call trace test (`outboard run --trace=fs,kernel`). Made with the
 * ob_* calls directly, so the C library adds nothing in between:
 *
 *   open("trace_demo.txt", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3
 *   write(3, "hello trace\n", 12) = 12
 *   lseek(3, 0, SEEK_END) = 12
 *   fstat(3, {type=1, mode=..., size=12, ...}) = 0
 *   open("trace_demo.txt", O_RDONLY) = 3          read it back
 *   read(3, "hello trace\n", 64) = 12
 *   open("missing.txt", O_RDONLY) = -2 ENOENT
 *   open("aaaa...", O_RDONLY) = -2 ENOENT         a 100-byte name
 *   sem_wait(<sem>, 0) = -11 EAGAIN
 *   stat("trace_demo.txt", <unfinished ...>       while a second thread starts
 *   <... stat resumed>{type=1, ...}) = 0          (or on one line)
 *   sem_wait(<sem>, -1 <unfinished ...>           in the second thread,
 *   <... sem_wait resumed>) = 0                   woken by main's sem_post
 *
 * then removes the file, prints `trace_demo: done` and exits with 0 (1 if
 * a call did not return what is written above, with a `FAIL` line).
 */
#include <outboard.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PATH "trace_demo.txt"

static int waiter(void *arg)
{
	return ob_sem_wait(*(int *)arg, OB_FOREVER) == 0 ? 0 : 1;
}

int main(void)
{
	static const char text[] = "hello trace\n";
	char buf[64];
	memset(buf, 0, sizeof(buf));
	int wfd = ob_open(PATH, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int wr = ob_write(wfd, text, 12);
	int end = ob_lseek(wfd, 0, SEEK_END);
	struct ob_file_stat st;
	int fs = ob_fstat(wfd, &st);
	int wc = ob_close(wfd);
	int rfd = ob_open(PATH, O_RDONLY, 0);
	int rd = ob_read(rfd, buf, sizeof(buf));
	int rc = ob_close(rfd);
	int missing = ob_open("missing.txt", O_RDONLY, 0);
	char longname[101];
	memset(longname, 'a', 100);
	longname[100] = '\0';
	int toolong = ob_open(longname, O_RDONLY, 0);
	int sem = ob_sem_create(0, 1);
	int polled = ob_sem_wait(sem, 0);
	/* A blocking call: the waiter parks, main wakes it. */
	int tid = ob_thread_spawn(waiter, &sem, OB_PRIO_DEFAULT, 0);
	uint32_t status = 1;
	/* A device call while the waiter starts: its line comes between the
	 * call and its reply, which splits the call in the trace. */
	struct ob_file_stat st2;
	int stat2 = ob_stat(PATH, &st2);
	ob_thread_sleep(20);
	int posted = ob_sem_post(sem);
	int joined = tid < 0 ? tid : ob_thread_join(tid, &status, OB_FOREVER);
	ob_handle_close(sem);
	int gone = ob_unlink(PATH);
	if (end != 12 || fs != 0 || st.size != 12 || stat2 != 0 || st2.size != 12 ||
	    toolong != -ENOENT || posted != 0 ||
	    joined != 0 || status != 0) {
		printf("FAIL: lseek %d, fstat %d size %u, long open %d, sem_post %d, join %d "
		       "status %u\n", end, fs, (unsigned)st.size, toolong, posted, joined,
		       (unsigned)status);
		return 1;
	}
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
