#!/bin/bash
# failed_domain: a plugin the launcher gives up on (docs/faults.md,
# "Restarts"). With --restart-max 0 the fs plugin is not restarted, so its
# domain is failed at once: every later guest call to it must return
# -ENODEV (19), the console must say so once, and the run must end with
# the guest's own status, not a crash of the host.
#
# The records workload keeps calling the fs domain after the kill: it
# retries EIO (the call in flight at the kill, if any), and reports any
# other errno as `FAIL ... of record N: -19` and carries on.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

elf=$(guest_path records)
mkdir "$WORK/root"

"$OB_BIN/outboard" run --fs "$WORK/root" --display none --sound none --input none \
	--restart-max 0 "$elf" log.bin 400 </dev/null >"$WORK/fd.out" 2>"$WORK/fd.err" &
launcher=$!
cleanup() {
	kill -KILL "$launcher" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

plugin_up() { plugin=$(child_running "$launcher" outboard-fs-hostdir); [ -n "$plugin" ]; }
written() { [ "$(stat -c %s "$WORK/root/log.bin" 2>/dev/null || echo 0)" -ge 640 ]; }

wait_until 30 plugin_up || { show fd; fail "the fs plugin never started"; }
wait_until 30 written || { show fd; fail "the guest never wrote 10 records"; }
kill -KILL "$plugin"
wait_until 60 pid_gone "$launcher" ||
	{ show fd; fail "the run did not end"; }
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/fd.status"

fails=$(grep -c '^FAIL ' "$WORK/fd.out" || true)
enodev=$(grep -c '^FAIL .*: -19$' "$WORK/fd.out" || true)
said=$(grep -c 'its calls now fail with ENODEV' "$WORK/fd.err" || true)
note "calls failed after the kill: $fails, with ENODEV: $enodev; console lines: $said"

# The guest's own failure status (1), not a fault (128 + n) or a host error.
expect_status fd 1
[ "$fails" -ge 3 ] || fail "only $fails guest calls failed after the plugin was gone"
[ "$enodev" -eq "$fails" ] || { show fd; fail "$((fails - enodev)) failed call(s) without ENODEV"; }
[ "$said" -eq 1 ] || { show fd; fail "the console said $said times that fs calls fail with ENODEV"; }
expect_line fd out '^records: [0-9]+ written, [0-9]+ EIO retries, [0-9]+ verified, [1-9][0-9]* failures$' \
	"the workload's summary"
no_line fd err 'guest fault|AddressSanitizer|LeakSanitizer|runtime error' "a crash"
checks_passed fd
note "passed"
