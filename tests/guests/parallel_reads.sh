#!/bin/sh
# parallel_reads: 16 threads read one file with their requests in flight
# together; every byte is checked by the guest.
. "$(dirname "$0")/lib.sh"

elf=$(guest_path parallel_reads)
mkdir "$WORK/root"
run_outboard pr --fs "$WORK/root" "$elf"
echo "parallel_reads: 16 readers, 16 ok" >"$WORK/expected"
expect_status pr 0
expect_stdout pr "$WORK/expected"
[ -z "$(ls -A "$WORK/root")" ] || fail "parallel_reads.dat was not removed"
note "passed"
