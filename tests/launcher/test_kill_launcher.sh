#!/bin/bash
# A SIGKILL of the launcher leaves no child alive: plugins and the CPU host
# die with it (PR_SET_PDEATHSIG), and its runtime directory goes too (its
# watcher removes it).
source "$(dirname "$0")/lib.sh" "$@"

start_ob run --cpu "$FAKE" --plugin fs="$ECHO" print-pid sleep 30000
wait_until 10000 has_lines "$T/out" 1 || fail "the fake host never started"
kids=$(children_of "$LAUNCHER")
[ "$(echo "$kids" | wc -w)" -eq 2 ] || fail "expected 2 children (plugin, host), got: $kids"
host=$(awk '/^pid/ {print $2}' "$T/out")
echo "$kids" | grep -qx "$host" || fail "the host ($host) is not among the children: $kids"
for k in $kids; do
	alive "$k" || fail "child $k is not running before the kill"
done

kill -9 "$LAUNCHER"
none_alive() {
	for k in $kids; do
		alive "$k" && return 1
	done
	return 0
}
wait_until 1000 none_alive || fail "children still alive 1 s after SIGKILL of the launcher: $kids"
rundir_gone() { [ -z "$(ls -A "$XDG_RUNTIME_DIR")" ]; }
wait_until 2000 rundir_gone || fail "the runtime directory outlived the launcher: $(ls -AR "$XDG_RUNTIME_DIR")"
echo PASS
