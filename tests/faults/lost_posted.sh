#!/bin/bash
# faults_lost_posted: posted calls (drawing, beeps) that find their plugin
# down, lost or given up are dropped, and --stats counts them per domain
# (lost_posted=, docs/faults.md). The demo game (examples/snake, scripted)
# with --restart-max 0: display-png is killed after the first frame and
# not restarted, so each later frame's drawing calls are dropped. The game
# still ends as usual; the display line counts the lost calls, the sound
# line (sound-wav untouched) none. An undisturbed run loses nothing.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

# lost TAG DOMAIN: the lost_posted= figure of DOMAIN's stats line.
lost() {
	sed -n "s/^outboard-cpu: stats $2: .* lost_posted=\([0-9]*\)$/\1/p" "$WORK/$1.err"
}

# Undisturbed: every line says lost_posted=0.
(cd "$WORK" && exec "$OB_BIN/outboard" run --stats --out ref --display png --sound null \
	"$(guest_path draw)") </dev/null >"$WORK/ref.out" 2>"$WORK/ref.err"
echo $? >"$WORK/ref.status"
expect_status ref 0
[ "$(lost ref display)" = 0 ] || { show ref; fail "an undisturbed run lost posted display calls"; }
[ "$(grep -c 'lost_posted=0$' "$WORK/ref.err")" -eq "$(grep -c '^outboard-cpu: stats .*: backend=' "$WORK/ref.err")" ] ||
	{ show ref; fail "a stats line without lost_posted=0"; }

mkdir "$WORK/out"
( cd "$WORK/out" && exec "$OB_BIN/outboard" run --stats --out . --restart-max 0 \
	--input "script:$OB_SRC/examples/snake/demo.script" "$(guest_path snake)" ) \
	</dev/null >"$WORK/lp.out" 2>"$WORK/lp.err" &
launcher=$!
cleanup() {
	kill -KILL "$launcher" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

started() { ls "$WORK/out/frames" 2>/dev/null | grep -q png; }
wait_until 30 started || { echo 1 >"$WORK/lp.status"; show lp; fail "the game never drew"; }
pid=$(child_running "$launcher" outboard-display-png)
[ -n "$pid" ] || fail "no display-png under the launcher"
kill -KILL "$pid"
wait_until 60 pid_gone "$launcher" || { echo 1 >"$WORK/lp.status"; show lp; fail "the game did not end"; }
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/lp.status"

expect_status lp 0
expect_line lp out '^snake: score 7, high score 7' "the game's usual end"
display=$(lost lp display)
sound=$(lost lp sound)
note "lost_posted: display $display, sound $sound"
[ -n "$display" ] && [ "$display" -gt 0 ] || { show lp; fail "the drawing after the kill was not counted lost"; }
[ "$sound" = 0 ] || { show lp; fail "sound lost $sound posted calls, its plugin never died"; }
no_line lp err 'guest fault|AddressSanitizer|LeakSanitizer|runtime error' "a crash"
checks_passed lp ref
note "passed"
