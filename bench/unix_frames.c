/*
 * unix_frames: the reference for figure 9 of bench/run (display frames).
 * The same bytes a full-screen frame sends to the display plugin, through a
 * raw unix stream socket between two processes: per frame, the blit's
 * pixels (SIZE bytes, default 320 x 240 x 4) one way, then a one-byte
 * "present" and its one-byte answer, as display_present waits for the
 * plugin. No serialisation, no copy into a framebuffer: what the kernel
 * costs.
 *
 *   unix_frames [FRAMES [SIZE]]     (defaults 2000 frames of 307200 bytes)
 *
 * Prints, after 20 untimed frames,
 *
 *   unix_frames: frames=<FRAMES> size=<SIZE> fps=<frames per second>
 *
 * Exits with 0, 1 on a failure (message on stderr), 2 on bad arguments.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARM_UP 20

static int full_io(int fd, void *buf, size_t len, int writing)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The display's side: take each frame whole, answer each present. */
static int echo(int fd, uint8_t *buf, size_t size)
{
	uint8_t b;

	for (;;) {
		if (full_io(fd, &b, 1, 0))
			return 0; /* the other side closed: done */
		if (b == 'B' && full_io(fd, buf, size, 0))
			return 1;
		if (b == 'P' && full_io(fd, &b, 1, 1))
			return 1;
	}
}

static int frame(int fd, uint8_t *buf, size_t size)
{
	uint8_t b = 'B';

	buf[0]++; /* a different frame each time */
	if (full_io(fd, &b, 1, 1) || full_io(fd, buf, size, 1))
		return -1;
	b = 'P';
	if (full_io(fd, &b, 1, 1) || full_io(fd, &b, 1, 0))
		return -1;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long frames = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
	long size = argc > 2 ? strtol(argv[2], NULL, 10) : 320 * 240 * 4;
	int sv[2], status = 0;
	uint8_t *buf;
	pid_t pid;

	if (argc > 3 || frames <= 0 || size <= 0 || size > (64l << 20)) {
		fprintf(stderr, "usage: unix_frames [FRAMES [SIZE]]\n");
		return 2;
	}
	buf = calloc(1, (size_t)size);
	if (!buf || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		perror("unix_frames");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	pid = fork();
	if (pid < 0) {
		perror("unix_frames: fork");
		return 1;
	}
	if (pid == 0) {
		close(sv[0]);
		_exit(echo(sv[1], buf, (size_t)size));
	}
	close(sv[1]);
	for (int i = 0; i < WARM_UP; i++)
		if (frame(sv[0], buf, (size_t)size))
			goto fail;
	double t0 = now();
	for (long i = 0; i < frames; i++)
		if (frame(sv[0], buf, (size_t)size))
			goto fail;
	double t1 = now();
	close(sv[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "unix_frames: the reader failed\n");
		return 1;
	}
	printf("unix_frames: frames=%ld size=%ld fps=%.0f\n", frames, size,
	       (double)frames / (t1 - t0));
	free(buf);
	return 0;
fail:
	fprintf(stderr, "unix_frames: the reader went away\n");
	close(sv[0]);
	waitpid(pid, NULL, 0);
	return 1;
}
