#!/bin/bash
# One process for two domains: a backend whose --describe lists several
# domains is started once; chosen for display, it serves input too unless
# input was chosen as well. The CPU host gets the same URL for both. Its
# death is reported naming both, with one Supervise per domain.
source "$(dirname "$0")/lib.sh" "$@"

fake_backend display-twin display,input
fake_backend fs-twin fs,input
fake_backend input-null input
u="ipc://$XDG_RUNTIME_DIR/outboard-[A-Za-z0-9]+"

# 1. --display twin: one process for display and input; input-null unused.
run_ob run --plugin fs="$ECHO" --display twin --sound none --cpu "$FAKE" print-plugins print-args
assert_rc 0
[ ! -s "$T/err" ] || fail "outboard printed something on success"
re="^--plugin fs=$u/fs.sock --plugin display=($u/display.sock) --plugin input=($u/display.sock) "
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
# told about each. (fs_open("crash") makes test-echo abort.)
run_ob run --plugin fs="$T/bin/outboard-fs-twin" --display none --sound none --cpu "$FAKE" \
	crash wait-death wait-death exit 7
assert_rc 7
assert_grep "$T/err" '^outboard: \[error\] launcher: fs,input plugin fs-twin killed by SIGABRT$'
assert_grep "$T/out" '^supervise fs DIED fs-twin: killed by SIGABRT$'
assert_grep "$T/out" '^supervise input DIED fs-twin: killed by SIGABRT$'
echo PASS
