#!/bin/sh
# The guest heap is qemu-arm's 128 MiB by default, for SDK programs (sbrk
# through the host) and semihosting ones (SYS_HEAPINFO) alike: alloc.elf
# and alloc_rdimon.elf allocate 100 MiB in 1 MiB blocks and check them.
# --heap-max still sets the limit: with 32M both run out cleanly (exit 1,
# no fault). The rdimon build's output equals qemu-arm's when qemu-arm is
# there. Usage: heap.sh [QEMU_ARM]
. "$(dirname "$0")/lib.sh"

qemu=${1:-}
ok='alloc: 100 MiB in 1 MiB blocks, all intact'

for prog in alloc alloc_rdimon; do
	elf=$(guest_path $prog)
	run_outboard $prog --fs "$WORK" "$elf"
	expect_status $prog 0
	[ "$(cat "$WORK/$prog.out")" = "$ok" ] || { show $prog; fail "$prog: unexpected output"; }

	run_outboard ${prog}_32m --heap-max 32M --fs "$WORK" "$elf"
	expect_status ${prog}_32m 1
	grep -Eq '^alloc: out of memory after (2[0-9]|3[01]) of 100 MiB$' "$WORK/${prog}_32m.out" ||
		{ show ${prog}_32m; fail "$prog with --heap-max 32M: expected to run out below 32 MiB"; }
done

if [ -n "$qemu" ]; then
	status=0
	timeout -k 5 60 "$qemu" "$(guest_path alloc_rdimon)" </dev/null >"$WORK/q.out" \
		2>"$WORK/q.err" || status=$?
	echo "$status" >"$WORK/q.status"
	expect_status q 0
	expect_stdout q "$WORK/alloc_rdimon.out"
fi
note "passed"
