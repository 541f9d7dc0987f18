/*
 * The call trace (see trace.h).
 */
#define _GNU_SOURCE /* strerrorname_np */
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdbool.h>

#include "layout.h"
#include "mem.h"
#include "scheduler_priv.h"
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

/* A guest string: the host's copy when there is one, else read from guest
 * memory. Longer than STR_SHOWN: the first STR_SHOWN bytes and "...", as
 * strace -s. */
static void put_str(struct obh_host *h, FILE *out, uint32_t addr, const char *copy)
{
	char buf[STR_SHOWN + 1];
	if (copy) {
		put_escaped(out, copy, strlen(copy), STR_SHOWN);
		return;
	}
	size_t n = 0;
	for (; n <= STR_SHOWN; n++) {
		if (obh_mem_read(h->mem, addr + (uint32_t)n, &buf[n], 1) != 0) {
			if (n == 0) {
				fprintf(out, "0x%08x", addr);
				return;
			}
			break; /* unmapped before its end: show what there is */
		}
		if (buf[n] == '\0')
			break;
	}
	put_escaped(out, buf, n, STR_SHOWN);
}

/* newlib's <fcntl.h> open flags (docs/abi.md), named as strace does. */
#define NL_O_ACCMODE 3u
#define NL_O_CREAT 0x0200u
static const struct {
	uint32_t bit;
	const char *name;
} open_flags[] = {
	{ 0x0008, "O_APPEND" }, { 0x0200, "O_CREAT" },  { 0x0400, "O_TRUNC" },
	{ 0x0800, "O_EXCL" },   { 0x2000, "O_SYNC" },   { 0x4000, "O_NONBLOCK" },
	{ 0x8000, "O_NOCTTY" },
};

static void put_open_flags(FILE *out, uint32_t flags)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	fputs(acc[flags & NL_O_ACCMODE], out);
	flags &= ~NL_O_ACCMODE;
	for (size_t i = 0; i < sizeof(open_flags) / sizeof(open_flags[0]); i++) {
		if (flags & open_flags[i].bit) {
			fprintf(out, "|%s", open_flags[i].name);
			flags &= ~open_flags[i].bit;
		}
	}
	if (flags)
		fprintf(out, "|%#x", flags);
}

static void put_whence(FILE *out, uint32_t whence)
{
	static const char *const names[] = { "SEEK_SET", "SEEK_CUR", "SEEK_END" };
	if (whence < 3)
		fputs(names[whence], out);
	else
		fprintf(out, "%u /* SEEK_??? */", whence);
}

/* An OUT_STRUCT the call filled: {field=value, ...} from guest memory, in
 * the layout docs/abi.md gives (layout.h). */
static void put_struct(struct obh_host *h, FILE *out, const ProtobufCMessageDescriptor *d,
		       uint32_t addr)
{
	uint32_t size = obh_layout_size(d);
	uint8_t buf[256];
	if (!size || size > sizeof(buf) || obh_mem_read(h->mem, addr, buf, size) != 0) {
		fprintf(out, "0x%08x", addr);
		return;
	}
	fputc('{', out);
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const uint8_t *p = buf + obh_layout_offset(d, i);
		uint64_t v = 0;
		for (uint32_t b = obh_layout_field_size(f); b-- > 0;)
			v = v << 8 | p[b];
		fprintf(out, "%s%s=", i ? ", " : "", f->name);
		switch (f->type) {
		case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
			fprintf(out, "%d", (int32_t)(uint32_t)v);
			break;
		case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
			fprintf(out, "%lld", (long long)(int64_t)v);
			break;
		default:
			fprintf(out, strcmp(f->name, "mode") == 0 ? "0%llo" : "%llu",
				(unsigned long long)v);
			break;
		}
	}
	fputc('}', out);
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

static bool is_colour(const char *name)
{
	return strcmp(name, "color") == 0 || strcmp(name, "colour") == 0;
}

/* Argument i. filled is what the call returned when it succeeded (the
 * bytes an OUT_BUF got), -1 otherwise: output arguments are shown only
 * after success, as strace does. */
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
		if (c->domain == OBH_DOMAIN_FS && strcmp(a->name, "flags") == 0)
			put_open_flags(out, v[i]);
		else if (strcmp(a->name, "whence") == 0)
			put_whence(out, v[i]);
		else if (is_colour(a->name))
			fprintf(out, "0x%06x", v[i]); /* 0xRRGGBB */
		else if (strstr(a->name, "flags") || strcmp(a->name, "bits") == 0)
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
	case OBH_A_OUT_STR:
		if (filled >= 0)
			put_str(h, out, v[i], NULL);
		else
			fprintf(out, "0x%08x", v[i]);
		break;
	case OBH_A_OUT_STRUCT:
		if (filled >= 0 && a->msg)
			put_struct(h, out, a->msg, v[i]);
		else
			fprintf(out, "0x%08x", v[i]);
		break;
	default:
		fprintf(out, "0x%08x", v[i]);
		break;
	}
}

