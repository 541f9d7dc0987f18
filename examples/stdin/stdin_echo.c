/*
 * Reads stdin the ways programs do (tests/guests/stdin.sh):
 *   stdin_echo cat     read(0) until end of file, every byte to stdout with
 *                      write(1); the byte count to stderr at the end
 *   stdin_echo prompt  a prompt without a newline, then fgets: each line
 *                      comes back as "got: LINE"; "bye" at end of file
 *   stdin_echo readc   (semihosting build) SYS_READC until it gives -1,
 *                      each byte printed in hex
 *   stdin_echo tty     isatty of fds 0, 1 and 2 (SYS_ISTTY on semihosting):
 *                      `isatty: 0=A 1=B 2=C`
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int cat(void)
{
	static char buf[4096];
	long total = 0;
	for (;;) {
		ssize_t n = read(0, buf, sizeof(buf));
		if (n < 0) {
			perror("read");
			return 1;
		}
		if (n == 0)
			break;
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(1, buf + done, (size_t)(n - done));
			if (w <= 0) {
				perror("write");
				return 1;
			}
			done += w;
		}
		total += n;
	}
	fprintf(stderr, "eof after %ld bytes\n", total);
	return 0;
}

static int prompt(void)
{
	char line[256];
	for (;;) {
		printf("> ");
		if (!fgets(line, sizeof(line), stdin))
			break;
		printf("got: %s", line);
		if (!strchr(line, '\n'))
			printf("\n");
	}
	printf("\nbye\n");
	return 0;
}

#ifdef STDIN_ECHO_SEMIHOSTING
/* SYS_READC (0x07): one byte of the console, -1 at end of file. */
static int readc(void)
{
	register int r0 __asm__("r0") = 0x07;
	register int r1 __asm__("r1") = 0;
#ifdef __thumb__
	__asm__ volatile("svc 0xab" : "+r"(r0) : "r"(r1) : "memory");
#else
	__asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
#endif
	return r0;
}

static int readc_all(void)
{
	int c, n = 0;
	while ((c = readc()) != -1) {
		printf("%02x ", (unsigned)c);
		n++;
	}
	printf("\nreadc: %d bytes, then -1\n", n);
	return 0;
}
#endif

static int tty(void)
{
	printf("isatty: 0=%d 1=%d 2=%d\n", isatty(0), isatty(1), isatty(2));
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "cat") == 0)
		return cat();
	if (strcmp(mode, "prompt") == 0)
		return prompt();
	if (strcmp(mode, "tty") == 0)
		return tty();
#ifdef STDIN_ECHO_SEMIHOSTING
	if (strcmp(mode, "readc") == 0)
		return readc_all();
#endif
	fprintf(stderr, "usage: stdin_echo cat|prompt|readc|tty\n");
	return 2;
}
