#!/bin/sh
# An unknown syscall number returns -ENOSYS (-88) and the program goes on;
# the host logs it once, naming the number and the guest PC.
# Usage: unknown_syscall.sh ARM_NM
. "$(dirname "$0")/lib.sh"

nm=${1:?usage: unknown_syscall.sh ARM_NM}
elf=$(guest_path unknown_syscall)
run_outboard u --fs "$WORK" "$elf"
printf 'svc 999 returned -88\nsvc 999 returned -88\nsvc 13 returned -88\n' >"$WORK/expected"
expect_status u 0
expect_stdout u "$WORK/expected"

lines=$(grep -c '999' "$WORK/u.err" || true)
[ "$lines" -eq 1 ] || { show u; fail "999 is logged $lines times, expected once"; }

# The logged PC is the svc in raw_syscall.
set -- $("$nm" -S "$elf" | awk '$4 == "raw_syscall" { print $1, $2 }')
[ $# -eq 2 ] || fail "no raw_syscall symbol in $elf"
start=$((0x$1))
end=$((0x$1 + 0x$2))
found=
for word in $(grep '999' "$WORK/u.err" | grep -Eio '(0x)?[0-9a-f]{5,8}' | sed 's/^0[xX]//'); do
	v=$((0x$word))
	[ "$v" -ge "$start" ] && [ "$v" -lt "$end" ] && found=$word
done
[ -n "$found" ] || { show u; fail "the log line for 999 gives no PC inside raw_syscall"; }
note "passed"
