#!/bin/bash
# The CPU host's command line: the plugins' URLs, the control endpoint,
# options forwarded from the command line and the config file (the command
# line wins), then -- and the guest's arguments untouched. The log level
# reaches the plugins too.
source "$(dirname "$0")/lib.sh" "$@"

cat >"$T/outboard.ini" <<INI
[run]
trace = sound,open
stats = true
heap_max = 8M
stack = 64K
log_level = info
call_timeout = 5000
time_limit = 60000
[env]
FROM_FILE = 1
SHARED = file
INI
run_ob run --config "$T/outboard.ini" --trace fs,display_present -v --cpu "$FAKE" \
	--plugin fs="$ECHO" --trace-file tf.txt --trace-durations --trace-time \
	--time-limit 0 --plugin-timeout 7000 --env SHARED=cli --env 'SPACED=a b' print-args --fs x -v
assert_rc 0
args=$(sed -n 's/^arg: //p' "$T/out" | tr '\n' ' ')
re="^--wait-ready --plugin fs=ipc://$XDG_RUNTIME_DIR/outboard-[A-Za-z0-9]+/fs.sock"
re="$re --control ipc://$XDG_RUNTIME_DIR/outboard-[A-Za-z0-9]+/control.sock"
re="$re --log-level debug --trace fs,display_present --trace-file $T/work/tf.txt --trace-time"
re="$re --trace-durations --stats --heap-max 8M --stack 64K"
re="$re --plugin-timeout 7000 --call-timeout 5000 --time-limit 0 --env FROM_FILE=1 --env SHARED=cli --env SPACED=a b"
re="$re -- print-args --fs x -v \$"
[[ "$args" =~ $re ]] || fail "host arguments '$args' do not match '$re'"
# The trace file is made (empty) before anything starts, given absolute.
[ -f "$T/work/tf.txt" ] || fail "--trace-file was not created"
# info + one -v = debug, for the plugin as well.
assert_grep "$T/err" '^\[test-echo\] debug: '

# Without options, only what is needed.
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" print-args
assert_rc 0
args=$(sed -n 's/^arg: //p' "$T/out" | tr '\n' ' ')
re="^--wait-ready --plugin fs=ipc://[^ ]+/fs.sock --control ipc://[^ ]+/control.sock -- print-args \$"
[[ "$args" =~ $re ]] || fail "host arguments '$args' do not match '$re'"

# --help and --version succeed without running anything.
run_ob run --help
assert_rc 0
assert_grep "$T/out" '^Usage: outboard run'
run_ob --version
assert_rc 0
assert_grep "$T/out" '^outboard [0-9]+\.[0-9]+\.[0-9]+ \(protocol 1\)$'
echo PASS
