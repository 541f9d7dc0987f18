/*
 * ARM semihosting (see semihost.h).
 */
#include "semihost.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "dispatch.h"
#include "fdtable.h"
#include "fs.pb-c.h"
#include "layout.h"
#include "mem.h"
#include "outboard.pb-c.h"
#include "outboard/errno.h"
#include "outboard/log.h"

#define CAT "semihost"

enum {
	SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04,
	SYS_WRITE = 0x05, SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08,
	SYS_ISTTY = 0x09, SYS_SEEK = 0x0a, SYS_FLEN = 0x0c, SYS_TMPNAM = 0x0d,
	SYS_REMOVE = 0x0e, SYS_RENAME = 0x0f, SYS_CLOCK = 0x10, SYS_TIME = 0x11,
	SYS_SYSTEM = 0x12, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15, SYS_HEAPINFO = 0x16,
	SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30, SYS_TICKFREQ = 0x31,
};

#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

/* The pseudo-file ":semihosting-features": magic "SHFB" then one byte of
 * feature bits: exit with a status (SYS_EXIT_EXTENDED) and a separate
 * stderr (":tt" opened for append). qemu-arm 7.2 reports the same. */
static const uint8_t features[] = { 'S', 'H', 'F', 'B', 0x03 };
#define FEATURES_HANDLE 0x7ffffff0u

/* Scratch for results the host needs and the guest did not provide memory
 * for (SYS_FLEN's fstat): one slot per thread id modulo SCRATCH_SLOTS. */
#define SCRATCH_ADDR (OBH_HOST_PAGE + OBH_HOST_PAGE_SIZE)
#define SCRATCH_SLOT 64u
#define SCRATCH_SLOTS (OBH_PAGE_SIZE / SCRATCH_SLOT)

struct obh_semihost {
	struct obh_semihost_layout layout;
	int last_errno;             /* host (Linux) numbering, for SYS_ERRNO */
	bool features_open;
	uint32_t features_pos;
	bool heap_mapped;
	int64_t start_ns;
};

/* A rewrite of a dispatched call's result into semihosting's convention.
 * AS_REMOVE is remove(3), as qemu-arm calls it: unlink, and rmdir when
 * that says EISDIR. AS_CHAR is SYS_READC's byte. */
enum shape { AS_HANDLE, AS_ZERO, AS_NOT_DONE, AS_FLEN, AS_REMOVE, AS_CHAR };

struct rewrite {
	enum shape shape;
	uint32_t len;               /* AS_NOT_DONE: bytes asked for */
	uint32_t scratch;           /* AS_FLEN, AS_CHAR: where the call wrote */
	uint32_t path;              /* AS_REMOVE: the guest's path string */
};

static int call_fs(struct obh_host *h, struct obh_thread *t, uint32_t num,
		   const uint32_t *args, unsigned n, enum shape shape, uint32_t len,
		   uint32_t scratch);

int obh_semihost_init(struct obh_host *h, const struct obh_semihost_layout *layout)
{
	struct obh_semihost *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->layout = *layout;
	s->start_ns = obh_now_ns();
	int err = obh_mem_map(h->mem, SCRATCH_ADDR, OBH_PAGE_SIZE, OBH_PROT_R | OBH_PROT_W,
			      "host-scratch");
	if (err) {
		free(s);
		return err;
	}
	h->semihost = s;
	return 0;
}

void obh_semihost_fini(struct obh_host *h)
{
	free(h->semihost);
	h->semihost = NULL;
}

static int64_t fail(struct obh_semihost *s, int host_errno)
{
	s->last_errno = host_errno;
	return -1;
}

