#!/bin/bash
# The runtime directory: a private directory (mode 0700) under
# $XDG_RUNTIME_DIR holding the ipc:// endpoints while the run lasts, and
# removed when it ends; /tmp when $XDG_RUNTIME_DIR is unusable.
source "$(dirname "$0")/lib.sh" "$@"

start_ob run --cpu "$FAKE" --plugin fs="$ECHO" print-rundir sleep 60000
wait_until 10000 has_lines "$T/out" 1 || fail "the fake host never started"
dir=$(awk '/^rundir/ {print $2}' "$T/out")
case "$dir" in
"$XDG_RUNTIME_DIR"/outboard-*) ;;
*) fail "runtime directory '$dir' is not under \$XDG_RUNTIME_DIR ($XDG_RUNTIME_DIR)" ;;
esac
[ "$(stat -c %a "$dir")" = 700 ] || fail "$dir has mode $(stat -c %a "$dir"), not 700"
[ -S "$dir/fs.sock" ] || fail "no fs.sock socket in $dir"
[ -S "$dir/control.sock" ] || fail "no control.sock socket in $dir"
kill -TERM "$LAUNCHER"
wait_exit "$LAUNCHER" 10000
[ ! -e "$dir" ] || fail "$dir still exists after the run"

# A normal end removes it too.
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" print-rundir exit 0
assert_rc 0
dir=$(awk '/^rundir/ {print $2}' "$T/out")
[ -n "$dir" ] || fail "no rundir line"
[ ! -e "$dir" ] || fail "$dir still exists after the run"

# So does a failed start.
run_ob run --cpu "$FAKE" --plugin fs="$T/nowhere/outboard-fs-x" exit 0
assert_rc 125
[ -z "$(ls -A "$XDG_RUNTIME_DIR")" ] || fail "left in \$XDG_RUNTIME_DIR: $(ls -A "$XDG_RUNTIME_DIR")"

# An unusable $XDG_RUNTIME_DIR: /tmp instead.
XDG_RUNTIME_DIR=$T/does-not-exist run_ob run --cpu "$FAKE" --plugin fs="$ECHO" print-rundir
assert_rc 0
dir=$(awk '/^rundir/ {print $2}' "$T/out")
case "$dir" in
/tmp/outboard-*) ;;
*) fail "runtime directory '$dir' is not under /tmp" ;;
esac
[ ! -e "$dir" ] || fail "$dir still exists after the run"
echo PASS
