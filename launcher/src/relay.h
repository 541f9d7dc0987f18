/*
 * A relay copies a child's output pipe to the launcher's stderr line by
 * line, each line prefixed with "[<backend>] " and written in one write(2),
 * so lines from several plugins never interleave mid-line.
 *
 * A line longer than the buffer is cut into several prefixed lines; a last
 * line without a newline is finished with one at end of file.
 *
 * A line in outboard's log format ("outboard-NAME: [level] category: msg")
 * loses what the prefix already says: "[NAME] level: msg", the category
 * kept only when it differs from the label.
 */
#ifndef OBL_RELAY_H
#define OBL_RELAY_H

#include <stddef.h>

#define OBL_RELAY_LINE 4096

struct obl_relay {
	int fd;            /* read end, non-blocking, owned; -1 when closed */
	int out_fd;        /* where lines go (not owned) */
	char prefix[64];   /* "[test-echo] " */
	char label[60];    /* "test-echo" */
	size_t len;        /* bytes of an unfinished line in buf */
	char buf[OBL_RELAY_LINE];
};

/* Take ownership of fd (made non-blocking) and relay it to out_fd with
 * "[label] " before each line. */
void obl_relay_init(struct obl_relay *r, int fd, int out_fd, const char *label);

/* Read everything available now and write out complete lines. Returns 1
 * while the pipe is open, 0 once it reached end of file (fd is closed
 * then, and a partial last line written). */
int obl_relay_pump(struct obl_relay *r);

/* Write out a partial line and close. Accepts a closed relay. */
void obl_relay_close(struct obl_relay *r);

#endif /* OBL_RELAY_H */
