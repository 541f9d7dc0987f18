#!/bin/sh
# Backend swap: the same draw.elf, unchanged, runs with the png display and
# with the null display (chosen in the config only). Both exit 0 with the
# same output (display_info and frame numbers agree); only png writes
# files.
PNG_COMPARE=$1
. "$(dirname "$0")/lib.sh"

elf=$(guest_path draw)
sum_before=$(cksum <"$elf")

display_config "$WORK/png.ini" png "out=$WORK/frames"
run_guest png "$WORK/png.ini" "$elf"
expect_status png 0
[ "$(list_pngs "$WORK/frames" | wc -l)" -eq 4 ] || fail "png wrote $(list_pngs "$WORK/frames")"
same_png "$GOLDEN/draw/frame-00004.png" "$WORK/frames/frame-00004.png"

display_config "$WORK/null.ini" null
run_guest null "$WORK/null.ini" "$elf"
expect_status null 0
if ! cmp -s "$WORK/png.out" "$WORK/null.out"; then
	show png
	show null
	fail "the guest saw the two displays differently"
fi
expect_grep null out '^draw: frame 4$' "four frames presented"
n=$(find "$WORK" -name '*.png' | grep -vc "^$WORK/frames/" || true)
[ "$n" -eq 0 ] || fail "the null display left PNG files: $(find "$WORK" -name '*.png')"

# A screen size is the backend's option, not the program's.
display_config "$WORK/small.ini" null "screen=160x120"
run_guest small "$WORK/small.ini" "$elf"
expect_status small 0
expect_grep small out '^draw: screen 160x120 format 1 font 6x13$' "the configured screen"

[ "$(cksum <"$elf")" = "$sum_before" ] || fail "the program changed"
note "passed"
