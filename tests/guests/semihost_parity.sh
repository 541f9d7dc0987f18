#!/bin/sh
# semihost_parity: one rdimon (semihosting) program under qemu-arm and under
# `outboard run`, each in its own empty directory. stdout, the exit status
# and every file left behind must be the same byte for byte, and stdout must
# match the committed golden output. Usage: semihost_parity.sh QEMU_ARM
#
# qemu-arm's user mode serves ARM semihosting (svc 0x123456) without any
# option: files are opened relative to its working directory.
. "$(dirname "$0")/lib.sh"

qemu=${1:?usage: semihost_parity.sh QEMU_ARM}
elf=$(guest_path semihost_parity)
golden="$TEST_DIR/semihost_parity.expected"
mkdir "$WORK/q" "$WORK/o"

status=0
(cd "$WORK/q" && timeout -k 5 60 "$qemu" "$elf" </dev/null >"$WORK/q.out" 2>"$WORK/q.err") ||
	status=$?
echo "$status" >"$WORK/q.status"
expect_status q 3
expect_stdout q "$golden"

run_outboard o --fs "$WORK/o" "$elf"
expect_status o 3
expect_stdout o "$WORK/q.out"

if ! diff -r "$WORK/q" "$WORK/o" >&2; then
	fail "the files written under qemu-arm ($WORK/q) and outboard ($WORK/o) differ"
fi
[ -s "$WORK/o/parity_text.txt" ] && [ -s "$WORK/o/parity_data.bin" ] ||
	fail "the program did not leave its files behind"
note "passed"
