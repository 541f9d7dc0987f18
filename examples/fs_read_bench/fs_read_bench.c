/*
 * fs_read_bench: reads FILE (the first argument) from start to end with
 * 4 KiB read() calls, PASSES times (the second argument, default 1: a
 * stream read again, which a cache may have dropped behind it), and prints
 *
 *   bytes=<bytes read> fnv1a=<32-bit FNV-1a hash of them, 8 hex digits>
 *
 * Exits with 0, 1 if the file cannot be opened or read, 2 without FILE.
 * Built with the SDK (fs_read_bench.elf: reads go to the fs domain) and with
 * newlib's semihosting (fs_read_bench_rdimon.elf, for qemu-arm); both print
 * the same line for the same file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096

static unsigned char buf[CHUNK];

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: fs_read_bench FILE [PASSES]\n");
		return 2;
	}
	long passes = argc == 3 ? strtol(argv[2], NULL, 10) : 1;
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "fs_read_bench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	uint32_t hash = 2166136261u;
	unsigned long total = 0;
	for (long pass = 0; pass < passes; pass++) {
		if (lseek(fd, 0, SEEK_SET) != 0) {
			fprintf(stderr, "fs_read_bench: lseek: %s\n", strerror(errno));
			close(fd);
			return 1;
		}
		for (;;) {
			int n = read(fd, buf, CHUNK);
			if (n < 0) {
				fprintf(stderr, "fs_read_bench: read: %s\n", strerror(errno));
				close(fd);
				return 1;
			}
			if (n == 0)
				break;
			for (int i = 0; i < n; i++)
				hash = (hash ^ buf[i]) * 16777619u;
			total += (unsigned long)n;
		}
	}
	close(fd);
	printf("bytes=%lu fnv1a=%08lx\n", total, (unsigned long)hash);
	return 0;
}
