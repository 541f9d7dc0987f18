/*
 * The values of the CPU host's options (outboard-cpu --help), in one place:
 * outboard-cpu parses them with these, and the launcher checks the same
 * values with these before it starts any process, so a bad value is found
 * at once and named with the list of valid ones.
 *
 * Errors: 0, or -EINVAL for a value out of the grammar or range.
 */
#ifndef OUTBOARD_HOST_OPTIONS_H
#define OUTBOARD_HOST_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

/* A size: decimal (or 0x hex) bytes with an optional k, M or G suffix
 * (any case): "64M", "512k", "4096". From 1 byte to OB_SIZE_MAX. */
#define OB_SIZE_MAX 0x7fffffffu
#define OB_SIZE_HELP "a size like 4096, 512k, 64M or 1G (at most 2G - 1)"
int ob_size_parse(const char *s, uint32_t *out);

/* Milliseconds: a whole decimal number from 0 to OB_MS_MAX (an hour). */
#define OB_MS_MAX 3600000
int ob_ms_parse(const char *s, int *out);

/* --trace lists name calls as well as domains: the CPU host's call table
 * checks them (obh_trace_parse_filter; the launcher's obl_trace_check). */

/* A guest environment variable's name, its first len bytes (--env NAME=VALUE,
 * --unset-env NAME):
 * not empty, no '='. */
int ob_env_name_check(const char *name, size_t len);

#endif /* OUTBOARD_HOST_OPTIONS_H */
