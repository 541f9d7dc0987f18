#!/bin/sh
# An import that no module provides fails the load (status 125) with an
# error that names it; the guest never runs.
. "$(dirname "$0")/lib.sh"

elf=$(guest_path missing_import)
run_outboard m --fs "$WORK" "$elf"
expect_status m 125
expect_stderr_matches m 'no_such_hle_call' "the missing import's name"
[ ! -s "$WORK/m.out" ] || { show m; fail "the guest ran (it printed something)"; }
note "passed"
