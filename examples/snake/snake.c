/*
 * snake: the outboard demo. A game of Snake that uses all four device
 * domains and five threads:
 *
 *   input   takes events (ob_input_wait): direction keys, Escape and quit
 *           go to the logic thread over a kernel queue, with their times;
 *           an expose asks the render thread for a frame
 *   logic   moves the snake one cell per step of SNAKE_STEP_MS (it sleeps
 *           until each step's time), applies each key at the step its own
 *           time says (snake.h), and tells the others what happened
 *   render  draws the whole screen and presents it, for each step and each
 *           expose, from a copy of the game taken under the game's mutex
 *   sound   plays cues from a queue: a beep for each food, a tune when the
 *           game is over
 *   main    reads the high score (fs), starts the threads, waits for the
 *           game to end, saves a beaten high score and prints the result
 *
 * Controls: arrows or W A S D steer (the first one starts the snake),
 * Escape or closing the window quits.
 *
 * Prints at the end, on stdout:
 *   snake: length L, M moves, ran into the wall     (or itself, quit, ...)
 *   snake: score S, high score H                    (" (new)" when S beat
 *                                                    the file's; saved)
 * Exit status 0, or 1 when the display or a kernel object failed.
 */
#include <outboard.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "snake.h"

/* Input runs first, so a key is queued before the move it belongs to. */
#define PRIO_INPUT 8
#define PRIO_LOGIC 10
#define PRIO_SOUND 12
#define PRIO_RENDER 14

#define INPUT_POLL_MS 100       /* how often the input thread looks at `stopping` */
#define GAME_OVER_HOLD_MS 1500  /* the game-over screen stays this long */
#define KEY_QUEUE_LEN 64
#define CUE_QUEUE_LEN 16

/* Render thread event flags. */
#define DRAW_FRAME 1u
#define DRAW_EXPOSE 2u
#define DRAW_STOP 4u

/* What the input thread sends the logic thread. */
struct key_msg {
	uint32_t key;  /* OB_KEY_* or ASCII; KEY_QUIT for a quit event */
	uint32_t pad;
	uint64_t time_ms;
};
#define KEY_QUIT 0xffffffffu

enum sound_cue { CUE_EAT = 1, CUE_GAME_OVER, CUE_STOP };

struct tone {
	uint16_t hz, ms;
};
static const struct tone eat_tone = { 880, 80 };
static const struct tone game_over_tune[] = { { 523, 150 }, { 392, 150 }, { 330, 150 },
					      { 262, 300 } };

static struct {
	int lock;  /* mutex over game */
	int keys;  /* queue of struct key_msg: input -> logic */
	int cues;  /* queue of uint32_t enum sound_cue: logic -> sound */
	int draw;  /* event flags DRAW_*: -> render */
	volatile int stopping; /* main tells the input thread to end */
	struct snake_game game;
	uint32_t high; /* the high score before this game (read-only once started) */
	struct snake_layout layout;
} S;

/* ---- input ----------------------------------------------------------- */

static void send_key(uint32_t key, uint64_t time_ms)
{
	struct key_msg m = { .key = key, .time_ms = time_ms };
	int r = ob_queue_send(S.keys, &m, sizeof(m), 0);

	if (r < 0)
		fprintf(stderr, "snake: key 0x%lx at %llu ms dropped (%d)\n", (unsigned long)key,
			(unsigned long long)time_ms, r);
}

static int input_thread(void *arg)
{
	struct ob_input_event ev;

	(void)arg;
	while (!S.stopping) {
		int r = ob_input_wait(&ev, INPUT_POLL_MS);

		if (r == -ETIMEDOUT)
			continue;
		if (r != 1) {
			fprintf(stderr, "snake: input_wait failed (%d)\n", r);
			return 1;
		}
		if (ev.kind == OB_EV_KEY_DOWN)
			send_key(ev.key, ev.time_ms);
		else if (ev.kind == OB_EV_QUIT)
			send_key(KEY_QUIT, ev.time_ms);
		else if (ev.kind == OB_EV_EXPOSE)
			ob_evf_set(S.draw, DRAW_EXPOSE);
	}
	return 0;
}

/* ---- logic ----------------------------------------------------------- */

/* Keys received but not applied yet: their step has not come. */
struct pending {
	struct key_msg keys[KEY_QUEUE_LEN];
	int n;
};

static void cue(enum sound_cue c)
{
	uint32_t v = c;

	if (ob_queue_send(S.cues, &v, sizeof(v), 1000) < 0)
		fprintf(stderr, "snake: sound cue %d dropped\n", (int)c);
}

