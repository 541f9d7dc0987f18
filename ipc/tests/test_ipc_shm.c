/*
 * Shared-memory regions (outboard/shm.h): the host's span bookkeeping
 * (never overlapping, bad offsets and lengths refused), span checks, and a
 * region passed over the side socket: taken only with its token, refused
 * when it is not sealed, and left alone when the offering side is gone.
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "ipc_test_util.h"
#include "outboard/shm.h"

static void test_span_ok(void **state)
{
	(void)state;
	assert_true(ob_shm_span_ok(100, 0, 100));
	assert_true(ob_shm_span_ok(100, 100, 0));
	assert_true(ob_shm_span_ok(100, 40, 60));
	assert_false(ob_shm_span_ok(100, 40, 61));
	assert_false(ob_shm_span_ok(100, 101, 0));
	assert_false(ob_shm_span_ok(100, UINT32_MAX, 2));
	assert_false(ob_shm_span_ok(100, 1, UINT64_MAX));
	assert_false(ob_shm_span_ok(100, UINT64_MAX, 1));
	assert_false(ob_shm_span_ok(0, 0, 1));
}

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return a < b + blen && b < a + alen;
}

static void test_heap_first_fit_no_overlap(void **state)
{
	struct ob_shm_heap *hp;
	uint32_t off[8], len[8] = { 1, 64, 65, 1000, 4096, 3, 200, 7 };

	(void)state;
	assert_int_equal(ob_shm_heap_new(1 << 16, 16, &hp), 0);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(ob_shm_heap_alloc(hp, len[i], &off[i]), 0);
		assert_int_equal(off[i] % OB_SHM_ALIGN, 0);
		assert_true(ob_shm_span_ok(1 << 16, off[i], len[i]));
		assert_true(ob_shm_heap_span(hp, off[i]) >= len[i]);
		for (int j = 0; j < i; j++)
			assert_false(overlaps(off[i], len[i], off[j], len[j]));
	}
	assert_int_equal(ob_shm_heap_count(hp), 8);
	/* A hole is reused by the next span that fits it. */
	assert_int_equal(ob_shm_heap_release(hp, off[3]), 0);
	uint32_t again;
	assert_int_equal(ob_shm_heap_alloc(hp, 900, &again), 0);
	assert_int_equal(again, off[3]);
	/* Releasing what was never lent, or twice, changes nothing. */
	assert_int_equal(ob_shm_heap_release(hp, off[3] + 64), -ENOENT);
	assert_int_equal(ob_shm_heap_release(hp, off[0]), 0);
	assert_int_equal(ob_shm_heap_release(hp, off[0]), -ENOENT);
	assert_int_equal(ob_shm_heap_span(hp, off[0]), 0);
	assert_int_equal(ob_shm_heap_count(hp), 7);
	ob_shm_heap_free(hp);
}

