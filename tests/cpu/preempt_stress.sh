#!/bin/sh
# preempt_stress: a checksummed computation, in ARM code on one thread and
# in Thumb code on another (each also interrupted by a 1 ms timer upcall),
# is preempted at the replies of 30000 blocking fs calls made by a third
# thread; the guest compares its results with an unpreempted run of the
# same rounds. The CPU host's --stats must show that the watcher stopped
# the engine at least 3000 times (a reply that arrives while the host is
# between slices needs no stop, so it is fewer than one per reply: 19000
# for 20000 calls on an idle machine, but 8500 under ASan, whose slower
# host spends more of the 30 us round trip of the request lane between
# slices, and fewer again on a loaded machine; the bound was 10000 until
# it failed once beside a CI build).
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path preempt_stress)
mkdir "$WORK/root"
printf 'x' >"$WORK/root/byte"
# --fs-cache 0: each read must be a plugin round trip, so each reply preempts
# (the file cache would answer the 1-byte reads from memory).
run_outboard ps --fs "$WORK/root" --fs-cache 0 --stats "$elf" byte 30000
expect_status ps 0
expect_line ps out '^preempt_stress: calls=30000 arm_rounds=[1-9][0-9]* thumb_rounds=[1-9][0-9]* upcalls=[0-9]+: preempted results equal the unpreempted ones$' \
	"equal results"
no_line ps out '^FAIL' "a failed comparison"
checks_passed ps
stops=$(sed -n 's/^outboard-cpu: stats slicing: .* stops=\([0-9]*\).*/\1/p' "$WORK/ps.err")
[ -n "$stops" ] || { show ps; fail "no slicing statistics line"; }
[ "$stops" -ge 3000 ] || { show ps; fail "only $stops preemptions, expected at least 3000"; }
note "passed ($stops preemptions; $(cat "$WORK/ps.out"))"
