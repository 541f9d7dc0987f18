#!/bin/bash
# The default backends: fs hostdir (the current directory), display png,
# sound wav, input null. png and wav write into the output directory
# (--out, [run] out, default ./outboard-out), which the launcher creates.
# A default that is not installed is skipped with one warning and the run
# goes on; a backend named explicitly that is not installed is an error.
source "$(dirname "$0")/lib.sh" "$@"

# 1. No default installed (only test-echo as fs): three warnings, success.
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" print-args
assert_rc 0
for d in "display png" "sound wav" "input null"; do
	set -- $d
	assert_grep "$T/err" "^outboard: \[warn\] launcher: $1: default backend $2 skipped: no executable outboard-$1-$2 in $T/bin or PATH\$"
done
[ "$(wc -l <"$T/err")" -eq 3 ] || fail "expected exactly the three warnings"
re="^--wait-ready --plugin fs=ipc://[^ ]+/fs.sock --control ipc://[^ ]+/control.sock -- print-args \$"
[[ "$(host_args)" =~ $re ]] || fail "host arguments '$(host_args)' do not match '$re'"
[ ! -e "$T/work/outboard-out" ] || fail "an output directory was made though nothing writes there"

# Not even fs-hostdir: the guest runs with no plugin at all.
run_ob run --cpu "$FAKE" print-args
assert_rc 0
assert_grep "$T/err" 'fs: default backend hostdir skipped: no executable outboard-fs-hostdir'
re="^--wait-ready --control ipc://[^ ]+/control.sock -- print-args \$"
[[ "$(host_args)" =~ $re ]] || fail "host arguments '$(host_args)' do not match '$re'"

# 2. A missing backend that was asked for: 125, naming it.
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" --display png exit 0
assert_rc 125
assert_grep "$T/err" "display backend 'png': no executable outboard-display-png in $T/bin or PATH"
printf '[sound]\nbackend = wav\n' >"$T/sound.ini"
run_ob run --config "$T/sound.ini" --cpu "$FAKE" --plugin fs="$ECHO" exit 0
assert_rc 125
assert_grep "$T/err" "sound backend 'wav': no executable outboard-sound-wav"
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" --input null exit 0
assert_rc 125
assert_grep "$T/err" "input backend 'null': no executable outboard-input-null"

# 3. Every default installed (stand-ins that record their arguments).
fake_backend fs-hostdir fs
fake_backend display-png display
fake_backend sound-wav sound
fake_backend input-null input
run_ob run --cpu "$FAKE" print-plugins print-args
assert_rc 0
# Nothing but the guest's output on success.
[ ! -s "$T/err" ] || fail "outboard printed something on success"
u="ipc://$XDG_RUNTIME_DIR/outboard-[A-Za-z0-9]+"
# The default display, sound and input start on demand (the fake host
# asks for them at once: Supervise WANTED, then UP, before it dials).
re="^--wait-ready --plugin fs=$u/fs.sock --plugin display=$u/display.sock"
re="$re --on-demand display=display-png --plugin sound=$u/sound.sock --on-demand sound=sound-wav"
re="$re --plugin input=$u/input.sock --on-demand input=input-null"
re="$re --control $u/control.sock -- print-plugins print-args \$"
[[ "$(host_args)" =~ $re ]] || fail "host arguments '$(host_args)' do not match '$re'"
for d in fs display sound input; do
	assert_grep "$T/out" "^plugin $d ipc://[^ ]+/$d.sock conn [1-4] backend test-echo serves $d\$"
done
assert_grep "$T/args.fs-hostdir" "^--listen $u/fs.sock --root $T/work\$"
assert_grep "$T/args.display-png" "^--listen $u/display.sock --out outboard-out/frames\$"
assert_grep "$T/args.sound-wav" "^--listen $u/sound.sock --out outboard-out/sound.wav\$"
assert_grep "$T/args.input-null" "^--listen $u/input.sock\$"
[ ! -e "$T/work/outboard-out" ] || fail "outboard-out was made though no plugin wrote there"
[ ! -e "$T/work/outboard-out/sound.wav" ] || fail "the launcher made sound.wav itself"
# Single-domain defaults are not asked to --describe themselves.
[ ! -e "$T/describe.display-png" ] || fail "display-png was asked to --describe itself"

# 4. -v says where the outputs go; --out moves them (and is made, parents too).
run_ob run -v --out "$T/o2/deep" --cpu "$FAKE" exit 0
assert_rc 0
assert_grep "$T/err" "^outboard: \[info\] launcher: display output goes to $T/o2/deep/frames \(display-png\)\$"
assert_grep "$T/err" "^outboard: \[info\] launcher: sound output goes to $T/o2/deep/sound.wav \(sound-wav\)\$"
assert_grep "$T/args.display-png" "^--listen $u/display.sock --log-level info --out $T/o2/deep/frames\$"
[ ! -e "$T/o2" ] || fail "$T/o2 was made though no plugin wrote there"

# [run] out in the config file; the command line's --out wins over it.
printf '[run]\nout = %s\n' "$T/o3" >"$T/out.ini"
run_ob run --config "$T/out.ini" --cpu "$FAKE" exit 0
assert_rc 0
assert_grep "$T/args.sound-wav" "^--listen $u/sound.sock --out $T/o3/sound.wav\$"
[ ! -e "$T/o3" ] || fail "$T/o3 was made though no plugin wrote there"
run_ob run --config "$T/out.ini" --out "$T/o4" --cpu "$FAKE" exit 0
assert_rc 0
assert_grep "$T/args.sound-wav" "^--listen $u/sound.sock --out $T/o4/sound.wav\$"

# 5. An output directory that cannot be made: 125 before anything starts.
: >"$T/plain-file"
before=$(started display-png)
run_ob run --out "$T/plain-file" --cpu "$FAKE" exit 0
assert_rc 125
assert_grep "$T/err" "cannot create the output directory $T/plain-file.*: Not a directory"
[ "$(started display-png)" -eq "$before" ] || fail "a plugin was started though the output directory failed"
echo PASS
