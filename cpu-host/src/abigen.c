/*
 * ob-abigen: derives the guest side of the ABI from the call table.
 *
 *   --header FILE       the SDK's outboard_calls.h: numbers, structs, prototypes
 *   --stubs DIR         one assembly file per call (ob_<name>.S)
 *   --doc FILE          the markdown call list of docs/abi.md
 *   --check-doc FILE    fail unless FILE's calls section is what --doc writes
 *   --update-doc FILE   rewrite FILE's calls section in place
 *   --extra-import NAME also emit a stub for an import the table lacks (tests
 *                       the import mechanism; repeatable)
 *
 * Outputs are written only when their content changes, so an unchanged
 * table does not make the guest build rebuild anything. Stale ob_*.S files
 * in the stubs directory are removed.
 *
 * The table is checked first (unique names and numbers, valid length
 * indices, struct layouts it can express); a bad table fails the build.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calls.h"
#include "display.pb-c.h"
#include "input.pb-c.h"
#include "layout.h"

#define MAX_EXTRA_IMPORTS 16
#define DOC_BEGIN "<!-- calls:begin -->\n"
#define DOC_END "<!-- calls:end -->"

/* ---- small output helpers ---------------------------------------------- */

/* A growable text buffer (open_memstream). */
struct text {
	char *buf;
	size_t len;
	FILE *f;
};

static int text_open(struct text *t)
{
	t->buf = NULL;
	t->len = 0;
	t->f = open_memstream(&t->buf, &t->len);
	return t->f ? 0 : -errno;
}

/* Finishes writing; t->buf then holds t->len bytes. */
static int text_close(struct text *t)
{
	int rc = fclose(t->f) == 0 ? 0 : -errno;
	t->f = NULL;
	return rc;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct text t;
	if (text_open(&t) < 0) {
		fclose(f);
		return NULL;
	}
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, t.f);
	int err = ferror(f);
	fclose(f);
	if (text_close(&t) < 0 || err) {
		free(t.buf);
		return NULL;
	}
	*len = t.len;
	return t.buf;
}

/* Writes data to path unless the file already holds exactly that. */
static int write_if_changed(const char *path, const char *data, size_t len)
{
	size_t old_len;
	char *old = read_file(path, &old_len);
	int same = old && old_len == len && memcmp(old, data, len) == 0;
	free(old);
	if (same)
		return 0;
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "ob-abigen: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	int ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok)
		fprintf(stderr, "ob-abigen: error writing %s\n", path);
	return ok ? 0 : -1;
}

static void upper(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, f);
}

/* "FileStat" -> "file_stat", "FsSpace" -> "fs_space". */
static void snake(FILE *f, const char *camel)
{
	for (const char *p = camel; *p; p++) {
		int up = *p >= 'A' && *p <= 'Z';
		if (up && p != camel) {
			int prev_low = (p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= '0' && p[-1] <= '9');
			int next_low = p[1] >= 'a' && p[1] <= 'z';
			if (prev_low || next_low)
				fputc('_', f);
		}
		fputc(up ? *p - 'A' + 'a' : *p, f);
	}
}

/* ---- struct layout: layout.c decides it, for the host and this header -- */

static const char *field_ctype(const ProtobufCFieldDescriptor *fd)
{
	switch (fd->type) {
	case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		return "int32_t";
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
		return "int64_t";
	case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
		return "uint64_t";
	default:
		return "uint32_t";
	}
}

static void struct_name(FILE *f, const ProtobufCMessageDescriptor *m)
{
	fputs("struct ob_", f);
	snake(f, m->short_name);
}

/* Emits the struct with explicit padding and its layout asserts. */
static int emit_struct(FILE *f, const ProtobufCMessageDescriptor *m)
{
	uint32_t size = obh_layout_size(m);
	if (!size)
		return -1;
	fprintf(f, "/* The wire message %s (proto/), as the calls that take it fill it. */\n",
		m->name);
	struct_name(f, m);
	fprintf(f, " {\n");
	unsigned pad = 0;
	uint32_t off = 0;
	for (unsigned i = 0; i < m->n_fields; i++) {
		for (; off < obh_layout_offset(m, i); off += 4)
			fprintf(f, "\tuint32_t _pad%u;\n", pad++);
		fprintf(f, "\t%s %s;\n", field_ctype(&m->fields[i]), m->fields[i].name);
		off += obh_layout_field_size(&m->fields[i]);
	}
	for (; off < size; off += 4)
		fprintf(f, "\tuint32_t _pad%u;\n", pad++);
	fprintf(f, "};\n");
	for (unsigned i = 0; i < m->n_fields; i++) {
		fprintf(f, "OB_STATIC_ASSERT(offsetof(");
		struct_name(f, m);
		fprintf(f, ", %s) == %u, \"ABI layout\");\n", m->fields[i].name,
			obh_layout_offset(m, i));
	}
	fprintf(f, "OB_STATIC_ASSERT(sizeof(");
	struct_name(f, m);
	fprintf(f, ") == %u, \"ABI layout\");\n\n", size);
	return 0;
}

