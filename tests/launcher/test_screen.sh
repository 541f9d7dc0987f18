#!/bin/bash
# --screen WxH (and [run] screen): checked (digits, 16 to 2048 each) and
# passed as --screen WxH to the display plugin, and to no other.
source "$(dirname "$0")/lib.sh" "$@"

fake_backend display-png display
fake_backend sound-wav sound
u="ipc://$XDG_RUNTIME_DIR/outboard-[A-Za-z0-9]+"

run_ob run --screen 320x240 --cpu "$FAKE" --plugin fs="$ECHO" exit 0
assert_rc 0
assert_grep "$T/args.display-png" "^--listen $u/display.sock --out outboard-out/frames --screen 320x240\$"
assert_no_grep "$T/args.sound-wav" 'screen'

# From the config file; the command line wins; the file's [display]
# screen (a plain plugin option) loses to both.
printf '[run]\nscreen = 0640x480\n[display]\nscreen = 99x99\n' >"$T/screen.ini"
: >"$T/args.display-png"
run_ob run --config "$T/screen.ini" --cpu "$FAKE" --plugin fs="$ECHO" exit 0
assert_rc 0
assert_grep "$T/args.display-png" "^--listen $u/display.sock --out outboard-out/frames --screen 640x480\$"
: >"$T/args.display-png"
run_ob run --config "$T/screen.ini" --screen 2048x16 --cpu "$FAKE" --plugin fs="$ECHO" exit 0
assert_rc 0
assert_grep "$T/args.display-png" "^--listen $u/display.sock --out outboard-out/frames --screen 2048x16\$"

# Bad sizes: 125 before anything starts.
: >"$T/args.display-png"
for bad in 15x240 320x2049 320X240 320x 320x240x2 abcxdef -16x16 ''; do
	run_ob run --screen "$bad" --cpu "$FAKE" --plugin fs="$ECHO" exit 0
	assert_rc 125
	assert_grep "$T/err" "--screen wants WxH, each side 16 to 2048 \(e.g. 320x240\), got '$bad'"
done
printf '[run]\nscreen = 8x8\n' >"$T/bad.ini"
run_ob run --config "$T/bad.ini" --cpu "$FAKE" --plugin fs="$ECHO" exit 0
assert_rc 125
assert_grep "$T/err" "$T/bad.ini:2: screen wants WxH"
[ "$(started display-png)" -eq 0 ] || fail "a display plugin was started for a bad --screen"
echo PASS
