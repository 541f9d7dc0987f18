#!/bin/sh
# The same tone.elf with the wav and the null backend, chosen without
# rebuilding anything: by config file (wav, null), and by `--sound null` on
# the command line over a config that says wav. Every run exits 0 with the
# same guest output, and only the wav run leaves a WAV file.
. "$(dirname "$0")/lib.sh"

mkdir wav null cli
config wav.ini wav out="$WORK/wav/sound.wav"
config null.ini null
config cli.ini wav out="$WORK/cli/sound.wav"
(cd wav && run wav --config ../wav.ini "$(guest tone)")
(cd null && run null --config ../null.ini "$(guest tone)")
(cd cli && run cli --config ../cli.ini --sound null "$(guest tone)")
for tag in wav null cli; do
	expect_status $tag 0
	expect_stdout_has $tag '^tone: done$'
	grep -v '_ms=' "$WORK/$tag.out" >"$WORK/$tag.lines"
done
cmp -s "$WORK/wav.lines" "$WORK/null.lines" || fail "the guest's output differs (wav, null)"
cmp -s "$WORK/wav.lines" "$WORK/cli.lines" || fail "the guest's output differs (--sound null)"
wav_check "$WORK/wav/sound.wav" --rate 44100 --channels 1 --frames 44100
found=$(find "$WORK" -name '*.wav' | grep -v "^$WORK/wav/sound.wav$" || true)
[ -z "$found" ] || fail "WAV files besides the wav backend's: $found"
note "passed"
