/*
 * fopen_modes: opens files with every fopen mode a portable C program uses
 * (r rb r+ r+b w wb w+ w+b a ab a+ a+b) and checks what each does to the
 * file: truncation, creation, reads, writes at the position, and appends
 * that go to the end wherever the position is. Built on the SDK (newlib
 * passes O_BINARY for the "b" modes) and on semihosting (SYS_OPEN's mode
 * numbers), and run under outboard and qemu-arm by
 * tests/guests/fopen_modes.sh: the output is deterministic and the same
 * for all. Leaves text.txt and data.bin behind; exits with the number of
 * failed checks.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void check(const char *what, int ok)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

/* The whole file at path, read with mode "rb"; its length or -1. */
static long slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (long)n;
}

static int has(const char *path, const char *want)
{
	char buf[256];
	long n = slurp(path, buf, sizeof(buf));
	return n == (long)strlen(want) && memcmp(buf, want, (size_t)n) == 0;
}

static void write_modes(void)
{
	FILE *f = fopen("text.txt", "w");
	check("w: creates", f != NULL);
	if (f) {
		fputs("hello\nthere\n", f);
		fclose(f);
	}
	check("w: contents", has("text.txt", "hello\nthere\n"));
	f = fopen("text.txt", "w");
	if (f) {
		fputs("one\n", f);
		fclose(f);
	}
	check("w: truncates", has("text.txt", "one\n"));

	unsigned char bytes[256], back[300];
	for (int i = 0; i < 256; i++)
		bytes[i] = (unsigned char)i; /* \0, \n, \r and \x1a included */
	f = fopen("data.bin", "wb");
	check("wb: creates", f != NULL);
	if (f) {
		check("wb: writes 256", fwrite(bytes, 1, 256, f) == 256);
		fclose(f);
	}
	f = fopen("data.bin", "rb");
	check("rb: opens", f != NULL);
	if (f) {
		size_t n = fread(back, 1, sizeof(back), f);
		check("rb: the same 256 bytes", n == 256 && memcmp(back, bytes, 256) == 0);
		check("rb: end of file", feof(f) != 0);
		check("rb: cannot write", fputc('x', f) == EOF);
		fclose(f);
	}

	f = fopen("text.txt", "w+");
	check("w+: opens", f != NULL);
	if (f) {
		fputs("abcdef", f);
		rewind(f);
		char got[16] = "";
		check("w+: reads back", fgets(got, sizeof(got), f) && strcmp(got, "abcdef") == 0);
		fclose(f);
	}
	check("w+: truncated then written", has("text.txt", "abcdef"));
	f = fopen("data.bin", "w+b");
	if (f) {
		fwrite(bytes, 1, 16, f);
		fseek(f, 3, SEEK_SET);
		check("w+b: reads at the position", fgetc(f) == 3);
		fclose(f);
	}
	check("w+b: 16 bytes", slurp("data.bin", (char *)back, sizeof(back)) == 16);
}

static void read_modes(void)
{
	char got[64] = "";
	FILE *f = fopen("text.txt", "r");
	check("r: opens", f != NULL);
	if (f) {
		check("r: reads", fgets(got, sizeof(got), f) && strcmp(got, "abcdef") == 0);
		check("r: cannot write", fputs("x", f) == EOF || fflush(f) == EOF);
		fclose(f);
	}
	errno = 0;
	f = fopen("missing.txt", "r");
	check("r: a missing file fails with ENOENT", !f && errno == ENOENT);
	if (f)
		fclose(f);
	f = fopen("missing.txt", "r+");
	check("r+: a missing file fails", f == NULL);
	if (f)
		fclose(f);

	f = fopen("text.txt", "r+");
	check("r+: opens", f != NULL);
	if (f) {
		fseek(f, 2, SEEK_SET);
		fputs("CD", f);
		fseek(f, 0, SEEK_SET);
		check("r+: overwrote in place",
		      fgets(got, sizeof(got), f) && strcmp(got, "abCDef") == 0);
		fclose(f);
	}
	check("r+: no truncation", has("text.txt", "abCDef"));
	f = fopen("data.bin", "r+b");
	check("r+b: opens", f != NULL);
	if (f) {
		fseek(f, 15, SEEK_SET);
		fputc(0xff, f);
		fputc(0x00, f);
		fclose(f);
	}
	long n = slurp("data.bin", got, sizeof(got));
	check("r+b: overwrote one byte, added one",
	      n == 17 && (unsigned char)got[15] == 0xff && got[16] == 0 && got[14] == 14);
}

static void append_modes(void)
{
	FILE *f = fopen("text.txt", "a");
	check("a: opens", f != NULL);
	if (f) {
		fputs("+a", f);
		fseek(f, 0, SEEK_SET); /* appends go to the end all the same */
		fputs("+b", f);
		fclose(f);
	}
	check("a: appended twice", has("text.txt", "abCDef+a+b"));
	f = fopen("new.txt", "a");
	check("a: creates", f != NULL);
	if (f) {
		fputs("new", f);
		fclose(f);
	}
	check("a: created contents", has("new.txt", "new") && remove("new.txt") == 0);

	f = fopen("data.bin", "ab");
	check("ab: opens", f != NULL);
	if (f) {
		fputc(0x1a, f);
		fclose(f);
	}
	char got[64];
	check("ab: appended a byte", slurp("data.bin", got, sizeof(got)) == 18 && got[17] == 0x1a);

	f = fopen("text.txt", "a+");
	check("a+: opens", f != NULL);
	if (f) {
		char line[64] = "";
		/* newlib starts "a" streams at the end (glibc at 0): seek first. */
		check("a+: seeks to the end on open", ftell(f) == 10);
		fseek(f, 0, SEEK_SET);
		check("a+: reads from the start",
		      fgets(line, sizeof(line), f) && strcmp(line, "abCDef+a+b") == 0);
		fseek(f, 0, SEEK_SET);
		fputs("+c", f);
		fflush(f);
		fseek(f, 0, SEEK_SET);
		check("a+: the write went to the end",
		      fgets(line, sizeof(line), f) && strcmp(line, "abCDef+a+b+c") == 0);
		fclose(f);
	}
	f = fopen("data.bin", "a+b");
	if (f) {
		fseek(f, 1, SEEK_SET);
		check("a+b: reads byte 1", fgetc(f) == 1);
		fputc('Z', f);
		fclose(f);
	}
	check("a+b: appended", slurp("data.bin", got, sizeof(got)) == 19 && got[18] == 'Z');
}

int main(void)
{
	write_modes();
	read_modes();
	append_modes();
	printf("fopen_modes: %d failed\n", failures);
	return failures;
}
