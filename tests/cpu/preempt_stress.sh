#!/bin/sh
# preempt_stress: a checksummed computation, in ARM code on one thread and
# in Thumb code on another (each also interrupted by a 1 ms timer upcall),
# is preempted at every reply of 15000 blocking fs calls made by a third
# thread; the guest compares its results with an unpreempted run of the
# same rounds. The CPU host's --stats must show that the watcher stopped
# the engine at least 10000 times (tens of thousands in practice: about one
# stop per reply), so the comparison covers that many preemptions.
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path preempt_stress)
mkdir "$WORK/root"
printf 'x' >"$WORK/root/byte"
run_outboard ps --fs "$WORK/root" --stats "$elf" byte 15000
expect_status ps 0
expect_line ps out '^preempt_stress: calls=15000 arm_rounds=[1-9][0-9]* thumb_rounds=[1-9][0-9]* upcalls=[0-9]+: preempted results equal the unpreempted ones$' \
	"equal results"
no_line ps out '^FAIL' "a failed comparison"
checks_passed ps
stops=$(sed -n 's/^outboard-cpu: stats slicing: .* stops=\([0-9]*\).*/\1/p' "$WORK/ps.err")
[ -n "$stops" ] || { show ps; fail "no slicing statistics line"; }
[ "$stops" -ge 10000 ] || { show ps; fail "only $stops preemptions, expected at least 10000"; }
note "passed ($stops preemptions; $(cat "$WORK/ps.out"))"
