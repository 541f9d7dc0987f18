/*
 * A thread waiting on stdin must not hold up the others
 * (tests/guests/stdin_threads.sh). The main thread starts a worker, then
 * reads stdin to its end. The worker computes, sleeps a little, and says
 * "worker: done". The test sends input only after it has seen that line,
 * so the program finishes only if the worker ran while main waited.
 */
#include <outboard.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned sink;

static int worker(void *arg)
{
	(void)arg;
	unsigned x = 1;
	for (unsigned i = 0; i < 2000000; i++)
		x = x * 1103515245u + 12345u;
	sink = x;
	ob_thread_sleep(20);
	static const char done[] = "worker: done\n";
	write(1, done, sizeof(done) - 1);
	return 7;
}

int main(void)
{
	int tid = ob_thread_spawn(worker, NULL, OB_PRIO_DEFAULT, 0);
	if (tid < 0) {
		fprintf(stderr, "ob_thread_spawn: %d\n", tid);
		return 1;
	}
	char buf[256];
	size_t used = 0;
	for (;;) {
		ssize_t n = read(0, buf + used, sizeof(buf) - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	uint32_t status = 0;
	int rc = ob_thread_join(tid, &status, OB_FOREVER);
	printf("main: read '%s'; worker status %lu (join %d)\n", buf, (unsigned long)status, rc);
	return 0;
}
