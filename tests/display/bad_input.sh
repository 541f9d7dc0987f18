#!/bin/sh
# Bad input around the display: refused --screen sizes and --out
# directories stop the run before the guest starts (with the reason on
# stderr), an unwritable --out is refused, and random drawing calls (with
# extreme and invalid arguments) never crash a display plugin. draw_bad's
# refused blits are in golden.sh, where its frame is compared too.
PNG_COMPARE=$1
. "$(dirname "$0")/lib.sh"

elf=$(guest_path draw)

# expect_start_failure TAG ERE WHAT KEY=VALUE...: the png display refuses
# to start; outboard run exits 125 and never runs the guest.
expect_start_failure() {
	tag=$1
	ere=$2
	what=$3
	shift 3
	display_config "$WORK/$tag.ini" png "$@"
	run_guest "$tag" "$WORK/$tag.ini" "$elf"
	expect_status "$tag" 125
	expect_grep "$tag" err "$ere" "$what"
	if grep -q 'draw:' "$WORK/$tag.out"; then
		show "$tag"
		fail "$tag: the guest ran"
	fi
}

expect_start_failure tiny '16 to 2048' "the size range" "out=$WORK/f" "screen=8x8"
expect_start_failure huge '16 to 2048' "the size range" "out=$WORK/f" "screen=4096x100"
expect_start_failure word 'WIDTHxHEIGHT' "the expected form" "out=$WORK/f" "screen=big"
: >"$WORK/afile"
expect_start_failure notdir 'not a directory' "a file in the way" "out=$WORK/afile"
expect_start_failure notdirparent 'Not a directory' "a file on the way" "out=$WORK/afile/frames"
expect_start_failure nofont 'xfonts-base' "the font's package" "out=$WORK/f" \
	"font=$WORK/no-such-font.pcf.gz"

# A missing --out (parents too) is made with the first frame, and only then.
display_config "$WORK/later.ini" png "out=$WORK/missing/frames"
run_guest later "$WORK/later.ini" "$(guest_path hello)"
expect_status later 0
[ ! -e "$WORK/missing" ] || fail "--out was made though nothing was drawn"
run_guest later "$WORK/later.ini" "$elf"
expect_status later 0
[ -f "$WORK/missing/frames/frame-00004.png" ] || fail "--out was not made for the frames"

# Unwritable --out (or parent of a missing one): as an unprivileged user (root writes anywhere, so as
# root the plugin runs as nobody through setpriv).
mkdir "$WORK/ro"
chmod 755 "$WORK"
chmod 555 "$WORK/ro"
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || fail "setpriv (util-linux) is needed as root"
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	as_user=""
fi
status=0
$as_user "$OB_BIN/outboard-display-png" --listen "ipc://$WORK/never.sock" --out "$WORK/ro" \
	>"$WORK/ro.out" 2>"$WORK/ro.err" || status=$?
echo $status >"$WORK/ro.status"
expect_status ro 1
expect_grep ro err 'cannot write in --out .*(Permission denied|Read-only)' "the unwritable dir"
[ -z "$(ls -A "$WORK/ro")" ] || fail "files appeared in the unwritable dir"
status=0
$as_user "$OB_BIN/outboard-display-png" --listen "ipc://$WORK/never.sock" --out "$WORK/ro/a/b" \
	>"$WORK/ro.out" 2>"$WORK/ro.err" || status=$?
echo $status >"$WORK/ro.status"
expect_status ro 1
expect_grep ro err 'cannot create --out .*/ro/a/b: Permission denied' "the unwritable parent"

# Random calls, extremes included: every present answered in order, no
# crash (sanitizer builds check the plugin's memory on the way).
fuzz=$(guest_path draw_fuzz)
display_config "$WORK/fuzz-png.ini" png "out=$WORK/fuzz" "screen=64x48"
run_guest fuzzpng "$WORK/fuzz-png.ini" "$fuzz" 1 3000
expect_status fuzzpng 0
expect_grep fuzzpng out '^draw_fuzz: 3000 calls, 30 frames$' "every present answered"
[ "$(list_pngs "$WORK/fuzz" | wc -l)" -eq 30 ] || fail "fuzz: expected 30 frames"
display_config "$WORK/fuzz-null.ini" null
run_guest fuzznull "$WORK/fuzz-null.ini" "$fuzz" 77 3000
expect_status fuzznull 0
expect_grep fuzznull out '^draw_fuzz: 3000 calls, 30 frames$' "every present answered"
note "passed"
