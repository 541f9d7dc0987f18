#!/bin/sh
# input_sdl_x11: a person at the keyboard and mouse of the SDL window. Under
# a real X server (xvfb-run), x11_user.py types keys, moves the mouse, drags
# with a button held, and then presses the window's close button (the
# window manager's WM_DELETE_WINDOW). input_echo must receive exactly those
# events, in order, with the window's coordinates divided by its scale (2),
# then QUIT, and end with status 0. The guest also checks that no event is
# stamped later than its own clock reads when it arrives.
#
# Exits 77 (skipped) only when xvfb-run or python3-xlib is missing.
if [ -z "${OB_INPUT_UNDER_XVFB:-}" ]; then
	if ! command -v xvfb-run >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import Xlib' 2>/dev/null; then
		echo "input_sdl_x11: xvfb-run or python3-xlib is not installed: skipped"
		exit 77
	fi
	status=0
	OB_INPUT_UNDER_XVFB=1 xvfb-run -a -s "-screen 0 1024x768x24 -nolisten tcp" \
		sh "$0" "$@" || status=$?
	exit $status
fi

. "$(dirname "$0")/../guests/lib.sh"
. "$TEST_DIR/lib.sh"

# Under X the SDL process loads the GL stack, whose allocations cannot be
# suppressed by name (see tests/display/sdl.sh): no leak checking here.
export LSAN_OPTIONS="detect_leaks=0"

elf=$(guest_path input_echo)
printf '[display]\nbackend = sdl\nscale = 2\n[sound]\nbackend = none\n' >"$WORK/sdl.ini"

"$OB_BIN/outboard" run --log-level info --config "$WORK/sdl.ini" "$elf" 20000 \
	</dev/null >"$WORK/x11.out" 2>"$WORK/x11.err" &
launcher=$!

# Keys typed before the guest waits for input are not its to see: wait for
# the plugin to say that the host started input.
i=0
until grep -q '^\[display-sdl\] info: input started' "$WORK/x11.err"; do
	i=$((i + 1))
	if [ "$i" -gt 400 ] || ! kill -0 "$launcher" 2>/dev/null; then
		kill "$launcher" 2>/dev/null || true
		echo 1 >"$WORK/x11.status"
		show x11
		fail "input never started"
	fi
	sleep 0.05
done

user_status=0
/usr/bin/python3 "$TEST_DIR/x11_user.py" "outboard display" \
	key:Left key:a key:7 key:Escape key:Return key:Up key:F1 \
	move:100,60 down:1 move:201,101 up:1 close 2>"$WORK/user.err" || user_status=$?
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/x11.status"
[ "$user_status" -eq 0 ] || { cat "$WORK/user.err" >&2; fail "x11_user.py failed ($user_status)"; }

expect_no_fail_lines x11
expect_status x11 0
# The times are the real ones: compare everything else. The display may
# also send expose (its first request from the host, a window uncovered),
# which the guest takes too, whenever it comes: counted, then left out.
# And when the window appears under Xvfb's pointer (which starts at the
# screen's centre, the window's too) before the host has started input,
# SDL reports that position once: a pointer_move to 160,120 before the
# first key is the window's, not the user's, and is left out the same way.
exposes=$(grep -c '^expose ' "$WORK/x11.out" || true)
entered=$(awk '/^key_down /{exit} /^pointer_move key=0x0 x=160 y=120 /{n++} END{print n+0}' "$WORK/x11.out")
delivered=$(sed -n 's/^stats: .* delivered=\([0-9]*\) .*/\1/p' "$WORK/x11.out")
[ "$delivered" = $((19 + exposes + entered)) ] ||
	{ show x11; fail "delivered=$delivered: not the 19 events sent, $exposes expose and $entered pointer entry"; }
awk 'seen || /^key_down / {seen=1; print; next} !/^pointer_move key=0x0 x=160 y=120 /' "$WORK/x11.out" |
	sed -e '/^expose /d' -e 's/ time_ms=[0-9]*$//' -e 's/ delivered=[0-9]*//' >"$WORK/events.out"
cp "$WORK/x11.err" "$WORK/events.err"
expect_stdout events "$TEST_DIR/sdl_x11.expected"
note "passed"
