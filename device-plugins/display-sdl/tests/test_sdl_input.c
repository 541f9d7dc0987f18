/*
 * display-sdl without a window: SDL key codes to proto/input.proto's,
 * SDL events to InputEvents (pointer positions unscaled and clamped), and
 * the pacing arithmetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sdl_backend.h"

static void letters_digits_and_ascii(void **state)
{
	(void)state;
	assert_int_equal(obds_key_code(SDLK_a), 'A');
	assert_int_equal(obds_key_code(SDLK_q), 'Q');
	assert_int_equal(obds_key_code(SDLK_z), 'Z');
	assert_int_equal(obds_key_code(SDLK_0), '0');
	assert_int_equal(obds_key_code(SDLK_9), '9');
	assert_int_equal(obds_key_code(SDLK_KP_7), '7');
	assert_int_equal(obds_key_code(SDLK_MINUS), '-');
	assert_int_equal(obds_key_code(SDLK_SLASH), '/');
	assert_int_equal(obds_key_code(SDLK_SPACE), ' ');
}

static void special_keys(void **state)
{
	(void)state;
	assert_int_equal(obds_key_code(SDLK_RETURN), 13);
	assert_int_equal(obds_key_code(SDLK_KP_ENTER), 13);
	assert_int_equal(obds_key_code(SDLK_ESCAPE), 27);
	assert_int_equal(obds_key_code(SDLK_BACKSPACE), 8);
	assert_int_equal(obds_key_code(SDLK_TAB), 9);
	assert_int_equal(obds_key_code(SDLK_UP), 0x100);
	assert_int_equal(obds_key_code(SDLK_DOWN), 0x101);
	assert_int_equal(obds_key_code(SDLK_LEFT), 0x102);
	assert_int_equal(obds_key_code(SDLK_RIGHT), 0x103);
	assert_int_equal(obds_key_code(SDLK_HOME), 0x104);
	assert_int_equal(obds_key_code(SDLK_END), 0x105);
	assert_int_equal(obds_key_code(SDLK_PAGEUP), 0x106);
	assert_int_equal(obds_key_code(SDLK_PAGEDOWN), 0x107);
	assert_int_equal(obds_key_code(SDLK_INSERT), 0x108);
	assert_int_equal(obds_key_code(SDLK_DELETE), 0x109);
	assert_int_equal(obds_key_code(SDLK_F1), 0x110);
	assert_int_equal(obds_key_code(SDLK_F10), 0x119);
	assert_int_equal(obds_key_code(SDLK_F12), 0x11b);
}

static void keys_without_a_code(void **state)
{
	(void)state;
	assert_int_equal(obds_key_code(SDLK_LSHIFT), 0);
	assert_int_equal(obds_key_code(SDLK_CAPSLOCK), 0);
	assert_int_equal(obds_key_code(SDLK_F13), 0);
	assert_int_equal(obds_key_code(SDLK_UNKNOWN), 0);
	assert_int_equal(obds_key_code(0xe9), 0); /* a Latin-1 key: no code */
}

static void key_events(void **state)
{
	SDL_Event ev = { 0 };
	Ob__InputEvent in = OB__INPUT_EVENT__INIT;

	(void)state;
	ev.type = SDL_KEYDOWN;
	ev.key.keysym.sym = SDLK_LEFT;
	assert_true(obds_translate(&ev, 1, 320, 240, &in));
	assert_int_equal(in.kind, OB__INPUT_EVENT__KIND__KIND_KEY_DOWN);
	assert_int_equal(in.key, OB__KEY_CODE__KEY_LEFT);
	ev.type = SDL_KEYUP;
	ev.key.keysym.sym = SDLK_b;
	assert_true(obds_translate(&ev, 1, 320, 240, &in));
	assert_int_equal(in.kind, OB__INPUT_EVENT__KIND__KIND_KEY_UP);
	assert_int_equal(in.key, 'B');
	ev.key.keysym.sym = SDLK_RSHIFT;
	assert_false(obds_translate(&ev, 1, 320, 240, &in));
}