static int64_t rewrite_result(struct obh_host *h, struct obh_thread *t, void *arg, int64_t r0)
{
	struct obh_semihost *s = h->semihost;
	const struct rewrite *rw = arg;
	if (rw->shape == AS_REMOVE && r0 == -OB_ABI_EISDIR)
		return call_fs(h, t, OB__REQUEST__CALL_FS_RMDIR, &rw->path, 1, AS_ZERO, 0, 0)
			       ? -1 /* ENOMEM, noted */
			       : OBH_BLOCKED;
	if (r0 < 0) {
		fail(s, ob_errno_from_abi((int)-r0));
		return rw->shape == AS_NOT_DONE ? (int64_t)rw->len : -1;
	}
	switch (rw->shape) {
	case AS_HANDLE:
		return r0;
	case AS_ZERO:
	case AS_REMOVE:
		return 0;
	case AS_NOT_DONE:
		return (int64_t)rw->len - r0;
	case AS_FLEN: {
		uint64_t size;
		unsigned i = 0;
		while (strcmp(ob__file_stat__descriptor.fields[i].name, "size") != 0)
			i++;
		uint32_t off = obh_layout_offset(&ob__file_stat__descriptor, i);
		if (obh_mem_read(h->mem, rw->scratch + off, &size, 8))
			return fail(s, EFAULT);
		return size > INT32_MAX ? fail(s, EOVERFLOW) : (int64_t)size;
	}
	case AS_CHAR: {
		uint8_t ch;
		if (r0 == 0)
			return -1; /* end of file */
		return obh_mem_read(h->mem, rw->scratch, &ch, 1) ? fail(s, EFAULT) : ch;
	}
	}
	return r0;
}

/* Run an fs call for the guest with its result rewritten: 0, or -ENOMEM
 * when it could not start (t's r0 and SYS_ERRNO say so). */
static int call_fs(struct obh_host *h, struct obh_thread *t, uint32_t num,
		   const uint32_t *args, unsigned n, enum shape shape, uint32_t len,
		   uint32_t scratch)
{
	uint32_t v[OBH_MAX_ARGS] = { 0 };
	memcpy(v, args, n * sizeof(uint32_t));
	struct rewrite *rw = malloc(sizeof(*rw));
	if (!rw) {
		obh_thread_set_reg(h, t, UC_ARM_REG_R0, (uint32_t)fail(h->semihost, ENOMEM));
		return -ENOMEM;
	}
	*rw = (struct rewrite){ .shape = shape, .len = len, .scratch = scratch, .path = args[0] };
	obh_dispatch(h, t, obh_call_by_num(num), v, rewrite_result, rw, true);
	return 0;
}

static uint32_t open_flags(uint32_t mode)
{
	static const uint32_t by_mode[6] = {
		OB__OPEN_FLAG__OPEN_RDONLY,
		OB__OPEN_FLAG__OPEN_RDWR,
		OB__OPEN_FLAG__OPEN_WRONLY | OB__OPEN_FLAG__OPEN_CREAT | OB__OPEN_FLAG__OPEN_TRUNC,
		OB__OPEN_FLAG__OPEN_RDWR | OB__OPEN_FLAG__OPEN_CREAT | OB__OPEN_FLAG__OPEN_TRUNC,
		OB__OPEN_FLAG__OPEN_WRONLY | OB__OPEN_FLAG__OPEN_CREAT | OB__OPEN_FLAG__OPEN_APPEND,
		OB__OPEN_FLAG__OPEN_RDWR | OB__OPEN_FLAG__OPEN_CREAT | OB__OPEN_FLAG__OPEN_APPEND,
	};
	/* Modes come in pairs (text, binary): r rb r+ r+b w wb w+ w+b a ab a+ a+b. */
	return by_mode[(mode / 2) % 6];
}

static int64_t sys_open(struct obh_host *h, struct obh_thread *t, const uint32_t *b)
{
	struct obh_semihost *s = h->semihost;
	char name[32];
	uint32_t mode = b[1];
	if (mode > 11)
		return fail(s, EINVAL);
	if (obh_mem_read_str(h->mem, b[0], name, sizeof(name)) >= 0) {
		if (strcmp(name, ":tt") == 0)
			return mode < 4 ? 0 : mode < 8 ? 1 : 2;
		if (strcmp(name, ":semihosting-features") == 0) {
			if (mode > 1) /* read-only, as qemu-arm says */
				return fail(s, EACCES);
			s->features_open = true;
			s->features_pos = 0;
			return FEATURES_HANDLE;
		}
	}
	uint32_t args[3] = { b[0], open_flags(mode), 0666 };
	call_fs(h, t, OB__REQUEST__CALL_FS_OPEN, args, 3, AS_HANDLE, 0, 0);
	return OBH_BLOCKED;
}

