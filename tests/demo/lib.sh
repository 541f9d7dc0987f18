# Helpers for the demo tests (sourced by sh scripts), over the guest tests'
# (tests/guests/lib.sh: fail, note, show, expect_status, $WORK).
#
# Environment (set by ob_integration_test): OB_BIN, OB_EXAMPLES, OB_SRC,
# OB_BUILD. Every script gets ob-demo-check and ob-wav-check as its first
# two arguments, and works in its own temporary directory, removed on exit.
#
# What the scripted games end with (examples/snake/demo.script and
# tests/demo/short.script): checked exactly.

. "$OB_SRC/tests/guests/lib.sh"

DEMO_CHECK=$1
WAV_CHECK=$2
SNAKE=$OB_EXAMPLES/snake.elf
DEMO_SCRIPT=$OB_SRC/examples/snake/demo.script
SHORT_SCRIPT=$OB_SRC/tests/demo/short.script
# The demo's last frame, which docs/snake.png shows: to change what the
# game draws, replace docs/snake.png with the new last frame (and look at it).
GOLDEN_LAST=$OB_SRC/docs/snake.png

DEMO_LINE1='snake: length 10, 46 moves, ran into itself'
DEMO_SCORE=7
# 7 beeps of 80 ms and the 750 ms tune at 44100 Hz, one channel.
DEMO_WAV_FRAMES=$((DEMO_SCORE * 3528 + 33075))

# Colours (examples/snake/render.c) and pixels per cell (9x9 on 320x240).
HEAD='#80ff60'
BODY='#30b040'
FOOD='#ff5040'
CELL_PX=81

[ -f "$SNAKE" ] || fail "$SNAKE is missing (is OUTBOARD_GUESTS on?)"

# play TAG DIR SCRIPT [LAUNCHER OPTIONS...]: the snake game in DIR (its fs
# root and --out), input from SCRIPT; output and status in
# $WORK/TAG.{out,err,status}. A run over 60 s is killed (status 124).
play() {
	tag=$1
	dir=$2
	script=$3
	shift 3
	mkdir -p "$dir"
	status=0
	(cd "$dir" && timeout -k 5 60 "$OB_BIN/outboard" run --out . "$@" \
		--input "script:$script" "$SNAKE" </dev/null \
		>"$WORK/$tag.out" 2>"$WORK/$tag.err") || status=$?
	echo "$status" >"$WORK/$tag.status"
}

# expect_ok TAG: exit status 0, and nothing on stderr says that a process
# went wrong: a sanitizer report (plugins run under ASan+UBSan too, and
# their end does not change the run's status) or a plugin that died.
expect_ok() {
	expect_status "$1" 0
	expect_no "$1" err 'Sanitizer|runtime error|plugin .* (exited|killed)' \
		"a sanitizer report or a plugin that died"
}

# expect_line TAG out|err LINE: LINE is one of the output's lines, exactly.
expect_line() {
	if ! grep -Fxq -- "$3" "$WORK/$1.$2"; then
		show "$1"
		fail "$1: std$2 has no line '$3'"
	fi
}

# expect_no TAG out|err ERE WHAT
expect_no() {
	if grep -Eq -- "$3" "$WORK/$1.$2"; then
		show "$1"
		fail "$1: std$2 shows $4"
	fi
}

# expect_file FILE CONTENT: FILE holds exactly CONTENT and a newline.
expect_file() {
	[ -f "$1" ] || fail "$1 is missing"
	printf '%s\n' "$2" >"$WORK/expected.txt"
	cmp -s "$WORK/expected.txt" "$1" ||
		fail "$1 holds '$(od -c "$1" | head -n 3)', expected '$2' and a newline"
}

# count_colour PNG COLOUR: how many pixels of COLOUR (#rrggbb) PNG shows.
count_colour() {
	"$DEMO_CHECK" colours "$1" >"$WORK/colours.txt" || fail "cannot read $1"
	awk -v c="$2" '$1 == c { n = $2 } END { print n + 0 }' "$WORK/colours.txt"
}

# expect_colour PNG COLOUR PIXELS WHAT
expect_colour() {
	n=$(count_colour "$1" "$2")
	[ "$n" = "$3" ] || fail "$1 shows $n pixels of $4 ($2), expected $3"
}

# expect_snake PNG LENGTH [CELL_PX]: the frame shows one head, LENGTH - 1
# body cells and the food.
expect_snake() {
	px=${3:-$CELL_PX}
	expect_colour "$1" "$HEAD" "$px" "the snake's head"
	expect_colour "$1" "$BODY" $(($2 * px - px)) "the snake's body"
	expect_colour "$1" "$FOOD" "$px" "the food"
}

# last_frame DIR: the newest frame-*.png in DIR/frames.
last_frame() {
	ls -1 "$1/frames" | grep '^frame-.*\.png$' | sort | tail -n 1 | sed "s|^|$1/frames/|"
}

# expect_demo_sound WAV: the demo's beeps and tune, exactly, and loud.
expect_demo_sound() {
	"$WAV_CHECK" "$1" --rate 44100 --channels 1 --frames "$DEMO_WAV_FRAMES" \
		>"$WORK/wav.txt" || { cat "$WORK/wav.txt" >&2; fail "$1: not the demo's sound"; }
	"$DEMO_CHECK" sound "$1" >"$WORK/sound.txt" || fail "cannot read $1"
	# A square wave of +-8000 has no silent sample.
	grep -Fxq "frames $DEMO_WAV_FRAMES peak 8000 loud $DEMO_WAV_FRAMES" "$WORK/sound.txt" ||
		fail "$1: $(cat "$WORK/sound.txt"), expected $DEMO_WAV_FRAMES frames of +-8000"
}
