/*
 * The CPU host's option values (see outboard/host_options.h).
 */
#include "outboard/host_options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *const ob_trace_names[] = { "kernel", "fs", "display", "sound", "input", NULL };

int ob_size_parse(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	if (*s < '0' || *s > '9')
		return -EINVAL; /* strtoull would take "-1" and " 1" */
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end || v == 0 || v > (OB_SIZE_MAX >> shift))
		return -EINVAL;
	*out = (uint32_t)(v << shift);
	return 0;
}

int ob_ms_parse(const char *s, int *out)
{
	char *end;
	errno = 0;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	long v = strtol(s, &end, 10);
	if (errno || *end || v > OB_MS_MAX)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int trace_name(const char *name, size_t len)
{
	for (int i = 0; ob_trace_names[i]; i++)
		if (strlen(ob_trace_names[i]) == len && strncmp(ob_trace_names[i], name, len) == 0)
			return i;
	return -1;
}

int ob_trace_parse(const char *list, uint32_t *mask)
{
	uint32_t m = 0;
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		int i = trace_name(p, len);
		if (len == 3 && strncmp(p, "all", 3) == 0) {
			for (i = 0; ob_trace_names[i]; i++)
				m |= 1u << i;
		} else if (i < 0) {
			return -EINVAL; /* also an empty name: "fs,,kernel", "" */
		} else {
			m |= 1u << i;
		}
		p += len;
		if (!*p)
			break;
	}
	*mask = m;
	return 0;
}

int ob_env_name_check(const char *name, size_t len)
{
	if (len == 0 || memchr(name, '=', len) || memchr(name, '\0', len))
		return -EINVAL;
	return 0;
}
