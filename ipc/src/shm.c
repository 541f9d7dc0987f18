/*
 * Shared-memory regions and how they reach a plugin (outboard/shm.h): a
 * sealed memfd, passed with SCM_RIGHTS over a unix socket beside the
 * plugin's ipc:// endpoint.
 */
#define _GNU_SOURCE /* memfd_create, F_ADD_SEALS, SO_PEERCRED, accept4 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <sodium.h>

#include "ipc_impl.h"
#include "outboard/shm.h"

/* What the host writes on the side socket, with the descriptor. */
struct offer_msg {
	uint64_t token;
	uint32_t size;
	uint32_t zero;
};

struct ob_shm {
	uint8_t *base;
	uint32_t size;
	int fd; /* the memfd; -1 once the plugin has mapped its copy */
};

static const uint32_t required_seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;

static int map_region(int fd, uint32_t size, ob_shm **out)
{
	ob_shm *s = calloc(1, sizeof(*s));
	void *base;

	if (!s)
		return -ENOMEM;
	base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		int err = -errno;

		free(s);
		return err;
	}
	s->base = base;
	s->size = size;
	s->fd = fd;
	*out = s;
	return 0;
}

int ob_shm_create(uint32_t size, ob_shm **out)
{
	int fd, err;

	if (!out || size == 0 || size > OB_SHM_MAX_SIZE)
		return -EINVAL;
	fd = memfd_create("outboard-shm", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	/* Sealed before anyone else sees it: the plugin cannot shrink the
	 * file under our mapping (a fault in the host), nor grow it. */
	if (ftruncate(fd, size) < 0 || fcntl(fd, F_ADD_SEALS, required_seals) < 0) {
		err = -errno;
		goto fail;
	}
	err = map_region(fd, size, out);
	if (!err)
		return 0;
fail:
	close(fd);
	return err;
}

void ob_shm_free(ob_shm *s)
{
	if (!s)
		return;
	munmap(s->base, s->size);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

uint8_t *ob_shm_base(const ob_shm *s)
{
	return s ? s->base : NULL;
}

uint32_t ob_shm_size(const ob_shm *s)
{
	return s ? s->size : 0;
}

bool ob_shm_span_ok(uint32_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

int ob_shm_side_path(const char *url, char *buf, size_t cap)
{
	struct sockaddr_un sa;
	int n;

	if (!url || !buf || strncmp(url, "ipc://", 6) != 0 || !url[6])
		return -EINVAL;
	n = snprintf(buf, cap, "%s.shm", url + 6);
	if (n < 0 || (size_t)n >= cap || (size_t)n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	return 0;
}

static int side_address(const char *url, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	return ob_shm_side_path(url, sa->sun_path, sizeof(sa->sun_path));
}

uint64_t ob_shm_token(void)
{
	uint64_t t = 0;

	while (t == 0)
		randombytes_buf(&t, sizeof(t));
	return t;
}

/* The listener must be our own user's: only then may it see our memory. */
static int check_peer(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	return cred.uid == geteuid() ? 0 : -EPERM;
}

static int send_fd(int sock, int fd, const struct offer_msg *m)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)m, .iov_len = sizeof(*m) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c;
	ssize_t n;

	memset(&ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	n = sendmsg(sock, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	return (size_t)n == sizeof(*m) ? 0 : -EIO;
}

int ob_shm_offer(const ob_shm *s, const char *url, uint64_t token)
{
	return ob_shm_offer_lane(s, url, token, NULL);
}

int ob_shm_offer_lane(const ob_shm *s, const char *url, uint64_t token, int *lane)
{
	struct offer_msg m = { .token = token, .size = s ? s->size : 0 };
	struct sockaddr_un sa;
	int sock, err;

	if (!s || s->fd < 0 || !token)
		return -EINVAL;
	err = side_address(url, &sa);
	if (err)
		return err;
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (sock < 0)
		return -errno;
	/* A unix stream connect completes at once while the listener's
	 * backlog has room; it never waits for accept. */
	if (connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		err = -errno;
	if (!err)
		err = check_peer(sock);
	if (!err)
		err = send_fd(sock, s->fd, &m);
	if (!err && lane)
		*lane = sock; /* the same connection carries the frames later */
	else
		close(sock); /* the queued message and descriptor stay readable */
	return err;
}

int ob_shm_listen(const char *url, int *fd)
{
	struct sockaddr_un sa;
	int sock, err = side_address(url, &sa);

	if (err)
		return err;
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (sock < 0)
		return -errno;
	/* A previous instance killed before it could remove its file. */
	unlink(sa.sun_path);
	if (bind(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(sock, 8) < 0) {
		err = -errno;
		close(sock);
		return err;
	}
	*fd = sock;
	return 0;
}

void ob_shm_unlisten(int fd, const char *url)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];

	if (fd < 0)
		return;
	close(fd);
	if (ob_shm_side_path(url, path, sizeof(path)) == 0)
		unlink(path);
}

/* Read one offer from a connection: its message and descriptor (-1 when
 * it carried none). 0, -EAGAIN (nothing yet), -EPROTO. */
static int read_offer(int conn, struct offer_msg *m, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	ssize_t n = recvmsg(conn, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	*fd = -1;
	if (n < 0)
		return errno == EAGAIN ? -EAGAIN : -EPROTO; /* EWOULDBLOCK is EAGAIN */
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		for (size_t i = 0; i < nfd; i++) {
			int got;

			memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (*fd < 0)
				*fd = got;
			else
				close(got); /* only one was ever sent */
		}
	}
	if ((size_t)n != sizeof(*m) || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || *fd < 0) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return -EPROTO;
	}
	return 0;
}

/* The region must be what the host announced, and unable to shrink. */
static int check_region(int fd, uint32_t size)
{
	struct stat st;
	int seals;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size != (off_t)size)
		return -EPROTO;
	seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0 || (seals & (F_SEAL_SHRINK | F_SEAL_GROW)) != (F_SEAL_SHRINK | F_SEAL_GROW))
		return -EPROTO;
	return 0;
}

/* Try every connection queued now. 1 when taken, 0 when none matched. */
static int take_queued(int listen_fd, uint64_t token, uint32_t size, ob_shm **out, int *err,
		       int *lane)
{
	int conn;

	while ((conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		struct offer_msg m;
		int fd, rc = -EAGAIN;

		/* The host writes before it sends its Hello: the offer is
		 * there, or arrives within moments. */
		for (int i = 0; i < 100 && rc == -EAGAIN; i++) {
			struct pollfd p = { .fd = conn, .events = POLLIN };

			rc = read_offer(conn, &m, &fd);
			if (rc == -EAGAIN)
				poll(&p, 1, 10);
		}
		if (rc == 0 && m.token == token && m.size == size && lane)
			*lane = conn; /* closed below if the region is refused */
		else
			close(conn);
		if (rc)
			continue;
		if (m.token != token || m.size != size) {
			close(fd); /* an older offer, or someone else's */
			continue;
		}
		*err = check_region(fd, size);
		if (!*err)
			*err = map_region(fd, size, out);
		if (*err) {
			close(fd);
			if (lane) {
				close(*lane);
				*lane = -1;
			}
		} else {
			/* The mapping is all we need. */
			close(fd);
			(*out)->fd = -1;
		}
		return 1;
	}
	return 0;
}

int ob_shm_accept(int listen_fd, uint64_t token, uint32_t size, int wait_ms, ob_shm **out)
{
	return ob_shm_accept_lane(listen_fd, token, size, wait_ms, out, NULL);
}

int ob_shm_accept_lane(int listen_fd, uint64_t token, uint32_t size, int wait_ms, ob_shm **out,
		       int *lane)
{
	int64_t until = ob_now_ms() + (wait_ms > 0 ? wait_ms : 0);

	if (lane)
		*lane = -1;
	if (!out || listen_fd < 0 || !token || size == 0 || size > OB_SHM_MAX_SIZE)
		return -EINVAL;
	*out = NULL;
	for (;;) {
		struct pollfd p = { .fd = listen_fd, .events = POLLIN };
		int err = 0, left;

		if (take_queued(listen_fd, token, size, out, &err, lane))
			return err;
		left = (int)(until - ob_now_ms());
		if (left <= 0)
			return -ENOENT;
		poll(&p, 1, left);
	}
}
