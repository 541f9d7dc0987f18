/*
 * Reflection-driven marshalling (see marshal.h).
 */
#include "marshal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "mem.h"
#include "outboard/errno.h"
#include "outboard/log.h"

#define CAT "marshal"
#define MAX_NUM 256

struct plan {
	bool ready;
	const ProtobufCFieldDescriptor *req_member; /* in Ob__Request */
	const ProtobufCFieldDescriptor *rep_member; /* in Ob__Reply */
	const ProtobufCFieldDescriptor *in[OBH_MAX_ARGS];  /* request fields */
	const ProtobufCFieldDescriptor *out[OBH_MAX_ARGS]; /* result fields */
	const ProtobufCFieldDescriptor *ret;
};

static struct plan plans[MAX_NUM];
static bool initialised;

static bool is_number(const ProtobufCFieldDescriptor *f)
{
	return f->label != PROTOBUF_C_LABEL_REPEATED && obh_layout_field_size(f) != 0 &&
	       f->type != PROTOBUF_C_TYPE_FLOAT && f->type != PROTOBUF_C_TYPE_DOUBLE;
}

static bool in_kind(enum obh_arg_kind k)
{
	return k != OBH_A_OUT_BUF && k != OBH_A_OUT_STR && k != OBH_A_OUT_STRUCT &&
	       k != OBH_A_OUT_U32 && k != OBH_A_OUT_U64;
}

/* Check one argument against its field; NULL reason means it fits. */
static const char *check_arg(const struct obh_arg *a, const ProtobufCFieldDescriptor *in,
			     const ProtobufCFieldDescriptor *out)
{
	switch (a->kind) {
	case OBH_A_STR:
		return in && in->type == PROTOBUF_C_TYPE_STRING ? NULL : "needs a string field";
	case OBH_A_IN_BUF:
		return in && in->type == PROTOBUF_C_TYPE_BYTES ? NULL : "needs a bytes field";
	case OBH_A_OUT_BUF:
		return out && out->type == PROTOBUF_C_TYPE_BYTES ? NULL
								 : "needs a bytes result field";
	case OBH_A_OUT_STR:
		return out && out->type == PROTOBUF_C_TYPE_STRING ? NULL
								  : "needs a string result field";
	case OBH_A_OUT_STRUCT:
		return out && out->type == PROTOBUF_C_TYPE_MESSAGE && out->descriptor == a->msg &&
				       obh_layout_size(a->msg)
			       ? NULL
			       : "needs a scalar message result field of its type";
	case OBH_A_OUT_U32:
	case OBH_A_OUT_U64:
		return "is not supported for domain calls";
	default:
		return in && is_number(in) ? NULL : "needs a numeric field";
	}
}

static int plan_call(const struct obh_call *c)
{
	struct plan *p = &plans[c->num];
	p->req_member = protobuf_c_message_descriptor_get_field(&ob__request__descriptor, c->num);
	p->rep_member = protobuf_c_message_descriptor_get_field(&ob__reply__descriptor, c->num);
	if (!p->req_member || !p->rep_member || p->req_member->type != PROTOBUF_C_TYPE_MESSAGE ||
	    p->rep_member->type != PROTOBUF_C_TYPE_MESSAGE) {
		OB_ERROR(CAT, "call %s (%u) has no Request/Reply member %u", c->name, c->num, c->num);
		return -EPROTO;
	}
	const ProtobufCMessageDescriptor *rq = p->req_member->descriptor;
	const ProtobufCMessageDescriptor *rs = p->rep_member->descriptor;
	for (unsigned i = 0; i < c->nargs; i++) {
		const struct obh_arg *a = &c->args[i];
		const ProtobufCFieldDescriptor *in = NULL, *out = NULL;
		if (in_kind(a->kind))
			in = protobuf_c_message_descriptor_get_field_by_name(rq, a->name);
		else
			out = protobuf_c_message_descriptor_get_field_by_name(rs, a->name);
		const char *why = check_arg(a, in, out);
		if (why) {
			OB_ERROR(CAT, "call %s: argument %s %s (%s / %s)", c->name, a->name, why,
				 rq->name, rs->name);
			return -EPROTO;
		}
		p->in[i] = in;
		p->out[i] = out;
	}
	p->ret = protobuf_c_message_descriptor_get_field_by_name(rs, "ret");
	if (p->ret && !is_number(p->ret)) {
		OB_ERROR(CAT, "call %s: result field ret is not a number", c->name);
		return -EPROTO;
	}
	p->ready = true;
	return 0;
}

