/*
 * The CPU host's option values (see outboard/host_options.h).
 */
#include "outboard/host_options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>


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

int ob_env_name_check(const char *name, size_t len)
{
	if (len == 0 || memchr(name, '=', len) || memchr(name, '\0', len))
		return -EINVAL;
	return 0;
}
