#!/bin/sh
# The benchmark guests give the right answers: cpu_bound on the SDK and on
# semihosting, syscall_bench, and
# fs_read_bench on the SDK and on semihosting reading the same file (their
# qemu-arm reference runs are in rdimon_qemu.sh).
. "$(dirname "$0")/lib.sh"

echo "fib(32) = 2178309" >"$WORK/fib.expected"
run_outboard fib --fs "$WORK" "$(guest_path cpu_bound)"
expect_status fib 0
expect_stdout fib "$WORK/fib.expected"
run_outboard fib_rdimon --fs "$WORK" "$(guest_path cpu_bound_rdimon)"
expect_status fib_rdimon 0
expect_stdout fib_rdimon "$WORK/fib.expected"

run_outboard sys --fs "$WORK" "$(guest_path syscall_bench)" 1000
echo "syscalls: 1000" >"$WORK/sys.expected"
expect_status sys 0
expect_stdout sys "$WORK/sys.expected"

# The digits of 1..2000 (6893 bytes, FNV-1a 32 c093c05f, see rdimon_qemu.sh).
seq 1 2000 | tr -d '\n' >"$WORK/data"
echo "bytes=6893 fnv1a=c093c05f" >"$WORK/bench.expected"
run_outboard bench --fs "$WORK" "$(guest_path fs_read_bench)" data
expect_status bench 0
expect_stdout bench "$WORK/bench.expected"
run_outboard bench_rdimon --fs "$WORK" "$(guest_path fs_read_bench_rdimon)" data
expect_status bench_rdimon 0
expect_stdout bench_rdimon "$WORK/bench.expected"
run_outboard bench_missing --fs "$WORK" "$(guest_path fs_read_bench)" no_such_file
expect_status bench_missing 1
note "passed"
