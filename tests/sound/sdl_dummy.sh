#!/bin/sh
# tone.elf through outboard-sound-sdl on SDL's dummy driver, which consumes
# audio in real time without a sound card. The run exits 0, and the drain
# did not return before the device had consumed the data: from just before
# the beep to the drain's return, at least 80% of the 1000 ms of audio
# passed (the guest reads ob_clock_get around it). Then, with a driver
# that does not exist, the plugin fails its start-up with a clear message
# and the launcher exits 125 naming it.
. "$(dirname "$0")/lib.sh"

config sdl.ini sdl
export SDL_AUDIODRIVER=dummy
run tone --config sdl.ini "$(guest tone)"
expect_status tone 0
expect_stdout_has tone '^tone: done$'
start=$(value tone start_ms)
drained=$(value tone drained_ms)
audio=$(value tone audio_ms)
[ -n "$start" ] && [ -n "$drained" ] && [ "$audio" = 1000 ] || { show tone; fail "no timestamps"; }
elapsed=$((drained - start))
if [ "$elapsed" -lt $((audio * 8 / 10)) ]; then
	show tone
	fail "the drain returned $elapsed ms after the first sound; $audio ms were queued"
fi

export SDL_AUDIODRIVER=no-such-driver
run nodev --config sdl.ini "$(guest tone)"
expect_status nodev 125
expect_stderr_has nodev 'sound-sdl' "the sound-sdl plugin"
expect_stderr_has nodev 'no audio (driver|device)' "why it failed"
note "passed (drain returned $elapsed ms after the beep started)"
