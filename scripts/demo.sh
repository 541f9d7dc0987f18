#!/usr/bin/env bash
# The demo (docs/demo.md): the snake game plays itself from a built-in
# input script, headless, with the launcher's default plugins (files from
# the output directory, PNG frames, a WAV file, and the script for input).
#
#   scripts/demo.sh [BUILD_DIR [OUT_DIR]]     (make demo runs it)
#
# BUILD_DIR (default build) holds bin/outboard and examples/snake.elf; a
# relative one is looked up from the current directory, then from the
# source tree. OUT_DIR (default ./outboard-demo) is made afresh: an earlier
# demo's directory is replaced; any other directory that is not empty is
# refused. Afterwards the script prints where the frames, the sound and the
# high-score file are, and the final score. Its exit status is the game's.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
out=${2:-outboard-demo}
marker=.outboard-demo

die() {
	echo "demo: $*" >&2
	exit 1
}

case $build in
/*) ;;
*) [ -d "$build" ] || build=$top/$build ;;
esac
build=$(cd "$build" 2>/dev/null && pwd) || die "no build directory ${1:-build} (run make build)"
launcher=$build/bin/outboard
elf=$build/examples/snake.elf
script=$top/examples/snake/demo.script
[ -x "$launcher" ] || die "$launcher is missing (run make build)"
[ -f "$elf" ] || die "$elf is missing (build with guest programs: OUTBOARD_GUESTS=ON)"
[ -f "$script" ] || die "$script is missing"

# A fresh output directory, without ever emptying one that is not ours.
if [ -e "$out" ]; then
	[ -d "$out" ] || die "$out exists and is not a directory"
	if [ -e "$out/$marker" ]; then
		rm -rf "$out"
	elif [ -n "$(ls -A "$out")" ]; then
		die "$out is not empty and not an earlier demo's output: choose another OUT_DIR"
	fi
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
: >"$out/$marker"

echo "demo: snake.elf plays the game in $script by itself (about 11 s)"
echo "demo: \$ cd $out && outboard run --out . --input script:$script $elf"
# The fs root is the current directory: the game keeps snake.hiscore there.
cd "$out"
set +e
"$launcher" run --out . --input "script:$script" "$elf" | tee snake.out
status=${PIPESTATUS[0]}
set -e
echo "demo: the game exited with status $status"

frames=$(find frames -maxdepth 1 -name 'frame-*.png' 2>/dev/null | sort)
count=$(printf '%s' "$frames" | grep -c . || true)
if [ "$count" -gt 0 ]; then
	first=$(printf '%s\n' "$frames" | head -n 1)
	last=$(printf '%s\n' "$frames" | tail -n 1)
	echo "demo: screenshots: $count PNG frames, $out/$first .. $(basename "$last")"
	echo "demo: last frame:  $out/$last"
else
	echo "demo: screenshots: none were written"
fi
if [ -f sound.wav ]; then
	echo "demo: sound:       $out/sound.wav"
else
	echo "demo: sound:       none was written"
fi
if [ -f snake.hiscore ]; then
	echo "demo: high score:  $out/snake.hiscore ($(head -c 16 snake.hiscore | tr -d '\n'))"
else
	echo "demo: high score:  none was saved"
fi
score=$(sed -n 's/^snake: score \([0-9]*\),.*/\1/p' snake.out)
echo "demo: final score: ${score:-none (the game did not finish)}"

echo
echo "To play it yourself (arrows or WASD steer, Escape quits), in a window:"
echo "  $launcher run --display sdl $elf"
echo "(add --sound sdl before the program to hear it; the high score stays in snake.hiscore)"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
	echo "(this needs a display: DISPLAY is not set here)"
fi
exit "$status"