/* Constants from a wire enum: VALUE_NAME minus strip_prefix, as prefix_NAME. */
static void emit_enum(FILE *f, const ProtobufCEnumDescriptor *e, const char *strip_prefix,
		      const char *prefix, const char *what)
{
	size_t n = strlen(strip_prefix);
	fprintf(f, "/* %s (%s in proto/). */\n", what, e->name);
	for (unsigned i = 0; i < e->n_values; i++) {
		const char *name = e->values[i].name;
		if (strncmp(name, strip_prefix, n) == 0)
			name += n;
		fprintf(f, "#define %s%s %s%x\n", prefix, name, e->values[i].value < 10 ? "" : "0x",
			(unsigned)e->values[i].value);
	}
	fputc('\n', f);
}

/* ---- prototypes ------------------------------------------------------ */

static void emit_arg_type(FILE *f, const struct obh_arg *a)
{
	switch (a->kind) {
	case OBH_A_INT: case OBH_A_TIMEOUT: fputs("int32_t ", f); break;
	case OBH_A_UINT: fputs("uint32_t ", f); break;
	case OBH_A_PTR: case OBH_A_FN:
		fprintf(f, "%s%s", a->ctype ? a->ctype : "void *",
			a->ctype && a->ctype[strlen(a->ctype) - 1] == '*' ? "" : " ");
		break;
	case OBH_A_HANDLE: case OBH_A_FD: case OBH_A_DIR: fputs("int ", f); break;
	case OBH_A_STR: fputs("const char *", f); break;
	case OBH_A_IN_BUF: fputs("const void *", f); break;
	case OBH_A_OUT_BUF: fputs("void *", f); break;
	case OBH_A_OUT_STR: fputs("char *", f); break;
	case OBH_A_OUT_STRUCT:
		fputs("struct ob_", f);
		snake(f, a->msg->short_name);
		fputs(" *", f);
		break;
	case OBH_A_OUT_U32: fputs("uint32_t *", f); break;
	case OBH_A_OUT_U64: fputs("uint64_t *", f); break;
	case OBH_A_NONE: fputs("void ", f); break;
	}
}

/* "int ob_open(const char *path, uint32_t flags, uint32_t mode)" */
static void emit_prototype(FILE *f, const struct obh_call *c)
{
	fprintf(f, "%s ob_%s(", c->result == OBH_R_NORETURN ? "void" : "int", c->name);
	if (c->nargs == 0)
		fputs("void", f);
	for (unsigned i = 0; i < c->nargs; i++) {
		if (i)
			fputs(", ", f);
		emit_arg_type(f, &c->args[i]);
		fputs(c->args[i].name, f);
	}
	fputc(')', f);
}

/* True when a call before calls[i].args[j] already takes the struct m. */
static int struct_seen(const struct obh_call *calls, unsigned i, unsigned j,
		       const ProtobufCMessageDescriptor *m)
{
	for (unsigned k = 0; k <= i; k++)
		for (unsigned a = 0; a < (k == i ? j : calls[k].nargs); a++)
			if (calls[k].args[a].kind == OBH_A_OUT_STRUCT && calls[k].args[a].msg == m)
				return 1;
	return 0;
}

/* A C comment holding text, wrapped at 80 columns. */
static void emit_comment(FILE *f, const char *text)
{
	const char *lead = "/* ";
	size_t col = 0;
	while (*text) {
		size_t word = strcspn(text, " ");
		if (col && col + 1 + word > 77) {
			fputs("\n", f);
			col = 0;
			lead = " * ";
		}
		if (col == 0) {
			fputs(lead, f);
			col = 3;
		} else {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, word, f);
		col += word;
		text += word;
		text += strspn(text, " ");
	}
	fputs(lead[0] == '/' ? " */\n" : "\n */\n", f);
}

