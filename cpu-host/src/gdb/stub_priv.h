/*
 * The stub's state, shared by stub.c (connection, stops, the run-loop
 * glue), target.c (the session's view of threads, registers and memory)
 * and hooks.c (breakpoints, watchpoints and steps in Unicorn).
 */
#ifndef OBG_STUB_PRIV_H
#define OBG_STUB_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "host.h"
#include "session.h"

#define OBG_MAX_BREAKS 64
#define OBG_MAX_WATCHES 16

enum obg_stop {
	OBG_STOP_NONE,
	OBG_STOP_ENTRY,      /* the program is loaded, nothing ran yet */
	OBG_STOP_BREAK,
	OBG_STOP_WATCH,
	OBG_STOP_STEP,
	OBG_STOP_INTERRUPT,  /* Ctrl-C */
};

struct obg_break {
	uint32_t addr;
	uc_hook hook;
};

struct obg_watch {
	uint32_t addr, len;
	enum obg_point type;
	uc_hook hook[2];     /* read, write (0: none) */
};

struct obh_gdb {
	struct obh_host *h;
	int listen_fd, fd;
	struct obg_session session;
	bool attached;       /* a client is connected and has not detached */
	struct obg_symbols *symbols; /* thread names, load bias; may be NULL */

	/* The stop to report at the next obh_gdb_check. */
	enum obg_stop stop;
	uint32_t stop_tid;
	const char *watch_kind; /* "watch", "rwatch", "awatch" */
	uint32_t watch_addr;
	/* A watched write already happened when the engine stopped: put the
	 * old bytes back so the instruction re-runs from its start. */
	uint32_t undo_addr, undo_len;
	uint8_t undo[16];

	struct obg_break breaks[OBG_MAX_BREAKS];
	int nbreaks;
	struct obg_watch watches[OBG_MAX_WATCHES];
	int nwatches;

	/* Single step: the full-range code hook (also needed by watchpoints,
	 * so PC names the accessing instruction), and the stepping thread. */
	uc_hook code_hook;
	bool stepping;
	uint32_t step_tid;
	bool step_started;   /* the thread has begun its one instruction */
};

/* target.c */
extern const struct obg_target_ops obg_host_ops;

/* hooks.c: 0 or -errno. */
int obg_point(struct obh_gdb *g, enum obg_point type, uint32_t addr, uint32_t len,
	      bool insert);
void obg_points_clear(struct obh_gdb *g);
int obg_step_begin(struct obh_gdb *g, uint32_t tid);
void obg_step_end(struct obh_gdb *g);
/* After the engine stopped at a watched write: undo it. */
void obg_watch_undo(struct obh_gdb *g);

#endif /* OBG_STUB_PRIV_H */