int obh_marshal_init(void)
{
	if (initialised)
		return 0;
	for (unsigned i = 0; i < obh_ncalls; i++) {
		const struct obh_call *c = &obh_calls[i];
		if (c->domain == OBH_DOMAIN_KERNEL)
			continue;
		if (c->num >= MAX_NUM)
			return -EPROTO;
		int err = plan_call(c);
		if (err)
			return err;
	}
	initialised = true;
	return 0;
}

static void set_number(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, uint32_t raw,
		       bool is_signed)
{
	uint8_t *at = (uint8_t *)m + f->offset;
	if (obh_layout_field_size(f) == 8) {
		int64_t v = is_signed ? (int64_t)(int32_t)raw : (int64_t)raw;
		memcpy(at, &v, 8);
	} else {
		memcpy(at, &raw, 4);
	}
}

static uint64_t get_number(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	const uint8_t *at = (const uint8_t *)m + f->offset;
	if (obh_layout_field_size(f) == 8) {
		uint64_t v;
		memcpy(&v, at, 8);
		return v;
	}
	uint32_t v;
	memcpy(&v, at, 4);
	bool sign = f->type == PROTOBUF_C_TYPE_INT32 || f->type == PROTOBUF_C_TYPE_SINT32 ||
		    f->type == PROTOBUF_C_TYPE_SFIXED32 || f->type == PROTOBUF_C_TYPE_ENUM;
	return sign ? (uint64_t)(int64_t)(int32_t)v : v;
}

static int put_in_buf(struct obh_mem *mem, ProtobufCMessage *m,
		      const ProtobufCFieldDescriptor *f, uint32_t addr, uint32_t len,
		      void **copy)
{
	ProtobufCBinaryData *bd = (ProtobufCBinaryData *)((uint8_t *)m + f->offset);
	bd->len = len;
	if (!len) {
		bd->data = NULL;
		return 0;
	}
	void *direct = obh_mem_host_ptr(mem, addr, len, OBH_PROT_R);
	if (direct) {
		bd->data = direct;
		return 0;
	}
	*copy = malloc(len);
	if (!*copy)
		return -ENOMEM;
	int err = obh_mem_read(mem, addr, *copy, len);
	if (err)
		return err;
	bd->data = *copy;
	return 0;
}

int obh_marshal_request(struct obh_mem *mem, const struct obh_call *c, const uint32_t *v,
			char *const *str, struct obh_marshalled *out)
{
	memset(out, 0, sizeof(*out));
	if (c->num >= MAX_NUM || !plans[c->num].ready)
		return -ENOSYS;
	const struct plan *p = &plans[c->num];
	const ProtobufCMessageDescriptor *d = p->req_member->descriptor;
	out->msg = calloc(1, d->sizeof_message);
	if (!out->msg)
		return -ENOMEM;
	d->message_init(out->msg);

	for (unsigned i = 0; i < c->nargs; i++) {
		const struct obh_arg *a = &c->args[i];
		const ProtobufCFieldDescriptor *f = p->in[i];
		if (!f)
			continue;
		if (a->kind == OBH_A_STR) {
			*(char **)((uint8_t *)out->msg + f->offset) = str[i];
		} else if (a->kind == OBH_A_IN_BUF) {
			int err = put_in_buf(mem, out->msg, f, v[i], (uint32_t)obh_arg_len(c, i, v),
					     &out->copies[i]);
			if (err)
				return err;
		} else {
			set_number(out->msg, f, v[i],
				   a->kind == OBH_A_INT || a->kind == OBH_A_TIMEOUT);
		}
	}
	Ob__Request init = OB__REQUEST__INIT;
	out->req = init;
	*(uint32_t *)((uint8_t *)&out->req + p->req_member->quantifier_offset) = c->num;
	*(ProtobufCMessage **)((uint8_t *)&out->req + p->req_member->offset) = out->msg;
	return 0;
}

