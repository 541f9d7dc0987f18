#!/bin/sh
# stats: with --stats the CPU host reports, per domain, how many requests
# were in flight at once; parallel_reads has 16 threads reading together,
# so the fs line must show at least 8 (the engine never waits on IPC).
# The file cache is off: it would answer most reads without a request.
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path parallel_reads)
mkdir "$WORK/root"
run_outboard st --fs "$WORK/root" --fs-cache 0 --stats "$elf"
expect_status st 0
line=$(grep -E '^outboard-cpu: stats fs: ' "$WORK/st.err" || true)
[ -n "$line" ] || { show st; fail "no fs statistics line"; }
max=$(echo "$line" | sed -n 's/.* max_in_flight=\([0-9][0-9]*\).*/\1/p')
[ -n "$max" ] || { show st; fail "the fs statistics have no max_in_flight"; }
[ "$max" -ge 8 ] || { show st; fail "max_in_flight=$max, expected >= 8 of 16 readers"; }
requests=$(echo "$line" | sed -n 's/.* requests=\([0-9][0-9]*\).*/\1/p')
replies=$(echo "$line" | sed -n 's/.* replies=\([0-9][0-9]*\).*/\1/p')
[ -n "$requests" ] && [ "$requests" = "$replies" ] && [ "$requests" -gt 16 ] ||
	{ show st; fail "requests=$requests replies=$replies: every request answered"; }
note "passed (max_in_flight=$max)"
