#!/bin/sh
# demo_hiscore: the high-score file across games, with short.script (one
# food, then Escape: score 1, about 1.5 s a game):
#   none             -> "1\n", "(new)"
#   "7\n"            -> kept as it is, "high score 7"
#   "0\n"            -> replaced by "1\n", "(new)"
#   not a number     -> a warning, then replaced by "1\n"
#   a directory      -> warnings (cannot read, cannot save), "(new, not
#                       saved)", still status 0, no snake.hiscore.new left
# and a window-close (a scripted quit) ending a game, and the board scaled
# to another screen size.
. "$(dirname "$0")/lib.sh"

SHORT_LINE1='snake: length 4, 6 moves, quit'

# The games are independent: all of them run at once, then each is checked.
mkdir -p "$WORK/kept" "$WORK/beaten" "$WORK/garbage" "$WORK/dir/snake.hiscore"
printf '7\n' >"$WORK/kept/snake.hiscore"
printf '0\n' >"$WORK/beaten/snake.hiscore"
printf 'seven\n' >"$WORK/garbage/snake.hiscore"
# Closing the window is a quit event: it ends the game at its step, like
# Escape. One move right (at 200 ms), then the quit (at 220 ms: move 2).
printf '@20ms key down RIGHT\n@220ms quit\n' >"$WORK/quit.script"
for tag in none kept beaten garbage dir; do
	play $tag "$WORK/$tag" "$SHORT_SCRIPT" &
done
play quit "$WORK/quit" "$WORK/quit.script" &
# Another screen: the same 30x20 board with bigger cells (20x20 pixels).
play big "$WORK/big" "$SHORT_SCRIPT" --screen 640x480 &
wait

# short TAG RESULT: the short game ended as planned, with RESULT.
short() {
	expect_ok "$1"
	expect_line "$1" out "$SHORT_LINE1"
	expect_line "$1" out "$2"
	[ ! -e "$WORK/$1/snake.hiscore.new" ] || fail "$1: snake.hiscore.new was left behind"
}

short none 'snake: score 1, high score 1 (new)'
expect_file "$WORK/none/snake.hiscore" 1
expect_no none err . "anything on stderr"
expect_snake "$(last_frame "$WORK/none")" 4
note "no file: the score becomes the high score"

short kept 'snake: score 1, high score 7'
expect_file "$WORK/kept/snake.hiscore" 7
expect_no kept err . "anything on stderr"
note "a higher score is kept"

short beaten 'snake: score 1, high score 1 (new)'
expect_file "$WORK/beaten/snake.hiscore" 1
note "a lower score is replaced"

short garbage 'snake: score 1, high score 1 (new)'
expect_line garbage err 'snake: snake.hiscore does not hold a high score: high score 0'
expect_file "$WORK/garbage/snake.hiscore" 1
note "a file that is not a score is replaced, with a warning"

short dir 'snake: score 1, high score 1 (new, not saved)'
expect_line dir err 'snake: cannot read snake.hiscore (Is a directory): high score 0'
grep -q '^snake: cannot save the high score in snake.hiscore: ' "$WORK/dir.err" ||
	{ show dir; fail "dir: no warning that the high score was not saved"; }
[ -d "$WORK/dir/snake.hiscore" ] || fail "dir: the directory snake.hiscore was replaced"
note "an unreadable, unwritable high score: warnings, the game still ends well"

expect_ok quit
expect_line quit out 'snake: length 3, 1 moves, quit'
expect_line quit out 'snake: score 0, high score 0'
[ ! -e "$WORK/quit/snake.hiscore" ] || fail "quit: a score of 0 was saved"
note "a quit event ends the game; a score of 0 saves nothing"

expect_ok big
expect_line big out "$SHORT_LINE1"
expect_snake "$(last_frame "$WORK/big")" 4 400
note "--screen 640x480: cells of 20x20 pixels"
note "passed"