static int64_t features_read(struct obh_host *h, const uint32_t *b)
{
	struct obh_semihost *s = h->semihost;
	uint32_t left = sizeof(features) - s->features_pos;
	uint32_t n = b[2] < left ? b[2] : left;
	if (n && obh_mem_write(h->mem, b[1], features + s->features_pos, n))
		return fail(s, EFAULT);
	s->features_pos += n;
	return b[2] - n;
}

static bool is_features(struct obh_host *h, uint32_t handle)
{
	return handle == FEATURES_HANDLE && h->semihost->features_open;
}

static int64_t sys_file_op(struct obh_host *h, struct obh_thread *t, uint32_t op,
			   const uint32_t *b)
{
	struct obh_semihost *s = h->semihost;
	if (is_features(h, b[0])) {
		switch (op) {
		case SYS_CLOSE:
			s->features_open = false;
			return 0;
		case SYS_READ:
			return features_read(h, b);
		case SYS_FLEN:
			return sizeof(features);
		case SYS_SEEK:
			s->features_pos = b[1] < sizeof(features) ? b[1] : sizeof(features);
			return 0;
		default:
			return fail(s, EBADF);
		}
	}
	uint32_t scratch = SCRATCH_ADDR + (t->id % SCRATCH_SLOTS) * SCRATCH_SLOT;
	switch (op) {
	case SYS_CLOSE:
		call_fs(h, t, OB__REQUEST__CALL_FS_CLOSE, b, 1, AS_ZERO, 0, 0);
		break;
	case SYS_WRITE:
		call_fs(h, t, OB__REQUEST__CALL_FS_WRITE, b, 3, AS_NOT_DONE, b[2], 0);
		break;
	case SYS_READ:
		call_fs(h, t, OB__REQUEST__CALL_FS_READ, b, 3, AS_NOT_DONE, b[2], 0);
		break;
	case SYS_SEEK: {
		uint32_t args[3] = { b[0], b[1], OB__WHENCE__WHENCE_SET };
		call_fs(h, t, OB__REQUEST__CALL_FS_LSEEK, args, 3, AS_ZERO, 0, 0);
		break;
	}
	case SYS_FLEN: {
		uint32_t args[2] = { b[0], scratch };
		call_fs(h, t, OB__REQUEST__CALL_FS_FSTAT, args, 2, AS_FLEN, 0, scratch);
		break;
	}
	}
	return OBH_BLOCKED;
}

static int64_t sys_cmdline(struct obh_host *h, uint32_t block)
{
	struct obh_semihost *s = h->semihost;
	uint32_t b[2];
	if (obh_mem_read(h->mem, block, b, sizeof(b)))
		return fail(s, EFAULT);
	char line[4096];
	size_t used = 0;
	for (int i = 0; i < h->opts.guest_argc; i++) {
		int n = snprintf(line + used, sizeof(line) - used, "%s%s", i ? " " : "",
				 h->opts.guest_argv[i]);
		if (n < 0 || (size_t)n >= sizeof(line) - used)
			return fail(s, E2BIG);
		used += (size_t)n;
	}
	if (used + 1 > b[1])
		return fail(s, E2BIG);
	uint32_t len = (uint32_t)used;
	if (obh_mem_write(h->mem, b[0], line, len + 1) || obh_mem_write(h->mem, block + 4, &len, 4))
		return fail(s, EFAULT);
	return 0;
}

/* rdimon's sbrk grows from the image's `end` up to the limit it is told,
 * without asking the host: map that whole range once, on first request. */
static int64_t sys_heapinfo(struct obh_host *h, uint32_t ptr_addr)
{
	struct obh_semihost *s = h->semihost;
	const struct obh_semihost_layout *l = &s->layout;
	uint32_t block;
	if (obh_mem_read(h->mem, ptr_addr, &block, 4))
		return fail(s, EFAULT);
	if (!s->heap_mapped) {
		if (l->heap_start > l->image_end &&
		    obh_mem_map(h->mem, l->image_end, l->heap_start - l->image_end,
				OBH_PROT_R | OBH_PROT_W, "heap-low"))
			return fail(s, ENOMEM);
		uint32_t start, brk, limit;
		obh_mem_heap_info(h->mem, &start, &brk, &limit);
		if (limit > brk && obh_mem_sbrk(h->mem, (int32_t)(limit - brk)) < 0)
			return fail(s, ENOMEM);
		s->heap_mapped = true;
	}
	uint32_t info[4] = { l->image_end, l->heap_start + l->heap_max, l->stack_hi, l->stack_lo };
	if (obh_mem_write(h->mem, block, info, sizeof(info)))
		return fail(s, EFAULT);
	return 0;
}