static void emit_header(FILE *f, const struct obh_call *calls, unsigned n)
{
	fputs("/*\n * outboard guest calls. Generated by ob-abigen from the host's call table\n"
	      " * (cpu-host/src/calls_table.c): do not edit. Include <outboard.h>.\n"
	      " *\n * Results: >= 0 on success, or a negated errno in [-4095, -1].\n */\n"
	      "#ifndef OUTBOARD_CALLS_H\n#define OUTBOARD_CALLS_H\n\n"
	      "#include <stddef.h>\n#include <stdint.h>\n\n"
	      "#ifndef OUTBOARD_TYPES_DEFINED\n"
	      "#error \"include <outboard.h>, which defines the types this header names\"\n"
	      "#endif\n\n"
	      "#ifdef __cplusplus\n#define OB_STATIC_ASSERT(c, m) static_assert(c, m)\n"
	      "extern \"C\" {\n#else\n#define OB_STATIC_ASSERT(c, m) _Static_assert(c, m)\n#endif\n\n"
	      "/* Syscall numbers: svc #0 with the number in r7. */\n", f);
	for (unsigned i = 0; i < n; i++) {
		if (calls[i].entry != OBH_SYSCALL)
			continue;
		fputs("#define OB_SYS_", f);
		upper(f, calls[i].name);
		fprintf(f, " %u\n", calls[i].num);
	}
	fputs("\n/* HLE imports: reached by name through .ob_imports; these are their ids. */\n", f);
	for (unsigned i = 0; i < n; i++) {
		if (calls[i].entry != OBH_IMPORT)
			continue;
		fputs("#define OB_HLE_", f);
		upper(f, calls[i].name);
		fprintf(f, " %u\n", calls[i].num);
	}
	fputc('\n', f);
	emit_enum(f, &ob__input_event__kind__descriptor, "KIND_", "OB_EV_",
		  "Event kinds: struct ob_input_event.kind");
	emit_enum(f, &ob__key_code__descriptor, "KEY_", "OB_KEY_",
		  "Key codes: struct ob_input_event.key; printable keys are their ASCII code");
	emit_enum(f, &ob__pixel_format__descriptor, "PIXEL_FORMAT_", "OB_PIXEL_",
		  "Pixel formats for ob_display_blit");
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < calls[i].nargs; j++)
			if (calls[i].args[j].kind == OBH_A_OUT_STRUCT &&
			    !struct_seen(calls, i, j, calls[i].args[j].msg))
				emit_struct(f, calls[i].args[j].msg);
	for (unsigned i = 0; i < n; i++) {
		const struct obh_call *c = &calls[i];
		emit_comment(f, c->doc);
		if (c->result == OBH_R_NORETURN)
			fputs("__attribute__((__noreturn__)) ", f);
		emit_prototype(f, c);
		fputs(";\n\n", f);
	}
	fputs("#ifdef __cplusplus\n}\n#endif\n\n#endif /* OUTBOARD_CALLS_H */\n", f);
}

/* ---- stubs ------------------------------------------------------------ */

/* True when v is an ARM data-processing immediate (8 bits rotated by 2n). */
static int arm_imm(uint32_t v)
{
	for (unsigned r = 0; r < 32; r += 2) {
		uint32_t x = r ? (v << r) | (v >> (32 - r)) : v;
		if (x <= 0xff)
			return 1;
	}
	return 0;
}

static void emit_stub_head(FILE *f, const char *name)
{
	fprintf(f, "@ Generated by ob-abigen: do not edit.\n"
		   "\t.syntax unified\n\t.arm\n"
		   "\t.section .text.ob_%s,\"ax\",%%progbits\n"
		   "\t.global ob_%s\n\t.type ob_%s, %%function\n\t.p2align 2\nob_%s:\n",
		name, name, name, name);
}

