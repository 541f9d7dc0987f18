/*
 * alloc: allocates MiB megabytes (argv[1], default 100) with malloc in
 * 1 MiB blocks, writes every page of every block, checks it all, and frees
 * it. Built twice: on the SDK (alloc.elf, whose malloc grows the heap with
 * the host's sbrk) and on semihosting (alloc_rdimon.elf, whose malloc grows
 * up to the limit SYS_HEAPINFO gives), so that both agree with qemu-arm's
 * 128 MiB heap. Prints one line and exits with 0, or says how far it got
 * and exits with 1 when memory runs out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BLOCK (1u << 20)
#define PAGE 4096u
#define MAX_BLOCKS 1024

static unsigned char *blocks[MAX_BLOCKS];

/* A value per (block, page), so that overlapping blocks would show. */
static uint32_t mark(unsigned b, unsigned p)
{
	return (b << 16 | p) * 2654435761u;
}

int main(int argc, char **argv)
{
	unsigned want = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100;
	unsigned got = 0, bad = 0;

	if (want > MAX_BLOCKS)
		want = MAX_BLOCKS;
	for (; got < want; got++) {
		blocks[got] = malloc(BLOCK);
		if (!blocks[got])
			break;
		for (unsigned p = 0; p < BLOCK / PAGE; p++)
			*(volatile uint32_t *)(blocks[got] + p * PAGE) = mark(got, p);
		blocks[got][BLOCK - 1] = (unsigned char)got;
	}
	for (unsigned b = 0; b < got; b++) {
		for (unsigned p = 0; p < BLOCK / PAGE; p++)
			bad += *(volatile uint32_t *)(blocks[b] + p * PAGE) != mark(b, p);
		bad += blocks[b][BLOCK - 1] != (unsigned char)b;
		free(blocks[b]);
	}
	if (got < want) {
		printf("alloc: out of memory after %u of %u MiB\n", got, want);
		return 1;
	}
	printf("alloc: %u MiB in 1 MiB blocks, %s\n", got, bad ? "CORRUPT" : "all intact");
	return bad ? 2 : 0;
}
