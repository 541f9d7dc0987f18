#!/bin/sh
# demo_sdl_xvfb: the scripted demo game with --display sdl, in an SDL
# window on a virtual X server (xvfb-run), ends as it does headless, and the
# window's last frame (the renderer's read-back, --screenshot) is the
# headless game's last frame, docs/snake.png.
#
# Exits 77 (skipped) only when xvfb-run is not installed.
if [ -z "${OB_DEMO_UNDER_XVFB:-}" ]; then
	if ! command -v xvfb-run >/dev/null 2>&1; then
		echo "demo_sdl_xvfb: xvfb-run is not installed (apt-get install xvfb xauth): skipped"
		exit 77
	fi
	status=0
	OB_DEMO_UNDER_XVFB=1 xvfb-run -a -s "-screen 0 1024x768x24 -nolisten tcp" \
		sh "$0" "$@" || status=$?
	exit $status
fi

. "$(dirname "$0")/lib.sh"

# Under X the SDL process loads the GL stack, whose allocations cannot be
# suppressed by name (see tests/display/sdl.sh): no leak checking here.
export LSAN_OPTIONS="detect_leaks=0"

printf '[display]\nbackend = sdl\nscale = 1\nscreenshot = %s\n' "$WORK/shot.png" >"$WORK/sdl.ini"
play sdl "$WORK/sdl" "$DEMO_SCRIPT" --config "$WORK/sdl.ini" --display sdl
expect_ok sdl
expect_line sdl out "$DEMO_LINE1"
expect_line sdl out "snake: score $DEMO_SCORE, high score $DEMO_SCORE (new)"
expect_no sdl err 'arrived after move' "a key that came too late for its move"
[ ! -d "$WORK/sdl/frames" ] || fail "frames were written: the png display ran, not sdl"
expect_file "$WORK/sdl/snake.hiscore" "$DEMO_SCORE"
"$DEMO_CHECK" same "$GOLDEN_LAST" "$WORK/shot.png" ||
	fail "the SDL window's last frame is not docs/snake.png"
expect_demo_sound "$WORK/sdl/sound.wav"
note "passed"