static int64_t sys_exit(struct obh_host *h, uint32_t op, uint32_t r1)
{
	int status;
	if (op == SYS_EXIT_EXTENDED) {
		uint32_t b[2];
		if (obh_mem_read(h->mem, r1, b, sizeof(b)))
			return fail(h->semihost, EFAULT);
		status = b[0] == ADP_STOPPED_APPLICATION_EXIT ? (int)(b[1] & 0xff) : 1;
	} else {
		status = r1 == ADP_STOPPED_APPLICATION_EXIT ? 0 : 1;
	}
	obh_host_exit(h, status);
	return OBH_GONE;
}

static int64_t sys_write_console(struct obh_host *h, uint32_t op, uint32_t r1)
{
	char buf[256];
	if (op == SYS_WRITEC) {
		if (obh_mem_read(h->mem, r1, buf, 1))
			return fail(h->semihost, EFAULT);
		return obh_console_write(1, buf, 1);
	}
	for (uint32_t addr = r1;; addr += sizeof(buf) - 1) {
		int len = obh_mem_read_str(h->mem, addr, buf, sizeof(buf));
		if (len == -EFAULT)
			return fail(h->semihost, EFAULT);
		if (len >= 0)
			return obh_console_write(1, buf, (uint32_t)len);
		/* No NUL yet: the first sizeof(buf) - 1 bytes are readable. */
		if (obh_mem_read(h->mem, addr, buf, sizeof(buf) - 1))
			return fail(h->semihost, EFAULT);
		obh_console_write(1, buf, sizeof(buf) - 1);
	}
}

/* Ticks since the run started, in nanoseconds (SYS_TICKFREQ), as qemu-arm. */
static int64_t sys_elapsed(struct obh_host *h, uint32_t r1)
{
	uint64_t ns = (uint64_t)(obh_now_ns() - h->semihost->start_ns);
	return obh_mem_write(h->mem, r1, &ns, 8) ? fail(h->semihost, EFAULT) : 0;
}

/* The process's CPU time in centiseconds, as qemu-arm's clock() / 10 ms:
 * a guest that waits (on a plugin, a sleep) uses none. */
static int64_t sys_clock(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts))
		return -1;
	return (int64_t)ts.tv_sec * 100 + ts.tv_nsec / 10000000;
}

/* qemu-arm runs the command on the host; outboard never runs host
 * commands for a guest. Refused with -1 and ENOSYS, and said once. */
static int64_t sys_system(struct obh_host *h, struct obh_thread *t, uint32_t r1)
{
	static bool warned;
	uint32_t b[2];
	char cmd[64] = "";
	if (obh_mem_read(h->mem, r1, b, sizeof(b)))
		return fail(h->semihost, EFAULT);
	if (!warned) {
		bool cut = obh_mem_read_str(h->mem, b[0], cmd, sizeof(cmd)) == -ENAMETOOLONG &&
			   obh_mem_read(h->mem, b[0], cmd, sizeof(cmd) - 1) == 0;
		for (char *c = cmd; *c; c++)
			if (*c < ' ' || *c > '~')
				*c = '?';
		OB_WARN(CAT, "thread %u: system(\"%s%s\") refused: outboard does not run host "
			"commands for a guest (SYS_SYSTEM returns -1, errno ENOSYS; said once)",
			t->id, cmd, cut ? "..." : "");
		warned = true;
	}
	return fail(h->semihost, ENOSYS);
}

static int64_t sys_tmpnam(struct obh_host *h, const uint32_t *b)
{
	char name[32];
	int n = snprintf(name, sizeof(name), "outboard-tmp-%03u", b[1] & 0xff);
	if ((uint32_t)n + 1 > b[2])
		return fail(h->semihost, ENAMETOOLONG);
	return obh_mem_write(h->mem, b[0], name, (uint32_t)n + 1) ? fail(h->semihost, EFAULT) : 0;
}

