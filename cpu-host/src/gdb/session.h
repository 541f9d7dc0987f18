/*
 * One gdb remote-protocol session: the packet framer, the command
 * dispatcher (one switch over the command letter to small handle_*
 * functions, as libvfio-user does, and one reply path), and what the
 * session remembers between packets (ack mode, the selected threads, the
 * last stop reply).
 *
 * The session knows nothing of Unicorn or the scheduler: it reaches the
 * guest through the target ops below (target.c implements them on the
 * CPU host; the unit tests and the fuzzer implement them on a fake). So a
 * malformed packet can only ever produce an error reply.
 */
#ifndef OBG_SESSION_H
#define OBG_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

/* Registers in the 'g' packet and the target description: r0-r15, cpsr. */
#define OBG_NREGS 17
#define OBG_REG_PC 15
#define OBG_REG_CPSR 16

/* Z/z packet types. */
enum obg_point {
	OBG_BP_SW = 0,      /* software breakpoint */
	OBG_BP_HW = 1,      /* hardware breakpoint: same as software here */
	OBG_WP_WRITE = 2,
	OBG_WP_READ = 3,
	OBG_WP_ACCESS = 4,
};

/*
 * What the guest side provides. ctx is the ops' own pointer. Every
 * function must tolerate any tid (answer -ESRCH for a thread that does not
 * exist) and any address (-EFAULT).
 */
struct obg_target_ops {
	size_t size;        /* sizeof(struct obg_target_ops) */
	/* Send bytes to the client; 0 or -errno (the session then ends). */
	int (*send)(void *ctx, const void *data, size_t len);
	/* Ids of the live threads, oldest first; returns how many (<= max). */
	int (*threads)(void *ctx, uint32_t *ids, int max);
	/* "name" and a state description ("waiting: mutex 3"), into buf. */
	int (*thread_name)(void *ctx, uint32_t tid, char *buf, size_t cap);
	int (*thread_state)(void *ctx, uint32_t tid, char *buf, size_t cap);
	/* Registers of a thread, live or saved: 0 or -ESRCH. */
	int (*read_regs)(void *ctx, uint32_t tid, uint32_t regs[OBG_NREGS]);
	int (*write_reg)(void *ctx, uint32_t tid, int n, uint32_t v);
	/* Memory: bytes copied (fewer than len where the memory ends; 0 or
	 * -EFAULT when the first byte is unmapped). */
	long (*read_mem)(void *ctx, uint32_t addr, void *buf, uint32_t len);
	int (*write_mem)(void *ctx, uint32_t addr, const void *buf, uint32_t len);
	/* Insert or remove a break/watchpoint: 0, -EINVAL, -ENOSPC, -ENOENT. */
	int (*point)(void *ctx, enum obg_point type, uint32_t addr, uint32_t kind, bool insert);
	/* Load bias of the image (qOffsets). */
	uint32_t (*load_bias)(void *ctx);
};

/* What the host must do after a packet. */
enum obg_action {
	OBG_ACT_NONE,       /* keep serving packets */
	OBG_ACT_CONTINUE,   /* run every thread */
	OBG_ACT_STEP,       /* one instruction of step_tid; the others run meanwhile */
	OBG_ACT_DETACH,     /* remove every point and let the guest run on */
	OBG_ACT_KILL,       /* end the run */
	OBG_ACT_CLOSE,      /* the connection failed: as detach */
};

struct obg_session {
	const struct obg_target_ops *ops;
	void *ctx;
	struct obg_framer framer;
	bool no_ack;            /* QStartNoAckMode accepted */
	uint32_t g_tid;         /* Hg: registers and memory of this thread */
	uint32_t c_tid;         /* Hc */
	uint32_t step_tid;      /* with OBG_ACT_STEP */
	char last_stop[64];     /* the stop reply, for '?' */
	char *last_sent;        /* our last framed packet, resent on '-' */
	size_t last_sent_len;
	uint64_t bad_packets;   /* bad checksums, overlong packets */
};

/* Start a session over ops (borrowed; both outlive the session). */
void obg_session_init(struct obg_session *s, const struct obg_target_ops *ops, void *ctx);
void obg_session_fini(struct obg_session *s);

/*
 * Feed bytes received from the client. Packets are acknowledged, handled
 * and answered through ops->send. Returns the action of the first packet
 * that asks for one (*used tells how many bytes were consumed: the rest
 * belongs to after that action), OBG_ACT_NONE when all were consumed, or
 * OBG_ACT_CLOSE when sending failed. *interrupted is set on a 0x03 byte.
 */
enum obg_action obg_session_feed(struct obg_session *s, const void *data, size_t len,
				 size_t *used, bool *interrupted);

/* Handle one complete packet body (NUL-terminated, len bytes). */
enum obg_action obg_session_packet(struct obg_session *s, char *body, size_t len);

/* Send a stop reply ("T05thread:1;", "W00", ...) and remember it for '?'. */
int obg_session_stop_reply(struct obg_session *s, const char *reply);

/* Send one packet with this body. 0 or -errno. */
int obg_session_send(struct obg_session *s, const char *body, size_t len);

#endif /* OBG_SESSION_H */