/* Sleeps until the program's clock reads ms. */
static void wait_until(uint64_t ms)
{
	for (;;) {
		uint64_t now = ob_monotonic_ns(), due = ms * 1000000u;

		if (now >= due)
			return;
		ob_thread_sleep((uint32_t)((due - now + 999999u) / 1000000u));
	}
}

/* Takes the keys the input thread has queued. One whose step has passed
 * came too late to be deterministic: say so, and apply it now. */
static void collect_keys(struct pending *p, uint32_t step)
{
	while (p->n < KEY_QUEUE_LEN) {
		struct key_msg *m = &p->keys[p->n];

		if (ob_queue_recv(S.keys, m, sizeof(*m), 0) != (int)sizeof(*m))
			return;
		if (snake_key_step(m->time_ms) < step)
			fprintf(stderr, "snake: the key at %llu ms arrived after move %lu had "
					"run; a scripted game may differ\n",
				(unsigned long long)m->time_ms,
				(unsigned long)snake_key_step(m->time_ms));
		p->n++;
	}
}

static int key_dir(uint32_t key)
{
	switch (key) {
	case OB_KEY_UP: case 'W': return SNAKE_UP;
	case OB_KEY_RIGHT: case 'D': return SNAKE_RIGHT;
	case OB_KEY_DOWN: case 'S': return SNAKE_DOWN;
	case OB_KEY_LEFT: case 'A': return SNAKE_LEFT;
	default: return -1;
	}
}

/* Applies, in order, the pending keys that belong before move step;
 * keeps the later ones. Called with the game locked. */
static void apply_keys(struct pending *p, uint32_t step)
{
	int kept = 0;

	for (int i = 0; i < p->n; i++) {
		const struct key_msg *m = &p->keys[i];
		int dir = key_dir(m->key);

		if (snake_key_step(m->time_ms) > step)
			p->keys[kept++] = *m;
		else if (m->key == KEY_QUIT || m->key == OB_KEY_ESCAPE)
			snake_quit(&S.game);
		else if (dir >= 0)
			snake_turn(&S.game, (enum snake_dir)dir);
	}
	p->n = kept;
}

/* The game-over screen stays a moment, unless Escape or quit comes. */
static void hold_game_over(void)
{
	uint64_t until = ob_monotonic_ns() / 1000000u + GAME_OVER_HOLD_MS;

	for (;;) {
		uint64_t now = ob_monotonic_ns() / 1000000u;
		struct key_msg m;

		if (now >= until)
			return;
		if (ob_queue_recv(S.keys, &m, sizeof(m), (int32_t)(until - now)) == (int)sizeof(m) &&
		    (m.key == KEY_QUIT || m.key == OB_KEY_ESCAPE))
			return;
	}
}

static int logic_thread(void *arg)
{
	static struct pending pending;
	enum snake_end end = SNAKE_PLAYING;

	(void)arg;
	for (uint32_t step = 1; end == SNAKE_PLAYING; step++) {
		bool ate, changed;

		wait_until((uint64_t)step * SNAKE_STEP_MS);
		collect_keys(&pending, step);
		ob_mutex_lock(S.lock, OB_FOREVER);
		uint32_t moves = S.game.moves;
		apply_keys(&pending, step);
		snake_step(&S.game);
		ate = S.game.ate;
		end = (enum snake_end)S.game.end;
		changed = S.game.moves != moves || end != SNAKE_PLAYING;
		ob_mutex_unlock(S.lock);
		if (ate)
			cue(CUE_EAT);
		/* A frame per move: none while the snake waits for its first key. */
		if (changed)
			ob_evf_set(S.draw, DRAW_FRAME);
	}
	if (end != SNAKE_QUIT) {
		cue(CUE_GAME_OVER);
		hold_game_over();
	}
	return 0;
}

/* ---- render ---------------------------------------------------------- */

static int render_thread(void *arg)
{
	static struct snake_game copy; /* 1.2 KiB: off the thread's stack */
	uint32_t bits = 0;

	(void)arg;
	for (;;) {
		int r = ob_evf_wait(S.draw, DRAW_FRAME | DRAW_EXPOSE | DRAW_STOP, OB_EVF_ANY,
				    OB_FOREVER, &bits);

		if (r < 0) {
			fprintf(stderr, "snake: evf_wait failed (%d)\n", r);
			return 1;
		}
		if (bits & (DRAW_FRAME | DRAW_EXPOSE)) {
			ob_mutex_lock(S.lock, OB_FOREVER);
			copy = S.game;
			ob_mutex_unlock(S.lock);
			r = snake_render(&S.layout, &copy, S.high);
			if (r < 0)
				fprintf(stderr, "snake: display_present failed (%d)\n", r);
		}
		if (bits & DRAW_STOP)
			return 0;
	}
}

