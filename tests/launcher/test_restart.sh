#!/bin/bash
# A plugin that dies while the host runs is started again on the same URL:
# the host gets Supervise DIED, then UP with that URL once the new process
# has answered Hello, and a call after UP reaches the new process. The
# back-off doubles with each crash inside the window (100, 200, 400 ms:
# the launcher's own words, not measured), and after --restart-max crashes
# within --restart-window the host gets FAILED, stderr says so once, and
# nothing is started any more. Nor once the host has exited: a pending
# restart is dropped and a restarted plugin still being checked is stopped.
source "$(dirname "$0")/lib.sh" "$@"

# A stand-in backend, so each start is counted: test-echo serving fs.
fake_backend fs-echo fs
EXE=$T/bin/outboard-fs-echo
# Only fs: no warnings about default backends in the way.
NONE=(--display none --sound none --input none)

# 1. Two crashes, each followed by a restart and a call that works.
run_ob run "${NONE[@]}" --cpu "$FAKE" --plugin fs="$EXE" print-plugins echo-read 1 \
	crash wait-death wait-up echo-read 2 crash wait-death wait-up echo-read 3 exit 4
assert_rc 4
url=$(awk '/^plugin fs / {print $3}' "$T/out")
[[ "$url" =~ ^ipc://$XDG_RUNTIME_DIR/outboard-[A-Za-z0-9]+/fs.sock$ ]] || fail "fs URL '$url'"
expected="read 01 02 03 04
supervise fs DIED fs-echo: killed by SIGABRT
supervise fs UP fs-echo $url: restart 1
read 02 03 04 05
supervise fs DIED fs-echo: killed by SIGABRT
supervise fs UP fs-echo $url: restart 2
read 03 04 05 06"
[ "$(grep -v '^plugin ' "$T/out")" = "$expected" ] ||
	fail "stdout is not DIED, UP (same URL), a working call, twice"
[ "$(started fs-echo)" -eq 3 ] || fail "fs-echo started $(started fs-echo) times, not 3"
# Every start had the same command line, so the same endpoint.
[ "$(sort -u "$T/args.fs-echo" | wc -l)" -eq 1 ] || fail "a restart had another command line"
# The launcher's account, in order: death, back-off, back; twice.
grep -E '^outboard: \[(error|warn)\] launcher: ' "$T/err" | sed 's/pid [0-9]*/pid P/' >"$T/log"
expected="outboard: [error] launcher: fs plugin fs-echo killed by SIGABRT
outboard: [warn] launcher: restarting the fs plugin fs-echo in 100 ms (restart 1)
outboard: [warn] launcher: fs plugin fs-echo is back (restart 1, pid P)
outboard: [error] launcher: fs plugin fs-echo killed by SIGABRT
outboard: [warn] launcher: restarting the fs plugin fs-echo in 200 ms (restart 2)
outboard: [warn] launcher: fs plugin fs-echo is back (restart 2, pid P)"
[ "$(cat "$T/log")" = "$expected" ] || fail "stderr does not tell death, back-off, return: $(cat "$T/log")"
# Each return is a new process.
pids=$(sed -n 's/.* is back (restart [0-9]*, pid \([0-9]*\))$/\1/p' "$T/err" | sort -u | wc -l)
[ "$pids" -eq 2 ] || fail "the two restarts did not have two new pids"

# 2. --restart-max 4 in a 60 s window: three restarts with growing
# back-off, the fourth crash gives up. Nothing starts after that.
: >"$T/args.fs-echo"
run_ob run "${NONE[@]}" --restart-max 4 --restart-window 60 --cpu "$FAKE" --plugin fs="$EXE" \
	crash wait-death wait-up crash wait-death wait-up crash wait-death wait-up \
	crash wait-death wait-failed sleep 1500 exit 0
assert_rc 0
expected="DIED UP DIED UP DIED UP DIED FAILED"
got=$(awk '/^supervise fs / {printf "%s%s", sep, $3; sep=" "}' "$T/out")
[ "$got" = "$expected" ] || fail "Supervise states '$got', expected '$expected'"
assert_grep "$T/out" '^supervise fs FAILED fs-echo: failed 4 times in 60 s$'
backoffs=$(sed -n 's/.*restarting the fs plugin fs-echo in \([0-9]*\) ms (restart \([0-9]*\))$/\1@\2/p' \
	"$T/err" | tr '\n' ' ')
[ "$backoffs" = "100@1 200@2 400@3 " ] || fail "back-offs '$backoffs', expected 100, 200, 400"
msg='^outboard: the fs plugin fs-echo failed 4 times in 60 s; giving up: its calls now fail with ENODEV$'
[ "$(grep -cE "$msg" "$T/err")" -eq 1 ] || fail "the give-up message is not there exactly once"
# 1 start + 3 restarts; the 1.5 s after FAILED saw no fifth start.
[ "$(started fs-echo)" -eq 4 ] || fail "fs-echo started $(started fs-echo) times, not 4"
assert_no_grep "$T/err" 'restart 4'

# 3. The host exits while a restart waits out its back-off (the fourth
# crash: 800 ms): the restart never happens, and nothing is left running.
: >"$T/args.fs-echo"
run_ob run "${NONE[@]}" --cpu "$FAKE" --plugin fs="$EXE" \
	crash wait-death wait-up crash wait-death wait-up crash wait-death wait-up \
	crash wait-death exit 6
assert_rc 6
assert_grep "$T/err" 'restarting the fs plugin fs-echo in 800 ms \(restart 4\)$'
assert_no_grep "$T/err" 'is back \(restart 4'
[ "$(started fs-echo)" -eq 4 ] || fail "fs-echo started $(started fs-echo) times, not 4"
! pgrep -f "$XDG_RUNTIME_DIR/" >/dev/null || fail "processes left: $(pgrep -af "$XDG_RUNTIME_DIR/")"

# The host exits while a restarted plugin is being checked (this one never
# answers after its first start): it is stopped with the rest, at once,
# without waiting for its Hello, and the host never hears UP.
cat >"$T/bin/outboard-fs-mute" <<SH
#!/bin/bash
echo "\$*" >>"$T/args.fs-mute"
echo \$\$ >>"$T/pids.fs-mute"
[ "\$(wc -l <"$T/args.fs-mute")" -gt 1 ] && exec sleep 30
exec "$ECHO" "\$@"
SH
chmod +x "$T/bin/outboard-fs-mute"
run_ob run "${NONE[@]}" --plugin-timeout 20000 --cpu "$FAKE" --plugin fs="$T/bin/outboard-fs-mute" \
	crash wait-death sleep 600 exit 0
assert_rc 0
[ "$(cat "$T/out")" = "supervise fs DIED fs-mute: killed by SIGABRT" ] || fail "stdout is not just DIED"
[ "$(started fs-mute)" -eq 2 ] || fail "fs-mute started $(started fs-mute) times, not twice"
assert_no_grep "$T/err" 'did not answer Hello|giving up'
for p in $(cat "$T/pids.fs-mute"); do
	alive "$p" && fail "the plugin process $p outlived the run"
done
! pgrep -f "$XDG_RUNTIME_DIR/" >/dev/null || fail "processes left: $(pgrep -af "$XDG_RUNTIME_DIR/")"
[ -z "$(ls -A "$XDG_RUNTIME_DIR")" ] || fail "runtime directory left: $(ls -A "$XDG_RUNTIME_DIR")"
echo PASS
