/*
 * The call trace (see trace.h).
 */
#define _GNU_SOURCE /* strerrorname_np */
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "outboard/errno.h"

#define STR_SHOWN 64
#define BUF_SHOWN 24

const char *obh_errno_name(int abi_errno)
{
	return strerrorname_np(ob_errno_from_abi(abi_errno));
}

static void put_escaped(FILE *out, const char *s, size_t len, size_t shown)
{
	fputc('"', out);
	for (size_t i = 0; i < len && i < shown; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", out);
		else if (ch >= 32 && ch < 127)
			fputc(ch, out);
		else
			fprintf(out, "\\x%02x", ch);
	}
	fputc('"', out);
	if (len > shown)
		fputs("...", out);
}

static void put_str(struct obh_host *h, FILE *out, uint32_t addr, const char *copy)
{
	char buf[STR_SHOWN + 1];
	if (!copy) {
		if (obh_mem_read_str(h->mem, addr, buf, sizeof(buf)) == -EFAULT) {
			fprintf(out, "0x%08x", addr);
			return;
		}
		buf[STR_SHOWN] = '\0';
		copy = buf;
	}
	put_escaped(out, copy, strlen(copy), STR_SHOWN);
}

static void put_buf(struct obh_host *h, FILE *out, uint32_t addr, uint32_t len)
{
	char buf[BUF_SHOWN];
	uint32_t n = len < BUF_SHOWN ? len : BUF_SHOWN;
	if (!n || obh_mem_read(h->mem, addr, buf, n) != 0) {
		fprintf(out, "0x%08x", addr);
		return;
	}
	put_escaped(out, buf, n, n);
	if (len > n)
		fputs("...", out);
}

static void put_arg(struct obh_host *h, FILE *out, const struct obh_call *c, unsigned i,
		    const uint32_t *v, char *const *str, int64_t filled)
{
	const struct obh_arg *a = &c->args[i];
	switch (a->kind) {
	case OBH_A_INT:
	case OBH_A_TIMEOUT:
	case OBH_A_FD:
	case OBH_A_DIR:
	case OBH_A_HANDLE:
		fprintf(out, "%d", (int32_t)v[i]);
		break;
	case OBH_A_UINT:
		if (strstr(a->name, "flags") || strcmp(a->name, "bits") == 0)
			fprintf(out, "%#x", v[i]);
		else if (strcmp(a->name, "mode") == 0)
			fprintf(out, "0%o", v[i]);
		else
			fprintf(out, "%u", v[i]);
		break;
	case OBH_A_STR:
		put_str(h, out, v[i], str ? str[i] : NULL);
		break;
	case OBH_A_IN_BUF:
		put_buf(h, out, v[i], (uint32_t)obh_arg_len(c, i, v));
		break;
	case OBH_A_OUT_BUF:
		/* As strace: what the call put there (its result), not the capacity. */
		if (filled >= 0)
			put_buf(h, out, v[i], filled < v[a->len] ? (uint32_t)filled : v[a->len]);
		else
			fprintf(out, "0x%08x", v[i]);
		break;
	default:
		fprintf(out, "0x%08x", v[i]);
		break;
	}
}

static bool traced(struct obh_host *h, const struct obh_call *c)
{
	return h->trace_out && (h->opts.trace_mask & (1u << c->domain));
}

static void put_call(struct obh_host *h, FILE *out, struct obh_thread *t,
		     const struct obh_call *c, const uint32_t *v, char *const *str, int64_t filled)
{
	fprintf(out, "[t%u] %s(", t->id, c->name);
	for (unsigned i = 0; i < c->nargs; i++) {
		if (i)
			fputs(", ", out);
		put_arg(h, out, c, i, v, str, filled);
	}
	fputc(')', out);
}

void obh_trace_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		    const uint32_t *v, char *const *str, int64_t r0, bool waited,
		    int64_t start_ns)
{
	if (!traced(h, c))
		return;
	FILE *out = h->trace_out;
	put_call(h, out, t, c, v, str, r0 >= 0 ? r0 : -1);
	if (r0 < 0 && r0 >= -4095) {
		const char *name = obh_errno_name((int)-r0);
		fprintf(out, " = %lld %s", (long long)r0, name ? name : "");
	} else if (c->result == OBH_R_HANDLE || c->result == OBH_R_INT || c->result == OBH_R_FD ||
		   c->result == OBH_R_DIR) {
		fprintf(out, " = %lld", (long long)r0);
	}
	if (waited)
		fprintf(out, " <%.3f ms>", (double)(obh_now_ns() - start_ns) / 1e6);
	fputc('\n', out);
	fflush(out);
}

void obh_trace_blocked(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		       const uint32_t *v, char *const *str)
{
	if (!traced(h, c))
		return;
	put_call(h, h->trace_out, t, c, v, str, -1);
	fputs(" = <waits>\n", h->trace_out);
	fflush(h->trace_out);
}
