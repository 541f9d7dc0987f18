#!/bin/sh
# Beeps with no stream, and a guest that ends right after posting them:
# the wav backend renders them at 44100 Hz mono and, stopped by the
# launcher's SIGTERM at the end of the run, leaves a header that counts
# every frame (200 ms + 100 ms = 13230 frames).
. "$(dirname "$0")/lib.sh"

config wav.ini wav out="$WORK/sound.wav"
run beeps --config wav.ini "$(guest sound_beeps)"
expect_status beeps 0
expect_stdout_has beeps '^beeps: posted$'
wav_check "$WORK/sound.wav" --rate 44100 --channels 1 --frames 13230
note "passed"