/* ARM code; Thumb callers reach it through blx (it is a %function). */
static void emit_syscall_stub(FILE *f, const struct obh_call *c)
{
	emit_stub_head(f, c->name);
	fputs("\tpush\t{r4, r5, r7, lr}\n", f);
	if (c->nargs >= 5)
		fputs("\tldr\tr4, [sp, #16]\t@ argument 5 (AAPCS: on the stack)\n", f);
	if (c->nargs >= 6)
		fputs("\tldr\tr5, [sp, #20]\t@ argument 6\n", f);
	if (arm_imm(c->num))
		fprintf(f, "\tmov\tr7, #%u\n", c->num);
	else
		fprintf(f, "\tldr\tr7, =%u\n", c->num);
	fputs("\tsvc\t#0\n\tpop\t{r4, r5, r7, pc}\n", f);
	if (!arm_imm(c->num))
		fputs("\t.ltorg\n", f);
	fprintf(f, "\t.size ob_%s, . - ob_%s\n", c->name, c->name);
}

/* docs/abi.md, HLE imports: the stub jumps through a slot the loader fills,
 * and an .ob_imports entry {name, slot} tells the loader where it is. */
static void emit_import_stub(FILE *f, const char *name)
{
	emit_stub_head(f, name);
	fprintf(f, "\tldr\tpc, .Lob_slot_%s\t@ the thunk; returns to our caller's lr\n"
		   ".Lob_slot_%s:\n\t.word\t0\t\t@ filled by the loader\n"
		   "\t.size ob_%s, . - ob_%s\n\n"
		   "\t.section .rodata.ob_import_name.%s,\"a\",%%progbits\n"
		   ".Lob_name_%s:\n\t.asciz\t\"%s\"\n\n"
		   "\t.section .ob_imports,\"aw\",%%progbits\n\t.p2align 2\n"
		   "\t.word\t.Lob_name_%s, .Lob_slot_%s\n",
		name, name, name, name, name, name, name, name, name);
}

static int emit_stub_file(const char *dir, const char *name, const struct obh_call *c)
{
	struct text t;
	if (text_open(&t) < 0)
		return -1;
	if (c)
		emit_syscall_stub(t.f, c);
	else
		emit_import_stub(t.f, name);
	int rc = text_close(&t);
	char path[4096];
	snprintf(path, sizeof(path), "%s/ob_%s.S", dir, name);
	if (rc == 0)
		rc = write_if_changed(path, t.buf, t.len);
	free(t.buf);
	return rc;
}

/* Removes ob_*.S files in dir that are not in the table (or extras). */
static void remove_stale_stubs(const char *dir, const struct obh_call *calls, unsigned n,
			       const char *const *extra, unsigned nextra)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strncmp(e->d_name, "ob_", 3) != 0 || strcmp(e->d_name + len - 2, ".S"))
			continue;
		int keep = 0;
		for (unsigned i = 0; i < n + nextra && !keep; i++) {
			const char *name = i < n ? calls[i].name : extra[i - n];
			keep = strlen(name) == len - 5 && strncmp(e->d_name + 3, name, len - 5) == 0;
		}
		if (!keep) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			remove(path);
		}
	}
	closedir(d);
}

static int write_stubs(const char *dir, const struct obh_call *calls, unsigned n,
		       const char *const *extra, unsigned nextra)
{
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "ob-abigen: cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	remove_stale_stubs(dir, calls, n, extra, nextra);
	for (unsigned i = 0; i < n; i++)
		if (emit_stub_file(dir, calls[i].name,
				   calls[i].entry == OBH_SYSCALL ? &calls[i] : NULL) < 0)
			return -1;
	for (unsigned i = 0; i < nextra; i++)
		if (emit_stub_file(dir, extra[i], NULL) < 0)
			return -1;
	return 0;
}

/* ---- docs ------------------------------------------------------------- */

static const char *mode_name(enum obh_mode m)
{
	return m == OBH_LOCAL ? "local" : m == OBH_BLOCKING ? "blocking" : "posted";
}

/* Markdown table cells: '|' would end the cell, '<' start an HTML tag. */
static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '<' || *s == '>')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void emit_doc_enum(FILE *f, const ProtobufCEnumDescriptor *e, const char *strip,
			  const char *prefix, const char *title)
{
	size_t n = strlen(strip);
	fprintf(f, "\n### %s\n\n| value | name |\n| --- | --- |\n", title);
	for (unsigned i = 0; i < e->n_values; i++) {
		const char *name = e->values[i].name;
		if (strncmp(name, strip, n) == 0)
			name += n;
		fprintf(f, "| %s%x | `%s%s` |\n", e->values[i].value < 10 ? "" : "0x",
			(unsigned)e->values[i].value, prefix, name);
	}
}

