/*
 * SDL events to the input domain's InputEvents (see sdl_backend.h). Key
 * codes follow proto/input.proto: printable keys are their ASCII code with
 * letters upper case (SDL names unshifted keys by their ASCII character),
 * the rest from 0x100.
 */
#include "sdl_backend.h"

static const struct {
	SDL_Keycode sdl;
	uint32_t code;
} special[] = {
	{ SDLK_BACKSPACE, OB__KEY_CODE__KEY_BACKSPACE },
	{ SDLK_TAB, OB__KEY_CODE__KEY_TAB },
	{ SDLK_RETURN, OB__KEY_CODE__KEY_ENTER },
	{ SDLK_KP_ENTER, OB__KEY_CODE__KEY_ENTER },
	{ SDLK_ESCAPE, OB__KEY_CODE__KEY_ESCAPE },
	{ SDLK_SPACE, OB__KEY_CODE__KEY_SPACE },
	{ SDLK_UP, OB__KEY_CODE__KEY_UP },
	{ SDLK_DOWN, OB__KEY_CODE__KEY_DOWN },
	{ SDLK_LEFT, OB__KEY_CODE__KEY_LEFT },
	{ SDLK_RIGHT, OB__KEY_CODE__KEY_RIGHT },
	{ SDLK_HOME, OB__KEY_CODE__KEY_HOME },
	{ SDLK_END, OB__KEY_CODE__KEY_END },
	{ SDLK_PAGEUP, OB__KEY_CODE__KEY_PAGE_UP },
	{ SDLK_PAGEDOWN, OB__KEY_CODE__KEY_PAGE_DOWN },
	{ SDLK_INSERT, OB__KEY_CODE__KEY_INSERT },
	{ SDLK_DELETE, OB__KEY_CODE__KEY_DELETE },
	{ SDLK_F1, OB__KEY_CODE__KEY_F1 },
	{ SDLK_F2, OB__KEY_CODE__KEY_F2 },
	{ SDLK_F3, OB__KEY_CODE__KEY_F3 },
	{ SDLK_F4, OB__KEY_CODE__KEY_F4 },
	{ SDLK_F5, OB__KEY_CODE__KEY_F5 },
	{ SDLK_F6, OB__KEY_CODE__KEY_F6 },
	{ SDLK_F7, OB__KEY_CODE__KEY_F7 },
	{ SDLK_F8, OB__KEY_CODE__KEY_F8 },
	{ SDLK_F9, OB__KEY_CODE__KEY_F9 },
	{ SDLK_F10, OB__KEY_CODE__KEY_F10 },
	{ SDLK_F11, OB__KEY_CODE__KEY_F11 },
	{ SDLK_F12, OB__KEY_CODE__KEY_F12 },
	/* The keypad's digits are digits. */
	{ SDLK_KP_0, '0' }, { SDLK_KP_1, '1' }, { SDLK_KP_2, '2' }, { SDLK_KP_3, '3' },
	{ SDLK_KP_4, '4' }, { SDLK_KP_5, '5' }, { SDLK_KP_6, '6' }, { SDLK_KP_7, '7' },
	{ SDLK_KP_8, '8' }, { SDLK_KP_9, '9' },
};

uint32_t obds_key_code(SDL_Keycode key)
{
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (special[i].sdl == key)
			return special[i].code;
	if (key >= 'a' && key <= 'z')
		return (uint32_t)(key - 'a' + 'A');
	if (key > ' ' && key < 127)
		return (uint32_t)key;
	return OB__KEY_CODE__KEY_NONE;
}

static int32_t to_screen(int32_t v, unsigned scale, unsigned limit)
{
	int32_t s = v / (int32_t)scale;

	if (s < 0)
		return 0;
	return s >= (int32_t)limit ? (int32_t)limit - 1 : s;
}

static bool pointer(Ob__InputEvent *out, Ob__InputEvent__Kind kind, int32_t x, int32_t y,
		    unsigned scale, unsigned w, unsigned h)
{
	out->kind = kind;
	out->x = to_screen(x, scale, w);
	out->y = to_screen(y, scale, h);
	return true;
}

bool obds_translate(const SDL_Event *ev, unsigned scale, unsigned w, unsigned h,
		    Ob__InputEvent *out)
{
	out->key = 0;
	out->x = out->y = 0;
	switch (ev->type) {
	case SDL_KEYDOWN:
	case SDL_KEYUP:
		out->key = obds_key_code(ev->key.keysym.sym);
		if (out->key == OB__KEY_CODE__KEY_NONE)
			return false;
		out->kind = ev->type == SDL_KEYDOWN ? OB__INPUT_EVENT__KIND__KIND_KEY_DOWN :
						      OB__INPUT_EVENT__KIND__KIND_KEY_UP;
		return true;
	case SDL_MOUSEBUTTONDOWN:
		return pointer(out, OB__INPUT_EVENT__KIND__KIND_POINTER_DOWN, ev->button.x,
			       ev->button.y, scale, w, h);
	case SDL_MOUSEBUTTONUP:
		return pointer(out, OB__INPUT_EVENT__KIND__KIND_POINTER_UP, ev->button.x,
			       ev->button.y, scale, w, h);
	case SDL_MOUSEMOTION:
		return pointer(out, OB__INPUT_EVENT__KIND__KIND_POINTER_MOVE, ev->motion.x,
			       ev->motion.y, scale, w, h);
	case SDL_QUIT:
		out->kind = OB__INPUT_EVENT__KIND__KIND_QUIT;
		return true;
	default:
		return false;
	}
}
