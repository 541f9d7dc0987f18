#!/bin/sh
# tone.elf through the wav backend: a 440 Hz beep then a 1 kHz sine, 500 ms
# each, at 44100 Hz mono in one WAV file. The file is read back: its rate,
# its length, and each part's length and frequency (from the data: the
# beep is the run of +-8000 samples).
. "$(dirname "$0")/lib.sh"

config wav.ini wav out="$WORK/sound.wav"
run tone --config wav.ini "$(guest tone)"
expect_status tone 0
expect_stdout_has tone '^tone: done$'
wav_check "$WORK/sound.wav" --rate 44100 --channels 1 --frames 44100 \
	--beep 440:500 --sine 1000:500
note "passed"