static void emit_doc(FILE *f, const struct obh_call *calls, unsigned n)
{
	fputs("Generated by `ob-abigen --doc` from `cpu-host/src/calls_table.c`; the test\n"
	      "`abi_doc_current` fails when this list and the table disagree\n"
	      "(`ob-abigen --update-doc docs/abi.md` rewrites it). Syscalls are reached with\n"
	      "`svc #0` and the number in `r7`; imports by name (\"HLE imports\" above).\n"
	      "Mode: `local` calls are served in the CPU host, `blocking` ones by the\n"
	      "domain's plugin while the thread waits, `posted` ones are sent without\n"
	      "waiting and return 0.\n", f);
	for (int d = 0; d < OBH_DOMAIN_COUNT; d++) {
		int any = 0;
		for (unsigned i = 0; i < n; i++) {
			const struct obh_call *c = &calls[i];
			if ((int)c->domain != d)
				continue;
			if (!any)
				fprintf(f, "\n### %s\n\n| number | name | C prototype | mode | what it does |\n"
					   "| --- | --- | --- | --- | --- |\n",
					obh_domain_name((enum obh_domain)d));
			any = 1;
			fprintf(f, "| %u%s | `%s` | `", c->num, c->entry == OBH_IMPORT ? " (import)" : "",
				c->name);
			emit_prototype(f, c);
			fprintf(f, "` | %s%s | ", mode_name(c->mode),
				c->result == OBH_R_NORETURN ? ", no return" : "");
			md_cell(f, c->doc);
			fputs(" |\n", f);
		}
	}
	emit_doc_enum(f, &ob__input_event__kind__descriptor, "KIND_", "OB_EV_", "Event kinds");
	emit_doc_enum(f, &ob__key_code__descriptor, "KEY_", "OB_KEY_",
		      "Key codes (letters `A`-`Z` and digits `0`-`9` are their ASCII codes)");
}

static char *doc_text(const struct obh_call *calls, unsigned n, size_t *len)
{
	struct text t;
	if (text_open(&t) < 0)
		return NULL;
	emit_doc(t.f, calls, n);
	if (text_close(&t) < 0) {
		free(t.buf);
		return NULL;
	}
	*len = t.len;
	return t.buf;
}

/* Checks (update == 0) or rewrites (update == 1) the calls section of md. */
static int sync_doc(const char *md, const struct obh_call *calls, unsigned n, int update)
{
	size_t flen, dlen;
	char *file = read_file(md, &flen);
	char *doc = doc_text(calls, n, &dlen);
	int rc = -1;
	if (!file || !doc) {
		fprintf(stderr, "ob-abigen: cannot read %s\n", md);
		goto out;
	}
	char *b = strstr(file, DOC_BEGIN);
	char *e = b ? strstr(b, DOC_END) : NULL;
	if (!b || !e) {
		fprintf(stderr, "ob-abigen: %s has no '%.*s' ... '%s' section\n", md,
			(int)strlen(DOC_BEGIN) - 1, DOC_BEGIN, DOC_END);
		goto out;
	}
	b += strlen(DOC_BEGIN);
	if ((size_t)(e - b) == dlen && memcmp(b, doc, dlen) == 0) {
		rc = 0;
		goto out;
	}
	if (!update) {
		fprintf(stderr, "ob-abigen: the call list in %s is out of date with the call "
				"table; run: ob-abigen --update-doc %s\n", md, md);
		goto out;
	}
	struct text t;
	if (text_open(&t) < 0)
		goto out;
	fwrite(file, 1, (size_t)(b - file), t.f);
	fwrite(doc, 1, dlen, t.f);
	fwrite(e, 1, flen - (size_t)(e - file), t.f);
	rc = text_close(&t);
	if (rc == 0)
		rc = write_if_changed(md, t.buf, t.len);
	free(t.buf);
out:
	free(file);
	free(doc);
	return rc;
}

/* ---- table checks and main ------------------------------------------- */

