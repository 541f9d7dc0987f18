/*
 * records FILE COUNT [STOPFILE]: the fault-injection workload (tests/faults).
 * Writes up to COUNT checksummed records through the fs domain while a
 * harness kills or stops the fs plugin, and checks every call's outcome;
 * it stops early once STOPFILE exists (checked every 50 records). At the
 * end it reads every record back once more.
 *
 * Record i (from 1) lives in its own slot at offset (i - 1) * RECORD_SIZE,
 * written with pwrite. A write that fails with EIO may or may not have run
 * (docs/faults.md: at most once); writing the same bytes to the same slot
 * again is harmless, so the program retries it, and no record can ever be
 * duplicated. After each successful write it reads the record back with
 * pread (idempotent: the host retries it across restarts) and checks it.
 * Every few records it also reopens the file and checks an older record.
 *
 * Beside it, FILE.bulk takes large buffered writes: every 10 records, 16 KiB
 * of records (numbered on from 1) in 4 KiB pwrite() calls at the end of the
 * file, which the host's file cache holds back and sends in large writes, so
 * plugin deaths land while it holds data the guest was told is written.
 * Every such write must succeed (the host replays what a dead plugin took
 * with it; an EIO from a plugin that stayed away is retried), the close
 * must succeed, and at the end every bulk record is read back and checked.
 *
 * Output: one line per failure, then
 *   records: N written, E EIO retries, V verified, X failures
 *   bulk: B records written, W verified
 * and a last line listing nothing else; exit 0 only with no failure. Any
 * errno other than EIO (and ENOENT/EIO on reopen during a restart) is a
 * failure: calls must end in success or a clean errno.
 */
#include <outboard.h>

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_SIZE 64u
#define MAGIC 0x52454331u /* "REC1" */
#define MAX_RETRIES 200

struct record {
	uint32_t magic;
	uint32_t seq;
	uint8_t payload[52];
	uint32_t crc;
};

_Static_assert(sizeof(struct record) == RECORD_SIZE, "record layout");

static unsigned eio_retries, failures, verified;

#define BULK_WRITE 4096u
#define BULK_PER_ROUND 4u
static uint32_t bulk_records, bulk_verified;

