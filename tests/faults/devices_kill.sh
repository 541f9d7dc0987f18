#!/bin/bash
# devices_kill: the fault-injection harness against the display and sound
# plugins, with the demo guest (examples/snake) playing its scripted game.
# display-png and sound-wav are killed (SIGKILL) at random moments,
# OB_FAULT_DEVICE_EVENTS times in all (default 10); the launcher restarts
# them. The game must carry on to its usual end: same score (its logic does
# not depend on the devices), exit status 0, no crash. A frame or a beep
# in flight at a kill may be lost (docs/faults.md); the display sends
# expose when it is back and the game redraws.
#
# Output survives the restarts: compared with an undisturbed run of the
# same game, there are at least as many frame files, numbered 1..N with no
# gap (a restarted display-png goes on after its predecessor's frames and
# overwrites none), and sound.wav holds at least half the reference's
# frames (only beeps played while sound-wav was down are lost; a restarted
# one appends instead of truncating), its header covering the whole file.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

events=${OB_FAULT_DEVICE_EVENTS:-10}
elf=$(guest_path snake)
script="$OB_SRC/examples/snake/demo.script"
mkdir "$WORK/out" "$WORK/ref"

( cd "$WORK/ref" && exec "$OB_BIN/outboard" run --out . --input "script:$script" "$elf" ) \
	</dev/null >"$WORK/ref.out" 2>"$WORK/ref.err" || { show ref; fail "the undisturbed game failed"; }
echo 0 >"$WORK/ref.status"
expect_line ref out '^snake: score 7, high score 7' "the game's usual end"
wav_frames() { # FILE: its frame count; fails unless the header covers it all
	local n
	n=$("$OB_BUILD/tests/ob-wav-check" "$1" | sed -n 's/.*channel(s), \([0-9]*\) frames.*/\1/p')
	[ -n "$n" ] || fail "$1 is no WAV file"
	[ "$(stat -c %s "$1")" -eq $((44 + 2 * n)) ] || { xxd "$1" | head -4 >&2; fail "$1: the header does not cover the file ($(stat -c %s "$1") bytes, $n frames)"; }
	echo "$n"
}
ref_frames=$(ls "$WORK/ref/frames" | grep -c '^frame-.*\.png$')
ref_wav=$(wav_frames "$WORK/ref/sound.wav")

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
frames=$(ls "$WORK/out/frames" | grep -c '^frame-.*\.png$')
last=$(ls "$WORK/out/frames" | sed -n 's/^frame-0*\([0-9][0-9]*\)\.png$/\1/p' | sort -n | tail -1)
note "frames: $frames (undisturbed $ref_frames), sound.wav: $(wav_frames "$WORK/out/sound.wav") frames (undisturbed $ref_wav)"
[ "$frames" -ge "$ref_frames" ] || fail "$frames frame files, fewer than the undisturbed $ref_frames"
[ "$last" -eq "$frames" ] || fail "frames numbered up to $last but $frames files: a gap or an overwrite"
[ "$(wav_frames "$WORK/out/sound.wav")" -ge $((ref_wav / 2)) ] ||
	fail "sound.wav lost more than half of its $ref_wav frames"
[ ! -e "$WORK/out/sound-2.wav" ] || fail "a restart started a second WAV file"
checks_passed dk ref
note "passed"
