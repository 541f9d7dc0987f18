/*
 * Which calls --trace prints: "kernel,fs,display,sound,input", "all" and
 * call names ("open", "display_present"), in any mix.
 *
 * This part of the trace needs only the call table, so the launcher links
 * it too (the library obh_call_names, built with OBH_KCALLS_WEAK as
 * ob-abigen is) and refuses a bad list before it starts any process.
 */
#ifndef OBH_TRACE_FILTER_H
#define OBH_TRACE_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse list into a domain mask (bit per enum obh_domain) and a bit set of
 * call numbers (calls[num / 8] bit num % 8). 0, or -EINVAL with the reason
 * in bad: "'opne' is neither a domain (...) nor a call (docs/abi.md)". */
int obh_trace_parse_filter(const char *list, uint32_t *mask, uint8_t calls[32], char *bad,
			   size_t badlen);

/* Does the call set name any call? */
bool obh_trace_any_call(const uint8_t calls[32]);

#endif /* OBH_TRACE_FILTER_H */
