#!/bin/sh
# Unmapped pointers passed to calls give -EFAULT, never a host crash; the
# guest checks each result itself.
. "$(dirname "$0")/lib.sh"

elf=$(guest_path bad_pointer)
run_outboard b --fs "$WORK" "$elf"
expect_status b 0
expect_no_fail_lines b
oks=$(grep -c '^ok ' "$WORK/b.out" || true)
[ "$oks" -eq 16 ] || { show b; fail "$oks checks passed, expected 16"; }
tail -n 1 "$WORK/b.out" | grep -qx 'bad_pointer: all passed' || { show b; fail "no summary line"; }
note "passed"
