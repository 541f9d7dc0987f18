#!/bin/sh
# A guest thread blocked in sound_write is parked while the others run:
# with `outboard-sound-wav --realtime` the writer's 3 s of audio is paced at
# 8000 Hz, and a ticker thread sleeping 10 ms at a time must have woken at
# least 50 times while the writer was inside sound_write (the guest checks
# this and prints the counts). All 3 s of audio reach the file.
. "$(dirname "$0")/lib.sh"

config rt.ini wav out="$WORK/sound.wav" realtime=true
run parked --config rt.ini "$(guest sound_parked)"
expect_status parked 0
expect_no_fail_lines parked
expect_stdout_has parked '^parked: ok$'
ticks=$(value parked ticks_in_write)
[ -n "$ticks" ] && [ "$ticks" -ge 50 ] || { show parked; fail "ticks_in_write=$ticks"; }
# The writes were held up: 3 s of audio cannot all be ahead of the clock
# by more than the 200 ms buffer (a bounded-wait fact, not a speed).
write_ms=$(value parked write_ms)
[ "$write_ms" -ge 2000 ] || { show parked; fail "the writes took only $write_ms ms"; }
wav_check "$WORK/sound.wav" --rate 8000 --channels 1 --frames 24000
note "passed (ticks_in_write=$ticks, write_ms=$write_ms)"
