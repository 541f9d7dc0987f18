#!/bin/sh
# Golden frames: draw.elf and draw_bad.elf run with the png display, and
# every frame must equal, pixel for pixel, the baseline committed in
# tests/display/golden/<guest>/ (same file names, same sizes, same pixels).
#
#   golden.sh PNG_COMPARE [--rebaseline]
#
# --rebaseline (or OB_REBASELINE=1 in the environment, e.g.
# `OB_REBASELINE=1 ctest -R display_golden`) rewrites the baselines from
# this run instead of comparing: do it on purpose, after a change to the
# drawing code that is meant to change pixels, and commit the new files.
PNG_COMPARE=$1
. "$(dirname "$0")/lib.sh"
REBASELINE=${OB_REBASELINE:-0}
[ "${2:-}" = --rebaseline ] && REBASELINE=1

check_guest() {
	guest=$1
	display_config "$WORK/$guest.ini" png "out=$WORK/$guest"
	run_guest "$guest" "$WORK/$guest.ini" "$(guest_path "$guest")"
	expect_status "$guest" 0
	[ -n "$(list_pngs "$WORK/$guest")" ] || fail "$guest wrote no frames"
	if [ "$REBASELINE" = 1 ]; then
		rm -rf "${GOLDEN:?}/$guest"
		mkdir -p "$GOLDEN/$guest"
		cp "$WORK/$guest"/frame-*.png "$GOLDEN/$guest/"
		note "rebaselined $guest: $(list_pngs "$GOLDEN/$guest" | tr '\n' ' ')"
		return 0
	fi
	[ -d "$GOLDEN/$guest" ] || fail "no baseline $GOLDEN/$guest (run with --rebaseline)"
	want=$(list_pngs "$GOLDEN/$guest")
	got=$(list_pngs "$WORK/$guest")
	[ "$want" = "$got" ] || fail "$guest wrote [$got], the baseline has [$want]"
	for f in $want; do
		same_png "$GOLDEN/$guest/$f" "$WORK/$guest/$f"
	done
	note "$guest: $(echo "$want" | wc -l) frames match"
}

check_guest draw
expect_grep draw out '^draw: done$' "the guest's own checks passing"
check_guest draw_bad
expect_grep draw_bad out '^draw_bad: ok$' "the guest's own checks passing"
# The host refused the bad blits itself: none reached the plugin.
if grep -q "display_blit" "$WORK/draw_bad.err"; then
	fail "a bad blit reached the plugin"
fi

[ "$REBASELINE" = 1 ] && exit 0

# The comparison can fail: two different frames are reported as such.
status=0
"$PNG_COMPARE" "$GOLDEN/draw/frame-00001.png" "$GOLDEN/draw/frame-00002.png" \
	>"$WORK/diff.out" 2>&1 || status=$?
[ "$status" = 1 ] || fail "ob-png-compare said $status for two different frames"
grep -q 'pixels differ; the first at' "$WORK/diff.out" || fail "no first difference reported"
status=0
"$PNG_COMPARE" "$GOLDEN/draw/frame-00001.png" "$WORK/draw.ini" >/dev/null 2>&1 || status=$?
[ "$status" = 2 ] || fail "ob-png-compare said $status for a file that is no PNG"
note "passed"
