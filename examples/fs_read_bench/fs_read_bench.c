/*
 * fs_read_bench: reads FILE (the first argument) from start to end with
 * 4 KiB read() calls and prints
 *
 *   bytes=<size> fnv1a=<32-bit FNV-1a hash of the content, 8 hex digits>
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
#include <string.h>
#include <unistd.h>

#define CHUNK 4096

static unsigned char buf[CHUNK];

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: fs_read_bench FILE\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "fs_read_bench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	uint32_t hash = 2166136261u;
	unsigned long total = 0;
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
	close(fd);
	printf("bytes=%lu fnv1a=%08lx\n", total, (unsigned long)hash);
	return 0;
}
