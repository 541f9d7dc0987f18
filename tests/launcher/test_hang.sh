#!/bin/bash
# Supervise{HUNG} from the host: the launcher SIGKILLs the hung plugin
# (test-echo stops answering after fs_open("hang")), and the usual path
# follows: DIED, restart, UP, and calls work again. A HUNG about a remote
# plugin, which the launcher does not run, is only logged: the plugin is
# left alone. With restarts off, the hung plugin is killed and FAILED.
source "$(dirname "$0")/lib.sh" "$@"

fake_backend fs-echo fs
EXE=$T/bin/outboard-fs-echo
NONE=(--display none --sound none --input none)

# 1. A local plugin hangs; the host says so.
run_ob run "${NONE[@]}" --cpu "$FAKE" --plugin fs="$EXE" print-plugins echo-read 1 \
	hang sleep 200 hung fs wait-death wait-up echo-read 2 exit 0
assert_rc 0
url=$(awk '/^plugin fs / {print $3}' "$T/out")
expected="read 01 02 03 04
supervise fs DIED fs-echo: killed by SIGKILL
supervise fs UP fs-echo $url: restart 1
read 02 03 04 05"
[ "$(grep -v '^plugin ' "$T/out")" = "$expected" ] || fail "stdout is not DIED, UP, a working call"
assert_grep "$T/err" '^outboard: \[warn\] launcher: plugin fs-echo \(fs\) stopped answering: killed, restarting$'
assert_grep "$T/err" '^outboard: \[error\] launcher: fs plugin fs-echo killed by SIGKILL$'
[ "$(started fs-echo)" -eq 2 ] || fail "fs-echo started $(started fs-echo) times, not twice"

# 2. Restarts off: killed, then FAILED.
: >"$T/args.fs-echo"
run_ob run "${NONE[@]}" --restart-max 0 --cpu "$FAKE" --plugin fs="$EXE" \
	hang sleep 200 hung fs wait-death wait-failed exit 0
assert_rc 0
expected="supervise fs DIED fs-echo: killed by SIGKILL
supervise fs FAILED fs-echo: restarts are off"
[ "$(cat "$T/out")" = "$expected" ] || fail "stdout is not DIED then FAILED"
assert_grep "$T/err" '^outboard: \[warn\] launcher: plugin fs-echo \(fs\) stopped answering: killed$'
[ "$(started fs-echo)" -eq 1 ] || fail "fs-echo was restarted with --restart-max 0"

# 3. A remote plugin: logged, not touched, no Supervise; it still answers.
"$ECHO" --listen "ipc://$T/remote.sock" 2>"$T/remote.err" &
remote=$!
BG_PIDS+=("$remote")
wait_until 5000 test -S "$T/remote.sock" || fail "the remote test-echo did not bind"
run_ob run "${NONE[@]}" --cpu "$FAKE" --plugin fs="ipc://$T/remote.sock" \
	hung fs sleep 500 echo-read 3 exit 0
assert_rc 0
[ "$(cat "$T/out")" = "read 03 04 05 06" ] || fail "stdout is not just the call's answer"
assert_grep "$T/err" "^outboard: \[warn\] launcher: plugin at ipc://$T/remote.sock \(fs\) stopped answering \(no heartbeat\): the launcher does not run it; the CPU host reconnects to it\$"
alive "$remote" || fail "the launcher killed a remote plugin"
kill "$remote"
wait "$remote" 2>/dev/null

# 4. A HUNG about a domain nobody serves: a warning, nothing else.
run_ob run "${NONE[@]}" --cpu "$FAKE" --plugin fs="$EXE" hung display sleep 300 echo-read 4 exit 0
assert_rc 0
[ "$(cat "$T/out")" = "read 04 05 06 07" ] || fail "stdout is not just the call's answer"
assert_grep "$T/err" 'the CPU host says the display plugin stopped answering, but the launcher runs none$'

# 5. A WANTED about a plugin that is not started on demand (one running
# since the start, a domain nobody serves): ignored; no second process.
: >"$T/args.fs-echo"
run_ob run "${NONE[@]}" --cpu "$FAKE" --plugin fs="$EXE" wanted fs wanted display sleep 200 \
	echo-read 5 exit 0
assert_rc 0
[ "$(cat "$T/out")" = "read 05 06 07 08" ] || fail "stdout is not just the call's answer"
[ "$(started fs-echo)" -eq 1 ] || fail "a WANTED started fs-echo again"
[ ! -s "$T/err" ] || fail "a stray WANTED was more than a debug line: $(cat "$T/err")"
echo PASS