/* open's mode matters only with O_CREAT: strace leaves it out otherwise. */
static bool arg_shown(const struct obh_call *c, unsigned i, const uint32_t *v)
{
	if (c->domain != OBH_DOMAIN_FS || strcmp(c->args[i].name, "mode") != 0 || i == 0)
		return true;
	for (unsigned j = 0; j < c->nargs; j++)
		if (strcmp(c->args[j].name, "flags") == 0)
			return (v[j] & NL_O_CREAT) != 0;
	return true;
}

static bool traced(struct obh_host *h, const struct obh_call *c)
{
	return h->trace_out && ((h->opts.trace_mask & (1u << c->domain)) ||
				(h->opts.trace_calls[c->num / 8] & (1u << (c->num % 8))));
}

static void put_prefix_only(struct obh_host *h, FILE *out, struct obh_thread *t)
{
	if (h->opts.trace_time) {
		int64_t ns = obh_now_ns() - h->start_ns;
		fprintf(out, "%lld.%06lld ", (long long)(ns / 1000000000),
			(long long)(ns % 1000000000 / 1000));
	}
	fprintf(out, "[t%u] ", t->id);
}

static bool is_output(enum obh_arg_kind k)
{
	return k == OBH_A_OUT_BUF || k == OBH_A_OUT_STR || k == OBH_A_OUT_STRUCT ||
	       k == OBH_A_OUT_U32 || k == OBH_A_OUT_U64;
}

static unsigned put_arg_range(struct obh_host *h, FILE *out, const struct obh_call *c,
			      unsigned from, unsigned to, const uint32_t *v, char *const *str,
			      int64_t filled, bool first);

/* The index of c's first output argument (nargs when none): a split line
 * shows the arguments before it, the resumed line the rest. */
static unsigned first_output(const struct obh_call *c)
{
	unsigned i = 0;
	while (i < c->nargs && !is_output(c->args[i].kind))
		i++;
	return i;
}

/* "[tN] name(inputs <unfinished ...>" */
static void put_unfinished(struct obh_host *h, FILE *out, struct obh_thread *t,
			   const struct obh_call *c, const uint32_t *v, char *const *str)
{
	unsigned first_out = first_output(c);
	put_prefix_only(h, out, t);
	fprintf(out, "%s(", c->name);
	unsigned shown = put_arg_range(h, out, c, 0, first_out, v, str, -1, true);
	if (!shown)
		fputs("<unfinished ...>\n", out);
	else if (first_out < c->nargs)
		fputs(", <unfinished ...>\n", out);
	else
		fputs(" <unfinished ...>\n", out);
	fflush(out);
}

/* "[tN] <... name resumed>outputs...) = r0" */
static void put_resumed(struct obh_host *h, FILE *out, struct obh_thread *t,
			const struct obh_call *c, const uint32_t *v, char *const *str, int64_t r0,
			int64_t start_ns);

/* Before a line of thread t: every other thread's device call in flight
 * that is not printed yet gets its first half, up to its first output
 * argument, "<unfinished ...>", as strace does when another task's line
 * comes between a call and its result. */
static void flush_inflight(struct obh_host *h, FILE *out, struct obh_thread *t)
{
	if (!h->trace_pending)
		return;
	for (struct obh_thread *p = h->sched->all; p; p = p->next_all) {
		const struct obh_call *c = p->trace_inflight;
		if (p == t || !c || p->trace_split)
			continue;
		put_unfinished(h, out, p, c, p->trace_v, NULL);
		p->trace_split = true;
		h->trace_pending--;
	}
}

/* "[t1] " with --trace-time: "12.345678 [t1] " (seconds since the guest
 * started, as strace -r counts from the first call); first, the unfinished
 * halves of other threads' calls. */
static void put_prefix(struct obh_host *h, FILE *out, struct obh_thread *t)
{
	flush_inflight(h, out, t);
	put_prefix_only(h, out, t);
}

