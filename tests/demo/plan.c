/*
 * ob-snake-plan: plans a scripted snake game with the game's own rules
 * (examples/snake/logic.c, compiled for the host), and prints it as an
 * input script (docs/input.md) for outboard-input-script.
 *
 *   ob-snake-plan FOODS self|wall|escape
 *
 * The snake takes a shortest path (breadth-first, directions tried up,
 * right, down, left) to each food in turn until it has eaten FOODS, then
 * ends the game: "self" turns right three times (into its own body, once
 * it is 5 cells long), "wall" goes straight on into the wall, "escape"
 * presses Escape. Each key is pressed 20 ms into the step before its move
 * (snake.h: move N runs at N * 200 ms; the key at (N - 1) * 200 + 20 ms
 * applies before it), with a key-up 40 ms later. Comments say what
 * happens.
 *
 * examples/snake/demo.script is `ob-snake-plan 7 self` and
 * tests/demo/short.script `ob-snake-plan 1 escape` (with a header);
 * demo_script_plan checks that they still are.
 *
 * Exit status: 0; 1 when no path leads to the next food or the game ends
 * before the plan does; 2 for a bad command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snake.h"

#define KEY_OFFSET_MS 20u
#define MAX_STEPS 2000u

static const int step_dx[4] = { 0, 1, 0, -1 };
static const int step_dy[4] = { -1, 0, 1, 0 };
static const char *const key_names[4] = { "UP", "RIGHT", "DOWN", "LEFT" };

/* The first direction of a shortest path from the head to (tx, ty) over
 * cells the body does not cover (the tail moves away); -1 if none. */
static int path_to(const struct snake_game *g, int tx, int ty)
{
	static int first[SNAKE_CELLS], queue[SNAKE_CELLS];
	static char seen[SNAKE_CELLS];
	int head = g->body[0].y * SNAKE_COLS + g->body[0].x, qh = 0, qt = 0;

	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < g->len - 1; i++)
		seen[g->body[i].y * SNAKE_COLS + g->body[i].x] = 1;
	seen[head] = 1;
	queue[qt++] = head;
	while (qh < qt) {
		int c = queue[qh++], x = c % SNAKE_COLS, y = c / SNAKE_COLS;

		if (x == tx && y == ty)
			return first[c];
		for (int d = 0; d < 4; d++) {
			int nx = x + step_dx[d], ny = y + step_dy[d], n = ny * SNAKE_COLS + nx;

			if (c == head && (d + 2) % 4 == g->dir)
				continue; /* the snake cannot turn back */
			if (nx < 0 || nx >= SNAKE_COLS || ny < 0 || ny >= SNAKE_ROWS || seen[n])
				continue;
			seen[n] = 1;
			first[n] = c == head ? d : first[c];
			queue[qt++] = n;
		}
	}
	return -1;
}

/* "@820ms" padded to 8 columns, as the committed scripts are laid out. */
static void press_at(unsigned move, const char *key)
{
	char at[24];

	snprintf(at, sizeof(at), "@%ums", (move - 1) * SNAKE_STEP_MS + KEY_OFFSET_MS);
	printf("%-8s key down %-6s  # move %u\n+40ms    key up %s\n", at, key, move, key);
}

int main(int argc, char **argv)
{
	struct snake_game g;
	char *rest = NULL;
	long foods = argc == 3 ? strtol(argv[1], &rest, 10) : -1;
	int turns = 0, dir = -1;
	const char *end = argc == 3 ? argv[2] : "";

	if (foods < 0 || foods > SNAKE_CELLS || !rest || rest == argv[1] || *rest || (strcmp(end, "self") && strcmp(end, "wall") && strcmp(end, "escape"))) {
		fprintf(stderr, "usage: ob-snake-plan FOODS self|wall|escape\n");
		return 2;
	}
	snake_init(&g);
	for (unsigned move = 1; move <= MAX_STEPS; move++) {
		int want;

		if ((long)g.score < foods) {
			want = path_to(&g, g.food.x, g.food.y);
		} else if (!strcmp(end, "escape")) {
			press_at(move, "ESCAPE");
			printf("# move %u: Escape ends the game before the snake moves\n", move);
			return 0;
		} else if (!strcmp(end, "self") && turns < 3) {
			want = (g.dir + 1) % 4;
			turns++;
		} else {
			want = g.dir;
		}
		if (want < 0) {
			fprintf(stderr, "ob-snake-plan: no way to the food at %d,%d\n", g.food.x,
				g.food.y);
			return 1;
		}
		if (want != dir) {
			press_at(move, key_names[want]);
			snake_turn(&g, (enum snake_dir)want);
			dir = want;
		}
		snake_step(&g);
		if (g.ate)
			printf("# move %u eats food %lu; the next food at %d,%d\n", move,
			       (unsigned long)g.score, g.food.x, g.food.y);
		if (g.end != SNAKE_PLAYING) {
			printf("# move %u: %s; length %u, %lu moves, score %lu\n", move,
			       snake_end_name((enum snake_end)g.end), (unsigned)g.len,
			       (unsigned long)g.moves, (unsigned long)g.score);
			return (long)g.score == foods &&
					       g.end == (strcmp(end, "self") ? SNAKE_WALL : SNAKE_SELF)
				       ? 0
				       : 1;
		}
	}
	fprintf(stderr, "ob-snake-plan: the game did not end in %u moves\n", MAX_STEPS);
	return 1;
}
