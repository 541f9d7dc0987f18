#!/bin/sh
# deadlock: two threads each waiting forever on the mutex the other holds
# (and main joining them): exit status 124 and a report that names both
# threads and the mutex each waits on.
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path deadlock)
run_outboard dl --fs "$WORK" "$elf"
expect_status dl 124
no_line dl out '^FAIL' "a wait that returned"

# The guest printed who holds and waits on what; the report must agree.
lines=$(grep -c '^deadlock: thread [0-9]* holds mutex [0-9]* and waits on mutex [0-9]*$' \
	"$WORK/dl.out" || true)
[ "$lines" = 2 ] || { show dl; fail "the guest did not print its two threads"; }
expect_line dl err 'deadlock' "the deadlock itself"
grep '^deadlock: thread' "$WORK/dl.out" >"$WORK/plan"
# deadlock: thread <tid> holds mutex <held> and waits on mutex <want>
while read -r _ _ tid _ _ _ _ _ _ _ want; do
	expect_line dl err "thread $tid .*waits on mutex $want([^0-9]|\$)" \
		"thread $tid waiting on mutex $want"
done <"$WORK/plan"
expect_line dl err 'thread 1 .*waits on join' "the main thread waiting in join"
checks_passed dl
note "passed"