static void pointer_events_are_unscaled_and_clamped(void **state)
{
	SDL_Event ev = { 0 };
	Ob__InputEvent in = OB__INPUT_EVENT__INIT;

	(void)state;
	ev.type = SDL_MOUSEBUTTONDOWN;
	ev.button.x = 101;
	ev.button.y = 51;
	assert_true(obds_translate(&ev, 2, 320, 240, &in));
	assert_int_equal(in.kind, OB__INPUT_EVENT__KIND__KIND_POINTER_DOWN);
	assert_int_equal(in.x, 50);
	assert_int_equal(in.y, 25);
	ev.type = SDL_MOUSEMOTION;
	ev.motion.x = 5000;
	ev.motion.y = -7;
	assert_true(obds_translate(&ev, 3, 320, 240, &in));
	assert_int_equal(in.kind, OB__INPUT_EVENT__KIND__KIND_POINTER_MOVE);
	assert_int_equal(in.x, 319);
	assert_int_equal(in.y, 0);
	ev.type = SDL_MOUSEBUTTONUP;
	ev.button.x = 639;
	ev.button.y = 479;
	assert_true(obds_translate(&ev, 2, 320, 240, &in));
	assert_int_equal(in.kind, OB__INPUT_EVENT__KIND__KIND_POINTER_UP);
	assert_int_equal(in.x, 319);
	assert_int_equal(in.y, 239);
}

static void quit_and_other_events(void **state)
{
	SDL_Event ev = { 0 };
	Ob__InputEvent in = OB__INPUT_EVENT__INIT;

	(void)state;
	ev.type = SDL_QUIT;
	assert_true(obds_translate(&ev, 1, 320, 240, &in));
	assert_int_equal(in.kind, OB__INPUT_EVENT__KIND__KIND_QUIT);
	ev.type = SDL_WINDOWEVENT;
	assert_false(obds_translate(&ev, 1, 320, 240, &in));
	ev.type = SDL_MOUSEWHEEL;
	assert_false(obds_translate(&ev, 1, 320, 240, &in));
}

#define MS 1000000

static void pacing_one_tick_per_present(void **state)
{
	struct obds_pace p;

	(void)state;
	obds_pace_init(&p, 50, 1000 * MS); /* 20 ms ticks */
	assert_int_equal(p.period_ns, 20 * MS);
	/* On time: one period after the last answer. */
	assert_int_equal(obds_pace_next(&p, 1001 * MS), 1020 * MS);
	/* Several presents at once get successive ticks. */
	assert_int_equal(obds_pace_next(&p, 1002 * MS), 1040 * MS);
	assert_int_equal(obds_pace_next(&p, 1003 * MS), 1060 * MS);
	/* Late: the next tick of the grid, not a burst of past ones. */
	assert_int_equal(obds_pace_next(&p, 1131 * MS), 1140 * MS);
	assert_int_equal(obds_pace_next(&p, 1140 * MS), 1160 * MS);
	/* Exactly on a later tick: answered at that tick. */
	assert_int_equal(obds_pace_next(&p, 1200 * MS), 1200 * MS);
}

static void pacing_rates_and_waits(void **state)
{
	struct obds_pace p;

	(void)state;
	obds_pace_init(&p, 0, 0); /* unknown: 60 Hz */
	assert_int_equal(p.period_ns, 1000000000 / 60);
	obds_pace_init(&p, 1000, 0); /* implausible: 60 Hz */
	assert_int_equal(p.period_ns, 1000000000 / 60);
	obds_pace_init(&p, 144, 0);
	assert_int_equal(p.period_ns, 1000000000 / 144);
	assert_int_equal(obds_pace_ms_until(10 * MS, 10 * MS), 0);
	assert_int_equal(obds_pace_ms_until(10 * MS, 11 * MS), 0);
	assert_int_equal(obds_pace_ms_until(10 * MS + 1, 0), 11);
	assert_int_equal(obds_pace_ms_until(16 * MS, 0), 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(letters_digits_and_ascii),
		cmocka_unit_test(special_keys),
		cmocka_unit_test(keys_without_a_code),
		cmocka_unit_test(key_events),
		cmocka_unit_test(pointer_events_are_unscaled_and_clamped),
		cmocka_unit_test(quit_and_other_events),
		cmocka_unit_test(pacing_one_tick_per_present),
		cmocka_unit_test(pacing_rates_and_waits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
