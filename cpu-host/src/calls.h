/*
 * The one table of guest calls: every syscall and HLE import, declared once.
 *
 * From this table come:
 * - the dispatcher's argument decoding and checking (dispatch.c), and the
 *   generic marshalling into each domain's protobuf request (marshal.c);
 * - the guest SDK's generated header and stubs, and the call list in
 *   docs/abi.md (abigen.c, `ob-abigen`);
 * - the trace printer (trace.c).
 *
 * Adding a call: one entry in calls_table.c plus one handler in the plugin
 * that serves its domain (or a kernel handler for host-local calls).
 *
 * Names: obh_ is private to the CPU host.
 */
#ifndef OBH_CALLS_H
#define OBH_CALLS_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stdint.h>

/* Syscalls take up to 6 arguments (r0-r5); imports up to 8 (AAPCS: r0-r3,
 * then the stack). */
#define OBH_MAX_ARGS 8
#define OBH_MAX_SYSCALL_ARGS 6

enum obh_domain {
	OBH_DOMAIN_KERNEL = 0, /* served inside the CPU host */
	OBH_DOMAIN_FS = 1,     /* numbers match Ob__Domain */
	OBH_DOMAIN_DISPLAY = 2,
	OBH_DOMAIN_SOUND = 3,
	OBH_DOMAIN_INPUT = 4,
	OBH_DOMAIN_COUNT
};

enum obh_mode {
	OBH_LOCAL,    /* the host answers; may wait on a kernel object */
	OBH_BLOCKING, /* sent to the domain's plugin; the thread waits for the reply */
	OBH_POSTED,   /* sent to the plugin without a reply; returns 0 at once */
};

/* How the guest reaches the call. */
enum obh_entry {
	OBH_SYSCALL, /* svc #0 with the number in r7 */
	OBH_IMPORT,  /* by name through the image's import table */
};

enum obh_arg_kind {
	OBH_A_NONE = 0,
	OBH_A_INT,        /* int32 */
	OBH_A_UINT,       /* uint32 */
	OBH_A_TIMEOUT,    /* int32 ms; -1 forever, 0 poll */
	OBH_A_PTR,        /* an opaque guest address, passed through */
	OBH_A_FN,         /* guest code address (ARM, or Thumb with bit 0 set) */
	OBH_A_HANDLE,     /* kernel object handle */
	OBH_A_FD,         /* guest file descriptor, mapped to the plugin's fd */
	OBH_A_DIR,        /* guest directory handle, mapped to the plugin's */
	OBH_A_STR,        /* NUL-terminated guest string, at most OBH_STR_MAX bytes */
	OBH_A_IN_BUF,     /* guest bytes to read; length in arg .len */
	OBH_A_OUT_BUF,    /* guest bytes to write; capacity in arg .len */
	OBH_A_OUT_STR,    /* like OUT_BUF, NUL-terminated; ENAMETOOLONG if it does not fit */
	OBH_A_OUT_STRUCT, /* guest struct laid out from .msg (docs/abi.md) */
	OBH_A_OUT_U32,    /* uint32 to write back; NULL allowed */
	OBH_A_OUT_U64,    /* uint64 to write back; NULL allowed */
};

enum obh_result {
	OBH_R_INT,      /* int32; negative values in [-4095,-1] are -errno */
	OBH_R_FD,       /* the plugin's fd in `ret`, mapped to a new guest fd */
	OBH_R_DIR,      /* the plugin's dir handle in `ret`, mapped to a new guest one */
	OBH_R_HANDLE,   /* a kernel object handle */
	OBH_R_NORETURN, /* does not return to the caller */
};

/* The longest guest string accepted, including the NUL. */
#define OBH_STR_MAX 4096

struct obh_arg {
	enum obh_arg_kind kind;
	const char *name;   /* also the request field it marshals into */
	uint8_t len;        /* IN_BUF/OUT_BUF/OUT_STR: index of the length arg */
	uint8_t len_times;  /* IN_BUF: if not 0, the length is also multiplied by
			     * arg len_times - 1 (rows x stride) */
	uint8_t row_origin; /* IN_BUF of rows: if not 0, arg row_origin - 1 is the
			     * first row's coordinate, so a posted call too big
			     * for one frame can be sent as bands of rows */
	const ProtobufCMessageDescriptor *msg; /* OUT_STRUCT: its layout */
	const char *ctype;  /* FN/PTR: the C type in the SDK header, optional */
};

struct obh_thread;
struct obh_host;

/*
 * A decoded call as handlers see it: raw register values, plus strings
 * already copied out of guest memory.
 */
struct obh_args {
	uint32_t v[OBH_MAX_ARGS];
	char *str[OBH_MAX_ARGS]; /* OBH_A_STR args, host copies (freed by the dispatcher) */
};

/*
 * A host-local handler. Returns the guest's r0 (a value or -ABI errno), or
 * OBH_BLOCKED when it parked the thread on a kernel object (the kernel
 * writes r0 when it wakes the thread), or OBH_GONE when the calling thread
 * no longer exists (thread_exit, exit).
 */
typedef int64_t (*obh_local_fn)(struct obh_host *h, struct obh_thread *t,
				const struct obh_args *a);
#define OBH_BLOCKED INT64_MIN
#define OBH_GONE (INT64_MIN + 1)
/* Dispatcher-internal: a domain call parked the thread until someone else
 * wakes it with its r0 (a posted call waiting for credit). */
#define OBH_PARKED (INT64_MIN + 2)

struct obh_call {
	uint16_t num;       /* syscall number / HLE id; on the wire, the oneof field number */
	const char *name;   /* guest name: syscall "open" -> ob_open(); import "display_clear" */
	enum obh_domain domain;
	enum obh_mode mode;
	enum obh_entry entry;
	enum obh_result result;
	uint8_t nargs;
	struct obh_arg args[OBH_MAX_ARGS];
	obh_local_fn local; /* OBH_DOMAIN_KERNEL only */
	bool idempotent;    /* may be retried after a plugin restart */
	/* Optional: reject bad arguments in the host (-ABI errno), for posted
	 * calls whose plugin could only log the error. */
	int (*check)(const uint32_t *v);
	const char *doc;    /* one sentence for docs/abi.md and the header */
};

/* The table; numbers are unique and below 256. */
extern const struct obh_call obh_calls[];
extern const unsigned obh_ncalls;

/* The byte length of IN_BUF/OUT_BUF/OUT_STR argument i given the raw
 * values v: v[len], times v[len_times - 1] when set. -1 when the product
 * does not fit 32 bits (the guest asked for more than its address space). */
int64_t obh_arg_len(const struct obh_call *c, unsigned i, const uint32_t *v);

/* Lookups; NULL when there is no such call. */
const struct obh_call *obh_call_by_num(uint32_t num);
const struct obh_call *obh_call_by_name(const char *name);

const char *obh_domain_name(enum obh_domain d);
/* "kernel", "fs", ... -> domain; -1 if unknown. */
int obh_domain_from_name(const char *name);

#endif /* OBH_CALLS_H */
