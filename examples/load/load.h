/*
 * load: the load benchmark's guest (bench/load, docs/performance.md "Load").
 * Shared between load.c (threads, timing, reports) and steps.c (the calls
 * each worker makes in a round, every result checked).
 */
#ifndef LOAD_H
#define LOAD_H

#include <outboard.h>

#include <stdbool.h>
#include <stdint.h>

#define LOAD_MAX_THREADS 128
#define LOAD_DIR "load"
#define LOAD_SHARED LOAD_DIR "/shared.dat"
#define LOAD_SHARED_SIZE (256u * 1024u)
#define LOAD_BUF 4096u

/* What the counters count. Blocking calls wait for a plugin's reply (or,
 * for the kernel, for a kernel object); posted ones do not. */
enum load_kind {
	LOAD_FS,           /* blocking fs calls */
	LOAD_DISPLAY,      /* blocking display calls: display_info, display_present */
	LOAD_DISPLAY_POST, /* posted drawing calls */
	LOAD_SOUND_POST,   /* posted beeps */
	LOAD_KERNEL,       /* mutex and queue calls */
	LOAD_KINDS
};

/* The objects every worker shares, made by main before any worker starts. */
struct load_shared {
	int mutex;                    /* guards guarded_a and guarded_b */
	int queue;                    /* struct load_msg messages */
	uint32_t guarded_a, guarded_b; /* equal whenever the mutex is free */
	struct ob_display_mode mode;  /* display_info at start */
	int32_t last_frame;           /* display_present's last answer */
	int threads;
	uint32_t calls[LOAD_KINDS];   /* main's own calls: setup and clean-up */
};

/* One worker's state. Only the worker writes it; main reads the counters
 * for its progress lines (32-bit words, so a read is never torn). */
struct load_worker {
	int id;
	uint32_t round;
	uint32_t calls[LOAD_KINDS];
	uint32_t errors;
	uint32_t rng;
	int shared_fd;                /* the shared file, open for the whole run */
	char path[32];
	unsigned char buf[LOAD_BUF];
	unsigned char back[LOAD_BUF];
};

/* A queue message: any worker may receive any other's, so it carries its
 * own check word. */
struct load_msg {
	uint32_t sender, round, check;
};

/* The shared file's byte at offset: what main writes and workers check. */
static inline unsigned char load_shared_byte(uint32_t offset)
{
	return (unsigned char)((offset * 2654435761u) >> 24);
}

/* Writes the shared file and sets up the kernel objects and the display
 * mode, counting its calls in s->calls. Returns 0, or prints what failed
 * and returns -1. */
int load_setup(struct load_shared *s, int threads);

/* Before a worker's first round: its file name, its random seed, and the
 * shared file opened; after its last: the shared file closed. Both count
 * their calls and errors in w. */
void load_worker_start(struct load_worker *w);
void load_worker_finish(struct load_worker *w);

/* One round of the mix: fs, display, sound and kernel calls. Every failed
 * check counts in w->errors (and the first few are printed). */
void load_round(struct load_worker *w, struct load_shared *s);

/* Removes the workers' files, the shared file and the directory, and
 * closes the kernel objects, counting its calls in s->calls; returns the
 * number of failures (each printed). */
uint32_t load_cleanup(struct load_shared *s);

#endif
