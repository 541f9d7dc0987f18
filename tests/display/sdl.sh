#!/bin/sh
# The SDL display under a real X server (xvfb-run): draw.elf in an SDL
# window shows exactly the png display's pixels. Compared pixel for pixel
# at scale 1: the window renderer's read-back (--screenshot, after every
# present) and a capture of the X window itself (ImageMagick's import),
# both against the png display's last frame. Also: the default scale fits
# 80% of the screen, and without an X server the plugin refuses to start
# with a reason.
#
# Exits 77 (skipped) only when xvfb-run is not installed.
PNG_COMPARE=$1

if [ -z "${OB_SDL_UNDER_XVFB:-}" ]; then
	if ! command -v xvfb-run >/dev/null 2>&1; then
		echo "sdl: xvfb-run is not installed (apt-get install xvfb xauth): skipped"
		exit 77
	fi
	. "$(dirname "$0")/lib.sh"
	# No X server: a clear refusal, exit 1.
	status=0
	env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=x11 "$OB_BIN/outboard-display-sdl" \
		--listen "ipc://$WORK/never.sock" >"$WORK/nox.out" 2>"$WORK/nox.err" || status=$?
	echo $status >"$WORK/nox.status"
	expect_status nox 1
	expect_grep nox err 'SDL cannot open a display' "why it cannot start"
	# 1024x768 at 24 bits: the default scale for 320x240 is then 2.
	status=0
	OB_SDL_UNDER_XVFB=1 xvfb-run -a -s "-screen 0 1024x768x24 -nolisten tcp" \
		sh "$0" "$@" || status=$?
	exit $status
fi

. "$(dirname "$0")/lib.sh"

# Sanitizer builds: leak checking is off for these runs. Under X the SDL
# process loads the GL stack (Mesa, LLVM), which keeps allocations until
# exit and is unloaded before LeakSanitizer looks, so its blocks cannot even
# be named for a suppression. Memory errors are still caught; the SDL
# backend's own leaks are checked by display_sdl_window (SDL's dummy
# driver, no GL), the other processes' by the other tests.
export LSAN_OPTIONS="detect_leaks=0"

elf=$(guest_path draw)
display_config "$WORK/png.ini" png "out=$WORK/frames"
run_guest png "$WORK/png.ini" "$elf"
expect_status png 0
last="$WORK/frames/frame-00004.png"

# The renderer's read-back after every present: the last one is frame 4.
display_config "$WORK/sdl.ini" sdl "scale=1" "screenshot=$WORK/shot.png"
run_guest sdl "$WORK/sdl.ini" "$elf"
expect_status sdl 0
cmp -s "$WORK/png.out" "$WORK/sdl.out" || { show sdl; fail "the guest saw a different display"; }
same_png "$last" "$WORK/shot.png"
note "renderer read-back matches the png frame"

# The X window itself, while the guest holds it open.
display_config "$WORK/hold.ini" sdl "scale=1"
timeout -k 5 60 "$OB_BIN/outboard" run --config "$WORK/hold.ini" "$elf" hold 30000 \
	</dev/null >"$WORK/hold.out" 2>"$WORK/hold.err" &
launcher=$!
i=0
until grep -q '^draw: holding$' "$WORK/hold.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 300 ] || { kill -KILL $launcher; fail "the guest never reached its hold"; }
	kill -0 $launcher 2>/dev/null || { echo 1 >"$WORK/hold.status"; show hold; fail "ended early"; }
	sleep 0.1
done
import -silent -window "outboard display" "png:$WORK/window.png" ||
	{ kill -TERM $launcher; fail "import could not capture the window"; }
kill -TERM $launcher
status=0
wait $launcher || status=$?
echo $status >"$WORK/hold.status"
expect_status hold 143 # the launcher's status after SIGTERM (docs/launcher.md)
same_png "$last" "$WORK/window.png"
note "X window capture matches the png frame"

# No --scale: the largest that fits 80% of 1024x768 is 2.
display_config "$WORK/scale.ini" sdl "screenshot=$WORK/scaled.png"
run_guest scale "$WORK/scale.ini" "$(guest_path draw_bad)"
expect_status scale 0
size=$(identify -format '%wx%h' "$WORK/scaled.png")
[ "$size" = 640x480 ] || fail "default scale: the window is $size, expected 640x480"
note "passed"
