/*
 * fs_rtt: the round trip of one blocking fs call through the plugin.
 * Opens FILE (the first argument), makes COUNT (the second, default 10000)
 * 1-byte ob_pread calls at offset 0, timed with the monotonic clock, and
 * prints
 *
 *   fs_rtt: calls=<COUNT> total_ns=<ns> ns_per_call=<ns>
 *
 * A few calls before the timed ones warm up the connection and the
 * plugin's page cache. Exits with 0, 1 if a call fails, 2 without FILE.
 * The pread goes to the fs plugin every time (the CPU host keeps no cache),
 * so each call is one request and one reply over the plugin's socket.
 */
#include <outboard.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#define WARM_UP 100

/* COUNT calls; 0 or the first failing call's negated errno. */
static int preads(int fd, unsigned long count)
{
	unsigned char byte;
	for (unsigned long i = 0; i < count; i++) {
		int r = ob_pread(fd, &byte, 1, 0);
		if (r != 1)
			return r < 0 ? r : -1;
	}
	return 0;
}

static int monotonic(uint64_t *ns)
{
	return ob_clock_get(OB_CLOCK_MONOTONIC, ns);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: fs_rtt FILE [COUNT]\n");
		return 2;
	}
	unsigned long count = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000ul;
	int fd = ob_open(argv[1], O_RDONLY, 0);
	if (fd < 0) {
		fprintf(stderr, "fs_rtt: open %s: %d\n", argv[1], fd);
		return 1;
	}
	uint64_t t0 = 0, t1 = 0;
	int err = preads(fd, WARM_UP);
	if (!err)
		err = monotonic(&t0);
	if (!err)
		err = preads(fd, count);
	if (!err)
		err = monotonic(&t1);
	ob_close(fd);
	if (err) {
		fprintf(stderr, "fs_rtt: a call failed: %d\n", err);
		return 1;
	}
	uint64_t total = t1 - t0;
	printf("fs_rtt: calls=%lu total_ns=%llu ns_per_call=%llu\n", count,
	       (unsigned long long)total,
	       (unsigned long long)(count ? total / count : 0));
	return 0;
}