/* Arguments from..to-1 (those shown); returns how many were printed. */
static unsigned put_arg_range(struct obh_host *h, FILE *out, const struct obh_call *c,
			      unsigned from, unsigned to, const uint32_t *v, char *const *str,
			      int64_t filled, bool first)
{
	unsigned n = 0;
	for (unsigned i = from; i < to; i++) {
		if (!arg_shown(c, i, v))
			continue;
		if (!first)
			fputs(", ", out);
		first = false;
		put_arg(h, out, c, i, v, str, filled);
		n++;
	}
	return n;
}

static void put_args(struct obh_host *h, FILE *out, const struct obh_call *c, const uint32_t *v,
		     char *const *str, int64_t filled)
{
	put_arg_range(h, out, c, 0, c->nargs, v, str, filled, true);
}

/* " = 3", " = -2 ENOENT", and " <0.081 ms>" with --trace-durations. */
static void put_result(struct obh_host *h, FILE *out, const struct obh_call *c, int64_t r0,
		       int64_t start_ns)
{
	if (r0 < 0 && r0 >= -4095) {
		const char *name = obh_errno_name((int)-r0);
		fprintf(out, " = %lld %s", (long long)r0, name ? name : "");
	} else if (c->result == OBH_R_HANDLE || c->result == OBH_R_INT || c->result == OBH_R_FD ||
		   c->result == OBH_R_DIR) {
		fprintf(out, " = %lld", (long long)r0);
	}
	if (h->opts.trace_durations && start_ns)
		fprintf(out, " <%.3f ms>", (double)(obh_now_ns() - start_ns) / 1e6);
	fputc('\n', out);
	fflush(out);
}

void obh_trace_call(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		    const uint32_t *v, char *const *str, int64_t r0, bool waited,
		    int64_t start_ns)
{
	(void)waited;
	if (t->trace_parked == c) {
		/* Printed as unfinished: its end is a resumed line. */
		obh_trace_resumed(h, t, r0);
		return;
	}
	if (!traced(h, c))
		return;
	FILE *out = h->trace_out;
	if (t->trace_inflight == c) {
		bool split = t->trace_split;
		if (!split)
			h->trace_pending--;
		t->trace_inflight = NULL;
		t->trace_split = false;
		if (split) {
			put_resumed(h, out, t, c, v, str, r0, start_ns);
			return;
		}
	}
	put_prefix(h, out, t);
	fprintf(out, "%s(", c->name);
	put_args(h, out, c, v, str, r0 >= 0 ? r0 : -1);
	fputc(')', out);
	put_result(h, out, c, r0, start_ns);
}

static void put_resumed(struct obh_host *h, FILE *out, struct obh_thread *t,
			const struct obh_call *c, const uint32_t *v, char *const *str, int64_t r0,
			int64_t start_ns)
{
	put_prefix(h, out, t);
	fprintf(out, "<... %s resumed>", c->name);
	put_arg_range(h, out, c, first_output(c), c->nargs, v, str, r0 >= 0 ? r0 : -1, true);
	fputc(')', out);
	put_result(h, out, c, r0, start_ns);
}

void obh_trace_sent(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		    const uint32_t *v)
{
	if (!traced(h, c))
		return;
	if (t->trace_inflight && !t->trace_split)
		h->trace_pending--; /* a call that ended unseen (should not happen) */
	t->trace_inflight = c;
	t->trace_split = false;
	memcpy(t->trace_v, v, sizeof(t->trace_v));
	h->trace_pending++;
}

void obh_trace_blocked(struct obh_host *h, struct obh_thread *t, const struct obh_call *c,
		       const uint32_t *v, char *const *str)
{
	if (!traced(h, c))
		return;
	flush_inflight(h, h->trace_out, t);
	put_unfinished(h, h->trace_out, t, c, v, str);
	t->trace_parked = c;
	t->trace_start_ns = obh_now_ns();
	memcpy(t->trace_v, v, sizeof(t->trace_v));
}

void obh_trace_resumed(struct obh_host *h, struct obh_thread *t, int64_t r0)
{
	const struct obh_call *c = t->trace_parked;
	if (!c)
		return;
	t->trace_parked = NULL;
	if (!h->trace_out)
		return;
	/* The outputs are read from guest memory: the host wrote them before
	 * waking the thread. Strings come from guest memory too. */
	put_resumed(h, h->trace_out, t, c, t->trace_v, NULL, r0, t->trace_start_ns);
}
