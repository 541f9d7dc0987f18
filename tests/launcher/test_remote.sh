#!/bin/bash
# A plugin named by URL is not started but dialed: the launcher checks its
# Hello and hands the URL to the host, and leaves the plugin running.
source "$(dirname "$0")/lib.sh" "$@"

"$ECHO" --listen "ipc://$T/remote.sock" 2>"$T/remote.err" &
remote=$!
BG_PIDS+=("$remote")
wait_until 5000 test -S "$T/remote.sock" || fail "the remote test-echo did not bind"

run_ob run --cpu "$FAKE" --plugin fs="ipc://$T/remote.sock" echo-read 5 print-args
assert_rc 0
assert_grep "$T/out" "^arg: fs=ipc://$T/remote.sock\$"
assert_grep "$T/out" '^read 05 06 07 08$'
alive "$remote" || fail "the launcher stopped a remote plugin it did not start"

# Twice: the remote plugin takes a new host after the first one left.
run_ob run --cpu "$FAKE" --plugin fs="ipc://$T/remote.sock" echo-read 9
assert_rc 0
assert_grep "$T/out" '^read 09 0a 0b 0c$'
kill "$remote"

# Nobody at the URL: a bounded wait, then 125 naming the URL.
run_ob run --cpu "$FAKE" --plugin-timeout 300 --plugin fs="ipc://$T/nobody.sock" exit 0
assert_rc 125
assert_grep "$T/err" "fs plugin at ipc://$T/nobody.sock did not answer Hello within 300 ms"

# A scheme the launcher cannot dial.
run_ob run --cpu "$FAKE" --plugin fs="udp://127.0.0.1:9" exit 0
assert_rc 125
assert_grep "$T/err" 'only tcp:// and ipc:// URLs work'
echo PASS
