#!/bin/sh
# A newlib program linked with the toolchain's defaults runs under
# `outboard run` as under qemu-arm, byte for byte (issue 11's acceptance):
# stdout, exit status and the files it leaves, for a program that reads
# piped stdin, allocates 100 MiB in 1 MiB blocks, writes and removes a
# tmpnam() file, removes an empty directory, recurses 6 MiB deep and writes
# a file. Each emulator runs in a directory of its own with the same
# contents.
# Usage: qemu_parity.sh QEMU_ARM
. "$(dirname "$0")/lib.sh"

qemu=${1:?usage: qemu_parity.sh QEMU_ARM}
elf=$(guest_path qemu_parity)

# The same input for both: text lines, a NUL, bytes above 0x7f, no final newline.
printf 'first line\nsecond\000line\n\377\200 last' >"$WORK/input"

for who in outboard qemu; do
	mkdir -p "$WORK/$who/emptydir"
	status=0
	if [ $who = outboard ]; then
		(cd "$WORK/$who" && timeout -k 5 60 "$OB_BIN/outboard" run "$elf") \
			<"$WORK/input" >"$WORK/$who.out" 2>"$WORK/$who.err" || status=$?
	else
		(cd "$WORK/$who" && timeout -k 5 60 "$qemu" "$elf") \
			<"$WORK/input" >"$WORK/$who.out" 2>"$WORK/$who.err" || status=$?
	fi
	echo "$status" >"$WORK/$who.status"
done

expect_status qemu 3
expect_status outboard 3
expect_stdout outboard "$WORK/qemu.out"
# The run did what it says, not only the same as qemu-arm.
grep -qx "stdin: $(wc -c <"$WORK/input" | tr -d ' ') bytes, 2 lines, hash [0-9a-f]\{8\}" \
	"$WORK/outboard.out" ||
	{ show outboard; fail "stdin was not read byte for byte"; }
grep -qx 'malloc: 100 of 100 MiB, intact' "$WORK/outboard.out" ||
	{ show outboard; fail "100 MiB could not be allocated"; }
grep -qx 'tmpnam: read back temporary' "$WORK/outboard.out" ||
	{ show outboard; fail "the tmpnam file did not work"; }
grep -qx 'remove empty directory: 0' "$WORK/outboard.out" ||
	{ show outboard; fail "the empty directory was not removed"; }
grep -q '^recursion: 12000 frames' "$WORK/outboard.out" ||
	{ show outboard; fail "the 6 MiB recursion did not finish"; }
# It needs the default stack: in 1 MiB it runs into the guard page.
mkdir -p "$WORK/small/emptydir"
status=0
(cd "$WORK/small" && timeout -k 5 60 "$OB_BIN/outboard" run --stack 1M "$elf") \
	<"$WORK/input" >"$WORK/small.out" 2>"$WORK/small.err" || status=$?
echo "$status" >"$WORK/small.status"
expect_status small 139
grep -q 'guard page' "$WORK/small.err" || { show small; fail "--stack 1M: no guard page fault"; }
# The files left behind: the same names and bytes (emptydir gone in both).
(cd "$WORK/qemu" && find . | sort) >"$WORK/qemu.files"
(cd "$WORK/outboard" && find . | sort) >"$WORK/outboard.files"
cmp -s "$WORK/qemu.files" "$WORK/outboard.files" ||
	{ diff "$WORK/qemu.files" "$WORK/outboard.files" >&2; fail "the files left behind differ"; }
cmp -s "$WORK/qemu/written.txt" "$WORK/outboard/written.txt" ||
	fail "written.txt differs from qemu-arm's"
# The tmpnam file lived in the run's in-memory /tmp: nothing of it on the host's.
[ ! -e "$WORK/outboard/tmp" ] || fail "a tmp directory appeared in the fs root"
note "passed"
