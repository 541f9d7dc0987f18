#!/bin/bash
# The restart policy's settings and edges: --restart-max 0 (or [run]
# restart_max = 0) turns restarts off (the host gets DIED, then FAILED);
# [run] restart_max and restart_window set the policy and the command line
# wins over them; a restarted plugin that does not answer Hello is killed
# and counts as a crash; bad values are refused before anything starts.
source "$(dirname "$0")/lib.sh" "$@"

fake_backend fs-echo fs
EXE=$T/bin/outboard-fs-echo
NONE=(--display none --sound none --input none)

# 1. --restart-max 0: DIED then FAILED, one start, the message once.
run_ob run "${NONE[@]}" --restart-max 0 --cpu "$FAKE" --plugin fs="$EXE" \
	crash wait-death wait-failed sleep 500 exit 0
assert_rc 0
expected="supervise fs DIED fs-echo: killed by SIGABRT
supervise fs FAILED fs-echo: restarts are off"
[ "$(cat "$T/out")" = "$expected" ] || fail "stdout is not DIED then FAILED"
msg='^outboard: the fs plugin fs-echo is not restarted \(restarts are off\): its calls now fail with ENODEV$'
[ "$(grep -cE "$msg" "$T/err")" -eq 1 ] || fail "the restarts-off message is not there exactly once"
assert_no_grep "$T/err" 'restarting'
[ "$(started fs-echo)" -eq 1 ] || fail "fs-echo started $(started fs-echo) times, not once"

# 2. The same from the config file.
printf '[run]\nrestart_max = 0\n' >"$T/off.ini"
: >"$T/args.fs-echo"
run_ob run --config "$T/off.ini" "${NONE[@]}" --cpu "$FAKE" --plugin fs="$EXE" \
	crash wait-death wait-failed exit 0
assert_rc 0
assert_grep "$T/out" '^supervise fs FAILED fs-echo: restarts are off$'
[ "$(started fs-echo)" -eq 1 ] || fail "fs-echo started $(started fs-echo) times with restart_max = 0"

# The command line wins over the file: one restart allowed (max 2).
: >"$T/args.fs-echo"
run_ob run --config "$T/off.ini" --restart-max 2 "${NONE[@]}" --cpu "$FAKE" --plugin fs="$EXE" \
	crash wait-death wait-up crash wait-death wait-failed exit 0
assert_rc 0
got=$(awk '/^supervise fs / {printf "%s%s", sep, $3; sep=" "}' "$T/out")
[ "$got" = "DIED UP DIED FAILED" ] || fail "Supervise states '$got' with --restart-max 2"
assert_grep "$T/out" '^supervise fs FAILED fs-echo: failed 2 times in 30 s$'
[ "$(started fs-echo)" -eq 2 ] || fail "fs-echo started $(started fs-echo) times, not 2"

# [run] restart_window: named in the FAILED detail and message.
printf '[run]\nrestart_max = 2\nrestart_window = 7\n' >"$T/window.ini"
run_ob run --config "$T/window.ini" "${NONE[@]}" --cpu "$FAKE" --plugin fs="$EXE" \
	crash wait-death wait-up crash wait-death wait-failed exit 0
assert_rc 0
assert_grep "$T/out" '^supervise fs FAILED fs-echo: failed 2 times in 7 s$'
assert_grep "$T/err" '^outboard: the fs plugin fs-echo failed 2 times in 7 s; giving up'

# 3. A restart that never answers Hello (the second and later starts of
# this backend only sleep): killed after --plugin-timeout, counted as a
# crash, and never announced UP. Three crashes (the first death, two silent
# restarts) give up.
cat >"$T/bin/outboard-fs-flaky" <<SH
#!/bin/bash
echo "\$*" >>"$T/args.fs-flaky"
echo \$\$ >>"$T/pids.fs-flaky"
[ "\$(wc -l <"$T/args.fs-flaky")" -gt 1 ] && exec sleep 30
exec "$ECHO" "\$@"
SH
chmod +x "$T/bin/outboard-fs-flaky"
run_ob run "${NONE[@]}" --plugin-timeout 300 --restart-max 3 --cpu "$FAKE" \
	--plugin fs="$T/bin/outboard-fs-flaky" crash wait-death wait-failed exit 0
assert_rc 0
expected="supervise fs DIED fs-flaky: killed by SIGABRT
supervise fs FAILED fs-flaky: failed 3 times in 30 s"
[ "$(cat "$T/out")" = "$expected" ] || fail "stdout is not one DIED then FAILED"
for k in 1 2; do
	assert_grep "$T/err" "fs plugin fs-flaky \(ipc://[^)]*/fs.sock\) did not answer Hello within 300 ms after restart $k: killing it\$"
done
[ "$(grep -c 'fs plugin fs-flaky killed by SIGKILL before answering Hello$' "$T/err")" -eq 2 ] ||
	fail "the two silent restarts were not reported killed before Hello"
[ "$(started fs-flaky)" -eq 3 ] || fail "fs-flaky started $(started fs-flaky) times, not 3"
for p in $(cat "$T/pids.fs-flaky"); do
	alive "$p" && fail "the plugin process $p outlived the run"
done

# 4. Bad values: 125 before anything starts.
: >"$T/args.fs-echo"
for bad in -1 101 x '' 1.5 ' 3' +3; do
	run_ob run --restart-max "$bad" --cpu "$FAKE" --plugin fs="$EXE" exit 0
	assert_rc 125
	grep -qF -- "--restart-max wants a number from 0 to 100, got '$bad'" "$T/err" ||
		fail "no message for --restart-max '$bad'"
done
for bad in 0 86401 -5 x '' 2s; do
	run_ob run --restart-window "$bad" --cpu "$FAKE" --plugin fs="$EXE" exit 0
	assert_rc 125
	grep -qF -- "--restart-window wants seconds (1 to 86400), got '$bad'" "$T/err" ||
		fail "no message for --restart-window '$bad'"
done
printf '[run]\nstats = true\nrestart_max = many\n' >"$T/bad.ini"
run_ob run --config "$T/bad.ini" --cpu "$FAKE" --plugin fs="$EXE" exit 0
assert_rc 125
assert_grep "$T/err" "$T/bad.ini:3: restart_max wants a number from 0 to 100, got 'many'"
printf '[run]\nrestart_window = 0\n' >"$T/bad.ini"
run_ob run --config "$T/bad.ini" --cpu "$FAKE" --plugin fs="$EXE" exit 0
assert_rc 125
assert_grep "$T/err" "$T/bad.ini:2: restart_window wants seconds \(1 to 86400\), got '0'"
[ "$(started fs-echo)" -eq 0 ] || fail "a plugin was started despite a bad restart setting"
echo PASS
