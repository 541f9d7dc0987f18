/*
 * semihost_parity: an unmodified newlib program on ARM semihosting
 * (--specs=rdimon.specs), not on the outboard SDK. It runs under qemu-arm
 * and under `outboard run`; the test (tests/guests/semihost_parity.sh)
 * runs it under both, each in an empty directory, and compares stdout, the
 * files left behind and the exit status byte for byte.
 *
 * It exercises printf, fopen in the modes w, r, a, r+, w+ and rb, fseek,
 * ftell, remove (of files and, as qemu's remove(3) does, of an empty
 * directory the test made: parity_empty_dir; parity_full_dir is not empty
 * and stays), errno values, a 100 MiB heap in 1 MiB blocks, time, clock
 * (CPU time), SYS_ELAPSED and SYS_TICKFREQ. Output is deterministic: no
 * times or dates, only facts about them. It leaves parity_text.txt and
 * parity_data.bin behind and exits with 3.
 *
 * With the argument "system" it only makes SYS_SYSTEM twice (newlib's
 * system() never does: it fails with ENOSYS by itself) and prints what it
 * returned and SYS_ERRNO: qemu-arm runs host commands, outboard refuses
 * (-1, Linux ENOSYS 38).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TEXT "parity_text.txt"
#define DATA "parity_data.bin"
#define GONE "parity_gone.txt"

static int problems;

static FILE *open_or_note(const char *path, const char *mode)
{
	FILE *f = fopen(path, mode);
	if (!f) {
		printf("fopen(%s, %s) failed\n", path, mode);
		problems++;
	}
	return f;
}

static void text_file(void)
{
	FILE *f = open_or_note(TEXT, "w");
	if (!f)
		return;
	fputs("alpha\nbeta\n", f);
	fprintf(f, "%d %s\n", 42, "gamma");
	printf("w: ftell %ld\n", ftell(f));
	fclose(f);

	char line[64];
	if ((f = open_or_note(TEXT, "r"))) {
		while (fgets(line, sizeof(line), f))
			printf("r: %s", line);
		printf("r: ftell at end %ld\n", ftell(f));
		fclose(f);
	}
	if ((f = open_or_note(TEXT, "a"))) {
		fputs("delta\n", f);
		fclose(f);
	}
	if ((f = open_or_note(TEXT, "r+"))) {
		fseek(f, 6, SEEK_SET);
		fputs("BETA", f);
		fseek(f, 0, SEEK_END);
		printf("r+: size %ld\n", ftell(f));
		fseek(f, 0, SEEK_SET);
		while (fgets(line, sizeof(line), f))
			printf("r+: %s", line);
		fclose(f);
	}
}

static void data_file(void)
{
	unsigned char bytes[256];
	for (int i = 0; i < 256; i++)
		bytes[i] = (unsigned char)(255 - i);
	FILE *f = open_or_note(DATA, "w+");
	if (!f)
		return;
	printf("w+: wrote %u\n", (unsigned)fwrite(bytes, 1, sizeof(bytes), f));
	fseek(f, 100, SEEK_SET);
	int c = fgetc(f);
	printf("w+: byte 100 = %d, ftell %ld\n", c, ftell(f));
	fseek(f, -1, SEEK_END);
	c = fgetc(f);
	printf("w+: last byte = %d, ftell %ld\n", c, ftell(f));
	fseek(f, -10, SEEK_CUR);
	printf("w+: after SEEK_CUR -10, ftell %ld\n", ftell(f));
	fclose(f);

	if ((f = open_or_note(DATA, "rb"))) {
		unsigned char back[300];
		size_t n = fread(back, 1, sizeof(back), f);
		unsigned sum = 0;
		for (size_t i = 0; i < n; i++)
			sum = sum * 31u + back[i];
		printf("rb: read %u bytes, %s, hash %u\n", (unsigned)n,
		       n == sizeof(bytes) && memcmp(back, bytes, n) == 0 ? "same" : "DIFFERENT", sum);
		printf("rb: feof %d\n", feof(f) != 0);
		fclose(f);
	}
}

static void removed_file(void)
{
	FILE *f = open_or_note(GONE, "w");
	if (!f)
		return;
	fputs("soon gone\n", f);
	fclose(f);
	printf("remove: %d\n", remove(GONE));
	f = fopen(GONE, "r");
	printf("remove: fopen afterwards %s\n", f ? "SUCCEEDED" : "fails");
	if (f)
		fclose(f);
	printf("remove again: %s\n", remove(GONE) == 0 ? "SUCCEEDED" : "fails");
}

/* qemu-arm and outboard give the host's (Linux) errno numbers, which are
 * printed as numbers: newlib's own names differ for some (ENOTEMPTY). */
