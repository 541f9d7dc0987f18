#!/bin/sh
# stats: with --stats the CPU host reports, per domain, how many requests
# were in flight at once; parallel_reads has 16 threads reading together,
# so the fs line must show all 16 opens in flight (the engine never waits
# on IPC). So that this holds whatever the timing, the fs plugin is stopped
# (SIGSTOP) while the readers are released, and continued once the guest
# has been left alone for a while: every open is sent by then and none is
# answered. The file cache is off: it would answer most reads without a
# request.
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path parallel_reads)
mkdir "$WORK/root"
mkfifo "$WORK/in"
"$OB_BIN/outboard" run --fs "$WORK/root" --fs-cache 0 --stats "$elf" hold <"$WORK/in" \
	>"$WORK/st.out" 2>"$WORK/st.err" &
launcher=$!
exec 3>"$WORK/in" # the guest's stdin stays open until the line is sent
trap cleanup_background EXIT INT TERM

ready() {
	grep -q '^parallel_reads: ready$' "$WORK/st.out"
}
wait_until 30 ready || { echo 1 >"$WORK/st.status"; show st; fail "the guest never got ready"; }
plugin=$(child_running "$launcher" outboard-fs-hostdir)
[ -n "$plugin" ] || { echo 1 >"$WORK/st.status"; show st; fail "no fs plugin under the launcher"; }
kill -STOP "$plugin"
echo go >&3
exec 3>&-
# Well inside the 3 s after which a silent plugin would be declared down.
sleep 0.5
kill -CONT "$plugin"
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/st.status"

expect_status st 0
line=$(grep -E '^outboard-cpu: stats fs: ' "$WORK/st.err" || true)
[ -n "$line" ] || { show st; fail "no fs statistics line"; }
max=$(echo "$line" | sed -n 's/.* max_in_flight=\([0-9][0-9]*\).*/\1/p')
[ -n "$max" ] || { show st; fail "the fs statistics have no max_in_flight"; }
[ "$max" -ge 16 ] || { show st; fail "max_in_flight=$max, expected the 16 readers' opens at once"; }
requests=$(echo "$line" | sed -n 's/.* requests=\([0-9][0-9]*\).*/\1/p')
replies=$(echo "$line" | sed -n 's/.* replies=\([0-9][0-9]*\).*/\1/p')
[ -n "$requests" ] && [ "$requests" = "$replies" ] && [ "$requests" -gt 16 ] ||
	{ show st; fail "requests=$requests replies=$replies: every request answered"; }
note "passed (max_in_flight=$max)"
