#!/bin/bash
# NAME:ARG gives a backend its primary option: --display png:DIR is
# --out DIR, --sound wav:FILE is --out FILE, --input script:FILE is
# --script FILE, --fs DIR is --root DIR. Outputs the user named are not
# made by the launcher, and the default output directory is not made.
source "$(dirname "$0")/lib.sh" "$@"

fake_backend fs-hostdir fs
fake_backend display-png display
fake_backend sound-wav sound
fake_backend input-script input
u="ipc://$XDG_RUNTIME_DIR/outboard-[A-Za-z0-9]+"

run_ob run --fs "$T/root" --display png:"$T/shots" --sound wav:"$T/a b.wav" \
	--input script:"$T/keys.txt" --cpu "$FAKE" print-plugins
assert_rc 0
assert_grep "$T/args.fs-hostdir" "^--listen $u/fs.sock --root $T/root\$"
assert_grep "$T/args.display-png" "^--listen $u/display.sock --out $T/shots\$"
assert_grep "$T/args.sound-wav" "^--listen $u/sound.sock --out $T/a b.wav\$"
assert_grep "$T/args.input-script" "^--listen $u/input.sock --script $T/keys.txt\$"
assert_grep "$T/out" "^plugin input ipc://[^ ]+/input.sock conn 4 backend test-echo serves input\$"
[ ! -e "$T/work/outboard-out" ] || fail "the default output directory was made"
[ ! -e "$T/shots" ] || fail "the launcher made the directory the user named"

# The shorthand's argument replaces the config file's value for that key.
printf '[display]\nbackend = png\nout = %s\n' "$T/file-frames" >"$T/d.ini"
: >"$T/args.display-png"
run_ob run --config "$T/d.ini" --display png:"$T/cli-frames" --cpu "$FAKE" exit 0
assert_rc 0
assert_grep "$T/args.display-png" "^--listen $u/display.sock --out $T/cli-frames\$"
: >"$T/args.display-png"
run_ob run --config "$T/d.ini" --cpu "$FAKE" exit 0
assert_rc 0
assert_grep "$T/args.display-png" "^--listen $u/display.sock --out $T/file-frames\$"
echo PASS
