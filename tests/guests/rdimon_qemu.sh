#!/bin/sh
# The semihosting (rdimon) guests under qemu-arm alone: checks that they are
# built right (the default link, runnable) and that their output is the
# reference the outboard comparisons use. Usage: rdimon_qemu.sh QEMU_ARM
. "$(dirname "$0")/lib.sh"

qemu=${1:?usage: rdimon_qemu.sh QEMU_ARM}

# qemu_run TAG PROGRAM [ARGS...]: like run_outboard, under qemu-arm in $WORK/TAG.
qemu_run() {
	local tag=$1 status=0
	shift
	mkdir -p "$WORK/$tag.d"
	(cd "$WORK/$tag.d" && timeout -k 5 60 "$qemu" "$@" </dev/null >"$WORK/$tag.out" \
		2>"$WORK/$tag.err") || status=$?
	echo "$status" >"$WORK/$tag.status"
}

mkdir -p "$WORK/parity.d/parity_empty_dir" "$WORK/parity.d/parity_full_dir"
echo keep >"$WORK/parity.d/parity_full_dir/keep.txt"
qemu_run parity "$(guest_path semihost_parity)"
expect_status parity 3
expect_stdout parity "$TEST_DIR/semihost_parity.expected"
printf 'alpha\nBETA\n42 gamma\ndelta\n' | cmp -s - "$WORK/parity.d/parity_text.txt" ||
	fail "parity_text.txt has the wrong content"
[ "$(wc -c <"$WORK/parity.d/parity_data.bin")" -eq 256 ] || fail "parity_data.bin is not 256 bytes"
[ ! -e "$WORK/parity.d/parity_gone.txt" ] || fail "parity_gone.txt was not removed"

qemu_run fib "$(guest_path cpu_bound_rdimon)"
echo "fib(32) = 2178309" >"$WORK/fib.expected"
expect_status fib 0
expect_stdout fib "$WORK/fib.expected"

# The digits of 1..2000: 6893 bytes whose FNV-1a 32 is c093c05f (computed
# independently with Python).
seq 1 2000 | tr -d '\n' >"$WORK/data"
[ "$(wc -c <"$WORK/data")" -eq 6893 ] || fail "the test data generator changed"
qemu_run bench "$(guest_path fs_read_bench_rdimon)" "$WORK/data"
expect_status bench 0
echo "bytes=6893 fnv1a=c093c05f" >"$WORK/bench.expected"
expect_stdout bench "$WORK/bench.expected"
note "passed"
