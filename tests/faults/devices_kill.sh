#!/bin/bash
# devices_kill: the fault-injection harness against the display and sound
# plugins, with the demo guest (examples/snake) playing its scripted game.
# display-png and sound-wav are killed (SIGKILL) at random moments,
# OB_FAULT_DEVICE_EVENTS times in all (default 10); the launcher restarts
# them. The game must carry on to its usual end: same score (its logic does
# not depend on the devices), exit status 0, no crash. A frame or a beep
# in flight at a kill may be lost (docs/faults.md); the display sends
# expose when it is back and the game redraws.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

events=${OB_FAULT_DEVICE_EVENTS:-10}
elf=$(guest_path snake)
script="$OB_SRC/examples/snake/demo.script"
mkdir "$WORK/out"

( cd "$WORK/out" && exec "$OB_BIN/outboard" run --out . --input "script:$script" \
	--restart-max 100 --restart-window 1 "$elf" ) </dev/null >"$WORK/dk.out" 2>"$WORK/dk.err" &
launcher=$!
cleanup() {
	kill -KILL "$launcher" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

started() { ls "$WORK/out/frames" 2>/dev/null | grep -q png; }
wait_until 30 started || { echo 1 >"$WORK/dk.status"; show dk; fail "the game never drew"; }

kills=0
for i in $(seq 1 "$events"); do
	pid_alive "$launcher" || break
	if [ $((i % 2)) -eq 0 ]; then exe=outboard-display-png; else exe=outboard-sound-wav; fi
	sleep "0.$(printf '%03d' $((300 + RANDOM % 600)))"
	pid=$(child_running "$launcher" "$exe")
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && kills=$((kills + 1))
done
wait_until 60 pid_gone "$launcher" ||
	{ echo 1 >"$WORK/dk.status"; show dk; fail "the game did not end"; }
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/dk.status"
restarts=$(grep -c 'plugin .* is back' "$WORK/dk.err" || true)
note "kills $kills, restarts $restarts"

expect_status dk 0
expect_line dk out '^snake: score 7, high score 7' "the game's usual end"
no_line dk err 'guest fault|AddressSanitizer|LeakSanitizer|runtime error|failed for good|giving up|is not restarted' \
	"a crash or a domain given up"
[ "$kills" -ge $((events / 2)) ] || fail "only $kills kills landed"
[ "$restarts" -ge $((kills / 2)) ] || fail "$kills kills but $restarts restarts"
checks_passed dk
note "passed"
