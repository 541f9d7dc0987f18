/*
 * fio_bench: the file I/O patterns of bench/run (section 6), in plain
 * newlib calls, so the same rdimon ELF runs under outboard and qemu-arm.
 *
 *   fio_bench write FILE MIB        MIB MiB in 4 KiB write() calls, then close
 *   fio_bench random FILE COUNT     COUNT lseek + 4 KiB read at pseudo-random
 *                                   4 KiB-aligned offsets of FILE
 *   fio_bench mkdata FILE LUMPS     a data file like a game's: a header, LUMPS
 *                                   lumps of 16 B to 8 KiB, and a directory
 *   fio_bench startup FILE          reads that file as an engine starts: the
 *                                   header, the directory, then every lump
 *                                   (lseek + read) in a shuffled order
 *
 * Each prints `bytes=<n> fnv1a=<hash>` (the bytes written or read, and an
 * FNV-1a hash of them) and exits 0; 1 on an I/O error, 2 on bad usage.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096
#define MAX_LUMP 8192

struct lump {
	uint32_t offset, size;
};

static unsigned char buf[MAX_LUMP];
static uint32_t hash = 2166136261u;
static unsigned long total;

static void absorb(const unsigned char *p, long n)
{
	for (long i = 0; i < n; i++)
		hash = (hash ^ p[i]) * 16777619u;
	total += (unsigned long)n;
}

static uint32_t rng = 12345;
static uint32_t next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

static int die(const char *what)
{
	perror(what);
	return 1;
}

static int do_write(const char *path, long mib)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return die("open");
	for (long i = 0; i < mib * 256; i++) {
		for (int j = 0; j < CHUNK; j += 4)
			memcpy(buf + j, &(uint32_t){ (uint32_t)(i * CHUNK + j) }, 4);
		if (write(fd, buf, CHUNK) != CHUNK)
			return die("write");
		absorb(buf, CHUNK);
	}
	return close(fd) ? die("close") : 0;
}

static int do_random(const char *path, long count)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return die("open");
	off_t size = lseek(fd, 0, SEEK_END);
	long blocks = (long)(size / CHUNK);
	if (blocks <= 0)
		return die("empty file");
	for (long i = 0; i < count; i++) {
		off_t at = (off_t)(next_rand() % (uint32_t)blocks) * CHUNK;
		if (lseek(fd, at, SEEK_SET) != at)
			return die("lseek");
		long n = read(fd, buf, CHUNK);
		if (n != CHUNK)
			return die("read");
		absorb(buf, n);
	}
	close(fd);
	return 0;
}

static int do_mkdata(const char *path, long lumps)
{
	FILE *f = fopen(path, "wb");
	struct lump *dir = calloc((size_t)lumps, sizeof(*dir));
	if (!f || !dir)
		return die("mkdata");
	uint32_t at = 12;
	fwrite("DATA\0\0\0\0\0\0\0\0", 1, 12, f);
	for (long i = 0; i < lumps; i++) {
		dir[i].offset = at;
		dir[i].size = 16 + next_rand() % (MAX_LUMP - 16);
		for (uint32_t j = 0; j < dir[i].size; j++)
			buf[j] = (unsigned char)(next_rand() >> 4);
		fwrite(buf, 1, dir[i].size, f);
		absorb(buf, dir[i].size);
		at += dir[i].size;
	}
	fwrite(dir, sizeof(*dir), (size_t)lumps, f);
	uint32_t head[3] = { 0x41544144u, (uint32_t)lumps, at };
	fseek(f, 0, SEEK_SET);
	fwrite(head, 4, 3, f);
	return fclose(f) ? die("fclose") : 0;
}

static int do_startup(const char *path)
{
	int fd = open(path, O_RDONLY);
	uint32_t head[3];
	if (fd < 0 || read(fd, head, 12) != 12 || head[0] != 0x41544144u)
		return die("header");
	struct lump *dir = malloc(head[1] * sizeof(*dir));
	uint32_t *order = malloc(head[1] * sizeof(*order));
	long dir_bytes = (long)(head[1] * sizeof(*dir));
	if (!dir || !order || lseek(fd, head[2], SEEK_SET) != (off_t)head[2] ||
	    read(fd, dir, (size_t)dir_bytes) != dir_bytes)
		return die("directory");
	for (uint32_t i = 0; i < head[1]; i++)
		order[i] = i;
	/* Mostly in order, as levels and sprites sit together, with jumps. */
	for (uint32_t i = 0; i + 1 < head[1]; i++) {
		if (next_rand() % 4)
			continue;
		uint32_t j = i + next_rand() % (head[1] - i), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (uint32_t i = 0; i < head[1]; i++) {
		const struct lump *l = &dir[order[i]];
		if (lseek(fd, l->offset, SEEK_SET) != (off_t)l->offset ||
		    read(fd, buf, l->size) != (long)l->size)
			return die("lump");
		absorb(buf, l->size);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int r;
	if (argc == 4 && strcmp(argv[1], "write") == 0)
		r = do_write(argv[2], strtol(argv[3], NULL, 10));
	else if (argc == 4 && strcmp(argv[1], "random") == 0)
		r = do_random(argv[2], strtol(argv[3], NULL, 10));
	else if (argc == 4 && strcmp(argv[1], "mkdata") == 0)
		r = do_mkdata(argv[2], strtol(argv[3], NULL, 10));
	else if (argc == 3 && strcmp(argv[1], "startup") == 0)
		r = do_startup(argv[2]);
	else {
		fprintf(stderr, "usage: fio_bench write|random|mkdata|startup FILE [N]\n");
		return 2;
	}
	if (r == 0)
		printf("bytes=%lu fnv1a=%08lx\n", total, (unsigned long)hash);
	return r;
}
