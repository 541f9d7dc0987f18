#!/bin/sh
# display_sdl_restart: the snake demo played by hand in the SDL window under
# a real X server (xvfb-run), its display-sdl plugin killed (SIGKILL) while
# the game waits for its first key.
#
# - The restarted plugin sends expose and the game redraws at once, with
#   no key pressed (issue 12, item 5): a display_present follows the
#   restart (--trace-file), and a capture of the X screen (ImageMagick's
#   import) is not black.
# - A key pressed by hand in the new window steers the snake, and the game
#   does not say that it came too late for its move (item 16): live input
#   carries the guest's clock, however late the new plugin's own clock
#   started.
#
# Exits 77 (skipped) only when xvfb-run, python3-xlib or import is missing.
if [ -z "${OB_SDL_UNDER_XVFB:-}" ]; then
	if ! command -v xvfb-run >/dev/null 2>&1 || ! command -v import >/dev/null 2>&1 ||
	   ! /usr/bin/python3 -c 'import Xlib' 2>/dev/null; then
		echo "sdl_restart: xvfb-run, imagemagick or python3-xlib is not installed: skipped"
		exit 77
	fi
	status=0
	OB_SDL_UNDER_XVFB=1 xvfb-run -a -s "-screen 0 1024x768x24 -nolisten tcp" \
		sh "$0" "$@" || status=$?
	exit $status
fi

. "$(dirname "$0")/lib.sh"

# Under X the SDL process loads the GL stack: no leak checking (sdl.sh).
export LSAN_OPTIONS="detect_leaks=0"
X11_USER="$OB_SRC/tests/input/x11_user.py"

# wait_for SECONDS CMD...: CMD every 50 ms until it succeeds, or fail.
wait_for() {
	left=$(($1 * 20))
	shift
	until "$@"; do
		left=$((left - 1))
		if [ "$left" -le 0 ] || ! kill -0 "$launcher" 2>/dev/null; then
			kill -KILL "$launcher" 2>/dev/null || true
			echo 1 >"$WORK/game.status"
			show game
			fail "timed out waiting for: $*"
		fi
		sleep 0.05
	done
}
started_twice() { [ "$(grep -c '^\[display-sdl\] info: input started' "$WORK/game.err")" -ge 2 ]; }
presents() { grep -c 'display_present(' "$WORK/trace" 2>/dev/null || true; }
presented_since() { [ "$(presents)" -gt "$1" ]; }
# The display-sdl process among the launcher's children (by its exe).
sdl_pid() {
	for p in $(cat "/proc/$launcher/task/$launcher/children" 2>/dev/null); do
		case $(readlink "/proc/$p/exe" 2>/dev/null) in
		*/outboard-display-sdl) echo "$p"; return 0 ;;
		esac
	done
	return 1
}

elf=$(guest_path snake)
mkdir "$WORK/g"
display_config "$WORK/sdl.ini" sdl "scale=2"
(cd "$WORK/g" && exec "$OB_BIN/outboard" run --log-level info --out . \
	--config "$WORK/sdl.ini" --sound null --trace display_present --trace-file "$WORK/trace" \
	"$elf") </dev/null >"$WORK/game.out" 2>"$WORK/game.err" &
launcher=$!

# The first window shows the waiting snake.
wait_for 30 grep -q '^\[display-sdl\] info: input started' "$WORK/game.err"
wait_for 30 presented_since 0
# The expose of the first window may bring a second present: let it come.
sleep 0.5
pid=$(sdl_pid) || fail "no display-sdl process under the launcher"
before=$(presents)
kill -KILL "$pid"
wait_for 30 started_twice
# Nothing but the restart's expose makes the game draw now.
wait_for 30 presented_since "$before"
grep -q 'plugin display-sdl is back' "$WORK/game.err" || { show game; fail "no restart logged"; }
sleep 0.3 # the window is mapped and drawn
import -silent -window root "png:$WORK/screen.png" || fail "import could not capture the screen"
max=$(identify -format '%[max]' "$WORK/screen.png")
[ "${max%%.*}" -gt 0 ] || fail "the screen is black after the restart"
note "the restarted window was redrawn without a key"

# Played by hand: Up, then the snake runs into the wall by itself.
/usr/bin/python3 "$X11_USER" "outboard display" key:Up 2>"$WORK/user.err" ||
	{ cat "$WORK/user.err" >&2; kill -KILL "$launcher"; fail "x11_user.py failed"; }
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/game.status"
expect_status game 0
grep -q '^snake: length 3, [1-9][0-9]* moves, ran into the wall$' "$WORK/game.out" ||
	{ show game; fail "the key did not start the snake"; }
if grep -q 'arrived after move' "$WORK/game.err"; then
	show game
	fail "a key pressed by hand was taken for a late scripted one"
fi
note "passed"
