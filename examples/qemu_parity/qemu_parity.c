/*
 * What a user's first newlib program does, for a byte-for-byte comparison
 * with qemu-arm (tests/guests/qemu_parity.sh): built with the toolchain's
 * defaults (--specs=rdimon.specs, linked at 0x8000), it reads all of its
 * piped stdin, allocates 100 MiB in 1 MiB blocks, writes, reads back and
 * removes a tmpnam() file, removes an empty directory, fails to remove a
 * missing file (errno), recurses 6 MiB deep (qemu-arm's stack is 8 MiB),
 * writes a file of its own and exits with status 3. Every line it prints
 * must be the same under both emulators.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCKS 100
#define BLOCK (1u << 20)

static void read_stdin(void)
{
	unsigned long hash = 5381, bytes = 0, lines = 0;
	int c;
	while ((c = getchar()) != EOF) {
		hash = hash * 33 + (unsigned char)c;
		bytes++;
		lines += c == '\n';
	}
	printf("stdin: %lu bytes, %lu lines, hash %08lx\n", bytes, lines, hash & 0xffffffffu);
}

static void allocate(void)
{
	static unsigned char *block[BLOCKS];
	int got = 0, intact = 1;
	for (; got < BLOCKS; got++) {
		if (!(block[got] = malloc(BLOCK)))
			break;
		memset(block[got], got, BLOCK);
	}
	for (int i = 0; i < got; i++) {
		intact &= block[i][0] == (unsigned char)i && block[i][BLOCK - 1] == (unsigned char)i;
		free(block[i]);
	}
	printf("malloc: %d of %d MiB, %s\n", got, BLOCKS, intact ? "intact" : "CORRUPT");
}

static void temporary_file(void)
{
	char *name = tmpnam(NULL);
	FILE *f = name ? fopen(name, "w") : NULL;
	printf("tmpnam: fopen %s\n", f ? "ok" : strerror(errno));
	if (!f)
		return;
	fputs("temporary\n", f);
	fclose(f);
	char line[64] = "";
	if ((f = fopen(name, "r"))) {
		if (!fgets(line, sizeof(line), f))
			strcpy(line, "(nothing)\n");
		fclose(f);
	}
	printf("tmpnam: read back %s", line);
	printf("tmpnam: remove %d\n", remove(name));
}

#define FRAMES 12000 /* of 512 bytes and more: over 6 MiB */

__attribute__((noipa)) static unsigned recurse(unsigned depth)
{
	volatile unsigned char frame[512];
	frame[depth % sizeof(frame)] = (unsigned char)depth;
	if (depth == FRAMES)
		return 0;
	return recurse(depth + 1) + frame[depth % sizeof(frame)];
}

int main(void)
{
	read_stdin();
	allocate();
	temporary_file();
	printf("remove empty directory: %d\n", remove("emptydir"));
	errno = 0;
	int r = remove("no-such-file");
	printf("remove missing file: %d, errno %d\n", r, errno);
	printf("recursion: %d frames of 512 bytes, sum %u\n", FRAMES, recurse(1));
	FILE *out = fopen("written.txt", "w");
	if (!out) {
		printf("fopen written.txt: %s\n", strerror(errno));
		return 1;
	}
	fprintf(out, "written by qemu_parity\n");
	fclose(out);
	return 3;
}
