/*
 * parallel_reads: 16 threads open and read one file at the same moment, so
 * that many blocking fs requests are in flight together (the host's
 * in-flight statistics test counts them).
 *
 * main writes parallel_reads.dat (64 KiB of a known pattern) in the current
 * directory, releases the 16 readers at once through an event flag, and
 * each reader opens the file, reads it in 4 KiB chunks, checks every byte
 * and closes it. Prints
 *
 *   parallel_reads: 16 readers, 16 ok
 *
 * removes the file, and exits with 0 when all 16 read the file correctly
 * (with 1 otherwise, after a `reader <n>: ...` line per failure).
 *
 * With `hold`, main prints `parallel_reads: ready` once the file is
 * written and the readers wait, and releases them only when a line comes
 * on stdin: a test can stop the fs plugin in between, so that all 16 opens
 * are in flight together whatever the timing.
 */
#include <outboard.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define READERS 16
#define FILE_SIZE (64 * 1024)
#define CHUNK 4096
#define PATH "parallel_reads.dat"

static int go;

static unsigned char pattern(uint32_t offset)
{
	return (unsigned char)((offset * 7u + offset / 251u) & 0xff);
}

static int write_file(void)
{
	static unsigned char data[FILE_SIZE];
	for (uint32_t i = 0; i < FILE_SIZE; i++)
		data[i] = pattern(i);
	int fd = open(PATH, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	int n = write(fd, data, FILE_SIZE);
	return close(fd) == 0 && n == FILE_SIZE ? 0 : -1;
}

/* Returns 0 when the whole file read back as written, else a step number. */
static int reader(void *arg)
{
	int id = (int)(uintptr_t)arg;
	unsigned char buf[CHUNK];
	ob_evf_wait(go, 1, OB_EVF_ANY, OB_FOREVER, NULL);
	int fd = open(PATH, O_RDONLY);
	if (fd < 0) {
		printf("reader %d: open: %s\n", id, strerror(errno));
		return 1;
	}
	uint32_t offset = 0;
	int status = 0;
	for (;;) {
		int n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			printf("reader %d: read: %s\n", id, strerror(errno));
			status = 2;
			break;
		}
		if (n == 0)
			break;
		for (int i = 0; i < n && status == 0; i++)
			if (buf[i] != pattern(offset + (uint32_t)i)) {
				printf("reader %d: wrong byte at %lu\n", id,
				       (unsigned long)(offset + (uint32_t)i));
				status = 3;
			}
		offset += (uint32_t)n;
	}
	close(fd);
	if (status == 0 && offset != FILE_SIZE) {
		printf("reader %d: read %lu bytes, expected %d\n", id, (unsigned long)offset, FILE_SIZE);
		status = 4;
	}
	return status;
}

int main(int argc, char **argv)
{
	int hold = argc > 1 && strcmp(argv[1], "hold") == 0;
	if (write_file() < 0) {
		printf("parallel_reads: cannot write %s: %s\n", PATH, strerror(errno));
		return 1;
	}
	go = ob_evf_create(0, 0);
	int tids[READERS];
	for (int i = 0; i < READERS; i++)
		tids[i] = ob_thread_spawn(reader, (void *)(uintptr_t)i, OB_PRIO_DEFAULT, 0);
	if (hold) {
		char line[16];
		printf("parallel_reads: ready\n");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			printf("parallel_reads: no line on stdin, going on\n");
	}
	ob_evf_set(go, 1);
	int good = 0;
	for (int i = 0; i < READERS; i++) {
		uint32_t status = 1;
		if (tids[i] >= 0 && ob_thread_join(tids[i], &status, OB_FOREVER) == 0 && status == 0)
			good++;
	}
	printf("parallel_reads: %d readers, %d ok\n", READERS, good);
	unlink(PATH);
	ob_handle_close(go);
	return good == READERS ? 0 : 1;
}
