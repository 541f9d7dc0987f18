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
# remove() of an empty directory works (qemu calls remove(3)); of a full
# one it fails with ENOTEMPTY and leaves it.
for d in q o; do
	mkdir -p "$WORK/$d/parity_empty_dir" "$WORK/$d/parity_full_dir"
	echo keep >"$WORK/$d/parity_full_dir/keep.txt"
done

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
[ ! -e "$WORK/o/parity_empty_dir" ] && [ -f "$WORK/o/parity_full_dir/keep.txt" ] ||
	fail "remove() did not remove just the empty directory"

# SYS_SYSTEM: qemu-arm runs the host command; outboard refuses it with -1
# and Linux ENOSYS (38), and warns once however often the guest asks.
run_outboard sys --fs "$WORK/o" "$elf" system
expect_status sys 0
printf 'SYS_SYSTEM: -1, SYS_ERRNO 38\nSYS_SYSTEM: -1, SYS_ERRNO 38\n' >"$WORK/sys.expected"
expect_stdout sys "$WORK/sys.expected"
[ "$(grep -c 'system("true") refused' "$WORK/sys.err")" -eq 1 ] ||
	{ show sys; fail "SYS_SYSTEM: expected exactly one warning"; }
note "passed"
