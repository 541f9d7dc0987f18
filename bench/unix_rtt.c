/*
 * unix_rtt: the kernel's share of figure 3 of bench/run. How long does a
 * round trip over a raw unix socket take between two processes, with no
 * library in the way? Issue 9 asks a blocking plugin call to cost at most
 * twice that.
 *
 *   unix_rtt [COUNT [SIZE]]     (defaults 10000 round trips of 64 bytes)
 *
 * A SOCK_SEQPACKET socket pair (message boundaries, as the host's request
 * lane uses) between this process and a forked echo child; 100 untimed
 * round trips, then COUNT timed ones. Prints
 *
 *   unix_rtt: round_trips=<COUNT> size=<SIZE> us_per_round_trip=<us>
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

#define WARM_UP 100
#define MAX_SIZE 65536

static ssize_t send_all(int fd, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = send(fd, buf, len, 0);
	while (n < 0 && errno == EINTR);
	return n;
}

static ssize_t recv_one(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = recv(fd, buf, len, 0);
	while (n < 0 && errno == EINTR);
	return n;
}

/* The child: send back every message until the other end closes. */
static int echo(int fd, uint8_t *buf)
{
	for (;;) {
		ssize_t n = recv_one(fd, buf, MAX_SIZE);

		if (n == 0)
			return 0;
		if (n < 0 || send_all(fd, buf, (size_t)n) != n)
			return 1;
	}
}

static int round_trip(int fd, uint8_t *buf, size_t size, uint32_t seq)
{
	uint32_t back;

	memcpy(buf, &seq, sizeof(seq));
	if (send_all(fd, buf, size) != (ssize_t)size ||
	    recv_one(fd, buf, MAX_SIZE) != (ssize_t)size)
		return -1;
	memcpy(&back, buf, sizeof(back));
	return back == seq ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
	long size = argc > 2 ? strtol(argv[2], NULL, 10) : 64;
	static uint8_t buf[MAX_SIZE];
	int sv[2], status = 0;
	pid_t pid;

	if (argc > 3 || count <= 0 || size < 4 || size > MAX_SIZE) {
		fprintf(stderr, "usage: unix_rtt [COUNT [SIZE]] (SIZE 4..%d)\n", MAX_SIZE);
		return 2;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) {
		perror("unix_rtt: socketpair");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	pid = fork();
	if (pid < 0) {
		perror("unix_rtt: fork");
		return 1;
	}
	if (pid == 0) {
		close(sv[0]);
		_exit(echo(sv[1], buf));
	}
	close(sv[1]);
	for (uint32_t i = 0; i < WARM_UP; i++)
		if (round_trip(sv[0], buf, (size_t)size, i))
			goto fail;
	double t0 = now();
	for (long i = 0; i < count; i++)
		if (round_trip(sv[0], buf, (size_t)size, (uint32_t)i))
			goto fail;
	double t1 = now();
	close(sv[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "unix_rtt: the echo child failed\n");
		return 1;
	}
	printf("unix_rtt: round_trips=%ld size=%ld us_per_round_trip=%.2f\n", count, size,
	       (t1 - t0) * 1e6 / (double)count);
	return 0;
fail:
	fprintf(stderr, "unix_rtt: the echo child went away or answered wrong\n");
	close(sv[0]);
	waitpid(pid, NULL, 0);
	return 1;
}