/* Operations whose r1 is a parameter block of up to four words. */
static int64_t with_block(struct obh_host *h, struct obh_thread *t, uint32_t op, uint32_t r1)
{
	uint32_t b[4] = { 0 };
	unsigned words = op == SYS_RENAME ? 4 : op == SYS_OPEN || op == SYS_READ ||
							op == SYS_WRITE || op == SYS_TMPNAM
						? 3
					: op == SYS_SEEK || op == SYS_REMOVE ? 2 : 1;
	if (obh_mem_read(h->mem, r1, b, words * 4))
		return fail(h->semihost, EFAULT);
	switch (op) {
	case SYS_OPEN:
		return sys_open(h, t, b);
	case SYS_ISERROR:
		return (int32_t)b[0] < 0;
	case SYS_ISTTY: { /* qemu-arm: isatty(3)'s errno, ENOTTY for a file */
		const struct obh_fd *f = obh_fd_get(h->fds, (int32_t)b[0]);
		if (!f && !is_features(h, b[0]))
			return fail(h->semihost, EBADF);
		if (f && obh_console_isatty(f))
			return 1;
		fail(h->semihost, ENOTTY);
		return 0;
	}
	case SYS_REMOVE:
		call_fs(h, t, OB__REQUEST__CALL_FS_UNLINK, b, 1, AS_REMOVE, 0, 0);
		return OBH_BLOCKED;
	case SYS_RENAME: {
		uint32_t args[2] = { b[0], b[2] };
		call_fs(h, t, OB__REQUEST__CALL_FS_RENAME, args, 2, AS_ZERO, 0, 0);
		return OBH_BLOCKED;
	}
	case SYS_TMPNAM:
		return sys_tmpnam(h, b);
	default:
		return sys_file_op(h, t, op, b);
	}
}

void obh_semihost(struct obh_host *h, struct obh_thread *t)
{
	uint32_t op = obh_thread_reg(h, t, UC_ARM_REG_R0);
	uint32_t r1 = obh_thread_reg(h, t, UC_ARM_REG_R1);
	struct obh_semihost *s = h->semihost;
	int64_t r0;
	switch (op) {
	case SYS_OPEN: case SYS_CLOSE: case SYS_WRITE: case SYS_READ: case SYS_ISERROR:
	case SYS_ISTTY: case SYS_SEEK: case SYS_FLEN: case SYS_TMPNAM: case SYS_REMOVE:
	case SYS_RENAME:
		r0 = with_block(h, t, op, r1);
		break;
	case SYS_WRITEC:
	case SYS_WRITE0:
		r0 = sys_write_console(h, op, r1);
		break;
	case SYS_READC: {
		/* A one-byte read of fd 0 (the console's stdin): it may wait for
		 * input like any read, without holding up other threads. */
		uint32_t scratch = SCRATCH_ADDR + (t->id % SCRATCH_SLOTS) * SCRATCH_SLOT;
		uint32_t args[3] = { 0, scratch, 1 };
		call_fs(h, t, OB__REQUEST__CALL_FS_READ, args, 3, AS_CHAR, 0, scratch);
		r0 = OBH_BLOCKED;
		break;
	}
	case SYS_CLOCK:
		r0 = sys_clock();
		break;
	case SYS_SYSTEM:
		r0 = sys_system(h, t, r1);
		break;
	case SYS_TIME:
		r0 = (int64_t)time(NULL);
		break;
	case SYS_ERRNO:
		r0 = s->last_errno;
		break;
	case SYS_GET_CMDLINE:
		r0 = sys_cmdline(h, r1);
		break;
	case SYS_HEAPINFO:
		r0 = sys_heapinfo(h, r1);
		break;
	case SYS_EXIT:
	case SYS_EXIT_EXTENDED:
		r0 = sys_exit(h, op, r1);
		break;
	case SYS_ELAPSED:
		r0 = sys_elapsed(h, r1);
		break;
	case SYS_TICKFREQ:
		r0 = 1000000000;
		break;
	default:
		OB_STUB(CAT, "thread %u: semihosting operation 0x%x is not supported", t->id, op);
		r0 = fail(s, ENOSYS);
		break;
	}
	if (r0 != OBH_BLOCKED && r0 != OBH_GONE)
		obh_thread_set_reg(h, t, UC_ARM_REG_R0, (uint32_t)r0);
}
