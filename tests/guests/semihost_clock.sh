#!/bin/sh
# SYS_CLOCK is the guest's CPU time, as qemu-arm reports it: a guest that
# sleeps 600 ms sees SYS_ELAPSED move by 600 ms and SYS_CLOCK by less than
# half of that; spinning moves it. The guest checks and prints ok/FAIL.
. "$(dirname "$0")/lib.sh"

run_outboard clock --fs "$WORK" "$(guest_path semihost_clock)"
expect_status clock 0
expect_no_fail_lines clock
[ "$(grep -c '^ok ' "$WORK/clock.out")" -eq 3 ] || { show clock; fail "expected 3 checks"; }
note "passed"
