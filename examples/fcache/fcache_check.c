/*
 * fcache_check: what the CPU host's file cache (docs/faults.md, "The file
 * cache") must keep true, checked by the guest itself through ob_* calls.
 *
 *   fcache_check coherence    two fds on one file, seeks, O_APPEND, files
 *                             that grow, truncate, rename and unlink
 *   fcache_check fill FILE N [nosync|noclose|backward]
 *                             N bytes in 4 KiB writes (backward: from the
 *                             last 4 KiB to the first), then fsync and close:
 *                             prints every call that failed and
 *                             `fill: W writes ok, first error E at write K,
 *                             fsync R, close R` (E 0: none; fsync 0 when
 *                             nosync: not called; noclose: exits with
 *                             the file open, after `fill: W writes ok,
 *                             first error E, not closed`)
 *
 * coherence prints `ok <check>` / `FAIL <check>: <why>` lines, then
 * `files: <n> checks, <m> failed`; exit 0 only when all passed. Run in an
 * empty writable directory; it removes what it makes.
 */
#include <outboard.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../files/check.h"

#define CHUNK 4096
#define BIG (300 * 1024) /* several cache blocks */

static unsigned char big[BIG], got[BIG];

static void pattern(unsigned char *p, unsigned n, unsigned seed)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7u + seed + (i >> 12));
}

static long file_size(int fd)
{
	struct ob_file_stat st;
	int r = ob_fstat(fd, &st);
	return r < 0 ? r : (long)st.size;
}

/* Two fds: what one writes (still behind, in the host) the other reads,
 * and fstat and stat count it. */
