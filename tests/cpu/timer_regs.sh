#!/bin/sh
# timer_regs [yield]: a 1 ms timer's handler clobbers every register and
# the flags while the thread it interrupts spins with known values and
# checks them after every iteration: the handler must run (at least 50
# times during the loop) and the loop must never see a changed register.
# With "yield" the guest yields once after ob_timer_start; without it the
# loop follows timer_start with no system call at all.
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path timer_regs)
run_outboard tm --fs "$WORK" "$elf" "$@"
expect_status tm 0
expect_line tm out '^timer_regs: handler ran [0-9]+ times during [1-9][0-9]* iterations, registers intact$' \
	"the handler's runs and intact registers"
no_line tm out '^FAIL' "a failed check"
checks_passed tm
runs=$(sed -n 's/^timer_regs: handler ran \([0-9]*\) times.*/\1/p' "$WORK/tm.out")
[ "$runs" -ge 50 ] || { show tm; fail "the handler ran $runs times during the loop, not 50"; }
note "passed ($(cat "$WORK/tm.out"))"