void obh_marshal_done(struct obh_marshalled *m)
{
	/* Strings and direct buffers belong to the caller and the guest. */
	free(m->msg);
	for (int i = 0; i < OBH_MAX_ARGS; i++)
		free(m->copies[i]);
	memset(m, 0, sizeof(*m));
}

static int64_t write_out(struct obh_mem *mem, const struct obh_arg *a,
			 const ProtobufCFieldDescriptor *f, const ProtobufCMessage *res,
			 uint32_t addr, uint32_t cap, int64_t *copied)
{
	const uint8_t *at = (const uint8_t *)res + f->offset;
	switch (a->kind) {
	case OBH_A_OUT_BUF: {
		const ProtobufCBinaryData *bd = (const ProtobufCBinaryData *)at;
		if (bd->len > cap) {
			OB_ERROR(CAT, "plugin returned %zu bytes for a %u-byte buffer (%s)", bd->len,
				 cap, a->name);
			return -OB_ABI_EIO;
		}
		*copied = (int64_t)bd->len;
		return bd->len ? obh_mem_write(mem, addr, bd->data, (uint32_t)bd->len) : 0;
	}
	case OBH_A_OUT_STR: {
		const char *s = *(const char *const *)at;
		size_t n = s ? strlen(s) : 0;
		if (n + 1 > cap)
			return -OB_ABI_ENAMETOOLONG;
		*copied = (int64_t)n;
		return obh_mem_write(mem, addr, s ? s : "", (uint32_t)n + 1);
	}
	case OBH_A_OUT_STRUCT: {
		const ProtobufCMessage *sub = *(const ProtobufCMessage *const *)at;
		uint8_t buf[256];
		uint32_t size = obh_layout_size(a->msg);
		if (!sub || size > sizeof(buf)) {
			OB_ERROR(CAT, "plugin returned no %s", a->name);
			return -OB_ABI_EIO;
		}
		obh_layout_encode(a->msg, sub, buf);
		return obh_mem_write(mem, addr, buf, size);
	}
	default:
		return 0;
	}
}

/* ---- recorded calls ---- */

/* Map room for len bytes at *addr (at least a page) and copy data there. */
static int map_scratch(struct obh_mem *mem, uint32_t *addr, const void *data, size_t len,
		       uint32_t *at)
{
	uint64_t size = ((uint64_t)len + OBH_PAGE_SIZE) & ~(uint64_t)(OBH_PAGE_SIZE - 1);
	if (size > UINT32_MAX - *addr)
		return -ENOMEM;
	int err = obh_mem_map(mem, *addr, (uint32_t)size, OBH_PROT_R | OBH_PROT_W, "recorded");
	if (err)
		return err;
	if (len && data && (err = obh_mem_write(mem, *addr, data, (uint32_t)len)))
		return err;
	*at = *addr;
	*addr += (uint32_t)size;
	return 0;
}

/* How many bytes output argument i of a reply takes in guest memory. */
static size_t out_size(const struct obh_arg *a, const ProtobufCFieldDescriptor *f,
		       const ProtobufCMessage *res)
{
	if (!res)
		return 0;
	const uint8_t *at = (const uint8_t *)res + f->offset;
	if (a->kind == OBH_A_OUT_BUF)
		return ((const ProtobufCBinaryData *)at)->len;
	if (a->kind == OBH_A_OUT_STR) {
		const char *s = *(const char *const *)at;
		return s ? strlen(s) + 1 : 1;
	}
	return obh_layout_size(a->msg);
}

