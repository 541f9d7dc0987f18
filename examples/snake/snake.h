/*
 * snake: the outboard demo game. This header is shared by its parts:
 *
 *   logic.c    the rules: board, moves, food, score (plain C, no SDK calls,
 *              so the same code can be compiled on the host to plan a script)
 *   render.c   draws a game state with the display calls
 *   hiscore.c  the high-score file, through the fs domain (stdio)
 *   snake.c    main and the threads: input, game logic, render, sound
 *
 * Determinism: the snake moves one cell per step of SNAKE_STEP_MS; move s
 * happens when the program's clock reads s * SNAKE_STEP_MS. A key pressed
 * at time t (the event's own time_ms) applies before move
 * t / SNAKE_STEP_MS + 1, whenever the event is received, and food positions
 * come from a fixed-seed PRNG. So a scripted game has the same outcome
 * however loaded the machine is, as long as each key reaches the game
 * before its move. A script's clock never runs ahead of the program's
 * (it starts after the program), so a key can only arrive late, never
 * early: demo.script presses each key 20 ms into its step, which leaves
 * 180 ms for delivery.
 */
#ifndef SNAKE_H
#define SNAKE_H

#include <stdbool.h>
#include <stdint.h>

#define SNAKE_COLS 30
#define SNAKE_ROWS 20
#define SNAKE_CELLS (SNAKE_COLS * SNAKE_ROWS)
#define SNAKE_STEP_MS 200u
#define SNAKE_SEED 0x5eed10bfu
#define SNAKE_START_LEN 3

enum snake_dir { SNAKE_UP, SNAKE_RIGHT, SNAKE_DOWN, SNAKE_LEFT };

/* Why a game ended. */
enum snake_end {
	SNAKE_PLAYING,
	SNAKE_WALL,  /* ran into the wall */
	SNAKE_SELF,  /* ran into itself */
	SNAKE_QUIT,  /* Escape, or the window was closed */
	SNAKE_FULL,  /* the snake fills the board: nowhere left for food */
};

struct snake_cell {
	int8_t x, y;
};

/*
 * One game. body[0] is the head, body[len - 1] the tail. A plain value:
 * copying it copies the whole game (the render thread draws a copy).
 */
struct snake_game {
	struct snake_cell body[SNAKE_CELLS];
	uint16_t len;
	uint8_t dir;      /* the direction of the last move */
	uint8_t next_dir; /* the direction of the next move */
	bool started;     /* the first direction key starts the snake */
	bool has_food;
	bool ate;         /* the last move ate the food */
	uint8_t end;      /* enum snake_end */
	struct snake_cell food;
	uint32_t rng;
	uint32_t score;
	uint32_t moves;
};

/* A new game: a snake of SNAKE_START_LEN facing right, waiting for a key,
 * and the first food. */
void snake_init(struct snake_game *g);

/*
 * A direction key: starts the snake if it is waiting, and sets the
 * direction of the next move unless that would reverse the last move
 * (the snake cannot turn back into its own neck). Ignored once ended.
 */
void snake_turn(struct snake_game *g, enum snake_dir dir);

/* Ends the game as SNAKE_QUIT (unless it has ended already). */
void snake_quit(struct snake_game *g);

/*
 * One step: moves the snake one cell if it has started and not ended,
 * eating the food (score + 1, one cell longer, new food) or ending the game
 * against a wall or its own body. Sets g->ate for this step.
 */
void snake_step(struct snake_game *g);

/* The step before which a key pressed at time_ms applies (see above). */
uint32_t snake_key_step(uint64_t time_ms);

/* A short English name of an end: "ran into the wall", ... */
const char *snake_end_name(enum snake_end end);

/* ---- render.c ---- */

/*
 * Where the board goes on a screen of width x height with the font's cell
 * font_w x font_h: the board's top left and the size of one cell. The
 * board is the same SNAKE_COLS x SNAKE_ROWS on every screen; only the cell
 * size changes (10 pixels on the default 320x240).
 */
struct snake_layout {
	int32_t width, height, font_w, font_h;
	int32_t cell, board_x, board_y;
	bool hint; /* room for the controls line under the board */
};

void snake_layout(struct snake_layout *lay, int32_t width, int32_t height, int32_t font_w,
		  int32_t font_h);

/* Draws the whole screen for game g with the high score high, and
 * presents it. Returns display_present's result (the frame number). */
int snake_render(const struct snake_layout *lay, const struct snake_game *g, uint32_t high);

/* ---- hiscore.c ---- */

/* The high-score file, relative to the fs root. */
#define SNAKE_HISCORE_FILE "snake.hiscore"

/*
 * Reads the high score from path: 0 when the file does not exist, or (with
 * a line on stderr saying why) when it cannot be read or does not hold one
 * decimal number and a newline.
 */
uint32_t snake_hiscore_load(const char *path);

/* Replaces path's content with "SCORE\n". 0, or a negated errno. */
int snake_hiscore_save(const char *path, uint32_t score);

#endif /* SNAKE_H */
