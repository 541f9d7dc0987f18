#!/bin/sh
# demo_stable: five scripted demo games at once, on a machine they load
# together, all end exactly as planned: the same result lines, no key
# arriving too late for its move, the same last frame (docs/snake.png), the
# same high-score file and the same sound. The game applies keys by their
# own times (examples/snake/snake.h), so load must not change the outcome.
. "$(dirname "$0")/lib.sh"

RUNS=5
# The png display writes only the last frame, at exit (one file per
# --interval, which no game lasts): the games load the machine, the PNG
# encoder need not.
printf '[display]\ninterval = 3600000\n' >"$WORK/last-only.ini"
i=1
while [ $i -le $RUNS ]; do
	play "run$i" "$WORK/run$i" "$DEMO_SCRIPT" --config "$WORK/last-only.ini" &
	i=$((i + 1))
done
wait

i=1
while [ $i -le $RUNS ]; do
	run=run$i
	expect_ok $run
	expect_line $run out "$DEMO_LINE1"
	expect_line $run out "snake: score $DEMO_SCORE, high score $DEMO_SCORE (new)"
	expect_no $run err 'arrived after move' "a key that came too late for its move"
	expect_file "$WORK/$run/snake.hiscore" "$DEMO_SCORE"
	[ "$(ls "$WORK/$run/frames")" = frame-00001.png ] ||
		fail "$run: frames $(ls "$WORK/$run/frames"), expected only frame-00001.png"
	"$DEMO_CHECK" same "$GOLDEN_LAST" "$WORK/$run/frames/frame-00001.png" ||
		fail "$run: the last frame is not docs/snake.png"
	expect_demo_sound "$WORK/$run/sound.wav"
	i=$((i + 1))
done
note "$RUNS games at once: all the same"
note "passed"