/* ---- sound ----------------------------------------------------------- */

static void play(const struct tone *t)
{
	int r = ob_sound_beep(t->hz, t->ms);

	if (r < 0)
		fprintf(stderr, "snake: sound_beep failed (%d)\n", r);
}

static int sound_thread(void *arg)
{
	(void)arg;
	for (;;) {
		uint32_t c;
		int r = ob_queue_recv(S.cues, &c, sizeof(c), OB_FOREVER);

		if (r != (int)sizeof(c)) {
			fprintf(stderr, "snake: queue_recv failed (%d)\n", r);
			return 1;
		}
		if (c == CUE_EAT) {
			play(&eat_tone);
		} else if (c == CUE_GAME_OVER) {
			for (size_t i = 0; i < sizeof(game_over_tune) / sizeof(game_over_tune[0]); i++)
				play(&game_over_tune[i]);
		} else {
			/* Everything played (or written) before the program ends. */
			r = ob_sound_drain();
			if (r < 0)
				fprintf(stderr, "snake: sound_drain failed (%d)\n", r);
			return 0;
		}
	}
}

/* ---- main ------------------------------------------------------------ */

static int setup(void)
{
	struct ob_display_mode mode;
	int r = ob_display_info(&mode);

	if (r < 0) {
		fprintf(stderr, "snake: display_info failed (%d)\n", r);
		return r;
	}
	snake_layout(&S.layout, (int32_t)mode.width, (int32_t)mode.height,
		     (int32_t)mode.font_width, (int32_t)mode.font_height);
	S.lock = ob_mutex_create(0);
	S.keys = ob_queue_create(sizeof(struct key_msg), KEY_QUEUE_LEN);
	S.cues = ob_queue_create(sizeof(uint32_t), CUE_QUEUE_LEN);
	S.draw = ob_evf_create(OB_EVF_AUTO_RESET, DRAW_FRAME); /* the first frame at once */
	if (S.lock < 0 || S.keys < 0 || S.cues < 0 || S.draw < 0) {
		fprintf(stderr, "snake: cannot create the kernel objects (%d %d %d %d)\n", S.lock,
			S.keys, S.cues, S.draw);
		return -ENOMEM;
	}
	snake_init(&S.game);
	S.high = snake_hiscore_load(SNAKE_HISCORE_FILE);
	return 0;
}

static int join(int tid, const char *name)
{
	uint32_t status = 1;
	int r = tid < 0 ? tid : ob_thread_join(tid, &status, OB_FOREVER);

	if (r < 0 || status != 0) {
		fprintf(stderr, "snake: the %s thread failed (%d, status %lu)\n", name, r,
			(unsigned long)status);
		return 1;
	}
	return 0;
}

/* Saves a beaten high score; prints the result. */
static void finish(void)
{
	const struct snake_game *g = &S.game;
	const char *note = "";

	if (g->score > S.high) {
		int r = snake_hiscore_save(SNAKE_HISCORE_FILE, g->score);

		note = " (new)";
		if (r < 0) {
			fprintf(stderr, "snake: cannot save the high score in %s: %s\n",
				SNAKE_HISCORE_FILE, strerror(-r));
			note = " (new, not saved)";
		}
	}
	printf("snake: length %u, %lu moves, %s\n", (unsigned)g->len, (unsigned long)g->moves,
	       snake_end_name((enum snake_end)g->end));
	printf("snake: score %lu, high score %lu%s\n", (unsigned long)g->score,
	       (unsigned long)(g->score > S.high ? g->score : S.high), note);
}

int main(void)
{
	int failed = 0;

	if (setup() < 0)
		return 1;
	int render = ob_thread_spawn(render_thread, NULL, PRIO_RENDER, 0);
	int sound = ob_thread_spawn(sound_thread, NULL, PRIO_SOUND, 0);
	int input = ob_thread_spawn(input_thread, NULL, PRIO_INPUT, 0);
	int logic = ob_thread_spawn(logic_thread, NULL, PRIO_LOGIC, 0);

	failed |= join(logic, "logic");
	ob_evf_set(S.draw, DRAW_STOP);
	failed |= join(render, "render");
	uint32_t stop = CUE_STOP;
	ob_queue_send(S.cues, &stop, sizeof(stop), OB_FOREVER);
	failed |= join(sound, "sound");
	S.stopping = 1;
	failed |= join(input, "input");
	finish();
	return failed;
}
