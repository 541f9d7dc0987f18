#!/bin/sh
# Every fopen mode (r rb r+ r+b w wb w+ w+b a ab a+ a+b) with the contents
# each leaves: the SDK build (newlib passes O_BINARY for "b") on the hostdir
# and mem backends, and the semihosting build under outboard and, when it
# is there, qemu-arm. All print the committed golden output, exit with 0,
# and (hostdir, qemu-arm) leave the same files behind.
# Usage: fopen_modes.sh [QEMU_ARM]
. "$(dirname "$0")/lib.sh"

qemu=${1:-}
golden="$TEST_DIR/fopen_modes.expected"
mkdir "$WORK/sdk" "$WORK/rdimon" "$WORK/q"

run_outboard sdk --fs "$WORK/sdk" "$(guest_path fopen_modes)"
expect_status sdk 0
expect_stdout sdk "$golden"
if [ -x "$OB_BIN/outboard-fs-mem" ]; then
	run_outboard mem --plugin fs=mem "$(guest_path fopen_modes)"
	expect_status mem 0
	expect_stdout mem "$golden"
fi
run_outboard rdimon --fs "$WORK/rdimon" "$(guest_path fopen_modes_rdimon)"
expect_status rdimon 0
expect_stdout rdimon "$golden"
diff -r "$WORK/sdk" "$WORK/rdimon" >&2 || fail "the SDK and rdimon builds left different files"
[ "$(ls "$WORK/sdk" | tr '\n' ' ')" = "data.bin text.txt " ] || fail "unexpected files: $(ls "$WORK/sdk")"

if [ -n "$qemu" ]; then
	status=0
	(cd "$WORK/q" && timeout -k 5 60 "$qemu" "$(guest_path fopen_modes_rdimon)" </dev/null \
		>"$WORK/q.out" 2>"$WORK/q.err") || status=$?
	echo "$status" >"$WORK/q.status"
	expect_status q 0
	expect_stdout q "$golden"
	diff -r "$WORK/q" "$WORK/rdimon" >&2 || fail "qemu-arm and outboard left different files"
fi
note "passed"
