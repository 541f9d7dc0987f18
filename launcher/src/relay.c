/*
 * Prefixing a child's output, line by line.
 */
#include "relay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void obl_relay_init(struct obl_relay *r, int fd, int out_fd, const char *label)
{
	r->fd = fd;
	r->out_fd = out_fd;
	r->len = 0;
	snprintf(r->prefix, sizeof(r->prefix), "[%s] ", label);
	if (fd >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* stderr is gone: nobody to tell */
		p += n;
		len -= (size_t)n;
	}
}

/* One prefixed line (without its newline) in one write. */
static void emit_line(struct obl_relay *r, const char *line, size_t len)
{
	char out[sizeof(r->prefix) + OBL_RELAY_LINE + 1];
	size_t plen = strlen(r->prefix);
	memcpy(out, r->prefix, plen);
	memcpy(out + plen, line, len);
	out[plen + len] = '\n';
	write_all(r->out_fd, out, plen + len + 1);
}

/* Write out every complete line in buf, and a full buffer as a cut line. */
static void emit_lines(struct obl_relay *r)
{
	size_t start = 0;
	for (size_t i = 0; i < r->len; i++) {
		if (r->buf[i] == '\n') {
			emit_line(r, r->buf + start, i - start);
			start = i + 1;
		}
	}
	if (start == 0 && r->len == sizeof(r->buf)) {
		emit_line(r, r->buf, r->len);
		start = r->len;
	}
	memmove(r->buf, r->buf + start, r->len - start);
	r->len -= start;
}

int obl_relay_pump(struct obl_relay *r)
{
	while (r->fd >= 0) {
		ssize_t n = read(r->fd, r->buf + r->len, sizeof(r->buf) - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) /* EWOULDBLOCK on Linux too */
			return 1;
		if (n <= 0) {
			obl_relay_close(r);
			return 0;
		}
		r->len += (size_t)n;
		emit_lines(r);
	}
	return 0;
}

void obl_relay_close(struct obl_relay *r)
{
	if (r->len) {
		emit_line(r, r->buf, r->len);
		r->len = 0;
	}
	if (r->fd >= 0) {
		close(r->fd);
		r->fd = -1;
	}
}
