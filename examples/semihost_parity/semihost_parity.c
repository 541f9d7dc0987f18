/*
 * semihost_parity: an unmodified newlib program on ARM semihosting
 * (--specs=rdimon.specs), not on the outboard SDK. It runs under qemu-arm
 * and under `outboard run`; the test (tests/guests/semihost_parity.sh)
 * runs it under both, each in an empty directory, and compares stdout, the
 * files left behind and the exit status byte for byte.
 *
 * It exercises printf, fopen in the modes w, r, a, r+, w+ and rb, fseek,
 * ftell, remove, time and clock. Output is deterministic: no times or
 * dates, only facts about them. It leaves parity_text.txt and
 * parity_data.bin behind and exits with 3.
 */
#include <stdio.h>
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
}

int main(void)
{
	printf("semihost_parity: start\n");
	text_file();
	data_file();
	removed_file();
	clocks();
	printf("semihost_parity: %d problems, exiting with 3\n", problems);
	return 3;
}
