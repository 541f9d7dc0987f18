/*
 * The high-score file: one decimal number and a newline ("7\n"), read at
 * the start and rewritten when a game beats it. Plain stdio: newlib sends
 * the calls to the fs domain, so the file lives under the fs backend's
 * root (the current directory, by default). A new high score is written to
 * PATH.new and renamed over PATH.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "snake.h"

/* The largest score a board can hold, and so the largest file accepted. */
#define MAX_SCORE (SNAKE_CELLS - SNAKE_START_LEN)

/* "digits\n" (the newline may be missing) with a value of at most
 * MAX_SCORE; anything else is not a high score. */
static int parse(const char *text, size_t len, uint32_t *score)
{
	uint32_t value = 0;
	size_t i = 0;

	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (len == 0 || len > 6)
		return -1;
	for (; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		value = value * 10 + (uint32_t)(text[i] - '0');
	}
	if (value > MAX_SCORE)
		return -1;
	*score = value;
	return 0;
}

/* The negated errno of a stdio call that failed (-EIO if it set none). */
static int failed(void)
{
	return errno ? -errno : -EIO;
}

uint32_t snake_hiscore_load(const char *path)
{
	char text[16];
	uint32_t score = 0;
	size_t len;
	FILE *f = fopen(path, "r");

	if (!f) {
		if (errno != ENOENT)
			fprintf(stderr, "snake: cannot read %s (%s): high score 0\n", path,
				strerror(errno));
		return 0;
	}
	len = fread(text, 1, sizeof(text), f);
	if (ferror(f))
		fprintf(stderr, "snake: cannot read %s (%s): high score 0\n", path,
			strerror(errno));
	else if (len == sizeof(text) || parse(text, len, &score) != 0)
		fprintf(stderr, "snake: %s does not hold a high score: high score 0\n", path);
	fclose(f);
	return score;
}

/* Written beside the file, then renamed over it: a crash or a full disk
 * leaves the old high score, never half a new one. */
int snake_hiscore_save(const char *path, uint32_t score)
{
	char tmp[128];
	FILE *f;
	int err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	errno = 0;
	f = fopen(tmp, "w");
	if (!f)
		return failed();
	if (fprintf(f, "%lu\n", (unsigned long)score) < 0)
		err = failed();
	if (fclose(f) != 0 && !err)
		err = failed();
	if (!err && rename(tmp, path) != 0)
		err = failed();
	if (err)
		remove(tmp);
	return err;
}
