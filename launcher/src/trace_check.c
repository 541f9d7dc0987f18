/*
 * --trace and [run] trace are checked here, with the CPU host's own parser
 * (cpu-host/src/trace_filter.c, linked from the library obh_call_names), so
 * that a bad call name fails the run before any process starts and the
 * two can never disagree about what a name means.
 */
#include "options.h"

#include <errno.h>

#include "trace_filter.h"

int obl_trace_check(const char *list, char *err, size_t errlen)
{
	uint32_t mask;
	uint8_t calls[32];
	return obh_trace_parse_filter(list, &mask, calls, err, errlen) == 0 ? 0 : -EINVAL;
}
