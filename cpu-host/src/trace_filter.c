/*
 * The trace's call filter (see trace_filter.h).
 */
#define _DEFAULT_SOURCE /* strsep */
#include "trace_filter.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "calls.h"

int obh_trace_parse_filter(const char *list, uint32_t *mask, uint8_t calls[32], char *bad,
			   size_t badlen)
{
	char buf[1024];
	if (strlen(list) >= sizeof(buf)) {
		snprintf(bad, badlen, "the list is too long");
		return -EINVAL;
	}
	strcpy(buf, list);
	*mask = 0;
	memset(calls, 0, 32);
	if (!*list) {
		snprintf(bad, badlen, "the list is empty");
		return -EINVAL;
	}
	char *rest = buf;
	bool any = false;
	for (char *tok = strsep(&rest, ","); tok; tok = strsep(&rest, ",")) {
		/* "fs,,kernel" and "fs," are typos, not shorter lists: say so. */
		if (!*tok) {
			snprintf(bad, badlen, "an empty name in the list; got '%s'", list);
			return -EINVAL;
		}
		any = true;
		if (strcmp(tok, "all") == 0) {
			*mask = (1u << OBH_DOMAIN_COUNT) - 1;
			continue;
		}
		int d = obh_domain_from_name(tok);
		if (d >= 0) {
			*mask |= 1u << d;
			continue;
		}
		const struct obh_call *c = obh_call_by_name(tok);
		if (!c) {
			snprintf(bad, badlen, "'%s' is neither a domain (kernel, fs, display, "
				 "sound, input, all) nor a call (docs/abi.md)", tok);
			return -EINVAL;
		}
		calls[c->num / 8] |= (uint8_t)(1u << (c->num % 8));
	}
	if (!any) {
		snprintf(bad, badlen, "the list is empty");
		return -EINVAL;
	}
	return 0;
}

bool obh_trace_any_call(const uint8_t calls[32])
{
	for (int i = 0; i < 32; i++)
		if (calls[i])
			return true;
	return false;
}

