#!/bin/sh
# A guest fault ends the run with 128 + signal and a report that names the
# kind of fault and the PC, with the function and file from the ELF's
# symbols (and without them for a stripped copy of fault_null).
# Usage: fault.sh PROGRAM STATUS KIND_ERE ARM_NM
#   KIND_ERE  an extended regex (case-insensitive) the report must match
#   ARM_NM    arm-none-eabi-nm, to find where fault_here is: the PC must lie
#             inside it (fault_jump_null has no fault_here: its PC is 0)
TEST_NAME=${1:-fault}
. "$(dirname "$0")/lib.sh"

prog=${1:?usage: fault.sh PROGRAM STATUS KIND_ERE ARM_NM}
status=${2:?}
kind=${3:?}
nm=${4:?}
elf=$(guest_path "$prog")

run_outboard f --fs "$WORK" "$elf"
expect_status f "$status"
expect_stderr_matches f "$kind" "the kind of fault"
head -n 1 "$WORK/f.out" | grep -q "^${prog%_rdimon}: " ||
	{ show f; fail "the guest's own line before the fault is missing"; }
case $prog in fault_null*)
	# At the toolchain's default link (0x8000) as at the SDK's 0x10000.
	expect_stderr_matches f 'NULL pointer read at 0x00000000 \[NULL guard\]' "address 0"
esac

if [ "$prog" = fault_jump_null ]; then
	expect_stderr_matches f 'pc[^0-9a-z]{0,4}(0x)?0{1,8}([^0-9a-fx]|$)' "PC 0"
	note "passed"
	exit 0
fi

# fault_here's address range, from the symbol table.
set -- $("$nm" -S "$elf" | awk '$4 == "fault_here" { print $1, $2 }')
[ $# -eq 2 ] || fail "no fault_here symbol in $elf"
start=$((0x$1))
end=$((0x$1 + 0x$2))

# Any hex number in the report inside [start, end) is the PC we look for.
found=
for word in $(grep -Eio '(0x)?[0-9a-f]{5,8}' "$WORK/f.err" | sed 's/^0[xX]//'); do
	v=$((0x$word))
	if [ "$v" -ge "$start" ] && [ "$v" -lt "$end" ]; then
		found=$word
		break
	fi
done
if [ -z "$found" ]; then
	show f
	fail "the report gives no PC inside fault_here ($(printf '0x%08x-0x%08x' "$start" "$end"))"
fi

# The ELF has symbols: the report names the function and its file.
src=${prog%_rdimon}.c
expect_stderr_matches f "pc $found in fault_here\+0x[0-9a-f]+ \($src\) \[text\+0x[0-9a-f]+\]" \
	"the function at the PC"
expect_stderr_matches f "lr [0-9a-f]{8} in [A-Za-z_][A-Za-z_0-9]*\+0x[0-9a-f]+ \(" "the caller"

# Stripped, the same program gets the report without names.
strip=${nm%nm}strip
if [ "$prog" = fault_null ] && [ -x "$strip" ]; then
	"$strip" -o "$WORK/stripped.elf" "$elf"
	run_outboard s --fs "$WORK" "$WORK/stripped.elf"
	expect_status s "$status"
	expect_stderr_matches s "pc $found \[text\+0x[0-9a-f]+\] in ARM state, lr [0-9a-f]{8}\$" \
		"the stripped form"
	! grep -q 'fault_here' "$WORK/s.err" || { show s; fail "a stripped binary named a function"; }
fi
note "passed (pc 0x$found)"