static void two_fds(void)
{
	int w = ob_open("c.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int r = ob_open("./c.bin", O_RDONLY, 0);
	check("open_two", w >= 0 && r >= 0, "fds %d %d", w, r);
	pattern(big, BIG, 1);
	int n = 0;
	for (unsigned off = 0; off < BIG; off += CHUNK)
		n += ob_write(w, big + off, CHUNK);
	check_eq("small_writes", n, BIG);
	check_eq("fstat_other_fd_counts_pending", file_size(r), BIG);
	struct ob_file_stat st;
	check_eq("stat_counts_pending", ob_stat("c.bin", &st) == 0 ? (long)st.size : -1, BIG);
	memset(got, 0, BIG);
	n = 0;
	for (unsigned off = 0; off < BIG; off += CHUNK)
		n += ob_read(r, got + off, CHUNK);
	check("other_fd_reads_writes", n == BIG && memcmp(got, big, BIG) == 0, "read %d", n);
	/* A block the reader has cached, rewritten through the writer. */
	check_eq("pwrite_over_cached", ob_pwrite(w, "XYZ", 3, 70000), 3);
	char three[3] = { 0 };
	check_eq("pread_sees_it", ob_pread(r, three, 3, 70000), 3);
	check("pread_sees_it_bytes", memcmp(three, "XYZ", 3) == 0, "got %.3s", three);
	/* Positions stay exact: each fd its own. */
	check_eq("offset_reader", ob_lseek(r, 0, SEEK_CUR), BIG);
	check_eq("offset_writer", ob_lseek(w, 0, SEEK_CUR), BIG);
	check_eq("seek_set", ob_lseek(r, 69999, SEEK_SET), 69999);
	check_eq("read_after_seek", ob_read(r, three, 2), 2);
	check("read_after_seek_bytes", three[0] == (char)big[69999] && three[1] == 'X', "bytes");
	check_eq("seek_cur", ob_lseek(r, -2, SEEK_CUR), 69999);
	check_eq("seek_end", ob_lseek(r, -10, SEEK_END), BIG - 10);
	check_eq("read_to_end", ob_read(r, got, 100), 10);
	check_eq("read_at_end", ob_read(r, got, 100), 0);
	check_raw_errno("seek_negative", ob_lseek(r, -1, SEEK_SET), EINVAL);
	check_raw_errno("write_on_rdonly", ob_write(r, "x", 1), EBADF);

	/* The file grows (through the other fd) after the reader saw its end. */
	check_eq("grow", ob_pwrite(w, "tail", 4, BIG), 4);
	check_eq("read_grown", ob_read(r, got, 100), 4);
	check("read_grown_bytes", memcmp(got, "tail", 4) == 0, "bytes");
	/* A hole past the end reads as zeros. */
	check_eq("write_past_end", ob_pwrite(w, "Z", 1, BIG + 100), 1);
	memset(got, 0xee, 200);
	check_eq("read_hole", ob_pread(r, got, 200, BIG + 4), 97);
	int zeros = 1;
	for (int i = 0; i < 96; i++)
		zeros &= got[i] == 0;
	check("hole_is_zero", zeros && got[96] == 'Z', "hole bytes");

	/* A write in the next block, still in the host: the bytes of this
	 * block past the plugin's end of file read as zeros. */
	check_eq("write_next_block", ob_pwrite(w, "N", 1, BIG + 70000), 1);
	memset(got, 0xee, 200);
	check_eq("read_far_hole", ob_pread(r, got, 100, BIG + 10000), 100);
	zeros = 1;
	for (int i = 0; i < 100; i++)
		zeros &= got[i] == 0;
	check("far_hole_is_zero", zeros, "hole bytes");
	check_eq("truncate_back", ob_ftruncate(w, BIG + 101), 0);

	/* O_APPEND lands at the end, after what is still behind. */
	check_eq("write_more", ob_pwrite(w, "0123", 4, BIG + 101), 4);
	int a = ob_open("c.bin", O_WRONLY | O_APPEND, 0);
	check_eq("append", ob_write(a, "APP", 3), 3);
	check_eq("append_size", file_size(r), BIG + 108);
	check_eq("read_appended", ob_pread(r, got, 16, BIG + 101), 7);
	check("read_appended_bytes", memcmp(got, "0123APP", 7) == 0, "bytes");
	check_eq("close_append", ob_close(a), 0);

	/* Nothing cached (a truncate to the same size drops it all): a read
	 * across two blocks that are both loaded for it is still whole. */
	check_eq("same_size_truncate", ob_ftruncate(w, BIG + 108), 0);
	check_eq("read_across_blocks", ob_pread(r, got, 200, 65536 - 100), 200);
	check("read_across_blocks_bytes", memcmp(got, big + 65536 - 100, 200) == 0, "bytes");

	/* Truncate: every fd sees the new size and no old bytes. */
	check_eq("ftruncate", ob_ftruncate(w, 1000), 0);
	check_eq("size_after_truncate", file_size(r), 1000);
	check_eq("read_after_truncate", ob_pread(r, got, 4096, 900), 100);
	check_eq("read_past_truncate", ob_pread(r, got, 4096, 5000), 0);
	check_eq("fsync", ob_fsync(w), 0);
	check_eq("close_writer", ob_close(w), 0);
	check_eq("close_reader", ob_close(r), 0);
}

/* Rename and unlink: the new name shows the data, the old one is gone. */
static void names(void)
{
	int w = ob_open("d.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pattern(big, 100000, 3);
	check_eq("names_write", ob_write(w, big, 100000), 100000);
	check_eq("rename_open_file", ob_rename("d.bin", "e.bin"), 0);
	int r = ob_open("e.bin", O_RDONLY, 0);
	check_eq("read_renamed", ob_read(r, got, 100000), 100000);
	check("read_renamed_bytes", memcmp(got, big, 100000) == 0, "bytes");
	check_eq("close_renamed", ob_close(w), 0);
	check_eq("close_renamed_reader", ob_close(r), 0);
	check_raw_errno("old_name_gone", ob_open("d.bin", O_RDONLY, 0), ENOENT);
	/* Recreate e.bin after unlink: no old bytes. */
	check_eq("unlink", ob_unlink("e.bin"), 0);
	w = ob_open("e.bin", O_RDWR | O_CREAT, 0644);
	check_eq("after_unlink_empty", ob_read(w, got, 100), 0);
	check_eq("close_new", ob_close(w), 0);
	check_eq("unlink_new", ob_unlink("e.bin"), 0);
	check_eq("unlink_c", ob_unlink("c.bin"), 0);
}

/* sync: 1 fsync before close, 0 not, -1 exit without closing. */
static int fill(const char *path, long total, int sync, int backward)
{
	int fd = ob_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		printf("fill: open %s: %d\n", path, fd);
		return 1;
	}
	pattern(big, CHUNK, 5);
	long ok = 0, k = 0;
	int first = 0, at = -1;
	long chunks = (total + CHUNK - 1) / CHUNK;
	for (long off = 0; off < total; off += CHUNK, k++) {
		if (backward)
			ob_lseek(fd, (chunks - 1 - k) * CHUNK, SEEK_SET);
		int n = ob_write(fd, big, CHUNK);
		if (n == CHUNK) {
			ok++;
		} else if (!first) {
			first = n;
			at = (int)k;
		}
	}
	if (sync < 0) {
		/* Exit with everything still in the host's cache: the host must
		 * deliver it before it exits. */
		printf("fill: %ld writes ok, first error %d, not closed\n", ok, first);
		return 0;
	}
	int s = sync ? ob_fsync(fd) : 0, c = ob_close(fd);
	printf("fill: %ld writes ok, first error %d at write %d, fsync %d, close %d\n", ok, first,
	       at, s, c);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "fill") == 0) {
		const char *how = argc == 5 ? argv[4] : "";
		return fill(argv[2], strtol(argv[3], NULL, 10),
			    strcmp(how, "noclose") == 0 ? -1 : strcmp(how, "nosync") != 0,
			    strcmp(how, "backward") == 0);
	}
	if (argc != 2 || strcmp(argv[1], "coherence") != 0) {
		printf("usage: fcache_check coherence | fill FILE BYTES [nosync|noclose|backward]\n");
		return 2;
	}
	two_fds();
	names();
	printf("files: %d checks, %d failed\n", check_count(), check_failures());
	return check_failures() ? 1 : 0;
}
