#!/bin/sh
# The default display and sound start on demand (docs/launcher.md, "Plugins
# started on demand"):
#   - a program that never draws or plays starts neither plugin, and leaves
#     no outboard-out behind;
#   - draw.elf on the default display gets every frame, the first one too
#     (its first posted blit waited for the plugin instead of being
#     dropped), pixel for pixel the golden frames;
#   - tone.elf on the default sound gets its WAV file.
PNG_COMPARE=$1
. "$(dirname "$0")/lib.sh"

# run_default TAG PROGRAM [ARGS...]: `outboard run -v` with every default
# plugin, in $WORK.
run_default() {
	tag=$1
	shift
	status=0
	timeout -k 5 60 "$OB_BIN/outboard" run -v "$@" </dev/null \
		>"$WORK/$tag.out" 2>"$WORK/$tag.err" || status=$?
	echo "$status" >"$WORK/$tag.status"
}

run_default quiet "$(guest_path hello)"
expect_status quiet 0
if grep -Eq '^\[(display-png|sound-wav)\]' "$WORK/quiet.err"; then
	show quiet
	fail "a program that neither draws nor plays started the display or sound plugin"
fi
[ ! -e "$WORK/outboard-out" ] || fail "outboard-out was made by a program that wrote nothing"

run_default draw "$(guest_path draw)"
expect_status draw 0
expect_grep draw err 'display: plugin display-png started on demand' "the display's start on demand"
want=$(list_pngs "$GOLDEN/draw")
got=$(list_pngs "$WORK/outboard-out/frames")
[ "$want" = "$got" ] || { show draw; fail "draw wrote [$got], the baseline has [$want]"; }
for f in $want; do
	same_png "$GOLDEN/draw/$f" "$WORK/outboard-out/frames/$f"
done
if grep -Eq '^\[sound-wav\]' "$WORK/draw.err"; then
	show draw
	fail "draw.elf, which plays nothing, started the sound plugin"
fi

rm -rf "$WORK/outboard-out"
run_default tone "$(guest_path tone)"
expect_status tone 0
expect_grep tone err 'sound: plugin sound-wav started on demand' "the sound's start on demand"
[ -s "$WORK/outboard-out/sound.wav" ] || { show tone; fail "tone.elf left no sound.wav"; }
[ ! -e "$WORK/outboard-out/frames" ] || fail "tone.elf, which draws nothing, made frames"
note "passed ($(echo "$want" | wc -l) frames, one WAV)"
