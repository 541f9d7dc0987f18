/*
 * nn_rtt: the reference for figure 3 of bench/run. How long does a raw
 * nanomsg PAIR round trip over ipc:// take between two processes? Every
 * blocking call from outboard-cpu to a plugin pays at least that.
 *
 *   nn_rtt [COUNT [SIZE]]     (defaults 10000 round trips of 64 bytes)
 *   nn_rtt --echo URL         (the peer; started by the above)
 *
 * The first form makes a private directory for the socket, starts itself
 * with --echo (fork and exec: nanomsg is unusable in a forked child that
 * does not exec), binds, makes 100 warm-up round trips and then COUNT timed
 * ones, and prints
 *
 *   nn_rtt: round_trips=<COUNT> size=<SIZE> us_per_round_trip=<us>
 *
 * Exits with 0, 1 on a failure (message on stderr), 2 on bad arguments.
 * Each side gives up after RECV_TIMEOUT_MS of silence, so neither can hang
 * when the other dies.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/pair.h>

#define WARM_UP 100
#define MAX_SIZE 65536
#define RECV_TIMEOUT_MS 10000
#define CONNECT_RETRY_MS 100
#define MIN_SIZE 4 /* a sequence number */
#define STOP_SIZE 0 /* an empty message ends the echo loop */

static int nn_fail(const char *what)
{
	fprintf(stderr, "nn_rtt: %s: %s\n", what, nn_strerror(nn_errno()));
	return -1;
}

static int set_timeouts(int s, int ms)
{
	if (nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &ms, sizeof(ms)) < 0 ||
	    nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDTIMEO, &ms, sizeof(ms)) < 0)
		return nn_fail("timeouts");
	return 0;
}

/* A PAIR socket with send and receive timeouts: its descriptor, or -1. */
static int pair_socket(void)
{
	int s = nn_socket(AF_SP, NN_PAIR);
	if (s < 0)
		return nn_fail("nn_socket");
	if (set_timeouts(s, RECV_TIMEOUT_MS)) {
		nn_close(s);
		return -1;
	}
	return s;
}

/* The peer: send back everything until an empty message. */
static int echo(const char *url)
{
	int s = pair_socket();
	if (s < 0)
		return 1;
	int rc = 1;
	if (nn_connect(s, url) < 0) {
		nn_fail("nn_connect");
		goto out;
	}
	for (;;) {
		void *msg = NULL;
		int n = nn_recv(s, &msg, NN_MSG, 0);
		if (n < 0) {
			nn_fail("echo nn_recv");
			goto out;
		}
		if (n == STOP_SIZE) {
			nn_freemsg(msg);
			break;
		}
		/* Sending an NN_MSG hands it over; on failure it is still ours. */
		if (nn_send(s, &msg, NN_MSG, 0) < 0) {
			nn_freemsg(msg);
			nn_fail("echo nn_send");
			goto out;
		}
	}
	rc = 0;
out:
	nn_close(s);
	return rc;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sends message seq (size bytes, the first 4 holding seq) and waits for
 * its echo. An older echo (of a try that timed out) is skipped. 0, -ETIMEDOUT
 * when nothing came back within the receive timeout, or -1. */
static int exchange(int s, uint32_t seq, size_t size)
{
	static char out[MAX_SIZE], in[MAX_SIZE];
	memcpy(out, &seq, sizeof(seq));
	/* A PAIR socket with no peer yet blocks the send: under load the
	 * connection can take longer than a retry period (bench_smoke under
	 * the sanitizers once failed so). */
	if (nn_send(s, out, size, 0) != (int)size)
		return nn_errno() == ETIMEDOUT ? -ETIMEDOUT : nn_fail("nn_send");
	for (;;) {
		int n = nn_recv(s, in, sizeof(in), 0);
		if (n < 0 && nn_errno() == ETIMEDOUT)
			return -ETIMEDOUT;
		if (n < 0)
			return nn_fail("nn_recv");
		uint32_t got;
		memcpy(&got, in, sizeof(got));
		if ((size_t)n == size && got == seq)
			return 0;
		if ((size_t)n != size || got > seq) {
			fprintf(stderr, "nn_rtt: the echo differs from what was sent\n");
			return -1;
		}
	}
}

/*
 * Until the first echo: nanomsg drops a message sent while the connection
 * is still being set up (a known limitation), so try again every
 * CONNECT_RETRY_MS. Once one echo has come back, PAIR over the established
 * pipe loses nothing. Returns the next sequence number, or 0 on failure.
 */
static uint32_t connect_peer(int s, size_t size)
{
	uint32_t seq = 1;
	if (set_timeouts(s, CONNECT_RETRY_MS))
		return 0;
	for (int tries = RECV_TIMEOUT_MS / CONNECT_RETRY_MS; tries > 0; tries--, seq++) {
		int rc = exchange(s, seq, size);
		if (rc == 0)
			return set_timeouts(s, RECV_TIMEOUT_MS) ? 0 : seq + 1;
		if (rc != -ETIMEDOUT)
			return 0;
	}
	fprintf(stderr, "nn_rtt: the echo peer never answered\n");
	return 0;
}

/* count round trips numbered from *seq; 0 or -1. */
static int round_trips(int s, uint32_t *seq, unsigned long count, size_t size)
{
	for (unsigned long i = 0; i < count; i++, (*seq)++) {
		int rc = exchange(s, *seq, size);
		if (rc == -ETIMEDOUT)
			fprintf(stderr, "nn_rtt: no echo within %d ms\n", RECV_TIMEOUT_MS);
		if (rc)
			return -1;
	}
	return 0;
}

/* The empty message that ends the echo loop. The socket must stay open
 * until the peer has exited: nn_close drops what is still unsent. */
static int stop_peer(int s)
{
	char stop[1];
	if (nn_send(s, stop, STOP_SIZE, 0) != STOP_SIZE)
		return nn_fail("stopping the echo peer");
	return 0;
}

/* Starts `self --echo url`: its pid, or -1. */
static pid_t start_echo(const char *self, const char *url)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("nn_rtt: fork");
		return -1;
	}
	if (pid == 0) {
		execl(self, self, "--echo", url, (char *)NULL);
		perror("nn_rtt: exec");
		_exit(127);
	}
	return pid;
}

