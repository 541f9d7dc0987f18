/*
 * The rules of snake: a pure function of the keys (and the steps they
 * apply at) and the fixed PRNG seed. No SDK calls here, so this file also
 * compiles on the host, for planning a scripted game.
 */
#include "snake.h"

#include <string.h>

static const int8_t step_dx[4] = { 0, 1, 0, -1 }; /* up, right, down, left */
static const int8_t step_dy[4] = { -1, 0, 1, 0 };

/* xorshift32: a fixed sequence from SNAKE_SEED, the same on every run. */
static uint32_t next_random(struct snake_game *g)
{
	uint32_t x = g->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	g->rng = x;
	return x;
}

static bool on_snake(const struct snake_game *g, int x, int y, uint16_t len)
{
	for (uint16_t i = 0; i < len; i++)
		if (g->body[i].x == x && g->body[i].y == y)
			return true;
	return false;
}

/* A random cell, moved on (in reading order, wrapping) to the first one
 * the snake does not cover. No food when the snake covers the board. */
static void place_food(struct snake_game *g)
{
	uint32_t start = next_random(g) % SNAKE_CELLS;

	g->has_food = false;
	for (uint32_t i = 0; i < SNAKE_CELLS; i++) {
		uint32_t c = (start + i) % SNAKE_CELLS;
		int x = (int)(c % SNAKE_COLS), y = (int)(c / SNAKE_COLS);

		if (!on_snake(g, x, y, g->len)) {
			g->food = (struct snake_cell){ (int8_t)x, (int8_t)y };
			g->has_food = true;
			return;
		}
	}
}

void snake_init(struct snake_game *g)
{
	memset(g, 0, sizeof(*g));
	g->rng = SNAKE_SEED;
	g->len = SNAKE_START_LEN;
	for (int i = 0; i < SNAKE_START_LEN; i++)
		g->body[i] = (struct snake_cell){ (int8_t)(SNAKE_COLS / 4 + 1 - i),
						  (int8_t)(SNAKE_ROWS / 2) };
	g->dir = g->next_dir = SNAKE_RIGHT;
	place_food(g);
}

void snake_turn(struct snake_game *g, enum snake_dir dir)
{
	if (g->end != SNAKE_PLAYING)
		return;
	g->started = true;
	/* Against the last move, not the pending one: two quick keys within
	 * one step cannot turn the snake back on itself either. */
	if ((dir + 2) % 4 != g->dir)
		g->next_dir = (uint8_t)dir;
}

void snake_quit(struct snake_game *g)
{
	if (g->end == SNAKE_PLAYING)
		g->end = SNAKE_QUIT;
}

void snake_step(struct snake_game *g)
{
	g->ate = false;
	if (!g->started || g->end != SNAKE_PLAYING)
		return;
	int x = g->body[0].x + step_dx[g->next_dir];
	int y = g->body[0].y + step_dy[g->next_dir];
	bool grows = g->has_food && g->food.x == x && g->food.y == y;

	if (x < 0 || x >= SNAKE_COLS || y < 0 || y >= SNAKE_ROWS) {
		g->end = SNAKE_WALL;
		return;
	}
	/* The tail moves out of the way this step, unless the snake grows. */
	if (on_snake(g, x, y, grows ? g->len : (uint16_t)(g->len - 1))) {
		g->end = SNAKE_SELF;
		return;
	}
	g->dir = g->next_dir;
	if (grows)
		g->len++;
	memmove(&g->body[1], &g->body[0], (size_t)(g->len - 1) * sizeof(g->body[0]));
	g->body[0] = (struct snake_cell){ (int8_t)x, (int8_t)y };
	g->moves++;
	if (grows) {
		g->ate = true;
		g->score++;
		place_food(g);
		if (!g->has_food)
			g->end = SNAKE_FULL;
	}
}

uint32_t snake_key_step(uint64_t time_ms)
{
	return (uint32_t)(time_ms / SNAKE_STEP_MS) + 1;
}

const char *snake_end_name(enum snake_end end)
{
	switch (end) {
	case SNAKE_PLAYING: return "still playing";
	case SNAKE_WALL: return "ran into the wall";
	case SNAKE_SELF: return "ran into itself";
	case SNAKE_QUIT: return "quit";
	case SNAKE_FULL: return "filled the board";
	}
	return "?";
}
