#!/bin/bash
# A plugin that dies while the host runs is reported by name with its
# signal, and the host gets Supervise{domain, DIED, detail, plugin} on the
# control connection. The host keeps running and its status is the run's.
source "$(dirname "$0")/lib.sh" "$@"

# fs_open("crash") makes test-echo abort().
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" crash wait-death exit 7
assert_rc 7
assert_grep "$T/err" '^outboard: .*fs plugin test-echo killed by SIGABRT$'
assert_grep "$T/out" '^supervise fs DIED test-echo: killed by SIGABRT$'
echo PASS
