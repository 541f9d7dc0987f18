#!/bin/bash
# One process for two domains: a backend whose --describe lists several
# domains is started once; chosen for display, it serves input too unless
# input was chosen as well. The CPU host gets the same URL for both. Its
# death is reported naming both, with one Supervise per domain; it is
# restarted once and each domain gets UP (or FAILED).
source "$(dirname "$0")/lib.sh" "$@"

fake_backend display-twin display,input
fake_backend fs-twin fs,input
fake_backend input-null input
u="ipc://$XDG_RUNTIME_DIR/outboard-[A-Za-z0-9]+"

# 1. --display twin: one process for display and input; input-null unused.
run_ob run --plugin fs="$ECHO" --display twin --sound none --cpu "$FAKE" print-plugins print-args
assert_rc 0
[ ! -s "$T/err" ] || fail "outboard printed something on success"
re="^--wait-ready --plugin fs=$u/fs.sock --plugin display=($u/display.sock) --plugin input=($u/display.sock) "
[[ "$(host_args)" =~ $re ]] || fail "host arguments '$(host_args)' do not match '$re'"
[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] || fail "display and input got different URLs"
assert_grep "$T/out" "^plugin display ipc://[^ ]+/display.sock conn 2 backend test-echo serves display,input\$"
assert_grep "$T/out" "^plugin input ipc://[^ ]+/display.sock conn 2 backend test-echo serves display,input\$"
[ "$(started display-twin)" -eq 1 ] || fail "display-twin started $(started display-twin) times"
[ "$(started input-null)" -eq 0 ] || fail "input-null was started though display-twin serves input"
[ -s "$T/describe.display-twin" ] || fail "display-twin was not asked to --describe itself"

# -v says who serves input.
run_ob run -v --plugin fs="$ECHO" --display twin --sound none --cpu "$FAKE" exit 0
assert_rc 0
assert_grep "$T/err" "^outboard: \[info\] launcher: input is served by the display plugin display-twin\$"

# 2. Another input backend named: started on its own; the twin serves
# display only.
rm -f "$T/args.display-twin"
run_ob run --plugin fs="$ECHO" --display twin --input null --sound none --cpu "$FAKE" print-plugins
assert_rc 0
assert_grep "$T/out" "^plugin display ipc://[^ ]+/display.sock conn 2 "
assert_grep "$T/out" "^plugin input ipc://[^ ]+/input.sock conn 3 backend test-echo serves input\$"
[ "$(started display-twin)" -eq 1 ] || fail "display-twin started $(started display-twin) times"
[ "$(started input-null)" -eq 1 ] || fail "input-null was not started"

# Input disabled: nobody serves it.
run_ob run --plugin fs="$ECHO" --display twin --input none --sound none --cpu "$FAKE" print-args
assert_rc 0
assert_no_grep "$T/out" '^arg: input='

# 3. The same backend chosen for both (another name for the same file):
# still one process.
ln -s outboard-display-twin "$T/bin/outboard-input-twin"
rm -f "$T/args.display-twin" "$T/args.input-twin"
run_ob run --plugin fs="$ECHO" --display twin --input twin --sound none --cpu "$FAKE" print-plugins
assert_rc 0
assert_grep "$T/out" "^plugin input ipc://[^ ]+/display.sock conn 2 "
[ "$(cat "$T/args.display-twin" 2>/dev/null | wc -l)" -eq 1 ] ||
	fail "the twin was not started exactly once"

# 4. A two-domain plugin dies: named with both domains, and the host is
# told about each; it is restarted once, and each domain gets UP with the
# one URL. (fs_open("crash") makes test-echo abort.)
rm -f "$T/args.fs-twin"
run_ob run --plugin fs="$T/bin/outboard-fs-twin" --display none --sound none --cpu "$FAKE" \
	print-plugins crash wait-death wait-death wait-up wait-up echo-read 5 print-plugins exit 7
assert_rc 7
assert_grep "$T/err" '^outboard: \[error\] launcher: fs,input plugin fs-twin killed by SIGABRT$'
url=$(awk '/^plugin fs / {print $3; exit}' "$T/out")
expected="supervise fs DIED fs-twin: killed by SIGABRT
supervise input DIED fs-twin: killed by SIGABRT
supervise fs UP fs-twin $url: restart 1
supervise input UP fs-twin $url: restart 1
read 05 06 07 08"
[ "$(grep -v '^plugin ' "$T/out")" = "$expected" ] ||
	fail "stdout is not DIED and UP for both domains, then a working call"
# After the restart, both domains share one new connection again.
[ "$(grep -c "^plugin input $url conn [0-9] backend test-echo serves fs,input\$" "$T/out")" -eq 2 ] ||
	fail "input is not served by the twin before and after the restart"
[ "$(started fs-twin)" -eq 2 ] || fail "fs-twin started $(started fs-twin) times, not twice"
[ "$(grep -c 'restarting the fs,input plugin fs-twin in 100 ms (restart 1)$' "$T/err")" -eq 1 ] ||
	fail "the twin's restart was not announced exactly once"
assert_no_grep "$T/err" 'restart 2'

# Given up: FAILED for each domain, and the message once, naming both.
run_ob run --restart-max 0 --plugin fs="$T/bin/outboard-fs-twin" --display none --sound none \
	--cpu "$FAKE" crash wait-death wait-death wait-failed wait-failed exit 0
assert_rc 0
assert_grep "$T/out" '^supervise fs FAILED fs-twin: restarts are off$'
assert_grep "$T/out" '^supervise input FAILED fs-twin: restarts are off$'
[ "$(grep -c '^outboard: the fs,input plugin fs-twin is not restarted' "$T/err")" -eq 1 ] ||
	fail "the give-up message is not there exactly once"

# A HUNG about either domain kills the one process: one restart.
rm -f "$T/args.fs-twin"
run_ob run --plugin fs="$T/bin/outboard-fs-twin" --display none --sound none --cpu "$FAKE" \
	hang sleep 200 hung input wait-death wait-death wait-up wait-up echo-read 6 exit 0
assert_rc 0
assert_grep "$T/err" '^outboard: \[warn\] launcher: plugin fs-twin \(fs,input\) stopped answering: killed, restarting$'
assert_grep "$T/out" '^read 06 07 08 09$'
[ "$(started fs-twin)" -eq 2 ] || fail "fs-twin started $(started fs-twin) times, not twice"
echo PASS