int obh_marshal_unpack(struct obh_mem *mem, const struct obh_call *c, const Ob__Request *req,
		       const Ob__Reply *rep, uint32_t *v, char **str, uint32_t *addr)
{
	memset(v, 0, sizeof(uint32_t) * OBH_MAX_ARGS);
	memset(str, 0, sizeof(char *) * OBH_MAX_ARGS);
	if (c->num >= MAX_NUM || !plans[c->num].ready)
		return -ENOSYS;
	const struct plan *p = &plans[c->num];
	if (req->call_case != (Ob__Request__CallCase)c->num)
		return -EPROTO;
	const ProtobufCMessage *msg =
		*(const ProtobufCMessage *const *)((const uint8_t *)req + p->req_member->offset);
	const ProtobufCMessage *res = NULL;
	if (!msg)
		return -EPROTO;
	if (rep && rep->result_case == (Ob__Reply__ResultCase)c->num)
		res = *(const ProtobufCMessage *const *)((const uint8_t *)rep + p->rep_member->offset);
	for (unsigned i = 0; i < c->nargs; i++) {
		const struct obh_arg *a = &c->args[i];
		int err = 0;
		if (p->in[i]) {
			const uint8_t *at = (const uint8_t *)msg + p->in[i]->offset;
			if (a->kind == OBH_A_STR) {
				str[i] = *(char *const *)at;
			} else if (a->kind == OBH_A_IN_BUF) {
				const ProtobufCBinaryData *bd = (const ProtobufCBinaryData *)at;
				err = map_scratch(mem, addr, bd->data, bd->len, &v[i]);
			} else {
				v[i] = (uint32_t)get_number(msg, p->in[i]);
			}
		} else if (p->out[i]) {
			err = map_scratch(mem, addr, NULL, out_size(a, p->out[i], res), &v[i]);
		}
		if (err)
			return err;
	}
	return 0;
}

int64_t obh_marshal_reply(struct obh_mem *mem, const struct obh_call *c, const uint32_t *v,
			  const Ob__Reply *rep, int64_t *ret)
{
	const struct plan *p = &plans[c->num];
	*ret = 0;
	if (rep->result_case != (Ob__Reply__ResultCase)c->num) {
		OB_ERROR(CAT, "plugin answered %s with result %d", c->name, rep->result_case);
		return -OB_ABI_EIO;
	}
	const ProtobufCMessage *res =
		*(const ProtobufCMessage *const *)((const uint8_t *)rep + p->rep_member->offset);
	if (!res) {
		OB_ERROR(CAT, "plugin answered %s without a result", c->name);
		return -OB_ABI_EIO;
	}
	int64_t copied = 0, r0;
	for (unsigned i = 0; i < c->nargs; i++) {
		if (!p->out[i])
			continue;
		const struct obh_arg *a = &c->args[i];
		uint32_t cap = a->kind == OBH_A_OUT_STRUCT ? obh_layout_size(a->msg) : v[a->len];
		int64_t err = write_out(mem, a, p->out[i], res, v[i], cap, &copied);
		if (err == -EFAULT)
			return -OB_ABI_EFAULT;
		if (err)
			return err;
	}
	if (p->ret) {
		*ret = (int64_t)get_number(res, p->ret);
		r0 = *ret;
	} else {
		r0 = copied;
	}
	if (r0 < 0) {
		OB_ERROR(CAT, "plugin answered %s with a negative ret %lld", c->name, (long long)r0);
		return -OB_ABI_EIO;
	}
	if (r0 > INT32_MAX) {
		OB_WARN(CAT, "%s: result %lld does not fit the guest's r0", c->name, (long long)r0);
		return -OB_ABI_EOVERFLOW;
	}
	return r0;
}