static void removals(void)
{
	printf("remove empty dir: %d\n", remove("parity_empty_dir"));
	errno = 0;
	int r = remove("parity_full_dir");
	printf("remove full dir: %d, errno %d\n", r, errno);
	errno = 0;
	r = remove("parity_never_was");
	printf("remove missing: %d, errno %d\n", r, errno);
	errno = 0;
	FILE *f = fopen("parity_never_was", "r");
	printf("fopen missing: %s, errno %d\n", f ? "SUCCEEDED" : "fails", errno);
	if (f)
		fclose(f);
	errno = 0;
	f = fopen("parity_full_dir/none/x", "w");
	printf("fopen in a missing dir: %s, errno %d\n", f ? "SUCCEEDED" : "fails", errno);
	if (f)
		fclose(f);
}

static void heap(void)
{
	enum { BLOCKS = 100, BLOCK = 1 << 20 };
	static char *block[BLOCKS];
	int got = 0, bad = 0;
	for (; got < BLOCKS && (block[got] = malloc(BLOCK)); got++) {
		for (int p = 0; p < BLOCK; p += 4096)
			block[got][p] = (char)(got + p / 4096);
	}
	for (int i = 0; i < got; i++) {
		for (int p = 0; p < BLOCK; p += 4096)
			bad += block[i][p] != (char)(i + p / 4096);
		free(block[i]);
	}
	printf("heap: %d of %d MiB in 1 MiB blocks, %s\n", got, BLOCKS, bad ? "CORRUPT" : "intact");
}

/* A semihosting call newlib has no function for. */
static int semihost(int op, void *block)
{
	register int r0 __asm__("r0") = op;
	register void *r1 __asm__("r1") = block;
	__asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

static void ticks(void)
{
	uint32_t t0[2] = { 0 }, t1[2] = { 0 };
	int freq = semihost(0x31, NULL); /* SYS_TICKFREQ */
	printf("tickfreq: %d\n", freq);
	int r0 = semihost(0x30, t0);      /* SYS_ELAPSED */
	volatile unsigned spin = 0;
	for (unsigned i = 0; i < 100000u; i++)
		spin += i;
	int r1 = semihost(0x30, t1);
	uint64_t a = (uint64_t)t0[1] << 32 | t0[0], b = (uint64_t)t1[1] << 32 | t1[0];
	printf("elapsed: %d %d, %s\n", r0, r1, b > a ? "advances" : "DOES NOT ADVANCE");
}

static void clocks(void)
{
	time_t t = time(NULL);
	printf("time: %s\n", t > (time_t)1600000000 ? "after 2020" : "BEFORE 2020");
	clock_t c0 = clock();
	volatile unsigned spin = 0;
	for (unsigned i = 0; i < 2000000u; i++)
		spin += i;
	clock_t c1 = clock();
	printf("clock: %s\n", c0 != (clock_t)-1 && c1 >= c0 ? "monotonic" : "NOT MONOTONIC");
	/* CPU time: spinning makes it advance (bounded by wall time, so a
	 * broken clock cannot hang the test). */
	time_t start = time(NULL);
	while (clock() < c1 + 3 && time(NULL) - start < 20)
		spin++;
	printf("clock: %s with CPU work\n", clock() >= c1 + 3 ? "advances" : "DOES NOT ADVANCE");
}

static int systems(void)
{
	static const char cmd[] = "true";
	for (int i = 0; i < 2; i++) {
		uint32_t block[2] = { (uint32_t)(uintptr_t)cmd, sizeof(cmd) - 1 };
		int r = semihost(0x12, block);               /* SYS_SYSTEM */
		printf("SYS_SYSTEM: %d, SYS_ERRNO %d\n", r, semihost(0x13, NULL));
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "system") == 0)
		return systems();
	printf("semihost_parity: start\n");
	text_file();
	data_file();
	removed_file();
	removals();
	heap();
	ticks();
	clocks();
	printf("semihost_parity: %d problems, exiting with 3\n", problems);
	return 3;
}