static int valid_ident(const char *s)
{
	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static int check_call(const struct obh_call *calls, unsigned i)
{
	const struct obh_call *c = &calls[i];
	if (!valid_ident(c->name) || !c->doc || strstr(c->doc, "*/") || c->nargs > OBH_MAX_ARGS)
		return fprintf(stderr, "ob-abigen: entry %u: bad name, doc or nargs\n", i), -1;
	for (unsigned j = 0; j < i; j++)
		if (strcmp(calls[j].name, c->name) == 0 ||
		    (calls[j].num == c->num && calls[j].entry == c->entry))
			return fprintf(stderr, "ob-abigen: %s: duplicate name or number\n", c->name), -1;
	for (unsigned j = 0; j < c->nargs; j++) {
		const struct obh_arg *a = &c->args[j];
		int buf = a->kind == OBH_A_IN_BUF || a->kind == OBH_A_OUT_BUF || a->kind == OBH_A_OUT_STR;
		if (!valid_ident(a->name) || a->kind == OBH_A_NONE)
			return fprintf(stderr, "ob-abigen: %s: argument %u has no name or kind\n",
				       c->name, j), -1;
		if (buf && (a->len >= c->nargs || (c->args[a->len].kind != OBH_A_UINT &&
						    c->args[a->len].kind != OBH_A_INT)))
			return fprintf(stderr, "ob-abigen: %s.%s: bad length index\n", c->name, a->name), -1;
		if (a->kind == OBH_A_OUT_STRUCT) {
			if (!a->msg)
				return fprintf(stderr, "ob-abigen: %s.%s: no layout\n", c->name, a->name), -1;
			for (unsigned k = 0; k < a->msg->n_fields; k++)
				if (!obh_layout_field_size(&a->msg->fields[k]))
					return fprintf(stderr, "ob-abigen: %s: field %s has no guest "
							       "layout (docs/abi.md)\n", a->msg->name,
						       a->msg->fields[k].name), -1;
		}
	}
	return 0;
}

static int usage(void)
{
	fputs("usage: ob-abigen [--header FILE] [--stubs DIR] [--doc FILE]\n"
	      "                 [--check-doc FILE] [--update-doc FILE] [--extra-import NAME]...\n",
	      stderr);
	return 2;
}

static int by_num(const void *a, const void *b)
{
	const struct obh_call *x = a, *y = b;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return (int)x->entry - (int)y->entry;
}

int main(int argc, char **argv)
{
	const char *header = NULL, *stubs = NULL, *doc = NULL, *check = NULL, *update = NULL;
	const char *extra[MAX_EXTRA_IMPORTS];
	unsigned nextra = 0;
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!val)
			return usage();
		i++;
		if (strcmp(opt, "--header") == 0)
			header = val;
		else if (strcmp(opt, "--stubs") == 0)
			stubs = val;
		else if (strcmp(opt, "--doc") == 0)
			doc = val;
		else if (strcmp(opt, "--check-doc") == 0)
			check = val;
		else if (strcmp(opt, "--update-doc") == 0)
			update = val;
		else if (strcmp(opt, "--extra-import") == 0 && nextra < MAX_EXTRA_IMPORTS &&
			 valid_ident(val) && !obh_call_by_name(val))
			extra[nextra++] = val;
		else
			return usage();
	}
	if (!header && !stubs && !doc && !check && !update)
		return usage();
	for (unsigned i = 0; i < obh_ncalls; i++)
		if (check_call(obh_calls, i) < 0)
			return 1;
	/* Outputs list calls by number, whatever the table's order. */
	unsigned n = obh_ncalls;
	struct obh_call *calls = malloc(n * sizeof(*calls));
	if (!calls)
		return 1;
	memcpy(calls, obh_calls, n * sizeof(*calls));
	qsort(calls, n, sizeof(*calls), by_num);

	int rc = 0;
	if (header) {
		struct text t;
		rc = text_open(&t);
		if (rc == 0) {
			emit_header(t.f, calls, n);
			rc = text_close(&t);
		}
		if (rc == 0)
			rc = write_if_changed(header, t.buf, t.len);
		free(t.buf);
	}
	if (rc == 0 && stubs)
		rc = write_stubs(stubs, calls, n, extra, nextra);
	if (rc == 0 && doc) {
		size_t len;
		char *text = doc_text(calls, n, &len);
		rc = text ? write_if_changed(doc, text, len) : -1;
		free(text);
	}
	if (rc == 0 && update)
		rc = sync_doc(update, calls, n, 1);
	if (rc == 0 && check)
		rc = sync_doc(check, calls, n, 0);
	free(calls);
	return rc == 0 ? 0 : 1;
}
