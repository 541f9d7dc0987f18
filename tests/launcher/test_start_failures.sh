#!/bin/bash
# Start-up failures: exit 125 with a message naming what failed, and no
# process left behind.
source "$(dirname "$0")/lib.sh" "$@"

# No process may outlive a run: every child's command line holds the
# runtime directory, under this test's own XDG_RUNTIME_DIR.
assert_no_leftovers() {
	! pgrep -f "$XDG_RUNTIME_DIR/" >/dev/null || fail "processes left: $(pgrep -af "$XDG_RUNTIME_DIR/")"
	[ -z "$(ls -A "$XDG_RUNTIME_DIR")" ] || fail "runtime directory left: $(ls -A "$XDG_RUNTIME_DIR")"
}

# A plugin executable that does not exist.
run_ob run --cpu "$FAKE" --plugin fs="$T/nowhere/outboard-fs-ghost" exit 0
assert_rc 125
assert_grep "$T/err" "fs plugin $T/nowhere/outboard-fs-ghost: no such file"
assert_no_leftovers

# A backend name with no executable.
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" --display ghost exit 0
assert_rc 125
assert_grep "$T/err" "display backend 'ghost': no executable outboard-display-ghost"
assert_no_leftovers

# A plugin that exits before Hello: named, with its status, and its last
# words relayed first.
printf '#!/bin/sh\necho "going away" >&2\nexit 3\n' >"$T/outboard-fs-quitter"
chmod +x "$T/outboard-fs-quitter"
run_ob run --cpu "$FAKE" --plugin fs="$T/outboard-fs-quitter" exit 0
assert_rc 125
assert_grep "$T/err" '^\[fs-quitter\] going away$'
assert_grep "$T/err" 'fs plugin fs-quitter exited with status 3 before answering Hello'
assert_no_leftovers

# A plugin killed by a signal before Hello.
printf '#!/bin/sh\nkill -SEGV $$\n' >"$T/outboard-fs-segv"
chmod +x "$T/outboard-fs-segv"
run_ob run --cpu "$FAKE" --plugin fs="$T/outboard-fs-segv" exit 0
assert_rc 125
assert_grep "$T/err" 'fs plugin fs-segv killed by SIGSEGV before answering Hello'

# One plugin fails while another started well: the good one is stopped.
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" --plugin input="$T/outboard-fs-quitter" exit 0
assert_rc 125
assert_grep "$T/err" 'input plugin fs-quitter exited with status 3'
assert_no_leftovers

# A plugin that never answers Hello: bounded by --plugin-timeout.
printf '#!/bin/sh\nexec sleep 30\n' >"$T/outboard-fs-mute"
chmod +x "$T/outboard-fs-mute"
run_ob run --cpu "$FAKE" --plugin-timeout 300 --plugin fs="$T/outboard-fs-mute" exit 0
assert_rc 125
assert_grep "$T/err" "fs plugin fs-mute \(ipc://.*/fs.sock\) did not answer Hello within 300 ms"
assert_no_leftovers

# A CPU host that ends while a plugin is still being probed (it starts
# beside the plugins): its status is the run's at once, not the probe's
# 125 after --plugin-timeout, and nothing is left.
printf '#!/bin/sh\necho "host gives up" >&2\nexit 7\n' >"$T/quitting-host"
chmod +x "$T/quitting-host"
run_ob run --cpu "$T/quitting-host" --plugin-timeout 20000 --plugin fs="$T/outboard-fs-mute" exit 0
assert_rc 7
assert_grep "$T/err" '^host gives up$'
assert_no_leftovers

# A plugin that answers but does not serve the domain it was given.
run_ob run --cpu "$FAKE" --plugin fs=none --plugin display="$ECHO" exit 0
assert_rc 125
assert_grep "$T/err" 'display plugin test-echo .* does not serve the display domain'
assert_no_leftovers

# A CPU host that does not exist.
run_ob run --cpu "$T/nowhere/cpu" --plugin fs="$ECHO" exit 0
assert_rc 125
assert_grep "$T/err" "CPU host $T/nowhere/cpu: not an executable file"
assert_no_leftovers

# Malformed config files: the error names the file and the line.
printf '[run]\nstats = true\nthis is not ini\n' >"$T/bad.ini"
run_ob run --config "$T/bad.ini" --cpu "$FAKE" exit 0
assert_rc 125
assert_grep "$T/err" "$T/bad.ini:3: syntax error"
printf '[fs]\nbackend = none\n\n[network]\nport = 1\n' >"$T/bad.ini"
run_ob run --config "$T/bad.ini" --cpu "$FAKE" exit 0
assert_rc 125
assert_grep "$T/err" "$T/bad.ini:4: unknown section \[network\]"
printf '[run]\nturbo = yes\n' >"$T/bad.ini"
run_ob run --config "$T/bad.ini" --cpu "$FAKE" exit 0
assert_rc 125
assert_grep "$T/err" "$T/bad.ini:2: unknown key 'turbo' in \[run\]"
run_ob run --config "$T/missing.ini" --cpu "$FAKE" exit 0
assert_rc 125
assert_grep "$T/err" "$T/missing.ini: No such file or directory"

# A bad command line.
run_ob run --frobnicate --cpu "$FAKE" exit 0
assert_rc 125
assert_grep "$T/err" "unknown option '--frobnicate'"
run_ob run --cpu "$FAKE"
assert_rc 125
assert_grep "$T/err" 'no PROGRAM given'
run_ob launch
assert_rc 125
assert_grep "$T/err" "unknown command 'launch'"
assert_no_leftovers
echo PASS