static void test_heap_limits(void **state)
{
	struct ob_shm_heap *hp;
	uint32_t a, b, c;

	(void)state;
	assert_int_equal(ob_shm_heap_new(0, 4, &hp), -EINVAL);
	assert_int_equal(ob_shm_heap_new(1000, 0, &hp), -EINVAL);
	assert_int_equal(ob_shm_heap_new(1000, 3, &hp), 0);
	assert_int_equal(ob_shm_heap_alloc(hp, 0, &a), -EINVAL);
	assert_int_equal(ob_shm_heap_alloc(hp, 1001, &a), -EINVAL);
	/* The whole region, then nothing more. */
	assert_int_equal(ob_shm_heap_alloc(hp, 1000, &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(ob_shm_heap_alloc(hp, 1, &b), -ENOSPC);
	assert_int_equal(ob_shm_heap_release(hp, a), 0);
	assert_int_equal(ob_shm_heap_used(hp), 0);
	/* The last span may end at an unaligned end; the count is bounded. */
	assert_int_equal(ob_shm_heap_alloc(hp, 900, &a), 0);
	assert_int_equal(ob_shm_heap_alloc(hp, 40, &b), 0);
	assert_int_equal(b, 960);
	assert_int_equal(ob_shm_heap_span(hp, b), 40);
	assert_int_equal(ob_shm_heap_alloc(hp, 1, &c), -ENOSPC);
	assert_int_equal(ob_shm_heap_release(hp, a), 0);
	assert_int_equal(ob_shm_heap_alloc(hp, 1, &a), 0);
	assert_int_equal(ob_shm_heap_alloc(hp, 1, &c), 0);
	assert_int_equal(ob_shm_heap_alloc(hp, 1, &c), -ENOBUFS);
	ob_shm_heap_free(hp);
}

/* Random lends and releases: never an overlap, never outside. */
static void test_heap_random(void **state)
{
	enum { N = 64, SIZE = 1 << 20 };
	struct ob_shm_heap *hp;
	uint32_t off[N], len[N];
	bool live[N] = { false };
	uint64_t rs = 42;

	(void)state;
	assert_int_equal(ob_shm_heap_new(SIZE, N, &hp), 0);
	for (int round = 0; round < 20000; round++) {
		int i = (int)(tu_rand(&rs) % N);

		if (live[i]) {
			assert_int_equal(ob_shm_heap_release(hp, off[i]), 0);
			live[i] = false;
			continue;
		}
		len[i] = 1 + (uint32_t)(tu_rand(&rs) % (SIZE / 8));
		int err = ob_shm_heap_alloc(hp, len[i], &off[i]);
		if (err) {
			assert_int_equal(err, -ENOSPC);
			continue;
		}
		assert_true(ob_shm_span_ok(SIZE, off[i], len[i]));
		for (int j = 0; j < N; j++)
			if (j != i && live[j])
				assert_false(overlaps(off[i], len[i], off[j], len[j]));
		live[i] = true;
	}
	ob_shm_heap_free(hp);
}

static void side_url(char *url, size_t cap)
{
	tu_url(url, cap, "plugin");
}

/* Host and plugin ends in one process: both mappings show the same bytes. */
static void test_offer_accept(void **state)
{
	char url[256];
	ob_shm *host, *plugin, *none;
	int lfd;
	uint64_t token = ob_shm_token();

	(void)state;
	side_url(url, sizeof(url));
	assert_int_equal(ob_shm_listen(url, &lfd), 0);
	assert_int_equal(ob_shm_create(1 << 20, &host), 0);
	/* An older offer queued first is passed over. */
	assert_int_equal(ob_shm_offer(host, url, token + 1), 0);
	assert_int_equal(ob_shm_offer(host, url, token), 0);
	assert_int_equal(ob_shm_accept(lfd, token, 1 << 20, 1000, &plugin), 0);
	assert_int_equal(ob_shm_size(plugin), 1 << 20);
	memcpy(ob_shm_base(host) + 4096, "hello", 6);
	assert_string_equal((char *)ob_shm_base(plugin) + 4096, "hello");
	memcpy(ob_shm_base(plugin) + (1 << 20) - 3, "ok", 3);
	assert_string_equal((char *)ob_shm_base(host) + (1 << 20) - 3, "ok");
	/* Nothing is left queued: the same token again finds nothing. */
	assert_int_equal(ob_shm_accept(lfd, token, 1 << 20, 0, &none), -ENOENT);
	assert_null(none);
	/* The wrong size is no match either. */
	assert_int_equal(ob_shm_offer(host, url, token), 0);
	assert_int_equal(ob_shm_accept(lfd, token, 1 << 19, 0, &none), -ENOENT);
	ob_shm_free(plugin);
	ob_shm_free(host);
	ob_shm_unlisten(lfd, url);
	char path[256];
	assert_int_equal(ob_shm_side_path(url, path, sizeof(path)), 0);
	assert_int_not_equal(access(path, F_OK), 0);
}

static void test_offer_nobody(void **state)
{
	char url[256];
	ob_shm *host;

	(void)state;
	side_url(url, sizeof(url));
	assert_int_equal(ob_shm_create(4096, &host), 0);
	assert_int_equal(ob_shm_offer(host, url, 7), -ENOENT);
	assert_int_equal(ob_shm_offer(host, "tcp://127.0.0.1:1", 7), -EINVAL);
	assert_int_equal(ob_shm_offer(host, url, 0), -EINVAL);
	ob_shm_free(host);
	assert_int_equal(ob_shm_create(0, &host), -EINVAL);
	assert_int_equal(ob_shm_create(OB_SHM_MAX_SIZE + 1u, &host), -EINVAL);
}

static void test_side_path(void **state)
{
	char buf[200], longurl[300];

	(void)state;
	assert_int_equal(ob_shm_side_path("ipc:///run/x/fs.sock", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/x/fs.sock.shm");
	assert_int_equal(ob_shm_side_path("tcp://h:1", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(ob_shm_side_path("ipc://", buf, sizeof(buf)), -EINVAL);
	memset(longurl, 'a', sizeof(longurl) - 1);
	longurl[sizeof(longurl) - 1] = 0;
	memcpy(longurl, "ipc:///", 7);
	assert_int_equal(ob_shm_side_path(longurl, buf, sizeof(buf)), -ENAMETOOLONG);
}

/* Send fd with token/size as ob_shm_offer does, from a forger. */
static void forge_offer(const char *url, int fd, uint64_t token, uint32_t size)
{
	struct {
		uint64_t token;
		uint32_t size, zero;
	} m = { token, size, 0 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_int_equal(ob_shm_side_path(url, sa.sun_path, sizeof(sa.sun_path)), 0);
	assert_int_equal(connect(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	assert_int_equal(sendmsg(s, &msg, 0), (ssize_t)sizeof(m));
	close(s);
}

/* A region that could shrink under the host is refused; so is an offer
 * without a descriptor, and one whose sender died before writing. */
static void test_accept_refuses(void **state)
{
	char url[256];
	ob_shm *plugin;
	int lfd, fd;

	(void)state;
	side_url(url, sizeof(url));
	assert_int_equal(ob_shm_listen(url, &lfd), 0);
	fd = memfd_create("unsealed", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 8192), 0);
	forge_offer(url, fd, 99, 8192);
	assert_int_equal(ob_shm_accept(lfd, 99, 8192, 1000, &plugin), -EPROTO);
	close(fd);
	forge_offer(url, -1, 99, 8192);
	assert_int_equal(ob_shm_accept(lfd, 99, 8192, 200, &plugin), -ENOENT);
	/* Connected, then gone without a word: skipped, not waited on forever. */
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(ob_shm_side_path(url, sa.sun_path, sizeof(sa.sun_path)), 0);
	assert_int_equal(connect(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(s);
	assert_int_equal(ob_shm_accept(lfd, 99, 8192, 200, &plugin), -ENOENT);
	assert_int_equal(ob_shm_accept(lfd, 0, 8192, 0, &plugin), -EINVAL);
	assert_int_equal(ob_shm_accept(lfd, 1, 0, 0, &plugin), -EINVAL);
	ob_shm_unlisten(lfd, url);
}

/* The host's mapping outlives the plugin's: a plugin that dies (unmaps)
 * mid-transfer leaves the host's bytes readable and its own intact. */
static void test_peer_unmaps(void **state)
{
	char url[256];
	ob_shm *host, *plugin;
	int lfd;
	uint64_t token = ob_shm_token();

	(void)state;
	side_url(url, sizeof(url));
	assert_int_equal(ob_shm_listen(url, &lfd), 0);
	assert_int_equal(ob_shm_create(65536, &host), 0);
	assert_int_equal(ob_shm_offer(host, url, token), 0);
	assert_int_equal(ob_shm_accept(lfd, token, 65536, 1000, &plugin), 0);
	memset(ob_shm_base(plugin), 0x5a, 32768);
	ob_shm_free(plugin);
	for (int i = 0; i < 65536; i += 4096)
		assert_int_equal(ob_shm_base(host)[i], i < 32768 ? 0x5a : 0);
	ob_shm_free(host);
	ob_shm_unlisten(lfd, url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_span_ok),
		cmocka_unit_test(test_heap_first_fit_no_overlap),
		cmocka_unit_test(test_heap_limits),
		cmocka_unit_test(test_heap_random),
		cmocka_unit_test(test_offer_accept),
		cmocka_unit_test(test_offer_nobody),
		cmocka_unit_test(test_side_path),
		cmocka_unit_test(test_accept_refuses),
		cmocka_unit_test(test_peer_unmaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
