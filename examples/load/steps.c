/*
 * The calls of one load round (load.h), each result checked: data read
 * back must be the data written, a checksum must match, a directory must
 * list what is known to be there, kernel objects must keep their
 * invariants. A failed check counts as an error and the first few are
 * printed with the call's result.
 */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#define LOAD_TIMEOUT_MS 5000
#define PRINTED_MAX 20
#define READDIR_EVERY 4
#define INFO_EVERY 16
#define BEEP_EVERY 32
#define YIELD_EVERY 8
#define PREAD_MAX 1024u

static uint32_t printed;

/* A failed check: counted, and printed while few have been. */
static void fail(struct load_worker *w, const char *what, int rc)
{
	w->errors++;
	if (printed < PRINTED_MAX) {
		printed++;
		printf("load: thread %d round %lu: %s (result %d)\n", w->id,
		       (unsigned long)w->round, what, rc);
	}
}

static uint32_t next_random(struct load_worker *w)
{
	uint32_t x = w->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return w->rng = x;
}

static uint32_t fnv1a(uint32_t h, const unsigned char *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* ---- fs ---- */

/* Its own file: written, read back, checked, closed, then stat'ed. */
static void fs_own_file(struct load_worker *w)
{
	uint32_t n = 512 + next_random(w) % (LOAD_BUF - 511);
	for (uint32_t i = 0; i < n; i++)
		w->buf[i] = (unsigned char)(w->id * 37 + w->round * 11 + i * 7 + (i >> 8));
	w->calls[LOAD_FS]++;
	int fd = ob_open(w->path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fail(w, "open own file", fd);
		return;
	}
	int r = ob_write(fd, w->buf, n);
	w->calls[LOAD_FS]++;
	if (r != (int)n)
		fail(w, "write own file", r);
	r = ob_lseek(fd, 0, 0);
	w->calls[LOAD_FS]++;
	if (r != 0)
		fail(w, "lseek own file", r);
	r = ob_read(fd, w->back, LOAD_BUF);
	w->calls[LOAD_FS]++;
	if (r != (int)n)
		fail(w, "read own file back: length", r);
	else if (memcmp(w->buf, w->back, n) != 0)
		fail(w, "read own file back: data differs", r);
	r = ob_read(fd, w->back, LOAD_BUF);
	w->calls[LOAD_FS]++;
	if (r != 0)
		fail(w, "read own file: no end of file", r);
	r = ob_close(fd);
	w->calls[LOAD_FS]++;
	if (r != 0)
		fail(w, "close own file", r);

	struct ob_file_stat st;
	r = ob_stat(w->path, &st);
	w->calls[LOAD_FS]++;
	if (r != 0)
		fail(w, "stat own file", r);
	else if (st.type != OB_DT_FILE || st.size != n)
		fail(w, "stat own file: wrong type or size", (int)st.size);
}

/* A piece of the shared file, checked against the known pattern. */
static void fs_shared(struct load_worker *w)
{
	uint32_t len = 1 + next_random(w) % PREAD_MAX;
	uint32_t offset = next_random(w) % (LOAD_SHARED_SIZE - len + 1);
	uint32_t want = 2166136261u;
	for (uint32_t i = 0; i < len; i++) {
		unsigned char b = load_shared_byte(offset + i);
		want = fnv1a(want, &b, 1);
	}
	int r = ob_pread(w->shared_fd, w->back, len, (int32_t)offset);
	w->calls[LOAD_FS]++;
	if (r != (int)len)
		fail(w, "pread shared file: length", r);
	else if (fnv1a(2166136261u, w->back, len) != want)
		fail(w, "pread shared file: checksum differs", r);
}

/* "tNNN.dat" of a worker, or -1 for any other name. */
static int worker_of(const char *name)
{
	int id;
	char end;
	if (sscanf(name, "t%3d.da%c", &id, &end) != 2 || end != 't' || strlen(name) != 8)
		return -1;
	return id;
}

/* The directory lists the shared file and our own, and nothing foreign. */
static void fs_readdir(struct load_worker *w, const struct load_shared *s)
{
	w->calls[LOAD_FS]++;
	int dir = ob_opendir(LOAD_DIR);
	if (dir < 0) {
		fail(w, "opendir", dir);
		return;
	}
	bool own = false, shared = false;
	char name[64];
	int entries = 0, r = 0;
	while (entries <= s->threads + 1) {
		r = ob_readdir(dir, name, sizeof(name));
		w->calls[LOAD_FS]++;
		if (r <= 0)
			break;
		entries++;
		int id = worker_of(name);
		if (r != OB_DT_FILE || (strcmp(name, "shared.dat") != 0 && (id < 0 || id >= s->threads)))
			fail(w, "readdir: an entry that is not ours", r);
		own |= id == w->id;
		shared |= strcmp(name, "shared.dat") == 0;
	}
	if (r < 0)
		fail(w, "readdir", r);
	else if (r > 0)
		fail(w, "readdir: too many entries", entries);
	else if (!own || !shared)
		fail(w, "readdir: own or shared file missing", entries);
	r = ob_closedir(dir);
	w->calls[LOAD_FS]++;
	if (r != 0)
		fail(w, "closedir", r);
}

/* ---- display and sound ---- */

static void draw(struct load_worker *w, struct load_shared *s)
{
	int32_t tw = (int32_t)s->mode.width / 8, th = (int32_t)s->mode.height / 8;
	int32_t x = (w->id % 8) * tw, y = (w->id / 8 % 8) * th;
	uint32_t color = (next_random(w) & 0xffffff);
	char text[16];

	int r = ob_display_fill_rect(x, y, tw, th, color);
	w->calls[LOAD_DISPLAY_POST]++;
	if (r != 0)
		fail(w, "display_fill_rect", r);
	snprintf(text, sizeof(text), "%d", w->id);
	r = ob_display_draw_text(x + 1, y + 1, text, color ^ 0xffffff);
	w->calls[LOAD_DISPLAY_POST]++;
	if (r != 0)
		fail(w, "display_draw_text", r);

	if (w->round % INFO_EVERY == 0) {
		struct ob_display_mode m;
		r = ob_display_info(&m);
		w->calls[LOAD_DISPLAY]++;
		if (r != 0)
			fail(w, "display_info", r);
		else if (memcmp(&m, &s->mode, sizeof(m)) != 0)
			fail(w, "display_info: the mode changed", (int)m.width);
	}
	if (w->id == 0) {
		/* The only presenter: frame numbers follow each other. */
		r = ob_display_present();
		w->calls[LOAD_DISPLAY]++;
		if (r != s->last_frame + 1)
			fail(w, "display_present: not the next frame", r);
		if (r > 0)
			s->last_frame = r;
	}
}

static void beep(struct load_worker *w)
{
	if (w->round % BEEP_EVERY != (uint32_t)w->id % BEEP_EVERY)
		return;
	int r = ob_sound_beep(200 + (uint32_t)w->id * 37 % 1800, 5);
	w->calls[LOAD_SOUND_POST]++;
	if (r != 0)
		fail(w, "sound_beep", r);
}

/* ---- kernel ---- */

static uint32_t msg_check(uint32_t sender, uint32_t round)
{
	return (sender * 2654435761u) ^ (round * 40503u) ^ 0x5a5a5a5au;
}

/* A critical section that sometimes yields inside, then a message through
 * the shared queue (whichever worker's comes out must be intact). */
static void kernel(struct load_worker *w, struct load_shared *s)
{
	int r = ob_mutex_lock(s->mutex, LOAD_TIMEOUT_MS);
	w->calls[LOAD_KERNEL]++;
	if (r != 0) {
		fail(w, "mutex_lock", r);
	} else {
		if (s->guarded_a != s->guarded_b)
			fail(w, "mutex: guarded counters differ", (int)(s->guarded_a - s->guarded_b));
		s->guarded_a++;
		if (w->round % YIELD_EVERY == 0) {
			ob_thread_yield();
			w->calls[LOAD_KERNEL]++;
		}
		s->guarded_b++;
		r = ob_mutex_unlock(s->mutex);
		w->calls[LOAD_KERNEL]++;
		if (r != 0)
			fail(w, "mutex_unlock", r);
	}

	struct load_msg msg = { (uint32_t)w->id, w->round, msg_check((uint32_t)w->id, w->round) };
	r = ob_queue_send(s->queue, &msg, sizeof(msg), LOAD_TIMEOUT_MS);
	w->calls[LOAD_KERNEL]++;
	if (r != 0) {
		fail(w, "queue_send", r);
		return;
	}
	memset(&msg, 0, sizeof(msg));
	r = ob_queue_recv(s->queue, &msg, sizeof(msg), LOAD_TIMEOUT_MS);
	w->calls[LOAD_KERNEL]++;
	if (r != (int)sizeof(msg))
		fail(w, "queue_recv", r);
	else if (msg.sender >= (uint32_t)s->threads || msg.check != msg_check(msg.sender, msg.round))
		fail(w, "queue_recv: a damaged message", (int)msg.sender);
}

/* ---- the round, and what comes before and after ---- */

void load_round(struct load_worker *w, struct load_shared *s)
{
	fs_own_file(w);
	fs_shared(w);
	if (w->round % READDIR_EVERY == 0)
		fs_readdir(w, s);
	draw(w, s);
	beep(w);
	kernel(w, s);
	w->round++;
}

void load_worker_start(struct load_worker *w)
{
	snprintf(w->path, sizeof(w->path), LOAD_DIR "/t%03d.dat", w->id);
	w->rng = 2463534242u ^ ((uint32_t)w->id * 2654435761u);
	if (w->rng == 0)
		w->rng = 1;
	w->shared_fd = ob_open(LOAD_SHARED, O_RDONLY, 0);
	w->calls[LOAD_FS]++;
	if (w->shared_fd < 0)
		fail(w, "open shared file", w->shared_fd);
}

void load_worker_finish(struct load_worker *w)
{
	if (w->shared_fd < 0)
		return;
	int r = ob_close(w->shared_fd);
	w->calls[LOAD_FS]++;
	if (r != 0)
		fail(w, "close shared file", r);
}

/* Writes the shared file; 0 or -1 (printed). */
static int write_shared(struct load_shared *s)
{
	static unsigned char chunk[LOAD_BUF];
	int r = ob_mkdir(LOAD_DIR, 0755);
	s->calls[LOAD_FS]++;
	if (r != 0 && r != -EEXIST) {
		printf("load: mkdir %s: %d\n", LOAD_DIR, r);
		return -1;
	}
	int fd = ob_open(LOAD_SHARED, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	s->calls[LOAD_FS]++;
	if (fd < 0) {
		printf("load: create %s: %d\n", LOAD_SHARED, fd);
		return -1;
	}
	for (uint32_t off = 0; off < LOAD_SHARED_SIZE && r >= 0; off += LOAD_BUF) {
		for (uint32_t i = 0; i < LOAD_BUF; i++)
			chunk[i] = load_shared_byte(off + i);
		r = ob_write(fd, chunk, LOAD_BUF);
		s->calls[LOAD_FS]++;
		if (r != (int)LOAD_BUF)
			r = r < 0 ? r : -EIO;
	}
	int rc = ob_close(fd);
	s->calls[LOAD_FS]++;
	if (r < 0 || rc != 0) {
		printf("load: write %s: %d, close: %d\n", LOAD_SHARED, r, rc);
		return -1;
	}
	return 0;
}

int load_setup(struct load_shared *s, int threads)
{
	s->threads = threads;
	if (write_shared(s) != 0)
		return -1;
	s->mutex = ob_mutex_create(0);
	s->queue = ob_queue_create(sizeof(struct load_msg), (uint32_t)threads);
	s->calls[LOAD_KERNEL] += 2;
	int r = ob_display_info(&s->mode);
	s->calls[LOAD_DISPLAY]++;
	if (s->mutex < 0 || s->queue < 0 || r != 0 || s->mode.width < 8 || s->mode.height < 8) {
		printf("load: mutex %d, queue %d, display_info %d (%lux%lu)\n", s->mutex, s->queue,
		       r, (unsigned long)s->mode.width, (unsigned long)s->mode.height);
		return -1;
	}
	return 0;
}

uint32_t load_cleanup(struct load_shared *s)
{
	uint32_t failures = 0;
	char path[32];
	for (int i = 0; i <= s->threads; i++) {
		if (i < s->threads)
			snprintf(path, sizeof(path), LOAD_DIR "/t%03d.dat", i);
		else
			snprintf(path, sizeof(path), "%s", LOAD_SHARED);
		int r = ob_unlink(path);
		s->calls[LOAD_FS]++;
		if (r != 0) {
			printf("load: unlink %s: %d\n", path, r);
			failures++;
		}
	}
	int r = ob_rmdir(LOAD_DIR);
	s->calls[LOAD_FS]++;
	if (r != 0) {
		printf("load: rmdir %s: %d\n", LOAD_DIR, r);
		failures++;
	}
	int rm = ob_handle_close(s->mutex), rq = ob_handle_close(s->queue);
	s->calls[LOAD_KERNEL] += 2;
	if (rm != 0 || rq != 0) {
		printf("load: handle_close: mutex %d, queue %d\n", rm, rq);
		failures += (rm != 0) + (rq != 0);
	}
	return failures;
}