/* FNV-1a over everything before crc. */
static uint32_t checksum(const struct record *r)
{
	const uint8_t *p = (const uint8_t *)r;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < offsetof(struct record, crc); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void make(struct record *r, uint32_t seq)
{
	r->magic = MAGIC;
	r->seq = seq;
	for (size_t i = 0; i < sizeof(r->payload); i++)
		r->payload[i] = (uint8_t)(seq * 31u + i);
	r->crc = checksum(r);
}

static void fail(const char *what, uint32_t seq, int r)
{
	printf("FAIL %s of record %lu: %d\n", what, (unsigned long)seq, r);
	failures++;
}

/* A call that may meet a dead plugin: retry EIO a bounded number of times. */
static int retry_eio(int r, unsigned *tries)
{
	if (r != -EIO || ++*tries > MAX_RETRIES)
		return 0;
	eio_retries++;
	ob_thread_sleep(20);
	return 1;
}

static void write_record(int fd, uint32_t seq)
{
	struct record r;
	unsigned tries = 0;
	int n;
	make(&r, seq);
	do
		n = ob_pwrite(fd, &r, RECORD_SIZE, (int32_t)((seq - 1) * RECORD_SIZE));
	while (retry_eio(n, &tries));
	if (n != (int)RECORD_SIZE)
		fail("write", seq, n);
}

static void check_record(int fd, uint32_t seq)
{
	struct record r, want;
	unsigned tries = 0;
	int n;
	do
		n = ob_pread(fd, &r, RECORD_SIZE, (int32_t)((seq - 1) * RECORD_SIZE));
	while (retry_eio(n, &tries));
	make(&want, seq);
	if (n != (int)RECORD_SIZE)
		fail("read", seq, n);
	else if (memcmp(&r, &want, RECORD_SIZE) != 0)
		fail("check", seq, -1);
	else
		verified++;
}

/* Opening creates the file once; later opens must find it. */
static int open_log(const char *path, int flags)
{
	unsigned tries = 0;
	int fd;
	do
		fd = ob_open(path, flags, 0644);
	while (retry_eio(fd, &tries));
	if (fd < 0)
		fail("open", 0, fd);
	return fd;
}

/* Whether the harness asked us to finish (a stat: retried across restarts). */
static int stop_requested(const char *stopfile)
{
	struct ob_file_stat st;
	unsigned tries = 0;
	int r;
	if (!stopfile)
		return 0;
	do
		r = ob_stat(stopfile, &st);
	while (retry_eio(r, &tries));
	if (r < 0 && r != -ENOENT)
		fail("stat of the stop file", 0, r);
	return r == 0;
}

/* One round of large buffered writes: BULK_PER_ROUND x 4 KiB of records. */
static void bulk_round(int fd)
{
	static struct record chunk[BULK_WRITE / RECORD_SIZE];
	for (unsigned w = 0; w < BULK_PER_ROUND; w++) {
		for (unsigned i = 0; i < BULK_WRITE / RECORD_SIZE; i++)
			make(&chunk[i], bulk_records + i + 1);
		/* Positioned, so that a write that met a dead plugin (EIO: it may
		 * or may not have run) can be sent again harmlessly, as records are. */
		unsigned tries = 0;
		int n;
		do
			n = ob_pwrite(fd, chunk, BULK_WRITE, (int32_t)(bulk_records * RECORD_SIZE));
		while (retry_eio(n, &tries));
		if (n != (int)BULK_WRITE) {
			fail("bulk write", bulk_records + 1, n);
			return;
		}
		bulk_records += BULK_WRITE / RECORD_SIZE;
	}
}

/* Every bulk record, read back in 4 KiB pieces and checked one by one. */
static void bulk_verify(const char *path)
{
	static struct record chunk[BULK_WRITE / RECORD_SIZE];
	int fd = open_log(path, O_RDONLY);
	uint32_t seq = 1;
	if (fd < 0)
		return;
	for (;;) {
		int n = ob_read(fd, chunk, BULK_WRITE);
		if (n < 0) {
			fail("bulk read", seq, n);
			break;
		}
		if (n == 0)
			break;
		for (int i = 0; i < n / (int)RECORD_SIZE; i++, seq++) {
			struct record want;
			make(&want, seq);
			if (memcmp(&chunk[i], &want, RECORD_SIZE) != 0)
				fail("bulk check", seq, -1);
			else
				bulk_verified++;
		}
	}
	if (seq - 1 != bulk_records)
		fail("bulk length", seq - 1, (int)bulk_records);
	ob_close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4) {
		printf("usage: records FILE COUNT [STOPFILE]\n");
		return 2;
	}
	const char *path = argv[1], *stopfile = argc == 4 ? argv[3] : NULL;
	uint32_t count = (uint32_t)strtoul(argv[2], NULL, 10);
	int fd = open_log(path, O_RDWR | O_CREAT);
	if (fd < 0)
		return 1;
	char bulk_path[200];
	snprintf(bulk_path, sizeof(bulk_path), "%s.bulk", path);
	int bulk = open_log(bulk_path, O_WRONLY | O_CREAT | O_TRUNC);
	if (bulk < 0)
		return 1;
	for (uint32_t seq = 1; seq <= count; seq++) {
		if (seq % 10 == 0)
			bulk_round(bulk);
		write_record(fd, seq);
		check_record(fd, seq);
		if (seq % 25 == 0) {
			/* A second descriptor, reopened across restarts too. */
			int fd2 = open_log(path, O_RDONLY);
			if (fd2 >= 0) {
				check_record(fd2, seq / 2 + 1);
				ob_close(fd2);
			}
		}
		if (seq % 50 == 0 && stop_requested(stopfile)) {
			count = seq;
			break;
		}
		ob_thread_sleep(2);
	}
	/* Everything that was written, once more, after all the faults. */
	for (uint32_t seq = 1; seq <= count; seq++)
		check_record(fd, seq);
	ob_close(fd);
	int r = ob_close(bulk);
	if (r)
		fail("bulk close", bulk_records, r);
	bulk_verify(bulk_path);
	printf("records: %lu written, %u EIO retries, %u verified, %u failures\n",
	       (unsigned long)count, eio_retries, verified, failures);
	printf("bulk: %lu records written, %lu verified\n", (unsigned long)bulk_records,
	       (unsigned long)bulk_verified);
	return failures ? 1 : 0;
}
