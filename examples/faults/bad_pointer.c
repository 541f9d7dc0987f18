/*
 * bad_pointer: passes pointers to unmapped memory to calls that read or
 * write guest memory. Each must fail with -EFAULT and the program must go
 * on running (docs/abi.md: a bad guest pointer never crashes the host).
 * Prints `ok <check>` or `FAIL <check>: ...` per check and exits with 0
 * only when all passed.
 */
#include <outboard.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

/* In the never-mapped first 64 KiB. */
#define LOW ((void *)0x00000010)
/* Far from the image, the heap, the stacks and the host page. */
#define HIGH ((void *)0xdead0000)
/* Starts in unmapped memory and runs into the image at 0x10000 (the SDK's
 * linker script puts the text there). */
#define STRADDLE ((void *)0x0000fff0)

#define TMP "bad_pointer.tmp"

static int failures;

static void expect_efault(const char *name, int r)
{
	if (r == -EFAULT) {
		printf("ok %s\n", name);
	} else {
		printf("FAIL %s: returned %d, expected %d (-EFAULT)\n", name, r, -EFAULT);
		failures++;
	}
}

static void expect(const char *name, int cond, int r)
{
	if (cond) {
		printf("ok %s\n", name);
	} else {
		printf("FAIL %s: returned %d\n", name, r);
		failures++;
	}
}

int main(void)
{
	expect_efault("write_console_low", ob_write(1, LOW, 16));
	expect_efault("write_console_high", ob_write(1, HIGH, 16));
	expect_efault("write_console_straddle", ob_write(1, STRADDLE, 64));
	expect_efault("open_path", ob_open(LOW, O_RDONLY, 0));
	expect_efault("stat_path", ob_stat(HIGH, &(struct ob_file_stat){ 0 }));
	expect_efault("clock_out", ob_clock_get(OB_CLOCK_MONOTONIC, HIGH));

	int fd = ob_open(TMP, O_RDWR | O_CREAT | O_TRUNC, 0644);
	expect("open_tmp", fd >= 0, fd);
	if (fd >= 0) {
		int r = ob_write(fd, "0123456789", 10);
		expect("write_tmp", r == 10, r);
		r = ob_lseek(fd, 0, SEEK_SET);
		expect("lseek_tmp", r == 0, r);
		expect_efault("read_file", ob_read(fd, LOW, 10));
		expect_efault("write_file", ob_write(fd, HIGH, 10));
		expect_efault("pread_file", ob_pread(fd, HIGH, 10, 0));
		expect_efault("fstat_out", ob_fstat(fd, LOW));
		r = ob_close(fd);
		expect("close_tmp", r == 0, r);
	}
	expect_efault("stat_out", ob_stat(TMP, LOW));
	int r = ob_unlink(TMP);
	expect("unlink_tmp", r == 0, r);

	printf("bad_pointer: %s\n", failures ? "FAILED" : "all passed");
	return failures ? 1 : 0;
}
