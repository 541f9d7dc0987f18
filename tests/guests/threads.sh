#!/bin/sh
# threads: queue/mutex/semaphore producers and consumers, sleep ordering and
# time-slice preemption of a busy thread, and busy threads that compute
# right while time slices interleave them, with exact expected output.
. "$(dirname "$0")/lib.sh"

elf=$(guest_path threads)
run_outboard threads --fs "$WORK" "$elf"
cat >"$WORK/expected" <<'END'
queue: sum=2001000 count=2000
ok queue
woke 50
woke 100
woke 150
ok sleep_order
ok preemption
ok preempted_compute
threads: all passed
END
expect_status threads 0
expect_stdout threads "$WORK/expected"
note "passed"
