/*
 * The main thread's initial stack (see stack.h).
 */
#include "stack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Counts a NULL-terminated vector and the bytes of its strings with NULs. */
static void measure(const char *const *v, uint64_t *count, uint64_t *bytes)
{
	*count = 0;
	*bytes = 0;
	for (; v && v[*count]; (*count)++)
		*bytes += strlen(v[*count]) + 1;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Writes the strings of v from *at upward and their addresses into the
 * pointer block at slot, then a NULL. */
static int place_strings(struct obh_mem *m, const char *const *v, uint64_t count,
			 uint32_t *at, uint8_t *slot)
{
	for (uint64_t i = 0; i < count; i++) {
		uint32_t n = (uint32_t)strlen(v[i]) + 1;
		int rc = obh_mem_write(m, *at, v[i], n);

		if (rc)
			return rc;
		put_le32(slot + 4 * i, *at);
		*at += n;
	}
	put_le32(slot + 4 * count, 0);
	return 0;
}

int obh_stack_build(struct obh_mem *m, uint32_t lo, uint32_t hi,
		    const char *const *argv, const char *const *envp,
		    struct obh_entry_stack *out)
{
	uint64_t argc, envc, arg_bytes, env_bytes;

	if (lo >= hi)
		return -EINVAL;
	measure(argv, &argc, &arg_bytes);
	measure(envp, &envc, &env_bytes);
	uint64_t words = 1 + argc + 1 + envc + 1;
	uint64_t strings = arg_bytes + env_bytes;
	/* + 7: the worst case of aligning sp down to 8 bytes */
	if (words * 4 + strings + 7 > (uint64_t)(hi - lo) / 4)
		return -E2BIG;

	uint32_t str_at = hi - (uint32_t)strings;
	uint32_t sp = (str_at - (uint32_t)words * 4) & ~7u;
	uint8_t *block = malloc((size_t)words * 4);
	if (!block)
		return -ENOMEM;
	put_le32(block, (uint32_t)argc);
	int rc = place_strings(m, argv, argc, &str_at, block + 4);
	if (rc == 0)
		rc = place_strings(m, envp, envc, &str_at, block + 4 * (argc + 2));
	if (rc == 0)
		rc = obh_mem_write(m, sp, block, (uint32_t)words * 4);
	free(block);
	if (rc)
		return rc;
	*out = (struct obh_entry_stack){ .sp = sp, .argc = (uint32_t)argc,
					 .argv = sp + 4, .envp = sp + 4 * (uint32_t)(argc + 2) };
	return 0;
}