/* The timed side; the socket lives in dir. 0 or -1. */
static int measure(const char *self, const char *dir, unsigned long count, size_t size)
{
	char url[PATH_MAX + 32], path[PATH_MAX + 16];
	if (snprintf(path, sizeof(path), "%s/rtt.sock", dir) >= (int)sizeof(path) ||
	    snprintf(url, sizeof(url), "ipc://%s", path) >= (int)sizeof(url)) {
		fprintf(stderr, "nn_rtt: %s: path too long\n", dir);
		return -1;
	}
	int rc = -1, status = 0;
	double us = 0;
	pid_t peer = -1;
	int s = pair_socket();
	if (s < 0)
		return -1;
	if (nn_bind(s, url) < 0) {
		nn_fail("nn_bind");
		goto out;
	}
	peer = start_echo(self, url);
	if (peer < 0)
		goto out;
	uint32_t seq = connect_peer(s, size);
	if (!seq || round_trips(s, &seq, WARM_UP, size))
		goto out;
	uint64_t t0 = now_ns();
	if (round_trips(s, &seq, count, size))
		goto out;
	uint64_t t1 = now_ns();
	if (stop_peer(s))
		goto out;
	us = (double)(t1 - t0) / 1000.0 / (double)count;
	rc = 0;
out:
	if (peer > 0) {
		if (rc)
			kill(peer, SIGTERM);
		while (waitpid(peer, &status, 0) < 0 && errno == EINTR)
			;
		if (!rc && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			fprintf(stderr, "nn_rtt: the echo peer failed\n");
			rc = -1;
		}
	}
	nn_close(s);
	unlink(path);
	if (!rc)
		printf("nn_rtt: round_trips=%lu size=%zu us_per_round_trip=%.2f\n", count, size,
		       us);
	return rc;
}

static int parse_arg(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || *end || *s == '-' || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--echo") == 0)
		return echo(argv[2]);
	unsigned long count = 10000, size = 64;
	if (argc > 3 || (argc > 1 && parse_arg(argv[1], UINT32_MAX / 2, &count)) ||
	    (argc > 2 && parse_arg(argv[2], MAX_SIZE, &size)) || size < MIN_SIZE) {
		fprintf(stderr, "usage: nn_rtt [COUNT [SIZE]]  (SIZE %d-%d)\n"
				"       nn_rtt --echo URL\n", MIN_SIZE, MAX_SIZE);
		return 2;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		perror("nn_rtt: /proc/self/exe");
		return 1;
	}
	self[n] = '\0';
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX];
	if (snprintf(dir, sizeof(dir), "%s/ob-nn-rtt-XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
		    (int)sizeof(dir) ||
	    !mkdtemp(dir)) {
		perror("nn_rtt: mkdtemp");
		return 1;
	}
	int rc = measure(self, dir, count, (size_t)size);
	rmdir(dir);
	return rc ? 1 : 0;
}
