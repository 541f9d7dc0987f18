/*
 * The fake gdb target (see gdb_fake.h).
 */
#include "gdb_fake.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int find(struct gdb_fake *f, uint32_t tid)
{
	for (int i = 0; i < FAKE_NTHREADS; i++)
		if (f->ids[i] == tid)
			return i;
	return -1;
}

static int f_send(void *ctx, const void *data, size_t len)
{
	struct gdb_fake *f = ctx;
	if (f->send_fails)
		return -EPIPE;
	if (len > sizeof(f->out) - 1 - f->out_len)
		f->out_len = 0; /* keep the newest: tests look at the last reply */
	if (len > sizeof(f->out) - 1)
		len = sizeof(f->out) - 1;
	memcpy(f->out + f->out_len, data, len);
	f->out_len += len;
	f->out[f->out_len] = '\0';
	return 0;
}

static int f_threads(void *ctx, uint32_t *ids, int max)
{
	struct gdb_fake *f = ctx;
	int n = max < FAKE_NTHREADS ? max : FAKE_NTHREADS;
	memcpy(ids, f->ids, (size_t)n * sizeof(*ids));
	return n;
}

static int f_thread_name(void *ctx, uint32_t tid, char *buf, size_t cap)
{
	int i = find(ctx, tid);
	if (i < 0)
		return -ESRCH;
	snprintf(buf, cap, i == 0 ? "main" : i == 1 ? "worker" : "a<b>&\"c");
	return 0;
}

static int f_thread_state(void *ctx, uint32_t tid, char *buf, size_t cap)
{
	if (find(ctx, tid) < 0)
		return -ESRCH;
	snprintf(buf, cap, "ready");
	return 0;
}

static int f_read_regs(void *ctx, uint32_t tid, uint32_t regs[OBG_NREGS])
{
	struct gdb_fake *f = ctx;
	int i = find(f, tid);
	if (i < 0)
		return -ESRCH;
	memcpy(regs, f->regs[i], sizeof(f->regs[i]));
	return 0;
}

static int f_write_reg(void *ctx, uint32_t tid, int n, uint32_t v)
{
	struct gdb_fake *f = ctx;
	int i = find(f, tid);
	if (i < 0)
		return -ESRCH;
	if (n < 0 || n >= OBG_NREGS)
		return -EINVAL;
	f->regs[i][n] = v;
	return 0;
}

static long f_read_mem(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
	struct gdb_fake *f = ctx;
	if (addr < FAKE_MEM_BASE || addr >= FAKE_MEM_BASE + FAKE_MEM_SIZE)
		return -EFAULT;
	uint32_t off = addr - FAKE_MEM_BASE, n = FAKE_MEM_SIZE - off < len ? FAKE_MEM_SIZE - off : len;
	memcpy(buf, f->mem + off, n);
	return n;
}

static int f_write_mem(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
	struct gdb_fake *f = ctx;
	if (addr < FAKE_MEM_BASE || (uint64_t)addr + len > FAKE_MEM_BASE + FAKE_MEM_SIZE)
		return -EFAULT;
	memcpy(f->mem + (addr - FAKE_MEM_BASE), buf, len);
	return 0;
}

static int f_point(void *ctx, enum obg_point type, uint32_t addr, uint32_t kind, bool insert)
{
	struct gdb_fake *f = ctx;
	if (addr < FAKE_MEM_BASE || addr >= FAKE_MEM_BASE + FAKE_MEM_SIZE)
		return -EFAULT;
	f->points += insert ? 1 : -1;
	f->last_type = type;
	f->last_addr = addr;
	f->last_kind = kind;
	return 0;
}

static uint32_t f_load_bias(void *ctx)
{
	(void)ctx;
	return 0x1000;
}

const struct obg_target_ops gdb_fake_ops = {
	.size = sizeof(struct obg_target_ops),
	.send = f_send,
	.threads = f_threads,
	.thread_name = f_thread_name,
	.thread_state = f_thread_state,
	.read_regs = f_read_regs,
	.write_reg = f_write_reg,
	.read_mem = f_read_mem,
	.write_mem = f_write_mem,
	.point = f_point,
	.load_bias = f_load_bias,
};

void gdb_fake_init(struct gdb_fake *f)
{
	memset(f, 0, sizeof(*f));
	f->ids[0] = 1;
	f->ids[1] = 2;
	f->ids[2] = 5;
	for (int t = 0; t < FAKE_NTHREADS; t++)
		for (int r = 0; r < OBG_NREGS; r++)
			f->regs[t][r] = (uint32_t)(t * 0x100 + r);
	for (uint32_t i = 0; i < FAKE_MEM_SIZE; i++)
		f->mem[i] = (uint8_t)i;
}
