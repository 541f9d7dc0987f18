/*
 * Generic marshalling between a guest call and its domain's protobuf
 * messages, by reflection over the protobuf-c descriptors:
 *
 * - The request message is Request.call's member whose field number is the
 *   call number; the result is Reply.result's member with the same number.
 * - Each argument fills the request field of the same name: numbers, the
 *   plugin handle for fd/dir args, strings, and IN_BUF bytes (pointing
 *   straight into guest memory when the buffer is contiguous: no copy).
 * - On the reply, OUT_BUF/OUT_STR/OUT_STRUCT arguments are written from the
 *   result field of the same name, and the result's `ret` field (if any)
 *   becomes r0; without one, r0 is the byte count of an OUT_BUF, else 0.
 *
 * obh_marshal_init checks the whole call table against the protocol once,
 * so a name that does not match fails at start (and in a unit test), never
 * during a guest call.
 */
#ifndef OBH_MARSHAL_H
#define OBH_MARSHAL_H

#include <stdint.h>

#include "calls.h"
#include "outboard.pb-c.h"

struct obh_mem;

/* Build the plans for every domain call. 0, or -EPROTO with the mismatch
 * logged. Idempotent. */
int obh_marshal_init(void);

/*
 * A request being built. obh_marshal_request fills req (which the caller
 * sends with ob_conn_call), and obh_marshal_done frees what it allocated.
 */
struct obh_marshalled {
	Ob__Request req;
	ProtobufCMessage *msg;
	void *copies[OBH_MAX_ARGS]; /* IN_BUF bytes copied out of guest memory */
};

/*
 * v holds the argument values with fd/dir args already mapped to plugin
 * handles; str the host copies of STR arguments. Returns 0, -EFAULT (an
 * IN_BUF not readable), -ENOMEM, or -ENOSYS (the call has no plan).
 */
int obh_marshal_request(struct obh_mem *mem, const struct obh_call *c, const uint32_t *v,
			char *const *str, struct obh_marshalled *out);
void obh_marshal_done(struct obh_marshalled *m);

/*
 * Apply a successful reply (status 0) to guest memory: v are the guest's
 * original argument values (buffer addresses). Returns the value r0 gets:
 * non-negative, or a negated ABI errno (-EFAULT for an unwritable buffer,
 * -ENAMETOOLONG, -EIO when the plugin broke the protocol).
 * *ret gets the result's `ret` field (0 if it has none), for R_FD/R_DIR.
 */
int64_t obh_marshal_reply(struct obh_mem *mem, const struct obh_call *c, const uint32_t *v,
			  const Ob__Reply *rep, int64_t *ret);

/*
 * The other way, for a recorded call (record/print.c): the argument values
 * v (zeroed first) and strings str that req was marshalled from, so that
 * the trace printer can show it. Strings point into req. IN_BUF bytes are
 * mapped in mem from *addr up, and so is room for each output argument
 * that rep (NULL: none) fills, so obh_marshal_reply can write it there;
 * *addr is left past the last page mapped (the caller unmaps from where it
 * started). Fd and directory arguments are the plugin's handles.
 * Returns 0, -ENOSYS (no plan), -EPROTO (req is not a c call) or
 * obh_mem_map's errors.
 */
int obh_marshal_unpack(struct obh_mem *mem, const struct obh_call *c, const Ob__Request *req,
		       const Ob__Reply *rep, uint32_t *v, char **str, uint32_t *addr);

#endif /* OBH_MARSHAL_H */
