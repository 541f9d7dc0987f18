/*
 * Prefixing a child's output, line by line.
 */
#include "relay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void obl_relay_init(struct obl_relay *r, int fd, int out_fd, const char *label)
{
	r->fd = fd;
	r->out_fd = out_fd;
	r->len = 0;
	snprintf(r->prefix, sizeof(r->prefix), "[%s] ", label);
	snprintf(r->label, sizeof(r->label), "%s", label);
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

/* Skip "word: " at *line when the word is exactly want (want NULL: any
 * word starting "outboard-" with no space). True when skipped. */
static bool skip_word(const char **line, size_t *len, const char *want)
{
	const char *colon = memchr(*line, ':', *len);
	if (!colon || (size_t)(colon - *line) + 2 > *len || colon[1] != ' ')
		return false;
	size_t wl = (size_t)(colon - *line);
	if (want ? (strlen(want) != wl || memcmp(*line, want, wl) != 0)
		 : (wl <= 9 || memcmp(*line, "outboard-", 9) != 0 || memchr(*line, ' ', wl)))
		return false;
	*line += wl + 2;
	*len -= wl + 2;
	return true;
}

/*
 * A plugin logs "outboard-fs-hostdir: [error] fs-hostdir: msg" (log.h);
 * under the relay's "[fs-hostdir] " the program and a category equal to
 * the label say the same thing again. Such a line becomes
 * "[fs-hostdir] error: msg" ("[fs-hostdir] error: plugin-sdk: msg" for
 * another category). Other lines pass as they are.
 */
static void shorten(const struct obl_relay *r, const char **line, size_t *len, char *level,
		    size_t level_size)
{
	const char *p = *line;
	size_t n = *len;
	level[0] = '\0';
	if (!skip_word(&p, &n, NULL) || n < 3 || p[0] != '[')
		return;
	const char *close = memchr(p, ']', n);
	size_t ll = close ? (size_t)(close - p - 1) : 0;
	if (!close || ll == 0 || ll >= level_size || (size_t)(close - p) + 2 > n ||
	    close[1] != ' ')
		return;
	memcpy(level, p + 1, ll);
	level[ll] = '\0';
	n -= ll + 3;
	p += ll + 3;
	skip_word(&p, &n, r->label);
	*line = p;
	*len = n;
}

/* One prefixed line (without its newline) in one write. */
static void emit_line(struct obl_relay *r, const char *line, size_t len)
{
	char out[sizeof(r->prefix) + 16 + OBL_RELAY_LINE + 1];
	char level[12];
	shorten(r, &line, &len, level, sizeof(level));
	size_t plen = strlen(r->prefix);
	memcpy(out, r->prefix, plen);
	if (level[0]) {
		size_t ll = strlen(level);
		memcpy(out + plen, level, ll);
		memcpy(out + plen + ll, ": ", 2);
		plen += ll + 2;
	}
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
