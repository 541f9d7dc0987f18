#!/bin/sh
# Refused sound calls (sound_bad_inputs.elf checks each result: EBADF,
# EINVAL, EBUSY) through the wav backend, and what they leave in the files:
# the out-of-range beeps nothing (so no 44100 Hz file), the stream 800
# frames at 8000 Hz mono, the reopened stream 1600 frames at 16000 Hz stereo
# in a second file. Then an unwritable --out: the plugin fails at start-up
# and the launcher exits 125 naming it.
. "$(dirname "$0")/lib.sh"

config wav.ini wav out="$WORK/sound.wav"
run bad --config wav.ini "$(guest sound_bad_inputs)"
expect_status bad 0
expect_no_fail_lines bad
expect_stdout_has bad '^bad_inputs: all passed$'
for beep in '19 Hz, 100 ms' '20001 Hz, 100 ms' '440 Hz, 0 ms' '440 Hz, 10001 ms'; do
	expect_stderr_has bad "sound_beep\\($beep\\) ignored" "the dropped beep ($beep)"
done
wav_check "$WORK/sound.wav" --rate 8000 --channels 1 --frames 800
wav_check "$WORK/sound-2.wav" --rate 16000 --channels 2 --frames 1600
[ ! -e "$WORK/sound-3.wav" ] || fail "a third file was written"

: >"$WORK/afile"
config nodir.ini wav out="$WORK/afile/dir/sound.wav"
run nodir --config nodir.ini "$(guest tone)"
expect_status nodir 125
expect_stderr_has nodir 'sound-wav' "the sound-wav plugin"
expect_stderr_has nodir "cannot write $WORK/afile/dir/sound.wav: Not a directory" "the path"
# A missing directory is made with the file.
config mkdir.ini wav out="$WORK/no/such/dir/sound.wav"
run mkdir --config mkdir.ini "$(guest tone)"
expect_status mkdir 0
[ -s "$WORK/no/such/dir/sound.wav" ] || fail "the WAV file was not made in a new directory"

config isdir.ini wav out="$WORK"
run isdir --config isdir.ini "$(guest tone)"
expect_status isdir 125
expect_stderr_has isdir "cannot write $WORK: Is a directory" "the path"
note "passed"
