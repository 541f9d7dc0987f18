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

# A system call outside the plugin's seccomp filter: the plugin's line names
# it, the launcher says what SIGSYS means.
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" forbidden:execve wait-death exit 7
assert_rc 7
assert_grep "$T/err" 'outboard-test-echo: seccomp: system call [0-9]+ \(execve\) is not allowed'
assert_grep "$T/err" '^outboard: .*fs plugin test-echo killed by SIGSYS \(a system call its seccomp filter forbids; docs/confinement.md\)$'

# A crash while shutting down is news (the launcher sends SIGTERM, never SIGSEGV).
SEGV_AT_STOP=$T/bin/outboard-segv-at-stop
mkdir -p "$T/bin"
cat >"$SEGV_AT_STOP" <<SH
#!/bin/bash
trap 'kill -TERM \$child 2>/dev/null; wait \$child; trap - SEGV; kill -SEGV \$\$' TERM INT
"$ECHO" "\$@" & child=\$!
wait \$child
wait \$child
SH
chmod +x "$SEGV_AT_STOP"
run_ob run --cpu "$FAKE" --plugin fs="$SEGV_AT_STOP" exit 0
assert_rc 0
assert_grep "$T/err" '^outboard: \[warn\] launcher: fs plugin segv-at-stop killed by SIGSEGV while shutting down$'
echo PASS
