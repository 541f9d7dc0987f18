#!/bin/sh
# demo_game: `scripts/demo.sh BUILD OUT`, as `make demo` runs it. The
# scripted game ends as planned (demo.script), and leaves what the demo
# says it does: the high-score file with exactly "7\n", PNG frames whose
# last one is the game-over screen (the snake's and the food's pixels
# counted, and the whole frame as docs/snake.png shows it), and a WAV file
# holding exactly the seven beeps and the tune, never silent. Also: the
# script replaces an earlier demo's directory and refuses any other that is
# not empty.
. "$(dirname "$0")/lib.sh"

demo() {
	tag=$1
	shift
	status=0
	timeout -k 5 60 bash "$OB_SRC/scripts/demo.sh" "$OB_BUILD" "$@" </dev/null \
		>"$WORK/$tag.out" 2>"$WORK/$tag.err" || status=$?
	echo "$status" >"$WORK/$tag.status"
}

# Someone else's directory is never emptied.
mkdir "$WORK/mine"
echo keep >"$WORK/mine/notes.txt"
demo refused "$WORK/mine"
expect_status refused 1
expect_line refused err "demo: $WORK/mine is not empty and not an earlier demo's output: choose another OUT_DIR"
[ -f "$WORK/mine/notes.txt" ] || fail "demo.sh removed a file that was not its own"
note "a foreign directory is refused"

# An earlier demo's directory is replaced.
out=$WORK/out
mkdir -p "$out/frames"
: >"$out/.outboard-demo"
echo stale >"$out/frames/frame-99999.png"
echo 99 >"$out/snake.hiscore"
demo run "$out"
expect_ok run
expect_line run out "$DEMO_LINE1"
expect_line run out "snake: score $DEMO_SCORE, high score $DEMO_SCORE (new)"
expect_no run err 'arrived after move' "a key that came too late for its move"
[ ! -e "$out/frames/frame-99999.png" ] || fail "the earlier demo's frames are still there"

# What demo.sh says it left, and that it is there.
last=$(last_frame "$out")
frames=$(ls -1 "$out/frames" | grep -c '^frame-.*\.png$')
expect_line run out "demo: screenshots: $frames PNG frames, $out/frames/frame-00001.png .. $(basename "$last")"
expect_line run out "demo: last frame:  $last"
expect_line run out "demo: sound:       $out/sound.wav"
expect_line run out "demo: high score:  $out/snake.hiscore ($DEMO_SCORE)"
expect_line run out "demo: final score: $DEMO_SCORE"
expect_line run out "  $OB_BIN/outboard run --display sdl $OB_EXAMPLES/snake.elf"
note "demo.sh: status 0, score $DEMO_SCORE, $frames frames"

# A frame per move at most, and one for the start (and maybe an expose):
# the 46 moves and the crash are 47 steps.
[ "$frames" -ge 2 ] && [ "$frames" -le 49 ] || fail "$frames frames, expected 2 to 49"
expect_file "$out/snake.hiscore" "$DEMO_SCORE"
[ ! -e "$out/snake.hiscore.new" ] || fail "snake.hiscore.new was left behind"

# The first frame: a snake of 3 (the start, or a move or two later under
# load), the last: the snake of 10 where it crashed.
first="$out/frames/frame-00001.png"
[ "$("$DEMO_CHECK" colours "$first" | head -n 1)" = 320x240 ] ||
	fail "$first is not a 320x240 PNG"
expect_snake "$first" 3
expect_snake "$last" 10
"$DEMO_CHECK" same "$GOLDEN_LAST" "$last" ||
	fail "the last frame is not docs/snake.png (if the game's look changed on purpose, copy $last there)"
note "frames: the snake, the food and the game-over screen as expected"

expect_demo_sound "$out/sound.wav"
note "sound: $(cat "$WORK/sound.txt")"
note "passed"
