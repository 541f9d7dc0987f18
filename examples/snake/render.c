/*
 * Drawing a game: every frame is drawn whole (clear, board, food, snake,
 * the status line and the controls), so a frame never depends on the one
 * before it and an expose needs nothing but another frame.
 *
 * Screen, on the default 320x240 with the 6x13 font:
 *
 *   y 0..18     status: "SCORE n", the state in the middle, "HIGH n"
 *   y 20..219   the board, 30 x 20 cells of 10 pixels, inside a wall line
 *   y 223..235  the controls
 *
 * Each cell is a (cell - 1) square, leaving a one-pixel grid line, so a
 * frame shows exactly 81 pixels of head colour, 81 of food colour and
 * 81 per body cell (the demo test counts them).
 */
#include <outboard.h>

#include <stdio.h>
#include <string.h>

#include "snake.h"

#define COLOUR_SCREEN 0x182028
#define COLOUR_BOARD 0x0c1014
#define COLOUR_WALL 0x607080
#define COLOUR_HEAD 0x80ff60
#define COLOUR_BODY 0x30b040
#define COLOUR_FOOD 0xff5040
#define COLOUR_TEXT 0xe0e8f0
#define COLOUR_ACCENT 0xffd040
#define COLOUR_HINT 0x8090a0

#define HINT "arrows or WASD steer, Esc quits"

void snake_layout(struct snake_layout *lay, int32_t width, int32_t height, int32_t font_w,
		  int32_t font_h)
{
	int32_t bar = font_h + 6, hint_h = font_h + 6;
	int32_t by_w = (width - 4) / SNAKE_COLS;
	int32_t by_h = (height - bar - hint_h - 2) / SNAKE_ROWS;

	memset(lay, 0, sizeof(*lay));
	lay->width = width;
	lay->height = height;
	lay->font_w = font_w;
	lay->font_h = font_h;
	lay->hint = true;
	if (by_h < 2) { /* a small screen: no room for the controls line */
		lay->hint = false;
		by_h = (height - bar - 2) / SNAKE_ROWS;
	}
	lay->cell = by_w < by_h ? by_w : by_h;
	if (lay->cell < 1)
		lay->cell = 1;
	lay->board_x = (width - lay->cell * SNAKE_COLS) / 2;
	lay->board_y = bar + 1;
}

static void draw_cell(const struct snake_layout *lay, struct snake_cell c, uint32_t colour)
{
	int32_t size = lay->cell > 1 ? lay->cell - 1 : 1;

	ob_display_fill_rect(lay->board_x + c.x * lay->cell, lay->board_y + c.y * lay->cell, size,
			     size, colour);
}

/* The middle of the status line: what the game is doing. */
static const char *state_text(const struct snake_game *g, uint32_t high)
{
	switch (g->end) {
	case SNAKE_PLAYING:
		if (!g->started)
			return "press an arrow key";
		return g->score > high ? "NEW HIGH SCORE" : "";
	case SNAKE_QUIT:
		return "QUIT";
	case SNAKE_FULL:
		return "YOU WIN";
	default:
		return "GAME OVER";
	}
}

static void draw_status(const struct snake_layout *lay, const struct snake_game *g,
			uint32_t high)
{
	char left[24], right[24];
	const char *middle = state_text(g, high);
	int32_t y = 3, len = (int32_t)strlen(middle);
	uint32_t shown_high = g->score > high ? g->score : high;

	snprintf(left, sizeof(left), "SCORE %lu", (unsigned long)g->score);
	snprintf(right, sizeof(right), "HIGH %lu", (unsigned long)shown_high);
	ob_display_draw_text(lay->board_x, y, left, COLOUR_TEXT);
	ob_display_draw_text(lay->board_x + lay->cell * SNAKE_COLS -
				     (int32_t)strlen(right) * lay->font_w,
			     y, right, g->score > high ? COLOUR_ACCENT : COLOUR_TEXT);
	ob_display_draw_text((lay->width - len * lay->font_w) / 2, y, middle, COLOUR_ACCENT);
}

int snake_render(const struct snake_layout *lay, const struct snake_game *g, uint32_t high)
{
	int32_t bw = lay->cell * SNAKE_COLS, bh = lay->cell * SNAKE_ROWS;

	ob_display_clear(COLOUR_SCREEN);
	ob_display_fill_rect(lay->board_x, lay->board_y, bw, bh, COLOUR_BOARD);
	ob_display_draw_rect(lay->board_x - 1, lay->board_y - 1, bw + 2, bh + 2, COLOUR_WALL);
	if (g->has_food)
		draw_cell(lay, g->food, COLOUR_FOOD);
	for (uint16_t i = g->len; i-- > 1;)
		draw_cell(lay, g->body[i], COLOUR_BODY);
	draw_cell(lay, g->body[0], COLOUR_HEAD);
	draw_status(lay, g, high);
	if (lay->hint)
		ob_display_draw_text((lay->width - (int32_t)strlen(HINT) * lay->font_w) / 2,
				     lay->board_y + bh + 3, HINT, COLOUR_HINT);
	return ob_display_present();
}
